package dev.ashlar.kernel.migrate;

import dev.ashlar.testing.TestDatabase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A migrations folder over a test database whose public schema starts empty, as the parity tests use it: files with
 * an up and a down section, a migrator on them, and the versions the default history holds.
 *
 * @param folder the folder the files are written to
 * @param db     the database they are applied to
 */
record MigrationFolder(Path folder, TestDatabase db) {

    /** The folder over {@code db}, its public schema dropped and made again first. */
    static MigrationFolder emptied(Path folder, TestDatabase db) {
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        return new MigrationFolder(folder, db);
    }

    /** Writes (or rewrites) {@code name} with these up and down sections. */
    void file(String name, String up, String down) throws IOException {
        file(name, "", up, down);
    }

    /** Writes (or rewrites) {@code name} with these header lines above its up and down sections. */
    void file(String name, String headers, String up, String down) throws IOException {
        Files.writeString(folder.resolve(name), headers + "-- migrate:up\n" + up + "\n-- migrate:down\n" + down
                + "\n");
    }

    /** A migrator on the folder, with the default history table. */
    Migrator migrator() {
        return new Migrator(db.dataSource(), folder);
    }

    /** The versions the default history holds, oldest first. */
    List<Object> history() {
        return db.query("SELECT version FROM ashlar_schema_migrations ORDER BY version").stream()
                .map(row -> row.get("version")).toList();
    }
}
