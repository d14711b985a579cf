package dev.ashlar.kernel.tenant;

import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.kernel.migrate.MigrationException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** The counters of one run over the tenant schemas, shared by the worker threads. */
final class TenantRun {
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong upToDate = new AtomicLong();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicLong stoppedByLoss = new AtomicLong();
    private final AtomicLong notStarted = new AtomicLong();
    private volatile boolean lockLost;
    private volatile TenantReport.Failure firstStopped;
    private final Queue<TenantReport.Failure> failures = new ConcurrentLinkedQueue<>();
    private final long total;
    private final long start;
    private final boolean failFast;
    private final Consumer<TenantProgress> progress;

    TenantRun(long total, long start, boolean failFast, Consumer<TenantProgress> progress) {
        this.total = total;
        this.start = start;
        this.failFast = failFast;
        this.progress = progress;
    }

    boolean stopped() {
        return stopped.get();
    }

    // A change and the progress it reports are one step, so that workers finishing at once report counts in order: a
    // sink that keeps the last report (a gauge, the progress bar) never ends on an older count than the run's.

    synchronized void succeed() {
        done.incrementAndGet();
        progress.accept(snapshot());
    }

    synchronized void skip(long count) {
        if (count > 0) {
            upToDate.addAndGet(count);
            progress.accept(snapshot());
        }
    }

    synchronized void fail(String schema, String message) {
        if (failed.incrementAndGet() <= TenantMigrator.KEPT_FAILURES) {
            failures.add(new TenantReport.Failure(schema, message));
        }
        if (failFast) {
            stopped.set(true);
        }
        progress.accept(snapshot());
    }

    /**
     * The run's lock session ended: no further schema starts. {@code schema}, when given, was stopped by it, its
     * file rolled back.
     */
    synchronized void loseLock(String schema, String message) {
        lockLost = true;
        stopped.set(true);
        if (schema != null) {
            stoppedByLoss.incrementAndGet();
            if (firstStopped == null) {
                firstStopped = new TenantReport.Failure(schema, message);
            }
        }
        progress.accept(snapshot());
    }

    boolean lockLost() {
        return lockLost;
    }

    /** Schemas left without being started once the lock was lost. */
    void notStarted(long count) {
        notStarted.addAndGet(count);
    }

    /** The one error a run that lost its lock ends with, counting what it did and did not do. */
    MigrationException lockLostError() {
        TenantReport.Failure first = failures.peek();
        return new MigrationException(ErrorCode.MIGRATION, "Stopped: the tenant migration lock was lost (its database "
                + "session ended), so another migrator may be running now, and no further schema was started. "
                + done.get() + " schema(s) migrated, " + upToDate.get() + " up to date, " + stoppedByLoss.get()
                + " stopped with the file in progress, " + notStarted.get() + " not started"
                + (failed.get() == 0 ? "" : ", " + failed.get() + " failed before (the first, " + first.schema() + ": "
                + first.message() + ")") + ". The tenant registry holds the files that committed. "
                + (firstStopped == null ? "" : "The first schema stopped, " + firstStopped.schema() + ": "
                + firstStopped.message() + " ") + "Run migrate --tenants again: it waits for the other migrator "
                + "and applies what is left.", null);
    }

    TenantReport report() {
        return new TenantReport(done.get(), upToDate.get(), failed.get(), new ArrayList<>(failures),
                Duration.ofNanos(System.nanoTime() - start));
    }

    private TenantProgress snapshot() {
        return new TenantProgress(done.get(), failed.get(), upToDate.get(), total,
                Duration.ofNanos(System.nanoTime() - start));
    }
}
