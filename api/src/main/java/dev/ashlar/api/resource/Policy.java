package dev.ashlar.api.resource;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.query.Filter;

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
 * @param resource the resource's name
 * @param read     the rows an actor may read, or null when no actor may read any
 * @param create   the condition a created record meets, or null when no actor may create one
 * @param update   the rows an actor may update, or null when no actor may update any
 * @param destroy  the rows an actor may destroy, or null when no actor may destroy any
 */
public record Policy(String resource, Function<Actor, Filter> read, Function<Actor, Filter> create,
                     Function<Actor, Filter> update, Function<Actor, Filter> destroy) {
    /** The filter {@link #EVERY_ROW} gives: it restricts nothing. */
    public static final Filter ANY_ROW = Filter.sql("TRUE");
    /** A policy that allows its action on every row, for every actor: {@code .read(Policy.EVERY_ROW)}. */
    public static final Function<Actor, Filter> EVERY_ROW = actor -> ANY_ROW;

    public Policy {
        DefinitionException.required(resource, "resource");
    }

    /** A policy for the resource that allows nothing until its actions are named. */
    public static Policy on(String resource) {
        return new Policy(resource, null, null, null, null);
    }

    /** The rows an actor may read: every read, count, aggregate, load, path filter and {@code exists} keeps to them. */
    public Policy read(Function<Actor, Filter> rows) {
        return new Policy(resource, DefinitionException.required(rows, "rows"), create, update, destroy);
    }

    /** The condition a record an actor creates (or an upsert inserts) must meet. */
    public Policy create(Function<Actor, Filter> condition) {
        return new Policy(resource, read, DefinitionException.required(condition, "condition"), update, destroy);
    }

    /** The rows an actor may update (by key, by query, an upsert's or a merge's update of a stored row). */
    public Policy update(Function<Actor, Filter> rows) {
        return new Policy(resource, read, create, DefinitionException.required(rows, "rows"), destroy);
    }

    /** The rows an actor may destroy (for real or by marking them deleted). */
    public Policy destroy(Function<Actor, Filter> rows) {
        return new Policy(resource, read, create, update, DefinitionException.required(rows, "rows"));
    }
}
