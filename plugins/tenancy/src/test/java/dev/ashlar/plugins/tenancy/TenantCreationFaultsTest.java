package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Creating a tenant (its record, its schema and its tenant migrations in one transaction) that a fault stops part
 * way: the tenant exists whole or not at all, the error says what failed, and creating it again works.
 */
@ExtendWith(PostgresExtension.class)
class TenantCreationFaultsTest {
    static final Domain DOMAIN = Domain.builder("app").resources(TenantRecordWritesTest.TENANT,
            TenancyPluginTest.USER, TenancyPluginTest.POST, TenantRecordWritesTest.LEDGER).build();

    @TempDir
    Path project;
    TestDatabase db;
    Ashlar ashlar;

    @BeforeEach
    void migrated(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA IF EXISTS tenant_books CASCADE");
        ashlar = TenancyDataTest.migrated(db, project, DOMAIN, "tenant_");
        ashlar.create("tenant", Map.of("slug", "globex")); // makes the tenant registry
    }

    @AfterEach
    void close() {
        ashlar.close();
    }

    /** How the creation failed, and whether its thread kept its interrupt flag. */
    private record Outcome(Throwable failure, boolean interrupted) {
    }

    /**
     * Creates tenant acme on a thread of its own while the tenant registry is locked, so that its creation waits there
     * with its schema and tables made and its migration recorded in the schema's history, and meets the fault there.
     */
    private Outcome createdWhileTheRegistryIsLocked(Consumer<Thread> fault) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean flag = new AtomicBoolean();
        try (Connection holder = db.dataSource().getConnection(); Statement lock = holder.createStatement()) {
            holder.setAutoCommit(false);
            lock.execute("LOCK TABLE ashlar_tenant_migrations IN ACCESS EXCLUSIVE MODE");
            Thread creating = new Thread(() -> {
                failure.set(catchThrowable(() -> ashlar.create("tenant", Map.of("slug", "acme"))));
                flag.set(Thread.currentThread().isInterrupted());
            });
            creating.start();
            awaitWaiting();
            fault.accept(creating);
            creating.join(10_000);
            assertThat(creating.isAlive()).as("the creation still runs 10 s after the fault").isFalse();
            holder.rollback();
        }
        return new Outcome(failure.get(), flag.get());
    }

    private void awaitWaiting() throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if ((Long) db.value("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    + "AND datname = current_database()") > 0) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the tenant's creation never waited for the lock on the registry");
    }

    private void assertNothingOfTheTenantAndCreatingItAgainWorks() {
        assertThat(db.value("SELECT string_agg(slug, ',') FROM tenants")).isEqualTo("globex");
        assertThat(db.value("SELECT count(*) FROM pg_namespace WHERE nspname = 'tenant_acme'")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM ashlar_tenant_migrations WHERE schema_name = 'tenant_acme'"))
                .isEqualTo(0L);
        assertThat(db.activeConnections()).isZero();

        ashlar.create("tenant", Map.of("slug", "acme"));
        ashlar.withTenant("tenant_acme").create("post", Map.of("title", "after"));
        assertThat(db.value("SELECT count(*) FROM tenant_acme.posts")).isEqualTo(1L);
    }

    @Test
    void aTenantWhoseSessionIsTerminatedWhileItIsRecordedIsNotCreatedAndNamesItsSchema() throws Exception {
        Outcome outcome = createdWhileTheRegistryIsLocked(thread -> db.execute("SELECT pg_terminate_backend(pid) FROM "
                + "pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"));

        assertThat(outcome.failure()).hasMessageStartingWith("Creating tenant schema tenant_acme failed: the "
                + "connection to the database was lost (terminating connection due to administrator command)")
                .hasMessageContaining("The transaction it ran in was lost and rolled back, with everything it wrote");
        assertNothingOfTheTenantAndCreatingItAgainWorks();
    }

    @Test
    void aTenantWhoseThreadIsInterruptedWhileItIsRecordedIsNotCreatedAndTheThreadKeepsItsFlag() throws Exception {
        Outcome outcome = createdWhileTheRegistryIsLocked(Thread::interrupt);

        assertThat(outcome.failure()).hasMessageStartingWith("Creating tenant schema tenant_acme failed: the thread "
                + "running it was interrupted").hasMessageContaining("the transaction it ran in is rolled back");
        assertThat(outcome.interrupted()).isTrue();
        assertNothingOfTheTenantAndCreatingItAgainWorks();
    }
}
