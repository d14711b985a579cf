package dev.ashlar.kernel;

import dev.ashlar.api.error.QueryException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Reads run on another thread ({@link Read#async}, Ebean's {@code findFutureList} and {@code findFutureCount}). The read
 * carries its tenant, actor, timeout and lock wait, so the thread that runs it needs nothing of the caller's; only a
 * transaction stays on the thread that opened it, so an async read inside one is refused.
 */
final class AsyncReads {
    /** How many reads the default executor runs at once; the others wait in its queue, in the order given. */
    static final int DEFAULT_THREADS = 16;

    /**
     * The executor when none is given: at most {@link #DEFAULT_THREADS} daemon threads, made as reads need them and gone
     * after a minute idle, so a burst of async reads queues rather than starting a thread for each. Not the common
     * fork-join pool, whose few threads a read blocked on the server would hold.
     */
    static final ExecutorService DEFAULT = defaultExecutor();

    private AsyncReads() {
    }

    private static ExecutorService defaultExecutor() {
        AtomicInteger threads = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(DEFAULT_THREADS, DEFAULT_THREADS, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "ashlar-async-read-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    /**
     * The read's result, or its exception, completing the future. A future cancelled before the executor starts the
     * read never runs it; one cancelled while it runs completes at once, and the statement runs to its end (or to the
     * handle's {@code withTimeout}), as a {@link CompletableFuture} does not interrupt its work.
     */
    static <T> CompletableFuture<T> run(String resource, boolean inTransaction, Supplier<T> read, Executor executor) {
        QueryException.required(executor, "executor");
        if (inTransaction) {
            throw QueryException.of(resource, null, "an async read of " + resource + " inside a transaction is "
                    + "refused: it would run on another thread, outside the transaction and without its uncommitted "
                    + "writes; read synchronously inside it, or start the async read after the transaction");
        }
        CompletableFuture<T> future = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                if (future.isDone()) {
                    return;
                }
                try {
                    future.complete(read.get());
                } catch (Throwable e) {
                    future.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            throw QueryException.of(resource, null, "an async read of " + resource + " was refused by its executor ("
                    + e.getMessage() + "): give an executor that is not shut down or full", e);
        }
        return future;
    }
}
