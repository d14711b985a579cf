package dev.ashlar.plugins.indexes;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.spi.plugin.DatabaseError;
import dev.ashlar.spi.plugin.QueryContext;
import dev.ashlar.api.resource.Attribute;
import dev.ashlar.api.resource.Resource;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Turns a unique violation of a custom index into field errors carrying the index's message. */
final class UniqueViolations {
    static final String DEFAULT_MESSAGE = "has already been taken";

    private UniqueViolations() {
    }

    static Optional<AshlarException> map(DatabaseError error, QueryContext context) {
        if (!DatabaseError.UNIQUE_VIOLATION.equals(error.sqlState()) || error.constraint() == null) {
            return Optional.empty();
        }
        for (Resource resource : candidates(context)) {
            if (error.table() != null && !error.table().equals(resource.table())) {
                continue;
            }
            Optional<CustomIndex> index = resource.extension(CustomIndexes.class).stream()
                    .flatMap(section -> section.indexes().stream())
                    .filter(i -> i.unique() && i.nameOn(resource).equals(error.constraint()))
                    .findFirst();
            if (index.isPresent()) {
                String message = index.get().message() == null ? DEFAULT_MESSAGE : index.get().message();
                List<FieldError> errors = fields(index.get(), resource).stream()
                        .map(field -> new FieldError(field, message, column(field, resource), error.constraint()))
                        .toList();
                return Optional.of(new InvalidDataException(resource.name(), context.action().toString(), errors,
                        error.sqlState(), null));
            }
        }
        return Optional.empty();
    }

    /** The resource acted on first, then the others of its domain (a nested write may touch their tables). */
    private static List<Resource> candidates(QueryContext context) {
        Set<Resource> resources = new LinkedHashSet<>();
        if (context.resource() != null) {
            resources.add(context.resource());
        }
        if (context.domain() != null) {
            resources.addAll(context.domain().resources());
        }
        return List.copyOf(resources);
    }

    /** The field's column when it is an attribute; {@code null} for an expression. */
    private static String column(String field, Resource resource) {
        return resource.attributes().stream().anyMatch(a -> a.name().equals(field)) ? field : null;
    }

    /**
     * The index's error fields, or the attributes it covers; for an expression, the attributes it mentions (or the
     * expression itself).
     */
    private static List<String> fields(CustomIndex index, Resource resource) {
        if (!index.errorFields().isEmpty()) {
            return index.errorFields();
        }
        Set<String> fields = new LinkedHashSet<>();
        for (String field : index.fields()) {
            if (CustomIndex.isAttribute(field, resource)) {
                fields.add(field);
                continue;
            }
            List<String> mentioned = new ArrayList<>();
            for (Attribute attribute : resource.attributes()) {
                if (Pattern.compile("(?<![\\w$])\"?" + Pattern.quote(attribute.name()) + "\"?(?![\\w$])")
                        .matcher(field).find()) {
                    mentioned.add(attribute.name());
                }
            }
            fields.addAll(mentioned.isEmpty() ? List.of(field) : mentioned);
        }
        return List.copyOf(fields);
    }
}
