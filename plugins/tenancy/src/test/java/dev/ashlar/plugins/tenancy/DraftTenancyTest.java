package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
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
import java.util.Map;

import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.plugins.tenancy.HistoryTenancyTest.asRole;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Drafts are a tenant's own: a tenant resource's draft table lives in each tenant schema, an attribute-tenant
 * resource's carries the tenant column, and publishing, restoring, reading and writing drafts as one tenant never
 * reaches another's drafts or records; under row-level security the draft table has the table's policy.
 */
@ExtendWith(PostgresExtension.class)
class DraftTenancyTest {
    static final Filter EVERY = Filter.notNil("id");
    static final Resource TENANT = HistoryTenancyTest.TENANT;
    static final Resource NOTE = Resource.builder("note").table("notes").primaryKey("id")
            .attribute("body", TEXT).draftable().with(Multitenancy.context()).build();
    static final Resource TICKET = Resource.builder("ticket").table("tickets").integerPrimaryKey("id")
            .attribute("org_id", BIGINT, a -> a.notNull()).attribute("subject", TEXT).draftable()
            .with(Multitenancy.attribute("org_id")).build();
    static final Resource GUARDED = Resource.builder("ticket").table("tickets").integerPrimaryKey("id")
            .attribute("org_id", BIGINT, a -> a.notNull()).attribute("subject", TEXT).draftable()
            .with(Multitenancy.attribute("org_id").rowLevelSecurity(true)).build();

    @TempDir
    Path project;

    private static Ashlar migrated(TestDatabase db, Path project, Resource resource) {
        return TenancyDataTest.migrated(db, project, Domain.builder("drafts").resources(TENANT, resource).build(),
                "history_tenant_");
    }

    @Test
    void eachTenantSchemaHasItsOwnDraftsAndPublishingInOneNeverReachesTheOther(TestDatabase db) {
        try (Ashlar ashlar = migrated(db, project, NOTE)) {
            ashlar.create("tenant", Map.of("id", "acme"));
            ashlar.create("tenant", Map.of("id", "globex"));
            Ashlar acme = ashlar.withTenant("history_tenant_acme");
            Ashlar globex = ashlar.withTenant("history_tenant_globex");
            acme.create(acme.drafts("note"), Map.of("id", 1, "body", "acme's draft"));
            globex.create(globex.drafts("note"), Map.of("id", 1, "body", "globex's draft"));

            assertThat(globex.publish("note", EVERY)).isEqualTo(1);

            assertThat(db.value("SELECT body FROM history_tenant_globex.notes")).isEqualTo("globex's draft");
            assertThat(db.value("SELECT count(*) FROM history_tenant_acme.notes")).isEqualTo(0L);
            assertThat(db.value("SELECT draft_dirty FROM history_tenant_acme.notes_draft")).isEqualTo(true);
            assertThat(acme.read("note").asDraft().list()).extracting(r -> r.get("body"))
                    .containsExactly("acme's draft");
            globex.read("note").asDraft().updateAll(Map.of("body", "globex, edited"));
            assertThat(globex.restoreDraft("note", EVERY)).isEqualTo(1);
            assertThat(db.value("SELECT body FROM history_tenant_acme.notes_draft")).isEqualTo("acme's draft");
            assertThat(db.value("SELECT body FROM history_tenant_globex.notes_draft")).isEqualTo("globex's draft");
            assertThat(db.value("SELECT to_regclass('public.notes_draft')")).as("nothing in the main schema").isNull();
        }
    }

    @Test
    void anotherTenantPublishingRestoringOrReadingEveryDraftTouchesNoneOfTheVictims(TestDatabase db) {
        try (Ashlar ashlar = migrated(db, project, TICKET)) {
            Ashlar victim = ashlar.withTenant("42");
            Ashlar attacker = ashlar.withTenant("7");
            victim.create(victim.drafts("ticket"), Map.of("subject", "secret plan"));
            Object published = victim.create(victim.drafts("ticket"), Map.of("subject", "press release")).get("id");
            victim.publish("ticket", Filter.eq("id", published));
            victim.read("ticket").asDraft().where(Filter.eq("id", published))
                    .updateAll(Map.of("subject", "press release, unpublished edit"));
            attacker.create(attacker.drafts("ticket"), Map.of("subject", "own draft"));

            assertThat(attacker.read("ticket").asDraft().list()).extracting(r -> r.get("subject"))
                    .containsExactly("own draft");
            assertThat(attacker.publish("ticket", EVERY)).as("the attacker's own draft alone").isEqualTo(1);
            assertThat(attacker.restoreDraft("ticket", EVERY)).isEqualTo(1);
            assertThat(attacker.read("ticket").asDraft().updateAll(Map.of("subject", "defaced"))).hasSize(1);

            assertThat(db.query("SELECT subject FROM tickets WHERE org_id = 42")).extracting(r -> r.get("subject"))
                    .containsExactly("press release");
            assertThat(db.query("SELECT subject, draft_dirty FROM tickets_draft WHERE org_id = 42 ORDER BY id"))
                    .containsExactly(Map.of("subject", "secret plan", "draft_dirty", true),
                            Map.of("subject", "press release, unpublished edit", "draft_dirty", true));
            assertThat(db.value("SELECT count(*) FROM tickets WHERE org_id = 7")).isEqualTo(1L);
        }
    }

    @Test
    void anotherTenantCountingFindingForgingUpdatingDestroyingPublishingOrRestoringTheVictimsDraftByKeyGetsNothing(
            TestDatabase db) {
        try (Ashlar ashlar = migrated(db, project, TICKET)) {
            Ashlar victim = ashlar.withTenant("42");
            Ashlar attacker = ashlar.withTenant("7");
            Row secret = victim.create(victim.drafts("ticket"), Map.of("subject", "secret plan"));
            Object id = secret.get("id");
            Filter victims = Filter.eq("id", id);
            Object own = attacker.create(attacker.drafts("ticket"), Map.of("subject", "own draft")).get("id");

            assertThat(attacker.read("ticket").asDraft().count()).isEqualTo(1L);
            assertThat(attacker.read("ticket").asDraft().sum("id").longValue()).isEqualTo(((Number) own).longValue());
            assertThat(attacker.find(attacker.drafts("ticket"), id)).isEmpty();
            assertThat(attacker.read("ticket").asDraft().where(victims).one()).isEmpty();
            assertThat(attacker.publish("ticket", victims)).isZero();
            assertThat(attacker.restoreDraft("ticket", victims)).isZero();
            assertThat(attacker.read("ticket").asDraft().where(victims).updateAll(Map.of("subject", "defaced")))
                    .isEmpty();
            assertThatThrownBy(() -> attacker.update(secret, Map.of("subject", "defaced")));
            assertThatThrownBy(() -> attacker.destroy(secret));
            assertThatThrownBy(() -> attacker.create(attacker.drafts("ticket"), Map.of("org_id", 42, "subject",
                    "forged"))).isInstanceOf(InvalidDataException.class).hasMessageContaining("cannot be set to 42");
            assertThat(attacker.read("ticket").asDraft().where(victims).destroyAll()).isZero();

            assertThat(db.query("SELECT subject, draft_dirty FROM tickets_draft WHERE org_id = 42"))
                    .containsExactly(Map.of("subject", "secret plan", "draft_dirty", true));
            assertThat(db.value("SELECT count(*) FROM tickets")).isEqualTo(0L);
        }
    }

    @Test
    void aDraftWhoseKeyAnotherTenantsRecordHoldsFailsTheWholePublishNamingTheKey(TestDatabase db) {
        try (Ashlar ashlar = migrated(db, project, TICKET)) {
            Ashlar victim = ashlar.withTenant("42");
            Ashlar attacker = ashlar.withTenant("7");
            victim.create("ticket", Map.of("id", 100, "subject", "victim's record"));
            attacker.create(attacker.drafts("ticket"), Map.of("id", 99, "subject", "harmless"));
            attacker.create(attacker.drafts("ticket"), Map.of("id", 100, "subject", "takeover"));

            assertThatThrownBy(() -> attacker.publish("ticket", EVERY)).isInstanceOf(InvalidDataException.class)
                    .hasMessageContaining("Invalid ticket (upsert): id has already been taken");

            assertThat(db.query("SELECT org_id, subject FROM tickets")).containsExactly(
                    Map.of("org_id", 42L, "subject", "victim's record"));
            assertThat(db.value("SELECT count(*) FROM tickets_draft WHERE draft_dirty")).as("nothing published")
                    .isEqualTo(2L);
        }
    }

    @Test
    void underRowLevelSecurityTheDraftTableHasTheTablesPolicyAndAnotherTenantsRoleReadsNoneOfItsDrafts(
            TestDatabase db) {
        try (Ashlar ashlar = migrated(db, project, GUARDED);
             TestDatabase.Role attacker = db.loginRole("draft_tenant_attacker")) {
            Ashlar victim = ashlar.withTenant("42");
            Object id = victim.create(victim.drafts("ticket"), Map.of("subject", "secret draft")).get("id");
            ashlar.withTenant("7").create(ashlar.withTenant("7").drafts("ticket"), Map.of("subject", "own draft"));
            assertThat(victim.publish("ticket", Filter.eq("id", id))).isEqualTo(1);
            db.execute("GRANT SELECT, INSERT, UPDATE ON tickets, tickets_draft TO " + attacker.name());

            assertThat(db.query("SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = "
                    + "'public.tickets_draft'::regclass")).containsExactly(
                    Map.of("relrowsecurity", true, "relforcerowsecurity", true));
            assertThat(db.value("SELECT count(*) FROM pg_policy WHERE polrelid = 'public.tickets_draft'::regclass"))
                    .isEqualTo(1L);
            assertThat(asRole(db, attacker.name(), "7", "SELECT subject FROM tickets_draft"))
                    .containsExactly("own draft");
            assertThat(asRole(db, attacker.name(), null, "SELECT subject FROM tickets_draft")).isEmpty();
            assertThat(asRole(db, attacker.name(), "7", "UPDATE tickets_draft SET subject = 'defaced' "
                    + "WHERE org_id = 42 RETURNING id")).isEmpty();
            assertThatThrownBy(() -> asRole(db, attacker.name(), "7", "INSERT INTO tickets_draft (id, org_id, "
                    + "subject) VALUES (99, 42, 'forged') RETURNING id"))
                    .hasMessageContaining("violates row-level security policy");
            assertThat(db.value("SELECT subject FROM tickets_draft WHERE org_id = 42")).isEqualTo("secret draft");
        }
    }
}
