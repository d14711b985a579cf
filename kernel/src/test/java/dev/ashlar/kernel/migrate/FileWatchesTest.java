package dev.ashlar.kernel.migrate;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class FileWatchesTest {
    /** Counts its looks; asks to be looked at again {@code every} nanoseconds, or not at all (0). */
    private static final class Counted extends FileWatches.Watch {
        final AtomicInteger looks = new AtomicInteger();
        private final long every;

        Counted(long every) {
            this.every = every;
        }

        @Override
        long look(long now) {
            looks.incrementAndGet();
            return every == 0 ? FileWatches.NO_TIME : now + every;
        }
    }

    @Test
    void aWatchAddedAfterTheThreadFellIdleIsLookedAtAndNoLongerOnceRemoved() throws InterruptedException {
        // More than the second after which the thread sleeps with no watch, then a watch: it wakes for it.
        Thread.sleep(1500);
        Counted watch = new Counted(0);
        FileWatches.add(watch, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FileWatches.TICK_MILLIS));

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (watch.looks.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(watch.looks.get()).isPositive();

        FileWatches.remove(watch);
        Thread.sleep(2 * FileWatches.TICK_MILLIS);
        int looks = watch.looks.get();
        Thread.sleep(3 * FileWatches.TICK_MILLIS);
        assertThat(watch.looks.get()).isEqualTo(looks);
    }

    @Test
    void aWatchIsLookedAtByTheTimeItAsksForNotOnlyEveryTick() throws InterruptedException {
        Counted often = new Counted(TimeUnit.MILLISECONDS.toNanos(10));
        FileWatches.add(often, System.nanoTime());
        try {
            Thread.sleep(5 * FileWatches.TICK_MILLIS);
        } finally {
            FileWatches.remove(often);
        }
        // Every tick alone would be about five looks; every 10 ms about fifty.
        assertThat(often.looks.get()).isGreaterThan(12);
    }
}
