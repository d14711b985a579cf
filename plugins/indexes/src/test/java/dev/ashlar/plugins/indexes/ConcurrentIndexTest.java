package dev.ashlar.plugins.indexes;

import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.Test;

import static dev.ashlar.plugins.indexes.CustomIndexMigrationTest.users;
import static dev.ashlar.plugins.indexes.CustomIndexes.index;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConcurrentIndexTest extends ProjectTest {
    private static Resource withConcurrentIndexes() {
        return users().with(CustomIndexes.of(
                index("status", "created_at").concurrently().include("user_id"),
                index("email").unique().concurrently())).build();
    }

    @Test
    void aConcurrentIndexIsBuiltOutsideATransactionInAFileOfItsOwnAndIsValid() {
        Codegen.Result result = project.apply("create_users", withConcurrentIndexes());

        // One file per concurrent build: a failed build leaves its file unapplied.
        assertThat(result.files()).hasSize(3);
        assertThat(Project.text(result.files().get(0))).contains("CREATE TABLE").doesNotContain("CONCURRENTLY");
        assertThat(Project.text(result.files().get(2)))
                .contains("-- migrate:up transaction:false")
                .contains("DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"users_email_index\";\n"
                        + "CREATE UNIQUE INDEX CONCURRENTLY \"users_email_index\" ON \"public\".\"users\" (\"email\");");
        assertThat(project.index("users_status_created_at_index")).containsEntry("valid", true)
                .containsEntry("included", "user_id");
        assertThat(project.index("users_email_index")).containsEntry("valid", true).containsEntry("unique", true);
    }

    @Test
    void aFailedConcurrentBuildIsReportedLeavesNoInvalidIndexAndRerunningAfterFixingTheDataBuildsIt() {
        project.apply("create_users", users().build());
        db.execute("INSERT INTO users (email) VALUES ('a@x'), ('a@x'), ('b@x')");
        project.generate("unique_email", users().with(CustomIndexes.of(index("email").unique().concurrently())).build());

        assertThatThrownBy(project::migrate).isInstanceOf(MigrationException.class)
                .hasMessageContaining("_unique_email.sql failed")
                .hasMessageContaining("CREATE UNIQUE INDEX CONCURRENTLY \"users_email_index\"")
                .hasMessageContaining("could not create unique index \"users_email_index\"")
                .hasMessageContaining("the statements before this one stay applied");
        assertThat(project.index("users_email_index")).isEmpty();

        db.execute("DELETE FROM users WHERE ctid NOT IN (SELECT min(ctid) FROM users GROUP BY email)");
        project.migrate();

        assertThat(project.index("users_email_index")).containsEntry("valid", true).containsEntry("unique", true);
        assertThat(db.value("SELECT count(*) FROM pg_indexes WHERE indexname LIKE 'users_email_index%'")).isEqualTo(1L);
    }

    @Test
    void droppingTheResourceDropsItsConcurrentIndexesConcurrentlyFirstAndRollbackRebuildsThem() {
        Resource marker = Resource.builder("marker").table("markers").integerPrimaryKey("id").build();
        project.apply("create_users", withConcurrentIndexes(), marker);

        Codegen.Result removal = project.apply("drop_users", marker);

        assertThat(removal.files()).hasSize(3);
        assertThat(Project.text(removal.files().get(0)) + Project.text(removal.files().get(1)))
                .contains("-- migrate:up transaction:false")
                .contains("DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"users_email_index\";");
        assertThat(Project.text(removal.files().get(2))).contains("DROP TABLE \"public\".\"users\"");
        assertThat(project.index("users_email_index")).isEmpty();
        project.rollback(3);
        assertThat(project.index("users_email_index")).containsEntry("valid", true);
        assertThat(project.index("users_status_created_at_index")).containsEntry("valid", true);
    }
}
