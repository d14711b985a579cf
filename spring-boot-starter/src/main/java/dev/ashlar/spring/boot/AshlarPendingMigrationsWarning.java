package dev.ashlar.spring.boot;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.kernel.migrate.MigrationStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

import java.util.List;

/**
 * With {@code ashlar.migrate.enabled=false}, a warning at start-up naming the main schema's pending migrations and the
 * ways to apply them, rather than an application whose first request fails on a table that is not there yet. The
 * start-up goes on: a deployment that migrates on its own may start the new release before it has.
 */
final class AshlarPendingMigrationsWarning implements SmartInitializingSingleton {
    private static final Logger LOG = LoggerFactory.getLogger(AshlarPendingMigrationsWarning.class);
    /** At most this many pending files are named. */
    private static final int NAMED = 5;

    private final AshlarMigrations migrations;

    AshlarPendingMigrationsWarning(AshlarMigrations migrations) {
        this.migrations = migrations;
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<String> pending;
        try {
            if (!migrations.located()) {
                return;
            }
            pending = migrations.status().stream().filter(MigrationStatus::toRun)
                    .map(status -> status.version() + "_" + status.name()).toList();
        } catch (AshlarException e) {
            LOG.warn("ashlar.migrate.enabled=false, and whether migrations are pending could not be checked: {}",
                    e.getMessage());
            return;
        }
        if (!pending.isEmpty()) {
            LOG.warn(message(pending));
        }
    }

    /** The warning for these pending migrations. */
    static String message(List<String> pending) {
        return "ashlar.migrate.enabled=false, and " + pending.size() + " migration(s) of the main schema are pending: "
                + String.join(", ", pending.subList(0, Math.min(NAMED, pending.size())))
                + (pending.size() > NAMED ? ", ..." : "") + ". The application runs without them until they are "
                + "applied: run ashlar migrate (or ashlar:migrate), set ashlar.migrate.enabled=true to apply them at "
                + "start-up, or ashlar.migrate.validate-only=true to stop the start-up while any is pending.";
    }
}
