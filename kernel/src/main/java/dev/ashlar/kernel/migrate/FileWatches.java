package dev.ashlar.kernel.migrate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One daemon thread that looks at the watches of the files running now ({@link InterruptWatch}, {@link LockWatch}).
 * A file's watch is added to a set when it starts and removed when it ends: nothing is scheduled or cancelled per file,
 * and no thread is woken for a file of a tenant run while the thread ticks anyway. The thread wakes at the earliest
 * time one of the watches asks for, at the latest every {@link #TICK_MILLIS} ms while there are any; after a second
 * with none it sleeps until one is added.
 */
final class FileWatches {
    /** What {@link Watch#look} gives back for a watch with no time of its own: it is looked at every tick. */
    static final long NO_TIME = Long.MAX_VALUE;
    static final long TICK_MILLIS = 100;
    private static final Logger LOG = LoggerFactory.getLogger(FileWatches.class);
    private static final long TICK = TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
    private static final int IDLE_TICKS = 10;
    /** {@link #wakeAt} while the thread walks the watches: a watch added then wakes it again. */
    private static final long WALKING = Long.MIN_VALUE;
    /** {@link #wakeAt} while the thread sleeps with no watch: the next one added wakes it. */
    private static final long IDLE = Long.MAX_VALUE;

    private static final Set<Watch> RUNNING = ConcurrentHashMap.newKeySet();
    private static volatile long wakeAt = WALKING;
    private static volatile Thread thread;

    private FileWatches() {
    }

    /** What the thread looks at while a file runs. */
    abstract static class Watch {
        /**
         * Looks at the file, which is still running; called on the watches' thread, so it must not wait.
         *
         * @return when (in {@link System#nanoTime()}) to be looked at again at the latest, or {@link #NO_TIME}
         */
        abstract long look(long now);
    }

    /** Starts looking at {@code watch}, first by {@code due} ({@link System#nanoTime()}) at the latest. */
    static void add(Watch watch, long due) {
        RUNNING.add(watch);
        if (thread == null) {
            started();
        }
        wakeBy(due);
    }

    static void remove(Watch watch) {
        RUNNING.remove(watch);
    }

    /** Wakes the thread should {@code due} be earlier than it planned to wake (a watch's next time, set later). */
    static void wakeBy(long due) {
        long planned = wakeAt;
        if (planned == WALKING || planned == IDLE || due - planned < 0) {
            LockSupport.unpark(thread);
        }
    }

    private static synchronized void started() {
        if (thread == null) {
            Thread ticker = new Thread(FileWatches::tick, "ashlar-file-watch");
            ticker.setDaemon(true);
            thread = ticker;
            ticker.start();
        }
    }

    private static void tick() {
        int idle = 0;
        while (true) {
            wakeAt = WALKING;
            long now = System.nanoTime();
            long next = now + TICK;
            for (Watch watch : RUNNING) {
                long due = look(watch, now);
                if (due != NO_TIME && due - next < 0) {
                    next = due;
                }
            }
            idle = RUNNING.isEmpty() ? idle + 1 : 0;
            if (idle > IDLE_TICKS) {
                wakeAt = IDLE;
                if (RUNNING.isEmpty()) {
                    LockSupport.park(FileWatches.class);
                }
                idle = 0;
            } else {
                wakeAt = next;
                LockSupport.parkNanos(FileWatches.class, next - System.nanoTime());
            }
        }
    }

    /** A watch that fails is looked at again at the next tick; the thread goes on for the others. */
    private static long look(Watch watch, long now) {
        try {
            return watch.look(now);
        } catch (RuntimeException e) {
            LOG.debug("A migration file's watch failed: {}", e.getMessage());
            return NO_TIME;
        }
    }
}
