package dev.ashlar.cli;

import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.testing.CitusTest;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's multitenancy act (a schema per organization, the only strategy the demo shows) run as it is
 * against a Citus coordinator: the target is detected from the extension and recorded, each organization's
 * schema is distributed whole onto one worker, and the later migration reaches every tenant there.
 */
@CitusTest
class CitusDemoTenantsTest {
    @TempDir
    Path project;

    @Test
    void theDemosTenancyJourneyRunsOnTheCoordinatorWithEachTenantOnOneWorker(TestDatabase db) throws IOException {
        StringWriter text = new StringWriter();

        new DemoTenants(new PrintWriter(text, true), Plugins.discover(getClass().getClassLoader()))
                .show(db.dataSource(), project);

        assertThat(text.toString()).contains("created 3 organizations")
                .contains("notes as org_acme sees them: [Acme's plan]")
                .contains("a read without a tenant -> ")
                .contains("Tenants: 3 migrated, 0 up to date, 0 failed");
        assertThat(Files.readString(project.resolve("resource_snapshots/target")).strip()).isEqualTo("citus");
        assertThat(db.query("SELECT schema_name::text AS s FROM citus_schemas ORDER BY 1")).extracting(r -> r.get("s"))
                .containsExactly("org_acme", "org_globex", "org_initech");
        assertThat(db.query("SELECT count(DISTINCT nodeport) AS nodes FROM citus_shards WHERE table_name::text "
                + "LIKE 'org_%.notes' GROUP BY split_part(table_name::text, '.', 1)"))
                .hasSize(3).allSatisfy(row -> assertThat(row.get("nodes")).isEqualTo(1L));
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_schema LIKE 'org\\_%' "
                + "AND table_name = 'notes' AND column_name = 'pinned'")).isEqualTo(3L);
        assertThat(db.value("SELECT body FROM org_globex.notes")).isEqualTo("Globex's plan");
    }
}
