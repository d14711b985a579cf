package dev.ashlar.spi.plugin;

/**
 * Takes part in the life of each {@code Ashlar} that uses the plugin: {@link #start} is called once
 * when one is built, and what it returns holds that {@code Ashlar}'s state (threads, health, caches)
 * and is closed when that {@code Ashlar} closes, so one plugin instance can serve several. If the
 * returned object also implements {@link Router}, the kernel routes through it.
 *
 * <p>Participants start in plugin order and close in reverse; when one fails to start, those
 * already started are closed before the failure is reported.
 */
public interface RuntimeParticipant {

    /**
     * Starts this plugin's part in one {@code Ashlar}.
     *
     * @param replication the kernel's view of that {@code Ashlar}'s data sources
     * @return the state to close when that {@code Ashlar} closes
     */
    AutoCloseable start(Replication replication);
}
