package dev.ashlar.kernel.migrate;

import dev.ashlar.kernel.migrate.FileRunner.Direction;

import java.sql.Connection;
import java.util.Optional;

/**
 * What a {@link MigrationListener} is told about.
 *
 * @param schema     the schema being migrated ({@code public}, or a tenant schema)
 * @param direction  {@link Direction#UP} for a migrate run, {@link Direction#DOWN} for a rollback; null for a command
 *                   that runs no file ({@link MigrationListener#beforeCommand})
 * @param file       the file about to run or just run; null for the run as a whole and for a command
 * @param connection the run's connection: inside the file's transaction for {@code beforeEach} and {@code afterEach}
 */
public record MigrationEvent(String schema, Direction direction, MigrationFile file, Connection connection) {
    /** The file, absent for {@code beforeRun}, {@code afterRun} and {@code afterRunError}. */
    public Optional<MigrationFile> migration() {
        return Optional.ofNullable(file);
    }
}
