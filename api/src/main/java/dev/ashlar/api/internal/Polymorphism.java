package dev.ashlar.api.internal;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.api.resource.ManyToMany;
import dev.ashlar.api.resource.Relationship;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.sql.Identifiers;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns each polymorphic resource of a domain into one resource per table it lives in, named
 * {@code comment@post_comments}: from then on every part of Ashlar — migrations, snapshots, plugins, the data
 * layer — sees ordinary resources with a table each, and a table no relationship or declaration names is reachable
 * by no name at all.
 */
public final class Polymorphism {
    private final String domain;
    private final List<Resource> declared;
    private final Map<String, Resource> polymorphic = new LinkedHashMap<>();
    private final Map<String, Resource> byName = new HashMap<>();
    private final Map<String, Set<String>> tables = new LinkedHashMap<>();
    private final List<Problem> problems = new ArrayList<>();

    /** The resources as the domain serves them, and the tables of each polymorphic resource, by its name. */
    public record Expansion(List<Resource> resources, Map<String, List<String>> tables) {
    }

    private Polymorphism(String domain, List<Resource> declared) {
        this.domain = domain;
        this.declared = declared;
    }

    /** @throws DefinitionException listing every problem with the domain's polymorphic resources and tables */
    public static Expansion expand(String domain, List<Resource> declared) {
        return new Polymorphism(domain, declared).expand();
    }

    private Expansion expand() {
        for (Resource resource : declared) {
            if (resource.name() != null) {
                byName.putIfAbsent(resource.name(), resource);
            }
            if (resource.polymorphic() && resource.name() != null) {
                polymorphic.putIfAbsent(resource.name(), resource);
                tables.putIfAbsent(resource.name(), new LinkedHashSet<>());
                resource.tableOptions().polymorphicTables().forEach(t -> addTable(resource, null, resource, t));
            }
        }
        for (Resource resource : declared) {
            if (resource.name() != null && resource.name().indexOf(Resource.TABLE_SEPARATOR) >= 0) {
                problem(resource, null, "name '" + resource.name() + "' holds '" + Resource.TABLE_SEPARATOR
                        + "', which separates a polymorphic resource's name from one of its tables; rename the "
                        + "resource");
            }
            resource.relationships().forEach(r -> relationship(resource, r));
        }
        polymorphic.values().forEach(this::checkTables);
        if (!problems.isEmpty()) {
            throw new DefinitionException(domain, problems);
        }
        List<Resource> expanded = new ArrayList<>();
        for (Resource resource : declared) {
            if (resource.polymorphic()) {
                tables.get(resource.name()).forEach(t -> expanded.add(resource.storedIn(t)));
            } else {
                expanded.add(resource);
            }
        }
        Map<String, List<String>> byResource = new LinkedHashMap<>();
        tables.forEach((name, names) -> byResource.put(name, List.copyOf(names)));
        return new Expansion(expanded, byResource);
    }

    /**
     * The problems found in the expanded resources, each naming the resource as it was declared: a mistake in a
     * polymorphic resource is reported once, not once per table (a problem of one table's names names that table).
     */
    public static DefinitionException underDeclaredNames(String domain, DefinitionException refused) {
        List<Problem> problems = refused.problems().stream()
                .map(p -> new Problem(Resource.withoutTable(p.resource()), p.field(), p.message()))
                .distinct().toList();
        return new DefinitionException(domain, problems);
    }

    private void relationship(Resource source, Relationship relationship) {
        String destination = relationship.destination();
        if (destination == null) {
            return;
        }
        String base = Resource.withoutTable(destination);
        Resource target = byName.get(base);
        if (!base.equals(destination)) {
            String table = destination.substring(base.length() + 1);
            if (target != null && !target.polymorphic()) {
                problem(source, relationship.name(), "names table '" + table + "' for resource '" + base + "', which "
                        + "has a table of its own ('" + target.table() + "'); remove r.table(\"" + table + "\"), or "
                        + "make '" + base + "' polymorphic with .polymorphic() in place of .table(...)");
            } else if (target != null) {
                addTable(source, relationship.name(), target, table);
            }
        } else if (target != null && target.polymorphic() && relationship instanceof ManyToMany) {
            problem(source, relationship.name(), "points at polymorphic resource '" + base + "', which a many-to-many "
                    + "cannot reach: link through a join resource of your own with a belongsTo that names the table");
        } else if (target != null && target.polymorphic()) {
            problem(source, relationship.name(), "points at polymorphic resource '" + base + "', which has no table "
                    + "of its own: name the table its records live in with r -> r.table(\"...\")"
                    + (tables.get(base).isEmpty() ? "" : " (it has " + tables.get(base) + " so far)"));
        }
        if (relationship instanceof ManyToMany many && many.through() != null
                && polymorphic.containsKey(Resource.withoutTable(many.through()))) {
            problem(source, relationship.name(), "goes through polymorphic resource '" + many.through() + "', which "
                    + "a many-to-many cannot: link through a join resource with a table of its own");
        }
    }

    private void addTable(Resource source, String field, Resource target, String table) {
        String problem = Identifiers.problem(table);
        if (problem != null) {
            problem(source, field == null ? "polymorphic" : field, "table name '" + table + "' of polymorphic "
                    + "resource '" + target.name() + "' " + problem + "; name a shorter table");
        } else if (table.contains("/") || table.contains("\\") || table.equals(".") || table.equals("..")) {
            problem(source, field == null ? "polymorphic" : field, "table name '" + table + "' cannot contain '/' or "
                    + "'\\' or be '.' or '..', because it also names a snapshot folder");
        } else {
            tables.get(target.name()).add(table);
        }
    }

    /**
     * Each polymorphic resource has a table, none is a table another resource has too, and no index is named alike in
     * every table: an index's name is unique in its schema.
     */
    private void checkTables(Resource resource) {
        resource.identities().stream().filter(i -> i.indexName() != null).forEach(i -> problem(resource, i.name(),
                "names its index '" + i.indexName() + "', which every table of the polymorphic resource would take; "
                        + "remove indexName(...) so that each table's index is named after its table"));
        Set<String> names = tables.get(resource.name());
        if (names.isEmpty()) {
            problem(resource, null, "is polymorphic, but no relationship names a table for it and it declares none: "
                    + "give a relationship to it r -> r.table(\"...\"), or declare its tables with "
                    + ".polymorphic(\"" + resource.name() + "s\")");
        }
        for (String table : names) {
            for (Resource other : declared) {
                if (other == resource || !other.schemaOrDefault().equals(resource.schemaOrDefault())) {
                    continue;
                }
                boolean taken = other.polymorphic() ? tables.getOrDefault(other.name(), Set.of()).contains(table)
                        : table.equals(other.table());
                if (taken) {
                    problem(resource, "polymorphic", "table '" + table + "' is also a table of resource '"
                            + other.name() + "', so the two would share its columns; name another table");
                }
            }
        }
    }

    private void problem(Resource resource, String field, String message) {
        problems.add(new Problem(resource.name(), field, message));
    }
}
