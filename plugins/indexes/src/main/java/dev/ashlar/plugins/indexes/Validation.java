package dev.ashlar.plugins.indexes;

import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.api.resource.Attribute;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.sql.Identifiers;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a resource's custom indexes and statements; every problem names the resource and the index or statement. */
final class Validation {
    private static final Pattern METHOD = Pattern.compile("[a-z_][a-z0-9_]*");
    /** Built-in methods that PostgreSQL refuses for unique indexes, and for INCLUDE (CREATE INDEX, "Parameters"). */
    private static final Set<String> NEVER_UNIQUE = Set.of("hash", "gin", "gist", "brin", "spgist");
    private static final Set<String> NEVER_INCLUDE = Set.of("hash", "gin", "brin");

    private Validation() {
    }

    static List<Problem> indexes(Resource resource, CustomIndexes section) {
        List<Problem> problems = new ArrayList<>();
        for (CustomIndex index : section.indexes()) {
            String name = index.nameOn(resource);
            Report report = message -> problems.add(new Problem(resource.name(), name, index.describe() + " " + message));
            if (index.fields().isEmpty()) {
                report.add("has no fields; list attributes or SQL expressions: index(\"email\")");
            }
            index.fields().stream().filter(field -> CustomIndex.isAttribute(field, resource))
                    .forEach(field -> requireAttribute(resource, field, "lists", report));
            index.include().forEach(field -> requireAttribute(resource, field, "includes", report));
            String problem = Identifiers.problem(name);
            if (problem != null) {
                report.add("is named '" + name + "', which " + problem + " with name(\"...\") on the index");
            }
            if (resource.polymorphic() && index.name() != null) {
                report.add("is named '" + name + "' on a polymorphic resource, whose every table would take that "
                        + "name, which is unique in a schema; remove name(...) so that each table's index is named "
                        + "after its table");
            }
            if (index.using() != null && !METHOD.matcher(index.using()).matches()) {
                report.add("uses '" + index.using() + "', which is not an access method name such as btree, hash, "
                        + "gin, gist, brin or spgist");
            }
            methodProblems(index, report);
            if (!index.unique() && !index.nullsDistinct()) {
                report.add("sets nullsDistinct(false), which only a unique index uses; add unique() or remove it");
            }
            if (!index.unique() && index.message() != null) {
                report.add("has a message, which is shown only when a unique index refuses a value; add unique() "
                        + "or remove message(...)");
            }
            if (!index.unique() && !index.errorFields().isEmpty()) {
                report.add("has errorFields, which get an error only when a unique index refuses a value; add "
                        + "unique() or remove errorFields(...)");
            }
            index.errorFields().stream().filter(field -> resource.attribute(field).isEmpty()).forEach(field ->
                    report.add("puts its error on '" + field + "', which is not an attribute of the resource; it has "
                            + resource.attributes().stream().map(a -> a.name()).toList()));
        }
        return problems;
    }

    static List<Problem> statements(Domain domain, Resource resource, CustomStatements section) {
        List<Problem> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (CustomStatement statement : section.statements()) {
            String label = statement.name() == null ? "statement" : statement.name();
            if (resource.polymorphic()) {
                problems.add(new Problem(resource.name(), label, "is a statement of a polymorphic resource, whose SQL "
                        + "would run once for each of its tables as written; declare it on a resource with a table of "
                        + "its own"));
            }
            Report report = message -> problems.add(new Problem(resource.name(), label, "custom statement " + message));
            String problem = Identifiers.problem(statement.name());
            if (problem != null) {
                report.add("name '" + statement.name() + "' " + problem + " in statement(\"...\")");
            } else if (!names.add(statement.name())) {
                report.add("'" + statement.name() + "' is declared twice; give each statement its own name");
            }
            if (statement.up() == null || statement.up().isBlank()) {
                report.add("'" + label + "' has no SQL to run; give it up(\"...\")");
            }
            if (statement.down() == null) {
                report.add("'" + label + "' has no down SQL; give it down(\"...\") with the SQL that undoes up, "
                        + "or down(\"\") when nothing needs undoing");
            }
            statement.afterTables().stream().filter(r -> domain.find(r).isEmpty()).forEach(r -> report.add("'" + label
                    + "' names afterTables(\"" + r + "\"), which is not a resource of the domain; name a resource, "
                    + "not a table"));
        }
        return problems;
    }

    private static void methodProblems(CustomIndex index, Report report) {
        if (index.using() == null) {
            return;
        }
        if (index.unique() && NEVER_UNIQUE.contains(index.using())) {
            report.add("is unique and uses " + index.using() + ", but PostgreSQL builds unique indexes with btree "
                    + "only; remove using(\"" + index.using() + "\") or unique()");
        }
        if (!index.include().isEmpty() && NEVER_INCLUDE.contains(index.using())) {
            report.add("includes columns and uses " + index.using() + ", but PostgreSQL supports include(...) "
                    + "for btree, gist and spgist indexes only");
        }
    }

    private static void requireAttribute(Resource resource, String field, String verb, Report report) {
        if (resource.attribute(field).isEmpty()) {
            report.add(verb + " '" + field + "', which is not an attribute of the resource; it has "
                    + resource.attributes().stream().map(Attribute::name).toList()
                    + " (a SQL expression such as lower(email) is written with its parentheses)");
        } else if (resource.parentStoring(field) != null) {
            report.add(verb + " '" + field + "', which resource '" + resource.name() + "' inherits from '"
                    + resource.parentStoring(field) + "', whose table stores it, and an index covers one table: "
                    + "declare the index on '" + resource.parentStoring(field) + "'");
        }
    }

    @FunctionalInterface
    private interface Report {
        void add(String message);
    }
}
