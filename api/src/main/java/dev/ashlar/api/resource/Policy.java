package dev.ashlar.api.resource;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.query.Filter;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Which rows of a resource the actor a handle acts for may read, create, update and destroy (Ash's policies with
 * filter checks, Hibernate's {@code @Filter} enabled for a session), given to {@code Ashlar.builder().policies(...)}:
 *
 * <pre>{@code
 * Policy.on("document")
 *         .read(actor -> or(eq("owner_id", actor.id()), eq("public", true)))
 *         .create(actor -> eq("owner_id", actor.id()))
 *         .update(actor -> eq("owner_id", actor.id()))
 *         .destroy(actor -> eq("owner_id", actor.id()));
 * }</pre>
 *
 * Each is a function of the {@link Actor}, asked at each action. Read, update and destroy give a filter over the
 * stored rows that every statement of the action adds in SQL; an update or destroy reaches only the rows both the
 * read and its own filter allow. Create gives a condition the record being created must meet, checked on its values
 * before anything is written (comparisons, {@code in}, {@code isNil}, {@code and}, {@code or}, {@code not}). An action
 * a policy does not name is refused for every actor; {@link #EVERY_ROW} allows it on every row.
 *
 * Field policies ({@link #field}, Ash's {@code field_policies} with {@code filter_field_policy}) say, per field, on
 * which rows the actor may see its value: elsewhere every read sees it as NULL, and a returned row holds a
 * {@link dev.ashlar.api.data.ForbiddenField} in its place.
 *
 * @param resource the resource's name
 * @param read     the rows an actor may read, or null when no actor may read any
 * @param create   the condition a created record meets, or null when no actor may create one
 * @param update   the rows an actor may update, or null when no actor may update any
 * @param destroy  the rows an actor may destroy, or null when no actor may destroy any
 * @param fields   each field policy by its field, in the order given: the rows on which the actor sees its value
 */
public record Policy(String resource, Function<Actor, Filter> read, Function<Actor, Filter> create,
                     Function<Actor, Filter> update, Function<Actor, Filter> destroy,
                     Map<String, Function<Actor, Filter>> fields) {
    /** The filter {@link #EVERY_ROW} gives: it restricts nothing. */
    public static final Filter ANY_ROW = Filter.sql("TRUE");
    /** The filter of a field policy that hides the field on every row, for an actor decided from itself alone. */
    public static final Filter NO_ROW = Filter.sql("FALSE");
    /** A policy that allows its action on every row, for every actor: {@code .read(Policy.EVERY_ROW)}. */
    public static final Function<Actor, Filter> EVERY_ROW = actor -> ANY_ROW;

    public Policy {
        DefinitionException.required(resource, "resource");
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(DefinitionException.required(fields, "fields")));
    }

    /** A policy of row rules alone, with no field policy. */
    public Policy(String resource, Function<Actor, Filter> read, Function<Actor, Filter> create,
                  Function<Actor, Filter> update, Function<Actor, Filter> destroy) {
        this(resource, read, create, update, destroy, Map.of());
    }

    /** A policy for the resource that allows nothing until its actions are named. */
    public static Policy on(String resource) {
        return new Policy(resource, null, null, null, null);
    }

    /**
     * A field policy: the rows on which the actor sees the field's value, a filter over the row ({@code actor ->
     * eq("manager_id", actor.id())}) or one decided from the actor alone ({@link #ANY_ROW}, {@link #NO_ROW}).
     * Everywhere Ashlar reads the field in SQL (selected, filtered, sorted, grouped, aggregated, through a
     * relationship, copied by {@code Atomic.of}) it is NULL on the other rows, and a returned row holds a
     * {@link dev.ashlar.api.data.ForbiddenField} there. It governs reads only: writes of the field keep to the row
     * rules.
     *
     * @throws DefinitionException for a field given a field policy twice
     */
    public Policy field(String field, Function<Actor, Filter> rows) {
        DefinitionException.required(field, "field");
        if (fields.containsKey(field)) {
            throw DefinitionException.of(resource, field, "Field '" + field + "' of " + resource + " is given two "
                    + "field policies: give one Policy.on(\"" + resource + "\").field(\"" + field + "\", actor -> ...)");
        }
        Map<String, Function<Actor, Filter>> more = new LinkedHashMap<>(fields);
        more.put(field, DefinitionException.required(rows, "rows"));
        return new Policy(resource, read, create, update, destroy, more);
    }

    /** The rows an actor may read: every read, count, aggregate, load, path filter and {@code exists} keeps to them. */
    public Policy read(Function<Actor, Filter> rows) {
        return new Policy(resource, DefinitionException.required(rows, "rows"), create, update, destroy, fields);
    }

    /** The condition a record an actor creates (or an upsert inserts) must meet. */
    public Policy create(Function<Actor, Filter> condition) {
        return new Policy(resource, read, DefinitionException.required(condition, "condition"), update, destroy, fields);
    }

    /** The rows an actor may update (by key, by query, an upsert's or a merge's update of a stored row). */
    public Policy update(Function<Actor, Filter> rows) {
        return new Policy(resource, read, create, DefinitionException.required(rows, "rows"), destroy, fields);
    }

    /** The rows an actor may destroy (for real or by marking them deleted). */
    public Policy destroy(Function<Actor, Filter> rows) {
        return new Policy(resource, read, create, update, DefinitionException.required(rows, "rows"), fields);
    }
}
