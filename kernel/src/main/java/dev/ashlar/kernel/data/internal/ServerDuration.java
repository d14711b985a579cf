package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;

import java.time.Duration;

/**
 * The longest duration PostgreSQL's {@code statement_timeout} and {@code lock_timeout} hold: a whole number of
 * milliseconds that fits an {@code int}, 2,147,483,647 ms (about 24.8 days). A longer one the server refuses as an
 * invalid value for the parameter (22023), and one past a {@code long} of milliseconds cannot even be converted.
 */
public final class ServerDuration {
    /** The longest timeout the server takes. */
    public static final Duration MAX = Duration.ofMillis(Integer.MAX_VALUE);

    private ServerDuration() {
    }

    /**
     * Refuses a duration longer than {@link #MAX}.
     *
     * @param resource  the resource the call acts on, or {@code null}
     * @param call      the call as the message shows it: {@code withTimeout(PT720H)}
     * @param otherwise what to do instead, as the message ends
     * @throws QueryException when the duration is longer than the server holds
     */
    public static void refuseLonger(Duration duration, String resource, String call, String otherwise) {
        if (duration.compareTo(MAX) > 0) {
            throw QueryException.of(resource, null, call + ": PostgreSQL holds a timeout of at most "
                    + MAX.toMillis() + " ms (about 24 days), got " + duration + "; give a shorter one, or "
                    + otherwise);
        }
    }
}
