package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.ForbiddenException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Actor;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Extending;
import dev.ashlar.api.resource.HasMany;
import dev.ashlar.api.resource.ManyToMany;
import dev.ashlar.api.resource.Policy;
import dev.ashlar.api.resource.Relationship;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.spi.plugin.Action;

import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The policies given to {@code Ashlar.builder().policies(...)}, turned into what each action adds: the filter over
 * the stored rows a read, update or destroy keeps to, and the check of the records a create writes. A resource with
 * no policy is untouched; one with a policy refuses every action of a handle that acts for no actor, unless the
 * handle bypasses policies ({@code ashlar.bypassPolicies()}).
 */
public final class Policies {
    public static final Policies NONE = new Policies(Map.of());

    private final Map<String, Policy> byResource;

    /** @param byResource each policy by the name of its resource */
    public Policies(Map<String, Policy> byResource) {
        this.byResource = Map.copyOf(byResource);
    }

    /**
     * The policies given, with each child of joined inheritance ({@code extending(parent)}) kept to its parent's
     * policy too: a child's record is a parent's row, which no read or write through the child may reach more widely
     * than through the parent. A child with no policy takes the parent's; one with its own takes both, each action's
     * rows ANDed and each field hidden where either hides it.
     *
     * @param byResource each policy by the name of its resource
     */
    public static Policies inheriting(Map<String, Policy> byResource, Domain domain) {
        Map<String, Policy> effective = new HashMap<>(byResource);
        // Root first, so that in a chain each child takes its parent's policy as the parent took its own parent's.
        List<Resource> parentsFirst = domain.resources().stream().sorted(Comparator.comparingInt(r ->
                r.tableOptions().extending() == null ? 0 : r.tableOptions().extending().ancestors().size())).toList();
        for (Resource child : parentsFirst) {
            Extending extending = child.tableOptions().extending();
            Policy parent = extending == null ? null : effective.get(extending.parent());
            if (parent != null) {
                Policy own = byResource.getOrDefault(child.name(), new Policy(child.name(), parent.read(),
                        parent.create(), parent.update(), parent.destroy()));
                Map<String, Function<Actor, Filter>> fields = new LinkedHashMap<>(parent.fields());
                own.fields().forEach((field, rows) -> fields.merge(field, rows, Policies::both));
                effective.put(child.name(), new Policy(child.name(), both(parent.read(), own.read()),
                        both(parent.create(), own.create()), both(parent.update(), own.update()),
                        both(parent.destroy(), own.destroy()), fields));
            }
        }
        return new Policies(effective);
    }

    /** Both rules, null (no actor allowed) when either is; a filter either gives no actor is left to be refused. */
    private static Function<Actor, Filter> both(Function<Actor, Filter> first, Function<Actor, Filter> second) {
        if (first == null || second == null) {
            return null;
        }
        return first == second ? first : actor -> {
            Filter one = first.apply(actor);
            Filter other = second.apply(actor);
            return one == null || other == null ? null : one.equals(Policy.ANY_ROW) ? other
                    : other.equals(Policy.ANY_ROW) ? one : Filter.and(one, other);
        };
    }

    /**
     * The filter the rows an action reaches must meet, or null when nothing restricts them: an update, upsert or
     * destroy keeps to the rows the actor may both read and change.
     *
     * @param resource the resource's name, its drafts' ({@code post@posts_draft}) keeping to its own policy
     * @throws ForbiddenException when the handle acts for no actor, or the policy allows no actor the action
     */
    Filter rows(String resource, Action action, String tenant) {
        Policy policy = policy(resource);
        if (policy == null) {
            return null;
        }
        Actor actor = actor(policy, action, tenant);
        if (actor == null || action == Action.CREATE) {
            return null;
        }
        Filter read = asked(policy, "read", policy.read(), action, actor);
        return switch (action) {
            case READ -> read;
            case UPDATE, UPSERT -> both(read, asked(policy, "update", policy.update(), action, actor));
            case DESTROY -> both(read, asked(policy, "destroy", policy.destroy(), action, actor));
            case CREATE -> null;
        };
    }

    /**
     * Whether the resource's policy lets this thread read none of its records: it needs an actor and the handle acts
     * for none, or it names no read rule. A polymorphic read keeps such a child's records as its parent's rows.
     */
    boolean hidesEveryRecord(String resource) {
        Policy policy = policy(resource);
        return policy != null && !Acting.bypassesPolicies() && (Acting.currentUser() == null || policy.read() == null);
    }

    /**
     * Refuses, before anything is written, a record that does not meet the create policy: a create's, a bulk
     * create's, the records an upsert or a merge may insert.
     */
    void checkCreated(String resource, Action action, String tenant, List<? extends Map<String, ?>> records) {
        Policy policy = policy(resource);
        Actor actor = policy == null ? null : actor(policy, action, tenant);
        if (actor == null) {
            return;
        }
        Filter condition = asked(policy, "create", policy.create(), action, actor);
        for (Map<String, ?> record : records) {
            if (RecordCheck.of(condition, record, policy.resource(), false) == RecordCheck.Result.FALSE) {
                throw new ForbiddenException(policy.resource(), action.toString(), "create", "Cannot " + action + " "
                        + policy.resource() + ": the record does not meet its create policy for actor " + actor.id()
                        + " (" + condition + "), so nothing was written");
            }
        }
    }

    /**
     * Refuses changes an update writes that the create policy refuses, where they name its fields: an actor may not
     * hand a row it may change to another owner.
     */
    void checkChanges(String resource, Action action, String tenant, Map<String, ?> changes) {
        Policy policy = policy(resource);
        Actor actor = policy == null || policy.create() == null ? null : actor(policy, action, tenant);
        if (actor == null) {
            return;
        }
        Filter condition = policy.create().apply(actor);
        if (condition != null && RecordCheck.of(condition, changes, policy.resource(), true) == RecordCheck.Result.FALSE) {
            throw new ForbiddenException(policy.resource(), action.toString(), "create", "Cannot " + action + " "
                    + policy.resource() + ": the changes " + changes.keySet() + " give the record values its create "
                    + "policy refuses for actor " + actor.id() + " (" + condition + "), so nothing was changed");
        }
    }

    /**
     * Refuses a field policy no read could keep to: one naming a field the resource lacks, or a key the data layer
     * reads rows by (the primary key, a tenant column): loads, updates by key and tenants' scopes need their values.
     *
     * @param tenantColumns the tenant columns of a resource
     * @throws DefinitionException naming the resource and the field
     */
    void checkFields(Domain domain, Function<Resource, List<String>> tenantColumns, String versionField) {
        Map<String, Set<String>> linking = linkingAttributes(domain);
        for (Policy policy : byResource.values()) {
            Resource resource = domain.resource(policy.resource());
            for (String field : policy.fields().keySet()) {
                String refused = resource.attribute(field).isEmpty() ? "names no attribute of it"
                        : resource.primaryKey().isEmpty() ? "is of a resource without a primary key, whose rows a "
                        + "masked read could not name"
                        : resource.primaryKey().stream().anyMatch(a -> a.name().equals(field)) ? "is its primary key"
                        : tenantColumns.apply(resource).contains(field) ? "is its tenant attribute"
                        : linking.getOrDefault(resource.name(), Set.of()).contains(field)
                        ? "links it to related records (a relationship's key or position)"
                        : field.equals(resource.optimisticLock() == null ? versionField : resource.optimisticLock())
                        ? "versions its records" : null;
                if (refused != null) {
                    throw DefinitionException.of(policy.resource(), field, "The field policy of '" + field + "' on "
                            + policy.resource() + " cannot be kept: '" + field + "' " + refused + ". Keys, tenant "
                            + "attributes, relationships' attributes and versions stay readable (rows are loaded, "
                            + "scoped, related and written by them); give field policies to other attributes");
                }
            }
        }
    }

    /** By resource, the attributes its relationships or others' relationships to it link records by. */
    private static Map<String, Set<String>> linkingAttributes(Domain domain) {
        Map<String, Set<String>> linking = new HashMap<>();
        BiConsumer<String, String> add = (resource, attribute) -> {
            if (attribute != null) {
                linking.computeIfAbsent(resource, name -> new HashSet<>()).add(attribute);
            }
        };
        for (Resource resource : domain.resources()) {
            for (Relationship relationship : resource.relationships()) {
                if (!relationship.noAttributes()) {
                    add.accept(resource.name(), relationship.sourceAttribute());
                    add.accept(relationship.destination(), relationship.destinationAttribute());
                }
                if (relationship instanceof ManyToMany manyToMany) {
                    add.accept(manyToMany.through(), manyToMany.sourceAttributeOnJoin());
                    add.accept(manyToMany.through(), manyToMany.destinationAttributeOnJoin());
                }
                if (relationship instanceof HasMany hasMany) {
                    add.accept(hasMany.destination(), hasMany.orderAttribute());
                }
            }
        }
        return linking;
    }

    /**
     * The field policies of every resource that has some, for the actor of the action on this thread: each hidden
     * field's filter, the rows on which the actor sees its value ({@link Policy#NO_ROW} for none). Fields the actor
     * sees on every row are left out; empty when the action bypasses policies. A handle acting for no actor sees no
     * hidden field (its row rules refuse it anyway).
     */
    Map<String, Map<String, Filter>> masks(String tenant) {
        if (Acting.bypassesPolicies()) {
            return Map.of();
        }
        Map<String, Map<String, Filter>> masks = null;   // made for the first hidden field: most domains have none
        for (Policy policy : byResource.values()) {
            if (policy.fields().isEmpty()) {
                continue;
            }
            Object user = Acting.currentUser();
            Actor actor = user == null ? null : new Actor(user, tenant);
            Map<String, Filter> hidden = new LinkedHashMap<>();
            policy.fields().forEach((field, rule) -> {
                Filter rows = actor == null ? Policy.NO_ROW : rule.apply(actor);
                if (rows == null) {
                    throw new ForbiddenException(policy.resource(), "read", "field " + field, "Cannot read "
                            + policy.resource() + ": the field policy of '" + field + "' gave no filter for actor "
                            + actor.id() + "; return Policy.ANY_ROW or Policy.NO_ROW");
                }
                if (!rows.equals(Policy.ANY_ROW)) {
                    hidden.put(field, rows);
                }
            });
            if (!hidden.isEmpty()) {
                masks = masks == null ? new HashMap<>() : masks;
                masks.put(policy.resource(), hidden);
            }
        }
        return masks == null ? Map.of() : masks;
    }

    private Policy policy(String resource) {
        if (byResource.isEmpty()) {
            return null;
        }
        int drafts = resource.indexOf('@');
        return byResource.get(drafts < 0 ? resource : resource.substring(0, drafts));
    }

    /** The actor of the action on this thread, null when it bypasses policies; refused when there is none. */
    private static Actor actor(Policy policy, Action action, String tenant) {
        if (Acting.bypassesPolicies()) {
            return null;
        }
        Object user = Acting.currentUser();
        if (user == null) {
            throw new ForbiddenException(policy.resource(), action.toString(), "actor", "Cannot " + action + " "
                    + policy.resource() + ": its policies need an actor and this handle acts for none. Name one with "
                    + "ashlar.withUser(user) (or Ashlar.builder().currentUser(...)); a trusted job that must reach "
                    + "every row uses ashlar.bypassPolicies()");
        }
        return new Actor(user, tenant);
    }

    private static Filter asked(Policy policy, String name, Function<Actor, Filter> rule, Action action, Actor actor) {
        if (rule == null) {
            throw new ForbiddenException(policy.resource(), action.toString(), name, "Cannot " + action + " "
                    + policy.resource() + ": its policy names no " + name + " rule, so no actor may " + name + " it. "
                    + "Give one with Policy.on(\"" + policy.resource() + "\")." + name + "(actor -> ...), or "
                    + name + "(Policy.EVERY_ROW)");
        }
        Filter filter = rule.apply(actor);
        if (filter == null) {
            throw new ForbiddenException(policy.resource(), action.toString(), name, "Cannot " + action + " "
                    + policy.resource() + ": its " + name + " policy gave no filter for actor " + actor.id()
                    + "; return Policy.ANY_ROW to allow every row");
        }
        return filter.equals(Policy.ANY_ROW) && !name.equals("create") ? null : filter;
    }

    private static Filter both(Filter read, Filter change) {
        return read == null ? change : change == null ? read : Filter.and(read, change);
    }
}
