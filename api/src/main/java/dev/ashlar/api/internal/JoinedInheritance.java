package dev.ashlar.api.internal;

import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Attribute;
import dev.ashlar.api.resource.BaseFilter;
import dev.ashlar.api.resource.Extending;
import dev.ashlar.api.resource.Identity;
import dev.ashlar.api.resource.Relationship;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.TableOptions;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.api.sql.Names;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Joined inheritance when a domain is built ({@code extending(parent)}, Hibernate's {@code InheritanceType.JOINED}):
 * a child resource takes its parent's attributes and relationships before its own, and, once the parent's belongs-to
 * keys are known, the parent's table and the columns stored there; every declaration it cannot honour is a problem
 * naming the child and the fix.
 */
final class JoinedInheritance {
    private JoinedInheritance() {
    }

    /**
     * Gives each child its parent's attributes and relationships, as declared; reports what cannot be extended. A
     * parent comes before its children, so that in a chain each child takes what its parent took from its own.
     */
    static void inherit(Map<String, Resource> byName, List<Problem> problems) {
        for (Resource declared : parentsFirst(byName)) {
            Resource child = byName.get(declared.name());
            Extending extending = child.tableOptions().extending();
            if (extending == null) {
                continue;
            }
            Resource parent = byName.get(extending.parent());
            String refusal = refusal(child, parent, byName);
            if (refusal != null) {
                problems.add(new Problem(child.name(), "extending", "resource '" + child.name() + "' extends '"
                        + extending.parent() + "', " + refusal));
                continue;
            }
            List<Attribute> attributes = new ArrayList<>(parent.attributes());
            List<Relationship> relationships = new ArrayList<>(parent.relationships());
            Set<String> inherited = new LinkedHashSet<>();
            parent.attributes().forEach(a -> inherited.add(a.name()));
            parent.relationships().forEach(r -> inherited.add(r.name()));
            for (Attribute own : child.attributes()) {
                if (inherited.contains(own.name())) {
                    problems.add(new Problem(child.name(), own.name(), "resource '" + child.name() + "' declares '"
                            + own.name() + "', which it inherits from '" + parent.name() + "': rename it, or leave it "
                            + "to the parent"));
                    continue;
                } else if (own.primaryKey()) {
                    problems.add(new Problem(child.name(), own.name(), "resource '" + child.name() + "' declares the "
                            + "primary key '" + own.name() + "', but its key is the one of '" + parent.name()
                            + "' it extends: remove it (or make it a plain attribute)"));
                }
                attributes.add(own);
            }
            for (Relationship own : child.relationships()) {
                if (inherited.contains(own.name())) {
                    problems.add(new Problem(child.name(), own.name(), "resource '" + child.name() + "' declares the "
                            + "relationship '" + own.name() + "', a name it inherits from '" + parent.name()
                            + "': rename it"));
                    continue;
                }
                relationships.add(own);
            }
            for (dev.ashlar.api.resource.Identity identity : child.identities()) {
                identity.fields().stream().filter(f -> inherited.contains(f) && parent.attribute(f)
                        .filter(a -> !a.primaryKey()).isPresent()).findFirst().ifPresent(f -> problems.add(
                        new Problem(child.name(), identity.name(), "resource '" + child.name() + "' has the identity '"
                                + identity.name() + "' over '" + f + "', which is stored in the table of '"
                                + parent.name() + "', and a unique index covers one table: declare it on '"
                                + parent.name() + "'")));
            }
            if (child.optimisticLock() != null && parent.optimisticLock() != null) {
                problems.add(new Problem(child.name(), child.optimisticLock(), "resource '" + child.name()
                        + "' versions its records by '" + child.optimisticLock() + "', but '" + parent.name()
                        + "' it extends versions them by '" + parent.optimisticLock() + "', and a write through one "
                        + "would not count the other's version: remove optimisticLock(\"" + child.optimisticLock()
                        + "\") from '" + child.name() + "' (it takes the parent's)"));
            }
            attributes.stream().map(JoinedInheritance::unwritable).filter(java.util.Objects::nonNull)
                    .forEach(a -> problems.add(new Problem(child.name(), a.name(), "resource '" + child.name()
                            + "' writes '" + a.name() + "' across two tables with statements that bind its value as "
                            + "given, which " + (a.expressions().write() != null ? "its writeAs(...) would not wrap"
                            : "its GENERATED ALWAYS column would refuse") + ": remove " + (a.expressions().write()
                            != null ? "writeAs(...) (convert the value in Java with a converter)"
                            : "the generated column (compute it in a read, with readAs(...) or a calculation)")
                            + ", or do not extend '" + parent.name() + "'")));
            String key = Names.foreignKey(child.table(), String.join("_", parent.primaryKey().stream()
                    .map(Attribute::columnName).toList()));
            if (child.table() != null && Identifiers.problem(key) != null) {
                problems.add(new Problem(child.name(), "table", "resource '" + child.name() + "' extends '"
                        + parent.name() + "' by the foreign key " + key + ", whose name " + Identifiers.problem(key)
                        + ": give the child a shorter table name with .table(...)"));
            }
            byName.put(child.name(), withParentsWriteOptions(child.withAttributesAndRelationships(attributes,
                    relationships), parent));
        }
    }

    /**
     * The parent's version, authorship and soft delete, where the child declares none of its own, and the parent's
     * base filter (its soft delete's hiding included) always, ANDed with the child's own: a child's record is a
     * parent's record, versioned, authored, destroyed and hidden as the parent's are.
     */
    private static Resource withParentsWriteOptions(Resource child, Resource parent) {
        boolean ownSoftDelete = child.softDelete() != null;
        return new Resource(child.name(), child.table(), child.schema(), child.attributes(),
                ownTableIdentities(child, parent),
                child.relationships(), child.extensions(), child.tableOptions(), child.knownConstraints(),
                both(parent.baseFilter(), child.baseFilter()), child.aggregates(),
                child.calculations(), child.optimisticLock() != null ? child.optimisticLock() : parent.optimisticLock(),
                child.authorship() != null ? child.authorship() : parent.authorship(),
                ownSoftDelete ? child.softDelete() : parent.softDelete(),
                ownSoftDelete ? child.softDeleteClears() : parent.softDeleteClears());
    }

    /**
     * The child's identities, each index kept to the child's table: the parent's base filter (its soft delete's
     * hiding) names the parent's columns, which a unique index on the child's table cannot, so under such a parent an
     * identity's predicate is the child's own base filter and its own {@code where}, nothing of the parent's.
     */
    private static List<Identity> ownTableIdentities(Resource child, Resource parent) {
        if (parent.baseFilter() == null) {
            return child.identities();
        }
        String own = child.baseFilter() == null ? null : child.baseFilter().sql();
        return child.identities().stream().map(identity -> identity.ignoreBaseFilter() ? identity
                : new Identity(identity.name(), identity.fields(), identity.message(), identity.allTenants(),
                        own == null || identity.where() == null ? (own == null ? identity.where() : own)
                                : "(" + own + ") AND (" + identity.where() + ")",
                        identity.nullsDistinct(), identity.indexName(), identity.skipIndex(), true,
                        identity.errorField())).toList();
    }

    /** The rows both base filters keep; both name columns of the joined sub-select a child is read from. */
    private static BaseFilter both(BaseFilter parent, BaseFilter child) {
        return parent == null || child == null ? (parent == null ? child : parent)
                : new BaseFilter("(" + parent.sql() + ") AND (" + child.sql() + ")",
                Filter.and(parent.filter(), child.filter()));
    }

    /**
     * The attribute when the joined statements cannot write it as the data layer's own would, else null: a
     * {@code writeAs(...)} expression, or a column the database computes ({@code GENERATED ALWAYS AS (...)} in its
     * migration type), which takes no value, not even a null.
     */
    private static Attribute unwritable(Attribute attribute) {
        String type = attribute.column().migrationType();
        boolean computed = type != null && type.toUpperCase(java.util.Locale.ROOT).matches("(?s).*\\bGENERATED\\s+ALWAYS\\b.*");
        return attribute.expressions().write() != null || computed ? attribute : null;
    }

    /** Records in each child the parent's table and the columns stored there, the parent's belongs-to keys included. */
    static void resolveParents(Map<String, Resource> byName) {
        for (Resource declared : parentsFirst(byName)) {
            Resource child = byName.get(declared.name());
            Extending extending = child.tableOptions().extending();
            Resource parent = extending == null ? null : byName.get(extending.parent());
            if (parent == null) {
                continue;
            }
            TableOptions options = child.tableOptions().withExtending(new Extending(parent.name(), parent.table(),
                    parent.schema(), parent.attributes().stream().map(Attribute::columnName).toList(),
                    parent.tableOptions().extending()));
            byName.put(child.name(), new Resource(child.name(), child.table(), child.schema(), child.attributes(),
                    child.identities(), child.relationships(), child.extensions(), options, child.knownConstraints(),
                    child.baseFilter(), child.aggregates(), child.calculations(), child.optimisticLock(),
                    child.authorship(), child.softDelete(), child.softDeleteClears()));
        }
    }

    /** Why the child cannot extend the parent, or null when it can. */
    private static String refusal(Resource child, Resource parent, Map<String, Resource> byName) {
        String name = child.tableOptions().extending().parent();
        if (parent == null) {
            return "which is not in the domain: add it with .resource(...) or fix the name (known: "
                    + byName.keySet() + ")";
        }
        if (cycle(child, byName)) {
            return "and the chain of extending(...) " + chain(child, byName) + " comes back to '" + child.name()
                    + "': a record cannot extend itself; remove one extending(...)";
        }
        if (parent.primaryKey().isEmpty()) {
            return "which has no primary key, by which the child's row joins the parent's: declare one on '" + name
                    + "' (primaryKey(...))";
        }
        if (child.polymorphic() || parent.polymorphic()) {
            return "and a polymorphic resource has no table of its own to extend or join: remove polymorphic(...) or "
                    + "extending(...)";
        }
        if (child.tableOptions().writeStatements() != null) {
            return "whose writes are the two tables' own statements: remove createSql/updateSql/destroySql";
        }
        String refusesWrites = parent.tableOptions().readOnly() ? "readOnly()"
                : parent.tableOptions().liveWritesRefused() ? "refuseLiveWrites()" : null;
        if (refusesWrites != null && !child.tableOptions().readOnly()) {
            return "which " + (parent.tableOptions().readOnly() ? "is readOnly()" : "refuses live writes "
                    + "(refuseLiveWrites())") + " and takes no write of its table '" + parent.table() + "', while "
                    + "every create, update and destroy of '" + child.name() + "' writes it: declare '" + child.name()
                    + "' readOnly() too, remove " + refusesWrites + " from '" + name + "', or do not extend it";
        }
        if (child.tableOptions().history() || child.tableOptions().draftable()) {
            return "and history() and draftable(...) follow one table, not a record stored in two: remove them";
        }
        if (child.tableOptions().discriminator() != null) {
            return "and a record stored in a table of its own needs no discriminator(...): remove it";
        }
        for (Resource above = parent; above != null; above = above.tableOptions().extending() == null ? null
                : byName.get(above.tableOptions().extending().parent())) {
            if (child.table() != null && child.table().equals(above.table())
                    && java.util.Objects.equals(child.schema(), above.schema())) {
                return "and '" + child.name() + "' and '" + above.name() + "' are both stored in table '"
                        + child.table() + "': give the child a table of its own with .table(...)";
            }
        }
        return null;
    }

    /** The resources, each parent before the resources extending it (a chain's root first); a loop in no order. */
    private static List<Resource> parentsFirst(Map<String, Resource> byName) {
        List<Resource> resources = new ArrayList<>(byName.values());
        resources.sort(java.util.Comparator.comparingInt(r -> depth(r, byName)));
        return resources;
    }

    /** How many resources a resource extends, up its chain; a loop counts each resource once. */
    private static int depth(Resource resource, Map<String, Resource> byName) {
        Set<String> seen = new LinkedHashSet<>();
        Resource at = resource;
        while (at != null && at.tableOptions().extending() != null && seen.add(at.name())) {
            at = byName.get(at.tableOptions().extending().parent());
        }
        return seen.size();
    }

    /** The names up the chain of extending(...) from the child, for a message: {@code 'a' -> 'b' -> 'a'}. */
    private static String chain(Resource child, Map<String, Resource> byName) {
        List<String> names = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        Resource at = child;
        while (at != null && seen.add(at.name())) {
            names.add("'" + at.name() + "'");
            at = at.tableOptions().extending() == null ? null : byName.get(at.tableOptions().extending().parent());
        }
        if (at != null) {
            names.add("'" + at.name() + "'");
        }
        return String.join(" -> ", names);
    }

    private static boolean cycle(Resource child, Map<String, Resource> byName) {
        Set<String> seen = new LinkedHashSet<>();
        Resource at = child;
        while (at != null && at.tableOptions().extending() != null && seen.add(at.name())) {
            at = byName.get(at.tableOptions().extending().parent());
        }
        return at != null && at.name().equals(child.name());
    }
}
