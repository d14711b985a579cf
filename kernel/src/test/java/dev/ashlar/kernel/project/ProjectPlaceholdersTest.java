package dev.ashlar.kernel.project;

import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The façade's placeholders reach the main schema, the tenant schemas and the linter. */
@ExtendWith(PostgresExtension.class)
class ProjectPlaceholdersTest {
    @TempDir
    Path dir;
    TestDatabase db;

    @BeforeEach
    void project(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS pph_acme CASCADE; "
                + "DROP TABLE IF EXISTS ashlar_tenant_migrations; CREATE SCHEMA pph_acme");
        Files.createDirectories(dir.resolve("migrations"));
        Files.createDirectories(dir.resolve("tenant_migrations"));
        Files.writeString(dir.resolve("migrations/20260101000000_create_settings.sql"),
                "-- migrate:up\nCREATE TABLE ${prefix}settings (key text);\n-- migrate:down\nDROP TABLE ${prefix}settings;\n");
        Files.writeString(dir.resolve("tenant_migrations/R__whoami.sql"),
                "-- migrate:up\nCREATE OR REPLACE VIEW whoami AS SELECT '${ashlar:schema}'::text AS schema, "
                        + "'${prefix}'::text AS prefix;\n");
    }

    private Project project() {
        return Project.open(dir).dataSource(db.dataSource());
    }

    @Test
    void theProjectsValuesReachTheMainAndTheTenantMigrations() {
        Project project = project().placeholders(Map.of("prefix", "app_"));

        project.migrate();
        project.migrateTenants(TenantSelection.named(List.of("pph_acme")));

        assertThat(db.value("SELECT to_regclass('public.app_settings') IS NOT NULL")).isEqualTo(true);
        assertThat(db.value("SELECT schema || ' ' || prefix FROM pph_acme.whoami")).isEqualTo("pph_acme app_");
        assertThat(project.lint().files()).isEqualTo(2);
    }

    @Test
    void lintRefusesAPlaceholderWithoutAValueAndReplacementOffRunsTheFileAsWrittenWhateverTheOrder() {
        assertThatThrownBy(() -> project().lint()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("${prefix}, which has no value");

        assertThatThrownBy(() -> project().placeholderReplacement(false).placeholders(Map.of("prefix", "app_"))
                .migrate()).hasMessageContaining("syntax error");
        assertThat(db.value("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' "
                + "AND table_name LIKE '%settings'"))
                .isEqualTo(0L);
    }

    @Test
    void lintRefusesAPlaceholderWithoutAValueInADownSectionThatARollbackWouldRun() throws IOException {
        Files.writeString(dir.resolve("migrations/20260102000000_grant_settings.sql"),
                "-- migrate:up\nCREATE TABLE grants (role text);\n-- migrate:down\nDROP TABLE ${owner}_grants;\n");

        assertThatThrownBy(() -> project().placeholders(Map.of("prefix", "app_")).lint())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("Line 4 of migration")
                .hasMessageContaining("20260102000000_grant_settings.sql uses the placeholder ${owner}, which has no "
                        + "value");
        assertThat(project().placeholders(Map.of("prefix", "app_", "owner", "app")).lint().files()).isEqualTo(3);
    }
}
