package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Converter;
import dev.ashlar.spi.plugin.DatabaseError;
import dev.ashlar.spi.plugin.QueryContext;

import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A type error of SQL written by hand on a resource whose converted attributes hold Java values that bind by their own
 * type: {@code Filter.sql("active = ?", true)} binds a boolean, and a Y/N attribute's column is {@code varchar}, so the
 * server finds no operator. Which {@code ?} meets which column is the server's to know, so the error names the
 * converted attributes it may be and the stored form to bind.
 */
final class HandBoundConverted {
    /** Undefined function (no operator for the two types) and datatype mismatch. */
    private static final Set<String> TYPE_ERRORS = Set.of("42883", "42804");

    private HandBoundConverted() {
    }

    /** The error naming the converted attributes, or null when the error is of another kind or none may be meant. */
    static AshlarException error(DatabaseError error, String state, QueryContext context, ResourcePlan plan,
                                 SQLException exception) {
        if (plan == null || !TYPE_ERRORS.contains(state)) {
            return null;
        }
        // Only those whose Java type the server names as the type it met: another type error is not about them.
        List<ColumnPlan> converted = plan.columns().stream().filter(c -> c.attribute().converter() != null
                && Codecs.bindsByType(c.attribute().converter().javaType())
                && namedIn(error.message(), c.attribute().converter().javaType())).toList();
        if (converted.isEmpty()) {
            return null;
        }
        String resource = context.resource().name();
        String which = converted.stream().map(c -> described(resource, c)).collect(Collectors.joining("; "));
        ColumnPlan first = converted.get(0);
        String type = converted.stream().map(c -> c.attribute().converter().javaType().getSimpleName()).distinct()
                .collect(Collectors.joining(" or "));
        return QueryException.of(resource, converted.size() == 1 ? first.name() : null, "Could not "
                + context.action() + " " + resource + ": " + error.message() + ". " + which + ", and Filter.sql binds "
                + "a " + type + " by its own type: bind its stored form, or compare it with Filter.eq(\""
                + first.name() + "\", ...), which converts it [SQL state " + state + "]", exception);
    }

    private static boolean namedIn(String message, Class<?> javaType) {
        String bound = Codecs.boundType(javaType);
        return bound == null || message != null && message.contains(bound);
    }

    private static String described(String resource, ColumnPlan column) {
        Converter<?, ?> converter = column.attribute().converter();
        List<?> stored = converter.storedValues();
        return resource + "." + column.name() + " is stored by " + converter + (stored == null
                ? " as " + column.codec().castType()
                : " as " + stored.stream().map(v -> v instanceof String ? "'" + v + "'" : String.valueOf(v))
                .collect(Collectors.joining("/")));
    }
}
