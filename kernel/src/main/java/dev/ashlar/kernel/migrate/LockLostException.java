package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ErrorCode;

/**
 * The migration lock was lost: its session ended (a network cut, an idle timeout,
 * {@code pg_terminate_backend}), so another migrator may be running. The file in progress is rolled
 * back (unless it runs outside a transaction) and the run stops.
 */
public final class LockLostException extends MigrationException {
    private static final long serialVersionUID = 1L;

    /** @param ran whether the file's statements ran (outside a transaction) before the loss was seen */
    LockLostException(MigrationFile file, boolean ran) {
        super(ErrorCode.MIGRATION, "Stopped: the migration lock was lost (its database session ended) "
                + (ran ? "while " : "before ") + file.fileName() + " ran, so another migrator may be running now. "
                + (ran ? "The file runs outside a transaction: its statements stay applied but are not recorded; "
                + "check them before migrating again." : "Nothing of this file was applied.")
                + " Run migrate again: it waits for the other migrator and applies what is left.", file.fileName());
    }
}
