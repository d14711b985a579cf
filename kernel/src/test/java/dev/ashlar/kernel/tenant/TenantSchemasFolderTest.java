package dev.ashlar.kernel.tenant;

import dev.ashlar.api.error.ProjectFileException;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A tenant schema is never made empty by mistake: the folder of tenant migrations must exist. */
@ExtendWith(PostgresExtension.class)
class TenantSchemasFolderTest {
    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void clean(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA IF EXISTS tf_acme CASCADE; DROP TABLE IF EXISTS ashlar_tenant_migrations");
    }

    private void create(Path folder, String schema) throws SQLException {
        try (Connection connection = db.dataSource().getConnection()) {
            new TenantSchemas(folder).create(connection, schema);
        }
    }

    @Test
    void refusesATenantSchemaWhenTheFolderOfTenantMigrationsDoesNotExist() {
        Path missing = project.resolve("tenant_migrations");

        assertThatThrownBy(() -> create(missing, "tf_acme")).isInstanceOf(ProjectFileException.class)
                .hasMessageContaining("Cannot create tenant schema tf_acme")
                .hasMessageContaining("no tenant migrations folder at " + missing.toAbsolutePath())
                .hasMessageContaining("Ashlar.builder().tenantMigrations(folder)");
        assertThat(db.value("SELECT to_regnamespace('tf_acme') IS NULL")).isEqualTo(true);
    }

    @Test
    void createsAnEmptyTenantSchemaWhenTheFolderExistsEmpty() throws IOException, SQLException {
        Path empty = Files.createDirectory(project.resolve("tenant_migrations"));

        create(empty, "tf_acme");

        assertThat(db.value("SELECT count(*) FROM pg_tables WHERE schemaname = 'tf_acme' "
                + "AND tablename <> 'ashlar_schema_migrations'")).isEqualTo(0L);
        assertThat(db.value("SELECT to_regnamespace('tf_acme') IS NOT NULL")).isEqualTo(true);
    }
}
