package dev.ashlar.kernel.migrate;

import dev.ashlar.kernel.tenant.TenantMigrator;
import dev.ashlar.kernel.tenant.TenantReport;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Runners started together on a database that has none of Ashlar's own tables yet (a first deploy with several
 * instances, or the main and the tenant run at once): each creates the tables it needs if missing, and the ones that
 * lose the race to create the same table go on with the winner's, whichever way the server reports that they lost.
 */
@ExtendWith(PostgresExtension.class)
class FirstRunRaceTest {
    static final int ROUNDS = 40;
    static final List<String> SCHEMAS = List.of("race_a", "race_b");

    @TempDir
    Path main;
    @TempDir
    Path tenant;

    @Test
    void mainAndTenantRunnersStartedTogetherOnAnEmptyDatabaseAllSucceedAndApplyEachFileOnce(TestDatabase db)
            throws Exception {
        Files.writeString(main.resolve("20260101000000_create_plans.sql"),
                "-- migrate:up\nCREATE TABLE plans (id int);\n-- migrate:down\nDROP TABLE plans;\n");
        Files.writeString(tenant.resolve("20260101000000_create_notes.sql"),
                "-- migrate:up\nCREATE TABLE notes (id int);\n-- migrate:down\nDROP TABLE notes;\n");
        for (int round = 0; round < ROUNDS; round++) {
            db.execute("DROP SCHEMA IF EXISTS race_a CASCADE; DROP SCHEMA IF EXISTS race_b CASCADE; "
                    + "DROP SCHEMA public CASCADE; CREATE SCHEMA public; CREATE SCHEMA race_a; CREATE SCHEMA race_b");
            CyclicBarrier start = new CyclicBarrier(4);
            List<CompletableFuture<Object>> runs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                runs.add(together(start, () -> new Migrator(db.dataSource(), main).migrate()));
                runs.add(together(start, () -> tenantRun(db)));
            }

            for (CompletableFuture<Object> run : runs) {
                run.get(60, TimeUnit.SECONDS);
            }
            assertThat(db.value("SELECT count(*) FROM public.ashlar_schema_migrations")).isEqualTo(1L);
            assertThat(db.value("SELECT count(*) FROM ashlar_tenant_migrations")).isEqualTo(2L);
            assertThat(db.value("SELECT count(*) FROM pg_tables WHERE tablename = 'notes'")).isEqualTo(2L);
        }
    }

    @Test
    void anEnumNamedLikeTheLockTableFailsTheRunNamingTheTypeInsteadOfPassingForALostRace(TestDatabase db)
            throws IOException {
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public; "
                + "CREATE TYPE public.ashlar_migration_locks AS ENUM ('a')");
        Files.writeString(main.resolve("20260101000000_create_plans.sql"),
                "-- migrate:up\nCREATE TABLE plans (id int);\n-- migrate:down\nDROP TABLE plans;\n");

        Throwable failure = catchThrowable(() -> new Migrator(db.dataSource(), main).migrate());

        assertThat(failure).isInstanceOf(MigrationException.class).hasMessageContaining(
                "Cannot create Ashlar's table public.ashlar_migration_locks: a type of that name already exists")
                .hasMessageContaining("Rename or drop that type");
        assertThat(db.value("SELECT to_regclass('public.plans') IS NULL")).isEqualTo(true);
    }

    @Test
    void anEnumNamedLikeTheTenantRegistryFailsTheTenantRunNamingTheType(TestDatabase db) throws IOException {
        db.execute("DROP SCHEMA IF EXISTS race_a CASCADE; DROP SCHEMA IF EXISTS race_b CASCADE; "
                + "DROP SCHEMA public CASCADE; CREATE SCHEMA public; CREATE SCHEMA race_a; CREATE SCHEMA race_b; "
                + "CREATE TYPE public.ashlar_tenant_migrations AS ENUM ('a')");
        Files.writeString(tenant.resolve("20260101000000_create_notes.sql"),
                "-- migrate:up\nCREATE TABLE notes (id int);\n-- migrate:down\nDROP TABLE notes;\n");

        Throwable failure = catchThrowable(() -> new TenantMigrator(db.dataSource(), tenant)
                .migrate(SCHEMAS.iterator(), SCHEMAS.size()));

        assertThat(failure).isInstanceOf(MigrationException.class).hasMessageContaining(
                "Cannot create Ashlar's table \"public\".\"ashlar_tenant_migrations\": a type of that name already exists");
        assertThat(db.value("SELECT count(*) FROM pg_tables WHERE tablename = 'notes'")).isEqualTo(0L);
    }

    private TenantReport tenantRun(TestDatabase db) {
        TenantReport report = new TenantMigrator(db.dataSource(), tenant).migrate(SCHEMAS.iterator(), SCHEMAS.size());
        assertThat(report.failures()).isEmpty();
        return report;
    }

    private static CompletableFuture<Object> together(CyclicBarrier start, Supplier<Object> run) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                start.await(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return run.get();
        });
    }
}
