package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.data.DraftReport;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Draft elements ({@code draftElement()}) are a tenant's own: publishing or restoring a record's graph as one tenant
 * reads, writes and destroys only that tenant's elements, under a tenant column and in schemas per tenant.
 */
@ExtendWith(PostgresExtension.class)
class DraftElementsTenancyTest {
    static final Filter EVERY = Filter.notNil("id");
    static final Resource NOTE = Resource.builder("note").table("notes").primaryKey("id").attribute("body", TEXT)
            .draftable().hasMany("attachments", "attachment", r -> r.draftElement().destinationAttribute("note_id"))
            .with(Multitenancy.context()).build();
    static final Resource ATTACHMENT = Resource.builder("attachment").table("attachments").primaryKey("id")
            .attribute("name", TEXT).belongsTo("note", "note").draftable().refuseLiveWrites()
            .with(Multitenancy.context()).build();
    static final Resource TICKET = Resource.builder("ticket").table("tickets").integerPrimaryKey("id")
            .attribute("org_id", BIGINT, a -> a.notNull()).attribute("subject", TEXT).draftable()
            .hasMany("comments", "comment", r -> r.draftElement().destinationAttribute("ticket_id"))
            .with(Multitenancy.attribute("org_id")).build();
    static final Resource COMMENT = Resource.builder("comment").table("comments").integerPrimaryKey("id")
            .attribute("org_id", BIGINT, a -> a.notNull()).attribute("body", TEXT)
            .attribute("ticket_id", INTEGER).draftable().refuseLiveWrites().with(Multitenancy.attribute("org_id"))
            .build();

    @TempDir
    Path project;

    private Ashlar migrated(TestDatabase db, Resource... resources) {
        return TenancyDataTest.migrated(db, project, Domain.builder("drafts").resource(HistoryTenancyTest.TENANT)
                .resources(resources).build(), "history_tenant_");
    }

    @Test
    void publishingAGraphInOneTenantSchemaDestroysAndWritesOnlyThatSchemasElements(TestDatabase db) {
        try (Ashlar ashlar = migrated(db, NOTE, ATTACHMENT)) {
            Ashlar acme = tenant(ashlar, "acme");
            Ashlar globex = tenant(ashlar, "globex");
            publishedNoteWithAScan(acme, globex);

            globex.read("attachment").asDraft().destroyAll();
            globex.create(globex.drafts("attachment"), Map.of("id", 2, "name", "photo", "note_id", 1));
            assertThat(globex.publish("note", EVERY)).isEqualTo(1);

            assertThat(db.value("SELECT name FROM history_tenant_globex.attachments")).isEqualTo("photo");
            assertThat(db.value("SELECT name FROM history_tenant_acme.attachments")).isEqualTo("scan");
            assertThat(db.value("SELECT count(*) FROM history_tenant_acme.attachments_draft")).isEqualTo(1L);
            acme.read("attachment").asDraft().updateAll(Map.of("name", "acme's edit"));
            assertThat(globex.restoreDraft("note", EVERY)).isEqualTo(1);
            assertThat(db.value("SELECT name FROM history_tenant_acme.attachments_draft")).isEqualTo("acme's edit");
        }
    }

    @Test
    void anotherTenantPublishingOrRestoringEveryGraphNeverReachesTheVictimsElements(TestDatabase db) {
        try (Ashlar ashlar = migrated(db, TICKET, COMMENT)) {
            Ashlar victim = ashlar.withTenant("42");
            Ashlar attacker = ashlar.withTenant("7");
            Row ticket = publishedTicketWithAComment(victim);
            victim.create(victim.drafts("comment"), Map.of("body", "victim's unpublished", "ticket_id",
                    ticket.get("id")));
            Row own = attacker.create(attacker.drafts("ticket"), Map.of("subject", "own ticket"));
            attacker.create(attacker.drafts("comment"), Map.of("body", "own comment", "ticket_id", own.get("id")));

            assertThat(attacker.publish("ticket", EVERY)).isEqualTo(1);
            assertThat(attacker.publish("ticket", Filter.eq("id", ticket.get("id")))).isZero();
            assertThat(attacker.restoreDraft("ticket", EVERY)).isEqualTo(1);
            assertThat(attacker.restoreDraft("ticket", Filter.eq("id", ticket.get("id")))).isZero();
            assertThatThrownBy(() -> attacker.create(attacker.drafts("comment"), Map.of("org_id", 42, "body",
                    "forged", "ticket_id", ticket.get("id")))).hasMessageContaining("cannot be set to 42");

            assertThat(db.query("SELECT body FROM comments WHERE org_id = 42")).extracting(r -> r.get("body"))
                    .containsExactly("victim's comment");
            assertThat(db.query("SELECT body FROM comments_draft WHERE org_id = 42 ORDER BY id"))
                    .extracting(r -> r.get("body")).containsExactly("victim's comment", "victim's unpublished");
            assertThat(db.query("SELECT body FROM comments WHERE org_id = 7")).extracting(r -> r.get("body"))
                    .containsExactly("own comment");
        }
    }

    @Test
    void anAttackerMovingItsElementBelowTheVictimsRecordIsRefusedAndItsReportsCountOnlyItsOwnRows(TestDatabase db) {
        try (Ashlar ashlar = migrated(db, TICKET, COMMENT)) {
            Ashlar victim = ashlar.withTenant("42");
            Ashlar attacker = ashlar.withTenant("7");
            Row ticket = publishedTicketWithAComment(victim);
            Row own = attacker.create(attacker.drafts("ticket"), Map.of("subject", "own ticket"));
            attacker.create(attacker.drafts("comment"), Map.of("body", "own comment", "ticket_id", own.get("id")));
            assertThat(attacker.publishReport("ticket", EVERY).of("comment"))
                    .isEqualTo(new DraftReport.Counts(1, 0, 0));
            attacker.read("comment").asDraft().updateAll(Map.of("ticket_id", ticket.get("id")));

            assertThatThrownBy(() -> attacker.publish("ticket", EVERY))
                    .hasMessageContaining("to " + ticket.get("id") + ")")
                    .hasMessageContaining("Nothing was published");
            DraftReport victims = attacker.publishReport("ticket", Filter.eq("id", ticket.get("id")));
            assertThat(victims.count()).isZero();
            assertThat(victims.of("comment").written()).isZero();
            DraftReport restored = attacker.restoreDraftReport("ticket", EVERY);

            assertThat(restored.of("comment")).isEqualTo(new DraftReport.Counts(0, 1, 0));
            assertThat(db.query("SELECT body FROM comments WHERE ticket_id = " + ticket.get("id")))
                    .extracting(r -> r.get("body")).containsExactly("victim's comment");
            assertThat(db.query("SELECT ticket_id FROM comments_draft WHERE org_id = 7"))
                    .extracting(r -> r.get("ticket_id")).containsExactly(own.get("id"));
            victim.read("comment").asDraft().updateAll(Map.of("body", "victim's edit"));
            assertThat(victim.publishReport("ticket", EVERY).of("comment"))
                    .isEqualTo(new DraftReport.Counts(0, 1, 0));
        }
    }

    @Test
    void anElementMovedBelowAKeyOnlyAnotherSchemaHoldsIsRefusedThereAndLeavesThatSchemaAlone(TestDatabase db) {
        try (Ashlar ashlar = migrated(db, NOTE, ATTACHMENT)) {
            Ashlar acme = tenant(ashlar, "acme");
            Ashlar globex = tenant(ashlar, "globex");
            acme.create(acme.drafts("note"), Map.of("id", 2, "body", "acme's note"));
            acme.create(acme.drafts("attachment"), Map.of("id", 5, "name", "acme's scan", "note_id", 2));
            acme.publish("note", EVERY);
            globex.create(globex.drafts("note"), Map.of("id", 1, "body", "note"));
            globex.create(globex.drafts("attachment"), Map.of("id", 1, "name", "photo", "note_id", 1));
            globex.publish("note", EVERY);
            globex.read("attachment").asDraft().updateAll(Map.of("note_id", 2));

            assertThatThrownBy(() -> globex.publish("note", EVERY)).hasMessageContaining("from 1 to 2");
            assertThat(globex.publishReport("note", Filter.eq("id", 2)).count()).isZero();
            assertThat(globex.restoreDraftReport("note", EVERY).of("attachment"))
                    .isEqualTo(new DraftReport.Counts(0, 1, 0));

            assertThat(db.query("SELECT name, note_id FROM history_tenant_acme.attachments"))
                    .extracting(r -> r.get("name")).containsExactly("acme's scan");
            assertThat(db.value("SELECT count(*) FROM history_tenant_acme.attachments_draft")).isEqualTo(1L);
            assertThat(db.value("SELECT note_id FROM history_tenant_globex.attachments_draft")).isEqualTo(1L);
            acme.read("attachment").asDraft().updateAll(Map.of("name", "acme's scan v2"));
            assertThat(acme.publishReport("note", EVERY).of("attachment"))
                    .isEqualTo(new DraftReport.Counts(0, 1, 0));
        }
    }

    @Test
    void anAttackersElementPublishedDirectlyWithTheVictimsKeyAsOwnerStaysTheAttackersAndUnseenByTheVictim(
            TestDatabase db) {
        try (Ashlar ashlar = migrated(db, TICKET, COMMENT)) {
            Ashlar victim = ashlar.withTenant("42");
            Ashlar attacker = ashlar.withTenant("7");
            Row ticket = publishedTicketWithAComment(victim);
            Row own = attacker.create(attacker.drafts("ticket"), Map.of("subject", "own ticket"));
            attacker.create(attacker.drafts("comment"), Map.of("body", "own comment", "ticket_id", own.get("id")));
            attacker.publish("ticket", EVERY);
            attacker.read("comment").asDraft().updateAll(Map.of("ticket_id", ticket.get("id")));

            assertThat(attacker.publish("comment", EVERY)).as("the element is draftable in its own right").isOne();

            assertThat(victim.read("comment").where(Filter.eq("ticket_id", ticket.get("id"))).list())
                    .extracting(r -> r.get("body")).containsExactly("victim's comment");
            // The victim's own comment is rewritten unchanged; the attacker's row below its ticket is not reached.
            assertThat(victim.publishReport("ticket", EVERY).of("comment")).isEqualTo(new DraftReport.Counts(0, 0, 0));
            assertThat(db.query("SELECT org_id, body FROM comments WHERE ticket_id = " + ticket.get("id")
                    + " ORDER BY id")).extracting(r -> r.get("org_id") + " " + r.get("body"))
                    .containsExactly("42 victim's comment", "7 own comment");
        }
    }

    @Test
    void publishingAsAnotherTenantWithdrawsOnlyItsOwnRecordsWhoseDraftsWereDestroyedUnderATenantColumn(
            TestDatabase db) {
        try (Ashlar ashlar = migrated(db, TICKET, COMMENT)) {
            Ashlar victim = ashlar.withTenant("42");
            Ashlar attacker = ashlar.withTenant("7");
            publishedTicketWithAComment(victim);
            publishedTicketWithAComment(attacker);
            victim.read("comment").asDraft().destroyAll();
            attacker.read("comment").asDraft().destroyAll();
            Object victims = db.value("SELECT id FROM comments WHERE org_id = 42");

            DraftReport byKey = attacker.publishWithdrawing("comment", Filter.eq("id", victims));
            DraftReport every = attacker.publishWithdrawing("comment", EVERY);

            assertThat(byKey.of("comment")).isEqualTo(new DraftReport.Counts(0, 0, 0));
            assertThat(every.of("comment")).isEqualTo(new DraftReport.Counts(0, 0, 1));
            assertThat(db.value("SELECT count(*) FROM comments WHERE org_id = 7")).isEqualTo(0L);
            assertThat(db.value("SELECT count(*) FROM comments WHERE org_id = 42")).isEqualTo(1L);
            assertThat(victim.publishWithdrawing("comment", EVERY).of("comment"))
                    .isEqualTo(new DraftReport.Counts(0, 0, 1));
            assertThat(db.value("SELECT count(*) FROM comments")).isEqualTo(0L);
            assertThat(db.value("SELECT count(*) FROM tickets")).isEqualTo(2L);
        }
    }

    @Test
    void publishingInOneTenantSchemaWithdrawsOnlyThatSchemasRecordsWhoseDraftsWereDestroyed(TestDatabase db) {
        try (Ashlar ashlar = migrated(db, NOTE, ATTACHMENT)) {
            Ashlar acme = tenant(ashlar, "acme");
            Ashlar globex = tenant(ashlar, "globex");
            publishedNoteWithAScan(acme, globex);
            acme.read("attachment").asDraft().destroyAll();

            DraftReport globexs = globex.publishWithdrawing("attachment", Filter.eq("id", 1));

            assertThat(globexs.count()).isOne();
            assertThat(globexs.of("attachment")).as("rewritten unchanged").isEqualTo(new DraftReport.Counts(0, 0, 0));
            assertThat(db.value("SELECT count(*) FROM history_tenant_acme.attachments")).isEqualTo(1L);
            assertThat(acme.publishWithdrawing("attachment", EVERY).of("attachment"))
                    .isEqualTo(new DraftReport.Counts(0, 0, 1));
            assertThat(db.value("SELECT count(*) FROM history_tenant_acme.attachments")).isEqualTo(0L);
            assertThat(db.value("SELECT name FROM history_tenant_globex.attachments")).isEqualTo("scan");
        }
    }

    /** Note 1 with attachment 1, "scan", published in each tenant's schema. */
    private static void publishedNoteWithAScan(Ashlar... tenants) {
        for (Ashlar tenant : tenants) {
            tenant.create(tenant.drafts("note"), Map.of("id", 1, "body", "note"));
            tenant.create(tenant.drafts("attachment"), Map.of("id", 1, "name", "scan", "note_id", 1));
            tenant.publish("note", EVERY);
        }
    }

    /** The victim's ticket with one comment, published. */
    private static Row publishedTicketWithAComment(Ashlar victim) {
        Row ticket = victim.create(victim.drafts("ticket"), Map.of("subject", "victim's ticket"));
        victim.create(victim.drafts("comment"), Map.of("body", "victim's comment", "ticket_id", ticket.get("id")));
        victim.publish("ticket", EVERY);
        return ticket;
    }

    /** A handle on a new tenant's schema. */
    private static Ashlar tenant(Ashlar ashlar, String name) {
        ashlar.create("tenant", Map.of("id", name));
        return ashlar.withTenant("history_tenant_" + name);
    }
}
