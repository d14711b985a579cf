package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A tenant resource's history lives in each tenant's schema; an attribute-tenant resource's history table carries the
 * tenant column, and {@code asOf} and {@code versionsBetween} stay scoped to the tenant reading; under row-level
 * security the history table has the table's policy and the view its condition.
 */
@ExtendWith(PostgresExtension.class)
class HistoryTenancyTest {
    static final Resource TENANT = Resource.builder("tenant").table("tenants")
            .attribute("id", TEXT, a -> a.primaryKey())
            .with(ManageTenant.template("history_tenant_", "id")).build();
    static final Resource NOTE = Resource.builder("note").table("notes").primaryKey("id")
            .attribute("body", TEXT).history().with(Multitenancy.context()).build();
    static final Resource TICKET = Resource.builder("ticket").table("tickets").integerPrimaryKey("id")
            .attribute("org_id", BIGINT, a -> a.notNull()).attribute("subject", TEXT).history()
            .with(Multitenancy.attribute("org_id")).build();

    @TempDir
    Path project;

    private static Instant pause() throws InterruptedException {
        Thread.sleep(20);
        Instant now = Instant.now();
        Thread.sleep(20);
        return now;
    }

    @Test
    void eachTenantSchemaKeepsItsOwnHistoryAndAsOfReadsOnlyThere(TestDatabase db) throws InterruptedException {
        try (Ashlar ashlar = TenancyDataTest.migrated(db, project, Domain.builder("notes")
                .resources(TENANT, NOTE).build(), "history_tenant_")) {
            ashlar.create("tenant", Map.of("id", "acme"));
            ashlar.create("tenant", Map.of("id", "globex"));
            Ashlar acme = ashlar.withTenant("history_tenant_acme");
            Ashlar globex = ashlar.withTenant("history_tenant_globex");
            acme.create("note", Map.of("id", 1, "body", "acme's first"));
            globex.create("note", Map.of("id", 1, "body", "globex's first"));
            Instant created = pause();
            acme.read("note").updateAll(Map.of("body", "acme's second"));
            globex.read("note").updateAll(Map.of("body", "globex's second"));

            assertThat(acme.read("note").asOf(created).list()).extracting(r -> r.get("body"))
                    .containsExactly("acme's first");
            assertThat(globex.read("note").asOf(created).list()).extracting(r -> r.get("body"))
                    .containsExactly("globex's first");
            assertThat(db.value("SELECT body FROM history_tenant_acme.notes_history")).isEqualTo("acme's first");
            assertThat(db.value("SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN "
                    + "pg_namespace n ON n.oid = c.relnamespace WHERE t.tgname = 'notes_history_version' "
                    + "AND n.nspname LIKE 'history_tenant_%'")).isEqualTo(2L);
            assertThat(db.value("SELECT to_regclass('public.notes_history')")).as("nothing in the main schema").isNull();
        }
    }

    @Test
    void anAttributeTenantsHistoryCarriesTheTenantColumnAndAsOfStaysInTheTenant(TestDatabase db)
            throws InterruptedException {
        try (Ashlar ashlar = TenancyDataTest.migrated(db, project, Domain.builder("tickets")
                .resources(TENANT, TICKET).build(), "history_tenant_")) {
            Ashlar victim = ashlar.withTenant("42");
            Ashlar attacker = ashlar.withTenant("7");
            victim.create("ticket", Map.of("subject", "secret plan"));
            attacker.create("ticket", Map.of("subject", "own ticket"));
            Instant created = pause();
            victim.read("ticket").updateAll(Map.of("subject", "redacted"));
            victim.read("ticket").destroyAll();
            Instant gone = pause();

            assertThat(db.value("SELECT org_id FROM tickets_history WHERE subject = 'secret plan'")).isEqualTo(42L);
            assertThat(victim.read("ticket").asOf(created).list()).extracting(r -> r.get("subject"))
                    .containsExactly("secret plan");
            assertThat(attacker.read("ticket").asOf(created).list()).extracting(r -> r.get("subject"))
                    .containsExactly("own ticket");
            assertThat(attacker.read("ticket").asOf(created).where(Filter.eq("subject", "secret plan")).count())
                    .isZero();
            assertThat(attacker.read("ticket").versionsBetween(Instant.EPOCH, gone).list())
                    .extracting(r -> r.get("org_id")).containsOnly(7L);
            assertThat(victim.read("ticket").versionsBetween(Instant.EPOCH, gone).count()).isEqualTo(2);
        }
    }

    private static final Resource GUARDED = Resource.builder("ticket").table("tickets").integerPrimaryKey("id")
            .attribute("org_id", BIGINT, a -> a.notNull()).attribute("subject", TEXT).history()
            .with(Multitenancy.attribute("org_id").rowLevelSecurity(true)).build();

    @Test
    void underRowLevelSecurityAnotherTenantsRoleReadsNoneOfItsPastVersionsByHandWrittenSql(TestDatabase db)
            throws InterruptedException {
        try (Ashlar ashlar = TenancyDataTest.migrated(db, project, Domain.builder("tickets")
                .resources(TENANT, GUARDED).build(), "history_tenant_");
             TestDatabase.Role attacker = db.loginRole("history_tenant_attacker")) {
            Ashlar victim = ashlar.withTenant("42");
            victim.create("ticket", Map.of("subject", "secret plan"));
            ashlar.withTenant("7").create("ticket", Map.of("subject", "own ticket"));
            Instant created = pause();
            victim.read("ticket").updateAll(Map.of("subject", "redacted"));
            victim.read("ticket").destroyAll();
            db.execute("GRANT SELECT, INSERT, UPDATE ON tickets, tickets_history, tickets_with_history TO "
                    + attacker.name());

            assertThat(asRole(db, attacker.name(), "7", "SELECT subject FROM tickets_history")).isEmpty();
            assertThat(asRole(db, attacker.name(), "7", "SELECT subject FROM tickets_with_history"))
                    .containsExactly("own ticket");
            assertThat(asRole(db, attacker.name(), null, "SELECT subject FROM tickets_with_history"))
                    .as("no tenant set: no row").isEmpty();
            assertThat(asRole(db, attacker.name(), "42", "SELECT subject FROM tickets_with_history ORDER BY 1"))
                    .as("the tenant's own role sees its past").containsExactly("redacted", "secret plan");
            assertThatThrownBy(() -> asRole(db, attacker.name(), "7", "INSERT INTO tickets_history (id, org_id, "
                    + "subject) VALUES (99, 42, 'forged') RETURNING id"))
                    .hasMessageContaining("violates row-level security policy");
            asRole(db, attacker.name(), "7", "UPDATE tickets SET subject = 'own, edited' RETURNING id");
            assertThat(db.value("SELECT subject FROM tickets_history WHERE org_id = 7"))
                    .as("the trigger keeps the tenant's own update").isEqualTo("own ticket");
            assertThat(victim.read("ticket").asOf(created).list()).extracting(r -> r.get("subject"))
                    .containsExactly("secret plan");
            assertThat(db.value("SELECT relrowsecurity AND relforcerowsecurity FROM pg_class "
                    + "WHERE relname = 'tickets_history'")).isEqualTo(true);
            assertThat(db.value("SELECT reloptions::text FROM pg_class WHERE relname = 'tickets_with_history'"))
                    .isEqualTo("{security_barrier=true}");
        }
    }

    @Test
    void underRowLevelSecurityAnotherTenantsRoleSeesNoPastVersionThroughACheapFunctionOfItsOwnOrAJoin(TestDatabase db)
            throws SQLException {
        try (Ashlar ashlar = TenancyDataTest.migrated(db, project, Domain.builder("tickets")
                .resources(TENANT, GUARDED).build(), "history_tenant_");
             TestDatabase.Role attacker = db.loginRole("history_tenant_prober")) {
            Ashlar victim = ashlar.withTenant("42");
            victim.create("ticket", Map.of("subject", "secret plan"));
            victim.read("ticket").updateAll(Map.of("subject", "redacted"));
            ashlar.withTenant("7").create("ticket", Map.of("subject", "own ticket"));
            db.execute("GRANT SELECT ON tickets, tickets_history, tickets_with_history TO " + attacker.name());
            // Cheap and not volatile, so the planner would run it below a view that is no security barrier, on every
            // row of both tables, before the view's own condition: each value it sees, it raises as a notice.
            db.execute("BEGIN; SET LOCAL ROLE " + attacker.name() + "; CREATE FUNCTION public.peek(text) "
                    + "RETURNS boolean LANGUAGE plpgsql IMMUTABLE COST 0.0000001 AS "
                    + "$$BEGIN RAISE NOTICE 'saw %', $1; RETURN true; END$$; COMMIT");

            List<String> seen = new ArrayList<>();
            for (String sql : List.of("SELECT subject FROM tickets_with_history WHERE peek(subject)",
                    "SELECT subject FROM tickets_history WHERE peek(subject)",
                    "SELECT v.subject FROM tickets_with_history v JOIN tickets_history h ON h.id = v.id "
                            + "WHERE peek(h.subject) OR peek(v.subject)",
                    "SELECT subject FROM tickets_with_history WHERE id IN (SELECT id FROM tickets_history) "
                            + "AND peek(subject)")) {
                seen.addAll(noticesAsRole(db, attacker.name(), "7", sql));
            }
            assertThat(seen).as("what the function was shown, as tenant 7").isNotEmpty()
                    .noneMatch(notice -> notice.contains("secret plan") || notice.contains("redacted"));
            assertThat(noticesAsRole(db, attacker.name(), "42", "SELECT subject FROM tickets_with_history "
                    + "WHERE peek(subject)")).as("the probe works: tenant 42's role is shown its own")
                    .anyMatch(notice -> notice.contains("secret plan"));
        }
    }

    /** The notices a statement raises, run as {@code role} in {@code tenant} as {@link #asRole} runs it. */
    private static List<String> noticesAsRole(TestDatabase db, String role, String tenant, String sql)
            throws SQLException {
        try (Connection connection = db.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET LOCAL ROLE " + role);
                try (PreparedStatement set = connection.prepareStatement("SELECT set_config(?, ?, true)")) {
                    set.setString(1, TenancyPlugin.TENANT_SETTING);
                    set.setString(2, tenant);
                    set.execute();
                }
                List<String> notices = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery(sql)) {
                    while (rows.next()) {
                        rows.getObject(1);
                    }
                }
                for (SQLWarning w = statement.getWarnings(); w != null; w = w.getNextWarning()) {
                    notices.add(w.getMessage());
                }
                return notices;
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        }
    }

    @Test
    void aTenantAttributeExcludedFromHistoryUnderRowLevelSecurityIsRefused(TestDatabase db) {
        Resource excluded = Resource.builder("ticket").table("tickets").integerPrimaryKey("id")
                .attribute("org_id", BIGINT, a -> a.notNull().historyExcluded()).attribute("subject", TEXT).history()
                .with(Multitenancy.attribute("org_id").rowLevelSecurity(true)).build();
        assertThatThrownBy(() -> TenancyDataTest.migrated(db, project, Domain.builder("tickets")
                .resources(TENANT, excluded).build(), "history_tenant_").close())
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("the tenant attribute 'org_id' is excluded from history under row-level "
                        + "security, whose policy on tickets_history needs it: remove a -> a.historyExcluded()");
    }

    /**
     * The first column of each row a statement returns, run as a role that is neither superuser nor owner in a
     * transaction whose tenant setting is {@code tenant} (none if null), then rolled back.
     */
    static List<Object> asRole(TestDatabase db, String role, String tenant, String sql) {
        try (Connection connection = db.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            try {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET LOCAL ROLE " + role);
                }
                if (tenant != null) {
                    try (PreparedStatement set = connection.prepareStatement("SELECT set_config(?, ?, true)")) {
                        set.setString(1, TenancyPlugin.TENANT_SETTING);
                        set.setString(2, tenant);
                        set.execute();
                    }
                }
                List<Object> values = new ArrayList<>();
                try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
                    while (rows.next()) {
                        values.add(rows.getObject(1));
                    }
                }
                connection.commit();
                return values;
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
