package dev.ashlar.kernel.migrate;

import java.sql.SQLException;

/**
 * Cleanup after a failure must not hide it: when the connection died mid-file, the rollback fails
 * too, and its "Connection is closed" would replace the error that says which statement of which
 * file failed. The cleanup's own failure is added to the original as suppressed.
 */
final class Cleanup {
    private Cleanup() {
    }

    @FunctionalInterface
    interface Step {
        void run() throws SQLException;
    }

    /** Runs a cleanup step; when {@code failure} is already on its way up, a failing step is attached to it. */
    static void run(Throwable failure, Step step) throws SQLException {
        try {
            step.run();
        } catch (SQLException | RuntimeException e) {
            if (failure == null) {
                throw e;
            }
            failure.addSuppressed(e);
        }
    }
}
