package dev.ashlar.plugins.tenancy;

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
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An attribute stored only in drafts under tenants: another tenant reading, finding by, changing or publishing drafts
 * never sees nor changes the victim's draft-only value, by tenant column and by schema per tenant.
 */
@ExtendWith(PostgresExtension.class)
class DraftOnlyTenancyTest {
    static final Resource TICKET = Resource.builder("ticket").table("tickets").integerPrimaryKey("id")
            .attribute("org_id", BIGINT, a -> a.notNull()).attribute("subject", TEXT)
            .attribute("editor_note", TEXT, a -> a.draftOnly()).draftable()
            .with(Multitenancy.attribute("org_id")).build();
    static final Resource NOTE = Resource.builder("note").table("notes").primaryKey("id").attribute("body", TEXT)
            .attribute("editor_note", TEXT, a -> a.draftOnly()).draftable().with(Multitenancy.context()).build();

    @TempDir
    Path project;

    @Test
    void anotherTenantReadingFindingChangingOrPublishingDraftsNeverReachesTheVictimsDraftOnlyValue(TestDatabase db) {
        try (Ashlar ashlar = TenancyDataTest.migrated(db, project, Domain.builder("drafts")
                .resources(HistoryTenancyTest.TENANT, TICKET).build(), "history_tenant_")) {
            Ashlar victim = ashlar.withTenant("42");
            Ashlar attacker = ashlar.withTenant("7");
            Object id = victim.create(victim.drafts("ticket"), Map.of("subject", "plan", "editor_note", "secret"))
                    .get("id");
            attacker.create(attacker.drafts("ticket"), Map.of("subject", "own", "editor_note", "mine"));
            Filter secret = Filter.eq("editor_note", "secret");

            assertThat(attacker.read("ticket").asDraft().list()).extracting(r -> r.get("editor_note"))
                    .containsExactly("mine");
            assertThat(attacker.read("ticket").asDraft().where(secret).count()).isZero();
            assertThat(attacker.read("ticket").asDraft().where(Filter.eq("id", id))
                    .updateAll(Map.of("editor_note", "defaced"))).isEmpty();
            assertThat(attacker.publish("ticket", Filter.notNil("id"))).isEqualTo(1);
            assertThat(attacker.restoreDraft("ticket", Filter.notNil("id"))).isEqualTo(1);

            assertThat(db.query("SELECT org_id, editor_note FROM tickets_draft ORDER BY org_id")).containsExactly(
                    Map.of("org_id", 7L, "editor_note", "mine"), Map.of("org_id", 42L, "editor_note", "secret"));
            assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'tickets' "
                    + "AND column_name = 'editor_note'")).isEqualTo(0L);
        }
    }

    @Test
    void eachTenantSchemasDraftTableHoldsItsOwnDraftOnlyValuesAndTheTablesHoldNone(TestDatabase db) {
        try (Ashlar ashlar = TenancyDataTest.migrated(db, project, Domain.builder("drafts")
                .resources(HistoryTenancyTest.TENANT, NOTE).build(), "history_tenant_")) {
            ashlar.create("tenant", Map.of("id", "acme"));
            ashlar.create("tenant", Map.of("id", "globex"));
            Ashlar victim = ashlar.withTenant("history_tenant_acme");
            Ashlar attacker = ashlar.withTenant("history_tenant_globex");
            victim.create(victim.drafts("note"), Map.of("id", 1, "body", "b", "editor_note", "secret"));

            assertThat(attacker.read("note").asDraft().where(Filter.eq("editor_note", "secret")).count()).isZero();
            assertThat(attacker.read("note").asDraft().updateAll(Map.of("editor_note", "defaced"))).isEmpty();
            attacker.create(attacker.drafts("note"), Map.of("id", 1, "body", "own", "editor_note", "mine"));
            assertThat(attacker.publish("note", Filter.notNil("id"))).isEqualTo(1);

            assertThat(db.value("SELECT editor_note FROM history_tenant_acme.notes_draft")).isEqualTo("secret");
            assertThat(db.value("SELECT editor_note FROM history_tenant_globex.notes_draft")).isEqualTo("mine");
            assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_schema LIKE "
                    + "'history_tenant_%' AND table_name = 'notes' AND column_name = 'editor_note'")).isEqualTo(0L);
            assertThat(db.value("SELECT count(*) FROM history_tenant_acme.notes")).isEqualTo(0L);
        }
    }
}
