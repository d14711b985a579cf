package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.kernel.migrate.FileRunner.Direction;

/**
 * The migration lock was lost: its session ended (a network cut, an idle timeout,
 * {@code pg_terminate_backend}), so another migrator may be running. The file in progress is rolled
 * back (unless it runs outside a transaction) and the run stops.
 */
public final class LockLostException extends MigrationException {
    private static final long serialVersionUID = 1L;

    /** @param ran whether the section's statements ran (outside a transaction) before the loss was seen */
    LockLostException(MigrationFile file, Direction direction, boolean ran) {
        super(ErrorCode.MIGRATION, "Stopped: the migration lock was lost (its database session ended) "
                + (ran ? "while " : "before ") + (direction == Direction.UP ? "" : "the down section of ")
                + file.fileName() + " ran, so another migrator may be running now. " + kept(direction, ran)
                + (direction == Direction.UP ? " Run migrate again: it waits for the other migrator and applies what "
                + "is left." : " Once the other migrator is done, roll back what is left."), file.fileName());
    }

    private static String kept(Direction direction, boolean ran) {
        if (direction == Direction.UP) {
            return ran ? "The file runs outside a transaction: its statements stay applied but are not recorded; "
                    + "check them before migrating again." : "Nothing of this file was applied.";
        }
        return ran ? "Its down section runs outside a transaction: its statements ran, but the file stays recorded as "
                + "applied; check them before rolling back again." : "Nothing of this file was rolled back: it stays "
                + "applied.";
    }
}
