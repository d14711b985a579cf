package dev.ashlar.kernel.codegen;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.schema.Scope;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A type change's guard and the change itself see the same rows: a value written by another session between the
 * guard's scan and the {@code ALTER} would otherwise be converted without being checked (2.5 silently becoming 2).
 */
class GuardUnderWritesTest extends FreshSchemaTest {
    private static Domain posts(Type score) {
        return Domain.builder("blog").resource(Resource.builder("post").table("posts").integerPrimaryKey("id")
                .attribute("score", score).build()).build();
    }

    private void generate(Type score, String name) {
        new Codegen(project, posts(score), Plugins.none(), Renames.hints(List.of()), CLOCK).generate(name);
    }

    private Migrator migrator() {
        return new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).progress(line -> { });
    }

    @Test
    void aValueCommittedWhileTheGuardedChangeWaitsForTheTableIsCheckedAndNotRounded() throws Exception {
        generate(Type.DOUBLE, "create");
        migrator().migrate();
        db.execute("INSERT INTO posts (score) VALUES (1), (2)");
        generate(Type.INTEGER, "whole_scores");

        CompletableFuture<Void> migration;
        try (Connection writer = db.dataSource().getConnection(); Statement statement = writer.createStatement()) {
            writer.setAutoCommit(false);
            statement.execute("INSERT INTO posts (score) VALUES (2.5)");
            migration = CompletableFuture.runAsync(() -> migrator().migrate());
            waitUntilAMigrationWaitsForALock();
            writer.commit();
        }

        assertThat(migration).failsWithin(30, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(MigrationException.class)
                .withMessageContaining("Column public.posts.score holds values that integer cannot hold unchanged, e.g. 2.5");
        assertThat(db.value("SELECT data_type FROM information_schema.columns WHERE table_name = 'posts' "
                + "AND column_name = 'score'")).isEqualTo("double precision");
        assertThat(db.query("SELECT score FROM posts ORDER BY id")).extracting(row -> row.get("score"))
                .containsExactly(1.0, 2.0, 2.5);
    }

    @Test
    void aChangeThatRowsDoNotFitIsRefusedBeforeItLocksTheTableCountingThemWhileAWriterHoldsItsTransactionOpen()
            throws Exception {
        generate(Type.DOUBLE, "create");
        migrator().migrate();
        db.execute("INSERT INTO posts (score) VALUES (1), (2.5), (3), (4.25)");
        generate(Type.INTEGER, "whole_scores");

        try (Connection writer = db.dataSource().getConnection(); Statement statement = writer.createStatement()) {
            writer.setAutoCommit(false);
            statement.execute("INSERT INTO posts (score) VALUES (5)");
            // Locking the table would wait for this writer's transaction until the lock timeout, every try.
            long start = System.nanoTime();
            assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                    .hasMessageContaining("at statement 1")
                    .hasMessageContaining("Column public.posts.score holds values that integer cannot hold unchanged, "
                            + "e.g. 2.5; 2 rows hold such values. Nothing was changed")
                    .hasMessageNotContaining("lock timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            statement.execute("INSERT INTO posts (score) VALUES (6)");
            writer.commit();
        }
        assertThat(db.query("SELECT score FROM posts ORDER BY id")).extracting(row -> row.get("score"))
                .containsExactly(1.0, 2.5, 3.0, 4.25, 5.0, 6.0);
        assertThat(db.value("SELECT data_type FROM information_schema.columns WHERE table_name = 'posts' "
                + "AND column_name = 'score'")).isEqualTo("double precision");
    }

    private void waitUntilAMigrationWaitsForALock() throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            Object waiting = db.value("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                    + "WHERE NOT l.granted AND c.relname = 'posts'");
            if (((Number) waiting).longValue() > 0) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no session waited for the table's lock");
    }
}
