package dev.ashlar.plugins.references;

import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.testing.TestDatabase;
import dev.ashlar.testing.kit.ProjectFolder;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A project folder driven like {@code ashlar codegen} and {@code ashlar migrate}, with the references plugin installed. */
final class Project extends ProjectFolder {
    static final Plugins PLUGINS = Plugins.none().with(new ReferencesPlugin());

    Project(Path dir, TestDatabase db) {
        super(dir, db, PLUGINS);
    }

    /** One foreign key as the catalog describes it. */
    Map<String, Object> constraint(String name) {
        return db().query("""
                SELECT k.confdeltype::text AS on_delete, k.confupdtype::text AS on_update, k.condeferrable AS deferrable,
                       k.condeferred AS deferred, k.confmatchtype::text AS match, pg_get_constraintdef(k.oid) AS definition,
                       (SELECT string_agg(a.attname, ',' ORDER BY u.i) FROM unnest(k.conkey) WITH ORDINALITY u(n, i)
                          JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n) AS columns,
                       (SELECT string_agg(a.attname, ',' ORDER BY u.i) FROM unnest(k.confkey) WITH ORDINALITY u(n, i)
                          JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n) AS referenced
                  FROM pg_constraint k WHERE k.conname = ?
                """, name).get(0);
    }

    List<String> constraintNames() {
        return db().query("SELECT conname FROM pg_constraint WHERE contype = 'f' ORDER BY conname").stream()
                .map(row -> (String) row.get("conname")).toList();
    }
}
