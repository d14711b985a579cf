package dev.ashlar.plugins.indexes;

import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.MigrationStep;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.testing.TestDatabase;
import dev.ashlar.testing.kit.ProjectFolder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A project directory driven as {@code ashlar codegen} and {@code ashlar migrate} drive it, with this plugin. */
final class Project extends ProjectFolder {

    Project(Path directory, TestDatabase db) {
        super(directory, db, Plugins.none().with(new IndexesPlugin()));
    }

    /** Writes the migration that brings the schema to these resources, without applying it. */
    Codegen.Result generate(String name, Resource... resources) {
        return generate(Domain.builder("app").resources(resources).build(), name);
    }

    /** Generates and applies. */
    Codegen.Result apply(String name, Resource... resources) {
        Codegen.Result result = generate(name, resources);
        migrate();
        return result;
    }

    void migrate() {
        migrator().migrate();
    }

    void rollback(int files) {
        migrator().rollback(files);
    }

    static List<String> steps(Codegen.Result result) {
        return result.steps().stream().map(MigrationStep::describe).toList();
    }

    static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What {@code pg_index} and {@code pg_am} say about an index of the public schema: {@code unique},
     * {@code valid}, {@code method}, {@code predicate}, {@code keys} and {@code included} (column names,
     * comma-separated) and {@code definition}; empty when there is no such index.
     */
    Map<String, Object> index(String name) {
        List<Map<String, Object>> rows = db().query("""
                SELECT i.indisunique AS unique, i.indisvalid AS valid, am.amname AS method,
                       pg_get_expr(i.indpred, i.indrelid) AS predicate,
                       (SELECT string_agg(coalesce(a.attname, 'expression'), ',' ORDER BY k.n)
                          FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, n)
                          LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                         WHERE k.n <= i.indnkeyatts) AS keys,
                       (SELECT string_agg(a.attname, ',' ORDER BY k.n)
                          FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, n)
                          JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                         WHERE k.n > i.indnkeyatts) AS included,
                       pg_get_indexdef(i.indexrelid) AS definition
                  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                  JOIN pg_am am ON am.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'public' AND c.relname = ?
                """, name);
        return rows.isEmpty() ? Map.of() : rows.get(0);
    }
}
