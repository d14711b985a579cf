package dev.ashlar.plugins.checks;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.spi.plugin.ErrorMapper;
import dev.ashlar.spi.plugin.SchemaContributor;
import dev.ashlar.spi.plugin.SectionValidator;
import dev.ashlar.spi.plugin.DatabaseError;
import dev.ashlar.spi.plugin.QueryContext;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.spi.schema.Ddl;
import dev.ashlar.spi.schema.ObjectKind;
import dev.ashlar.spi.schema.SchemaContext;
import dev.ashlar.spi.schema.SchemaObject;
import dev.ashlar.api.sql.Names;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Check constraints from a resource's {@link CheckConstraints} section: created, replaced when their
 * expression changes, dropped when removed. A violation ({@code 23514}) becomes a field error on
 * each of the check's attributes carrying its message.
 */
public final class ChecksPlugin implements AshlarPlugin, SectionValidator, SchemaContributor, ErrorMapper {
    /** The message of a violated check that has none of its own. */
    public static final String DEFAULT_MESSAGE = "is invalid";

    @Override
    public String id() {
        return CheckConstraints.PLUGIN;
    }

    @Override
    public List<Problem> validate(Domain domain, Resource resource) {
        return CheckRules.check(resource, checks(resource));
    }

    @Override
    public List<SchemaObject> schemaObjects(SchemaContext context) {
        Resource resource = context.resource();
        List<SchemaObject> objects = new ArrayList<>();
        for (Check check : checks(resource)) {
            objects.add(constraint(context, check));
        }
        return objects;
    }

    private static SchemaObject constraint(SchemaContext context, Check check) {
        Resource resource = context.resource();
        String name = constraintName(resource, check);
        // The checked columns and their types are part of the check: a type change re-creates it from its own text
        // rather than from PostgreSQL's rewrite of it for the old type. An attribute renamed over the same column is not.
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("expression", check.expression());
        definition.put("attribute_types", check.attributes().stream()
                .map(a -> resource.columnOf(a) + " " + context.sqlType(resource, a)).toList());
        String baseFilter = check.ignoresBaseFilter() || resource.baseFilter() == null ? null
                : resource.baseFilter().sql();
        // Recorded only where it applies, so the checks of a resource without a base filter keep their snapshots.
        if (baseFilter != null) {
            definition.put("base_filter", baseFilter);
        }
        Ddl.AlterTable table = Ddl.alterTable(context.tableSql());
        String body = baseFilter == null ? "CHECK (" + Ddl.fragment(check.expression()) + ")"
                : "CHECK ((" + Ddl.fragment(check.expression()) + ") OR NOT (" + Ddl.fragment(baseFilter) + "))";
        return SchemaObject.builder(name, ObjectKind.CHECK)
                .definition(definition)
                .up(table.addConstraint(name, body))
                .down(table.dropConstraint(name))
                // Checking every row at once would block writes to the table for the whole scan.
                .onExistingTable(SchemaObject.OnExistingTable.validatedLater(table.addConstraintNotValid(name, body),
                        table.dropConstraint(name), table.validateConstraint(name)))
                .build();
    }

    @Override
    public Optional<AshlarException> mapError(DatabaseError error, QueryContext context) {
        if (!DatabaseError.CHECK_VIOLATION.equals(error.sqlState()) || error.constraint() == null
                || error.table() == null) {
            return Optional.empty();
        }
        return context.domain().resources().stream()
                .filter(r -> r.table().equals(error.table()))
                .sorted(Comparator.comparing(r -> !r.schemaOrDefault().equals(error.schema())))
                .flatMap(r -> checks(r).stream().filter(c -> constraintName(r, c).equals(error.constraint())))
                .findFirst()
                .map(check -> new InvalidDataException(context.resource().name(), context.action().toString(),
                        fieldErrors(check, error.constraint()), error.sqlState(), null));
    }

    private static List<FieldError> fieldErrors(Check check, String constraint) {
        String message = check.message() != null ? check.message() : DEFAULT_MESSAGE;
        List<String> fields = check.attributes().isEmpty() ? List.of(check.check()) : check.attributes();
        return fields.stream().map(field -> new FieldError(field, message,
                check.attributes().isEmpty() ? null : field, constraint)).toList();
    }

    private static List<Check> checks(Resource resource) {
        return resource.extension(CheckConstraints.class).map(CheckConstraints::checks).orElse(List.of());
    }

    /** The constraint's name: the one given, or {@code <table>_<check>_check}. */
    static String constraintName(Resource resource, Check check) {
        return check.constraintName() != null ? check.constraintName() : Names.check(resource.table(), check.check());
    }
}
