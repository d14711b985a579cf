package dev.ashlar.cli;

import dev.ashlar.testing.TestDatabase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A project folder whose migrations/ holds three files on an empty public schema, what the command line's history
 * tests start from: 20260101000000_create_posts.sql, 20260102000000_create_tags.sql and
 * 20260103000000_create_notes.sql, each creating its table, {@code (id bigint PRIMARY KEY)}.
 */
final class ThreeMigrations {
    private final Path migrations;
    private final TestDatabase db;
    private final String down;

    private ThreeMigrations(Path migrations, TestDatabase db, String down) {
        this.migrations = migrations;
        this.db = db;
        this.down = down;
    }

    /** The three files in {@code project}, each dropping its table in its down section. */
    static ThreeMigrations in(Path project, TestDatabase db) throws IOException {
        return in(project, db, null);
    }

    /**
     * The three files in {@code project}, each with {@code down} as its down section ({@code SELECT 1;} for one that
     * undoes nothing), or dropping its table when it is null; the public schema emptied first.
     */
    static ThreeMigrations in(Path project, TestDatabase db, String down) throws IOException {
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        ThreeMigrations files = new ThreeMigrations(Files.createDirectories(project.resolve("migrations")), db, down);
        files.table("20260101000000_create_posts.sql", "", "posts", "");
        files.table("20260102000000_create_tags.sql", "", "tags", "");
        files.table("20260103000000_create_notes.sql", "", "notes", "");
        return files;
    }

    /** The migrations/ folder. */
    Path folder() {
        return migrations;
    }

    /**
     * Writes (or rewrites) migrations/{@code name}: {@code headers} ({@code -- context: test\n}, or empty), then a
     * table with {@code (id bigint PRIMARY KEY} and {@code columns} ({@code , title text}, or empty), and the down
     * section the files were made with.
     */
    void table(String name, String headers, String table, String columns) throws IOException {
        write(name, headers + "-- migrate:up\nCREATE TABLE " + table + " (id bigint PRIMARY KEY" + columns + ");\n"
                + "-- migrate:down\n" + (down == null ? "DROP TABLE " + table + ";" : down) + "\n");
    }

    /**
     * Writes (or rewrites) migrations/{@code name} with this up section and the down section the files were made with
     * ({@code SELECT 1;} when they drop their tables).
     */
    void file(String name, String up) throws IOException {
        write(name, "-- migrate:up\n" + up + "\n-- migrate:down\n" + (down == null ? "SELECT 1;" : down) + "\n");
    }

    /** Writes (or rewrites) migrations/{@code name} with this text. */
    void write(String name, String text) throws IOException {
        Files.writeString(migrations.resolve(name), text);
    }

    /** The versions the history holds, oldest first, comma-separated; null when it holds none. */
    Object history() {
        return db.value("SELECT string_agg(version, ',' ORDER BY version) FROM ashlar_schema_migrations");
    }
}
