package dev.ashlar.plugins.references;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.resource.Attribute;
import dev.ashlar.api.resource.BelongsTo;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.spi.schema.SchemaContext;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a resource's references when the domain is built, so that a mistake is reported with the
 * option that fixes it instead of failing in a migration or, worse, at the first delete.
 */
final class ReferenceRules {
    private final Resource resource;
    private final List<Problem> problems = new ArrayList<>();

    private ReferenceRules(Resource resource) {
        this.resource = resource;
    }

    static List<Problem> check(Domain domain, Resource resource) {
        ReferenceRules rules = new ReferenceRules(resource);
        rules.checkSection();
        resource.extension(References.class).map(References::polymorphic).map(Reference::name)
                .filter(name -> Identifiers.problem(name) != null)
                .ifPresent(name -> rules.problem(References.POLYMORPHIC, "polymorphicName(\"" + name + "\") "
                        + Identifiers.problem(name)));
        ForeignKey.of(domain, resource).forEach(rules::checkKey);
        rules.checkSharedColumns(ForeignKey.sourceKeys(domain, resource));
        for (ForeignKey key : ForeignKey.toSources(domain, resource)) {
            rules.checkNames(key);
            rules.checkNilify(key);
        }
        return rules.problems;
    }

    /**
     * A column of a polymorphic table cannot reference the tables of two sources: a row would have to exist in both.
     * Two resources naming the same table and destination attribute are refused, naming the ways out.
     */
    private void checkSharedColumns(List<ForeignKey> sourceKeys) {
        Map<String, List<ForeignKey>> byColumn = new LinkedHashMap<>();
        sourceKeys.forEach(key -> byColumn.computeIfAbsent(key.relationship().attribute(), c -> new ArrayList<>())
                .add(key));
        byColumn.forEach((column, keys) -> {
            List<String> sources = keys.stream().map(key -> key.destination().name()).distinct().toList();
            if (sources.size() > 1) {
                String last = sources.get(sources.size() - 1);
                problems.add(new Problem(last, References.POLYMORPHIC, "resources " + sources.stream()
                        .map(name -> "'" + name + "'").collect(Collectors.joining(" and ")) + " all name table '"
                        + resource.table() + "' of polymorphic resource '" + Resource.withoutTable(resource.name())
                        + "' with destination attribute '" + column + "', whose column '" + resource.columnOf(column)
                        + "' cannot reference " + keys.stream().map(key -> "'" + key.destination().table() + "'")
                        .distinct().collect(Collectors.joining(" and ")) + " at once: add "
                        + "References.of().polymorphicIgnore() to the references section of all of them but one (or of "
                        + "all, for no key), or give each its own table with r.table(...), as AshPostgres does"));
            }
        });
    }

    private void checkSection() {
        List<String> belongsTo = resource.relationships().stream().filter(r -> r instanceof BelongsTo)
                .map(r -> r.name()).toList();
        Set<String> seen = new HashSet<>();
        for (Reference reference : resource.extension(References.class).map(References::references).orElse(List.of())) {
            String name = reference.relationship();
            if (!belongsTo.contains(name)) {
                problem(name, "reference(\"" + name + "\") names no belongsTo relationship of resource '"
                        + resource.name() + "'; its belongsTo relationships are " + belongsTo);
            } else if (!seen.add(name)) {
                problem(name, "reference(\"" + name + "\") is listed twice in the references section; merge the "
                        + "two entries");
            }
        }
    }

    /**
     * A composite key ({@code matchWith}) to a non-key identity of a resource with a tenant column must be
     * {@code MATCH FULL}, as AshPostgres verifies: under {@code MATCH SIMPLE} a null in any matched column skips
     * the check, so a row could hold an identity value that no row of its tenant has. Known only once the
     * tenancy plugin has said which resources have tenant columns, hence checked when the schema is built.
     *
     * @throws AshlarException naming the resource, the relationship and the option that fixes it
     */
    static void requireFullMatch(SchemaContext context, ForeignKey key) {
        List<String> primaryKey = key.destination().primaryKey().stream().map(Attribute::name).toList();
        if (context.tenantColumns(key.destination()).isEmpty() || key.options().matchWith().isEmpty()
                || key.options().match() == Match.FULL || primaryKey.contains(key.relationship().destinationAttribute())) {
            return;
        }
        String relationship = key.relationship().name();
        throw new AshlarException(ErrorCode.INVALID_DEFINITION, "Resource '" + key.owner().name() + "', '" + relationship
                + "': the key references " + key.destination().name() + "." + key.relationship().destinationAttribute()
                + ", an identity of a resource with a tenant column, with matchWith(...): it must be MATCH FULL, or a "
                + "null matched column would skip the check. Add .match(Match.FULL) to reference(\"" + relationship
                + "\")", key.owner().name(), relationship, null, null);
    }

    private void checkKey(ForeignKey key) {
        checkNames(key);
        checkColumns(key);
        checkNilify(key);
        if (key.options().initiallyDeferred() && !key.options().deferrable()) {
            problem(key, "initiallyDeferred(true) needs deferrable(true): PostgreSQL can only defer a deferrable key");
        }
    }

    private void checkNames(ForeignKey key) {
        String problem = Identifiers.problem(key.name());
        if (key.toSource()) {
            // A name given with polymorphicName(...) is checked once, for the section; the generated one here.
            if (problem != null && key.options().name() == null) {
                problem(key, "the generated foreign key name '" + key.name() + "' " + problem
                        + " with polymorphicName(\"...\")");
            }
            return;
        }
        if (problem != null) {
            problem(key, key.options().name() != null
                    ? "the name(\"" + key.name() + "\") of the foreign key " + problem
                    : "the generated foreign key name '" + key.name() + "' " + problem + " with name(\"...\")");
        }
        if (key.owner().polymorphic() && key.options().name() != null) {
            problem(key, "name(\"" + key.name() + "\") would name the foreign key alike on every table of the "
                    + "polymorphic resource; remove name(...) so that each table's key is named after its table");
        }
        String indexProblem = key.options().index() ? Identifiers.problem(key.indexName()) : null;
        if (indexProblem != null) {
            problem(key, "index(true) would name the index '" + key.indexName() + "', which " + indexProblem
                    + " (a shorter table or column name)");
        }
        if (key.options().indexWhere() != null && key.options().indexWhere().isBlank()) {
            problem(key, "indexWhere(\"\") is empty; give a SQL predicate such as \"archived_at IS NULL\", or "
                    + "Reference.NOT_NULL");
        }
    }

    private void checkColumns(ForeignKey key) {
        for (Reference.ColumnPair pair : key.options().matchWith()) {
            if (resource.attribute(pair.source()).isEmpty()) {
                problem(key, "matchWith(\"" + pair.source() + "\", ...) names an attribute that resource '"
                        + resource.name() + "' does not have");
            }
            if (key.destination().attribute(pair.destination()).isEmpty()) {
                problem(key, "matchWith(..., \"" + pair.destination() + "\") names an attribute that resource '"
                        + key.destination().name() + "' does not have");
            }
        }
        if (new HashSet<>(key.columns()).size() != key.columns().size()
                || new HashSet<>(key.referencedColumns()).size() != key.referencedColumns().size()) {
            problem(key, "the key matches " + key.columns() + " to " + key.referencedColumns()
                    + ", which names a column twice; remove the repeated matchWith(...)");
        } else if (key.uniqueKey().isEmpty()) {
            problem(key, "references " + key.destination().name() + " " + key.referencedColumns() + ", which neither "
                    + "its primary key nor any of its identities makes unique; PostgreSQL needs a unique key to "
                    + "reference, and no partial one (an identity with a where(...) or base filter): add .identity(...) "
                    + "on exactly these attributes to resource '"
                    + key.destination().name() + "'");
        }
    }

    private void checkNilify(ForeignKey key) {
        OnDelete onDelete = key.options().onDelete();
        if (onDelete instanceof OnDelete.Nilify nilify) {
            for (String column : nilify.columns()) {
                if (!key.columns().contains(column)) {
                    problem(key, option(key, "onDelete") + "(nilify(...)) names '" + column + "', which is not a column of this key; "
                            + "its columns are " + key.columns());
                }
            }
            requireNullable(key, nilify.columns(), option(key, "onDelete") + "(nilify(...))");
            if (key.options().match() == Match.FULL && !Set.copyOf(nilify.columns()).containsAll(key.columns())) {
                problem(key, "match(FULL) with onDelete(nilify(" + nilify.columns() + ")) would leave the key "
                        + key.columns() + " partly null, which MATCH FULL forbids, so PostgreSQL would refuse every "
                        + "delete of a referenced row; nilify all of " + key.columns() + " or use match(SIMPLE)");
            }
        }
        if (onDelete == OnDelete.NILIFY) {
            requireNullable(key, key.columns(), option(key, "onDelete") + "(NILIFY)");
        }
        if (key.options().onUpdate() == OnUpdate.NILIFY) {
            requireNullable(key, key.columns(), option(key, "onUpdate") + "(NILIFY)");
        }
    }

    private void requireNullable(ForeignKey key, List<String> columns, String option) {
        for (String column : columns) {
            if (resource.attribute(column).filter(a -> !a.nullable()).isPresent()) {
                problem(key, option + " would set '" + column + "' to null, but it is not nullable; allow nil on it, "
                        + "nilify only the nullable columns with OnDelete.nilify(...), or choose another action");
            }
        }
    }

    /** The option as the section names it: a key to a polymorphic table's source takes the polymorphic one. */
    private static String option(ForeignKey key, String option) {
        return key.toSource() ? References.POLYMORPHIC + Character.toUpperCase(option.charAt(0)) + option.substring(1)
                : option;
    }

    /**
     * A problem of the key, under its relationship; a key from a polymorphic table to its source is reported under
     * the source resource, whose references section sets its options.
     */
    private void problem(ForeignKey key, String message) {
        if (key.toSource()) {
            problems.add(new Problem(key.destination().name(), References.POLYMORPHIC, "the key from table '"
                    + resource.table() + "' of polymorphic resource '" + Resource.withoutTable(resource.name())
                    + "' to '" + key.destination().table() + "': " + message));
        } else {
            problem(key.relationship().name(), message);
        }
    }

    private void problem(String field, String message) {
        problems.add(new Problem(resource.name(), field, message));
    }
}
