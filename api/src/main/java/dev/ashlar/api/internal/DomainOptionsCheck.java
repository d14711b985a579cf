package dev.ashlar.api.internal;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.api.resource.Attribute;
import dev.ashlar.api.resource.ColumnOptions;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.TableOptions;
import dev.ashlar.api.resource.Type;
import dev.ashlar.api.sql.Identifiers;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Checks the migration options of a domain and its resources: extensions, the minimum server version, tables
 * that are not migrated, ignored attributes, migration types and defaults, timestamps that update, composite types.
 */
public final class DomainOptionsCheck {
    /** The oldest PostgreSQL Ashlar supports. */
    public static final int OLDEST_SUPPORTED = 13;

    private final List<Problem> problems = new ArrayList<>();
    private final List<String> extensions;

    private DomainOptionsCheck(List<String> extensions) {
        this.extensions = extensions;
    }

    /** @throws DefinitionException listing every problem found */
    public static void check(String domain, Collection<Resource> resources, List<String> extensions, Integer minimum) {
        DomainOptionsCheck check = new DomainOptionsCheck(extensions);
        for (String extension : extensions) {
            String problem = Identifiers.problem(extension);
            if (problem != null) {
                check.problems.add(new Problem(null, "extensions", "the extension name '" + extension + "' " + problem));
            }
        }
        if (minimum != null && minimum < OLDEST_SUPPORTED) {
            check.problems.add(new Problem(null, "minimumPostgresVersion", "is " + minimum + ", but Ashlar supports "
                    + "PostgreSQL " + OLDEST_SUPPORTED + " and later; set minimumPostgresVersion(" + OLDEST_SUPPORTED
                    + ") or more"));
        }
        resources.forEach(check::resource);
        check.problems.addAll(CompositeTypesCheck.check(resources));
        if (!check.problems.isEmpty()) {
            throw new DefinitionException(domain, check.problems);
        }
    }

    private void resource(Resource resource) {
        TableOptions options = resource.tableOptions();
        if (!options.migrated() && options.createTableOptions() != null) {
            problem(resource, "createTableOptions", "has no effect on a table that is not migrated (migrate(false)); "
                    + "remove one of them");
        }
        if (!options.migrated() && options.timestampTrigger()) {
            problem(resource, "timestamps", "asks for a trigger on a table that is not migrated (migrate(false)); "
                    + "create the trigger with the tool that owns the table, or use timestamps()");
        }
        if (options.createTableOptions() != null && options.createTableOptions().isBlank()) {
            problem(resource, "createTableOptions", "is blank; give the SQL after CREATE TABLE, e.g. "
                    + "\"PARTITION BY RANGE (id)\", or leave it out");
        }
        for (String ignored : options.migrationIgnore()) {
            Attribute attribute = resource.attribute(ignored).orElse(null);
            if (attribute == null) {
                problem(resource, ignored, "is in migrationIgnore but is no attribute; the resource has "
                        + resource.attributes().stream().map(Attribute::name).toList());
            } else if (attribute.primaryKey()) {
                problem(resource, ignored, "is (part of) the primary key, which migrations must create; "
                        + "remove it from migrationIgnore");
            }
        }
        resource.attributes().forEach(a -> attribute(resource, a));
    }

    private void attribute(Resource resource, Attribute attribute) {
        ColumnOptions column = attribute.column();
        sql(resource, attribute, "migrationType", column.migrationType());
        sql(resource, attribute, "migrationDefault", column.migrationDefault());
        if (column.touchOnUpdate() && attribute.type() != Type.TIMESTAMPTZ && attribute.type() != Type.TIMESTAMP) {
            problem(resource, attribute.name(), "is set to now() on update (touchOnUpdate), which needs TIMESTAMPTZ "
                    + "or TIMESTAMP, not " + attribute.type());
        }
        if (!column.updatable()) {
            notUpdatable(resource, attribute);
        }
        String migrationType = column.migrationType() == null ? "" : column.migrationType().toLowerCase(Locale.ROOT);
        arrayMigrationType(resource, attribute, migrationType.strip());
        String extension = extensionOf(attribute.type());
        if (extension == null && migrationType.startsWith("citext")) {
            extension = "citext";
        } else if (extension == null && migrationType.startsWith("vector")) {
            extension = "vector";
        }
        if (extension != null) {
            needExtension(resource, attribute, extension);
        }
    }

    /** An attribute that updates must change (a touched time, the last writer, a soft delete's mark) is updatable. */
    private void notUpdatable(Resource resource, Attribute attribute) {
        String name = attribute.name();
        String role = attribute.column().touchOnUpdate() ? "set to now() by every update (touchOnUpdate)"
                : name.equals(resource.modifiedBy()) ? "set by every update to its writer (modifiedBy)"
                : name.equals(resource.softDelete()) ? "set by a destroy that marks the record ("
                + (resource.softDeleteClears() ? "softDeleteClearing" : "softDelete") + ")"
                : name.equals(resource.optimisticLock()) ? "counted up by every update (optimisticLock)" : null;
        if (role != null) {
            problem(resource, name, "is updatable(false) but " + role + "; remove updatable(false)");
        }
    }

    /**
     * The extension that defines a type, or an array's element type: {@code citext}, {@code vector} or {@code ltree};
     * null for a built-in type.
     */
    public static String extensionOf(Type type) {
        Type element = type instanceof Type.Array array ? array.element() : type;
        return element == Type.CITEXT ? "citext" : element instanceof Type.Vector ? "vector"
                : element instanceof Type.Ltree ? "ltree" : null;
    }

    /**
     * A list's values are sent as an array and a single value as one: a migration type of the other shape would
     * fail at the server with every write.
     */
    private void arrayMigrationType(Resource resource, Attribute attribute, String migrationType) {
        boolean array = migrationType.endsWith("[]") || migrationType.endsWith(" array");
        if (migrationType.isEmpty() || array == (attribute.type() instanceof Type.Array)) {
            return;
        }
        problem(resource, attribute.name(), array ? "is a single value, but its migrationType '"
                + attribute.column().migrationType() + "' is an array type; declare it Type.arrayOf(...) to store "
                + "lists, or give the element's type" : "is a list, but its migrationType '"
                + attribute.column().migrationType() + "' is no array type; write '" + attribute.column()
                .migrationType().strip() + "[]'");
    }

    private void needExtension(Resource resource, Attribute attribute, String extension) {
        if (!extensions.contains(extension)) {
            problem(resource, attribute.name(), "is of type " + extension + ", which needs the " + extension
                    + " extension; list it with Domain.builder(...).extensions(\"" + extension + "\")");
        }
    }

    /** Migration SQL comes from the resource author; one statement's fragment, so no semicolon. */
    private void sql(Resource resource, Attribute attribute, String option, String sql) {
        if (sql != null && (sql.isBlank() || sql.contains(";") || sql.chars().anyMatch(Character::isISOControl))) {
            problem(resource, attribute.name(), "has " + option + " '" + sql + "', which must be one SQL fragment "
                    + "without semicolons or line breaks, e.g. \"varchar(16)\" or \"now()\"");
        }
    }

    private void problem(Resource resource, String field, String message) {
        problems.add(new Problem(resource.name(), field, message));
    }
}
