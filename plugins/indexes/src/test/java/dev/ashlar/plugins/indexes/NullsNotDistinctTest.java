package dev.ashlar.plugins.indexes;

import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.testing.RequiresPostgres;
import org.junit.jupiter.api.Test;

import static dev.ashlar.plugins.indexes.CustomIndexMigrationTest.users;
import static dev.ashlar.plugins.indexes.CustomIndexes.index;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class NullsNotDistinctTest extends ProjectTest {
    private static Resource nullsNotDistinct() {
        return users().with(CustomIndexes.of(index("email", "status").unique().nullsDistinct(false))).build();
    }

    @Test
    void theMigrationSaysItNeedsPostgres15ForNullsNotDistinct() {
        Codegen.Result result = project.generate("create_users", nullsNotDistinct());

        assertThat(Project.text(result.files().get(0)))
                .contains("-- requires: postgresql 15 (NULLS NOT DISTINCT)")
                .contains("(\"email\", \"status\") NULLS NOT DISTINCT;");
    }

    @Test
    @RequiresPostgres(value = 15, reason = "NULLS NOT DISTINCT")
    void aUniqueIndexWithNullsNotDistinctRefusesASecondNull() {
        project.apply("create_users", nullsNotDistinct());
        db.execute("INSERT INTO users (email, status) VALUES ('a@x', NULL)");

        assertThat(db.value("SELECT indnullsnotdistinct FROM pg_index WHERE indexrelid = "
                + "'users_email_status_index'::regclass")).isEqualTo(true);
        assertThatThrownBy(() -> db.execute("INSERT INTO users (email, status) VALUES ('a@x', NULL)"))
                .hasMessageContaining("users_email_status_index");
    }

    @Test
    void beforePostgres15TheMigratorRefusesItNamingTheFeatureAndAppliesNothing() {
        assumeTrue(db.serverMajorVersion() < 15, "runs on PostgreSQL 13 and 14, which lack NULLS NOT DISTINCT");
        project.generate("create_users", nullsNotDistinct());

        assertThatThrownBy(project::migrate).isInstanceOf(MigrationException.class)
                .hasMessageContaining("needs PostgreSQL 15 for NULLS NOT DISTINCT, but this server is PostgreSQL "
                        + db.serverMajorVersion() + ". Nothing was applied.");
        assertThat(db.value("SELECT count(*) FROM pg_tables WHERE tablename = 'users'")).isEqualTo(0L);
    }
}
