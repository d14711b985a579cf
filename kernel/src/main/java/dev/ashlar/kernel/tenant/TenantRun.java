package dev.ashlar.kernel.tenant;

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

    TenantReport report() {
        return new TenantReport(done.get(), upToDate.get(), failed.get(), new ArrayList<>(failures),
                Duration.ofNanos(System.nanoTime() - start));
    }

    private TenantProgress snapshot() {
        return new TenantProgress(done.get(), failed.get(), upToDate.get(), total,
                Duration.ofNanos(System.nanoTime() - start));
    }
}
