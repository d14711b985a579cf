package dev.ashlar.kernel.tenant;

import java.time.Duration;

/**
 * Where a run over tenant schemas stands, reported after every schema.
 *
 * @param total the number of schemas, or -1 when the list is streamed and its length unknown
 */
public record TenantProgress(long done, long failed, long upToDate, long total, Duration elapsed) {

    /** Schemas left, or -1 when unknown. */
    public long remaining() {
        return total < 0 ? -1 : total - done - failed - upToDate;
    }

    /** Schemas handled per second so far. */
    public double rate() {
        return (done + failed + upToDate) / (Math.max(elapsed.toNanos(), 1) / 1e9);
    }
}
