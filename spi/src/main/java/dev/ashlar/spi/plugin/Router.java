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
}
