package dev.ashlar.spi.plugin;

import dev.ashlar.api.query.Operation;
import dev.ashlar.api.resource.Resource;

import java.util.Optional;

/**
 * Names the data source that serves an operation on a resource (the guide's
 * {@code fn resource, :read | :mutate -> repo}). A plugin implements it directly, or the object its
 * {@link RuntimeParticipant#start} returns does, when routing needs state of one {@code Ashlar}.
 *
 * <p>The kernel asks before every mutation (also inside a transaction) and before every read outside
 * a transaction that takes no row lock; the others run on the primary without asking. A mutation must
 * be answered with nothing or {@link Replication#PRIMARY}: the kernel refuses any other name before
 * sending the statement.
 */
public interface Router {

    /** The data source's name, or empty to leave the choice to others or the primary. */
    Optional<String> route(Resource resource, Operation operation);

    /**
     * The data source for a read of a relationship's records that one read loads on its rows, asked instead of
     * {@link #route} for each load after the first read of that call ({@code ashlar.read(...).load(...)}, or the
     * first load of {@code ashlar.load(rows, ...)}), which went to {@code first}. A router that picks any of several
     * replicas answers {@code first} when it would pick any, so that a read and its loads see one server's state
     * rather than the parents on one replica and the children on another that lags differently.
     *
     * @param first the data source the first read of the call went to; {@link Replication#PRIMARY} for the primary
     * @return by default what {@link #route} answers for a read of the resource
     */
    default Optional<String> routeLoad(Resource resource, String first) {
        return route(resource, Operation.READ);
    }
}
