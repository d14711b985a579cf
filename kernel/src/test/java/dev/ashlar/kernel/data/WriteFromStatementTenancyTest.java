package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ForbiddenException;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Policy;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Writes of a resource from a statement written by hand or a read, from the attacker's side: tenant b's handle, given
 * a statement over every tenant's rows (or one that claims every row is b's), updates, destroys and archives its own
 * rows only, under a tenant column and in a schema per tenant; soft delete and the actor's policies hold too. The
 * other side's rows are checked in SQL.
 */
class WriteFromStatementTenancyTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("write_from_statement_tenancy")
            .resource(Resource.builder("order").table("wst_orders").bigintPrimaryKey("id")
                    .attribute("org", TEXT, a -> a.notNull()).attribute("status", TEXT).attribute("total", INTEGER)
                    .build())
            .resource(Resource.builder("archive").table("wst_archive").bigintPrimaryKey("id")
                    .attribute("org", TEXT, a -> a.notNull()).attribute("order_id", BIGINT)
                    .attribute("status", TEXT).attribute("total", INTEGER).build())
            .resource(Resource.builder("note").table("wst_notes").bigintPrimaryKey("id").attribute("body", TEXT)
                    .build())
            .resource(Resource.builder("note_copy").table("wst_note_copies").bigintPrimaryKey("id")
                    .attribute("body", TEXT).build())
            .resource(Resource.builder("memo").table("wst_memos").bigintPrimaryKey("id").attribute("title", TEXT)
                    .attribute("deleted_at", TIMESTAMPTZ).softDelete("deleted_at").build())
            .resource(Resource.builder("doc").table("wst_docs").bigintPrimaryKey("id").attribute("title", TEXT)
                    .attribute("owner_id", BIGINT).attribute("pages", INTEGER).build())
            .resource(Resource.builder("doc_copy").table("wst_doc_copies").bigintPrimaryKey("id")
                    .attribute("title", TEXT).attribute("pages", INTEGER).build())
            .build();

    /** An actor reads every doc, but changes and destroys only its own, and creates only docs it owns. */
    static final Policy DOCS = Policy.on("doc").read(actor -> Policy.ANY_ROW)
            .create(actor -> eq("owner_id", actor.id())).update(actor -> eq("owner_id", actor.id()))
            .destroy(actor -> eq("owner_id", actor.id()));

    private static final String EVERY_ORDER = "SELECT * FROM wst_orders";
    /** Every tenant's orders, each claiming to be b's: the read's tenant condition passes them all. */
    private static final String EVERY_ORDER_AS_B = "SELECT id, 'b' AS org, status, total FROM wst_orders";

    WriteFromStatementTenancyTest() {
        super(DOMAIN, OneResourceTenancy.column("order", "org", false),
                OneResourceTenancy.column("archive", "org", false));
    }

    /** Orders 1, 2 and 4 are a's; 3 and 5 are b's. */
    @BeforeEach
    void rows() {
        db.execute("TRUNCATE wst_orders, wst_archive, wst_notes, wst_note_copies, wst_memos, wst_docs, wst_doc_copies "
                + "RESTART IDENTITY");
        db.execute("INSERT INTO wst_orders (org, status, total) VALUES ('a', 'paid', 100), ('a', 'open', 200), "
                + "('b', 'paid', 5), ('a', 'paid', 300), ('b', 'open', 7)");
        db.execute("INSERT INTO wst_memos (title, deleted_at) VALUES ('kept', NULL), ('deleted', now())");
        db.execute("INSERT INTO wst_docs (title, owner_id, pages) VALUES ('a-salary', 1, 10), ('b-notes', 2, 3)");
    }

    private List<String> orders(String org) {
        return db.query("SELECT id, status FROM wst_orders WHERE org = ? ORDER BY id", org).stream()
                .map(r -> r.get("id") + ":" + r.get("status")).toList();
    }

    private static final List<String> A_UNTOUCHED = List.of("1:paid", "2:open", "4:paid");

    @Test
    void tenantBsUpdateFromAStatementOverEveryTenantsOrdersChangesOnlyItsOwn() {
        Ashlar b = ashlar.withTenant("b");

        List<Row> updated = b.read("order").from(EVERY_ORDER).updateAll(Map.of("status", "void"));

        assertThat(updated).extracting(row -> row.get("id")).containsExactlyInAnyOrder(3L, 5L);
        assertThat(orders("b")).containsExactly("3:void", "5:void");
        assertThat(orders("a")).isEqualTo(A_UNTOUCHED);
    }

    @Test
    void aStatementClaimingEveryTenantsRowsAreBsStillChangesAndDestroysNoneOfAs() {
        Ashlar b = ashlar.withTenant("b");

        // The read of the statement's rows sees all five as b's; the write finds a's by key outside b's scope.
        assertThat(b.read("order").from(EVERY_ORDER_AS_B).count()).isEqualTo(5);
        assertThat(b.read("order").from(EVERY_ORDER_AS_B).updateCount(Map.of("status", "void"))).isEqualTo(2);
        assertThat(orders("a")).isEqualTo(A_UNTOUCHED);
        assertThat(b.read("order").from(EVERY_ORDER_AS_B).destroyAll()).isEqualTo(2);

        assertThat(orders("a")).isEqualTo(A_UNTOUCHED);
        assertThat(orders("b")).isEmpty();
    }

    @Test
    void tenantBsDestroyFromAStatementNamingOnlyAsOrdersDestroysNothing() {
        Ashlar b = ashlar.withTenant("b");

        assertThat(b.read("order").from("SELECT * FROM wst_orders WHERE org = ?", "a").destroyAll()).isZero();
        assertThat(b.read("order").from("SELECT * FROM wst_orders WHERE id IN (1, 2)").updateAll(
                Map.of("status", "void"))).isEmpty();

        assertThat(orders("a")).isEqualTo(A_UNTOUCHED);
        assertThat(db.value("SELECT count(*) FROM wst_orders")).isEqualTo(5L);
    }

    @Test
    void tenantBsCreateFromAStatementOverEveryTenantsOrdersArchivesOnlyItsOwnInB() {
        Ashlar b = ashlar.withTenant("b");

        List<Row> archived = b.createAll("archive", b.read("order").from(EVERY_ORDER),
                Map.of("order_id", "id", "status", "status", "total", "total"));

        assertThat(archived).extracting(row -> row.get("order_id")).containsExactly(3L, 5L);
        assertThat(db.value("SELECT string_agg(org || ':' || order_id, ',' ORDER BY order_id) FROM wst_archive"))
                .isEqualTo("b:3,b:5");
    }

    @Test
    void tenantBsCreateFromTenantAsReadWritesTheRowsInBTheTenantColumnSetByTheCreate() {
        List<Row> archived = ashlar.withTenant("b").createAll("archive", ashlar.withTenant("a").read("order")
                .where(eq("status", "paid")));

        assertThat(archived).extracting(row -> row.get("org")).containsOnly("b");
        assertThat(db.value("SELECT string_agg(org || ':' || id || ':' || total, ',' ORDER BY id) FROM wst_archive"))
                .isEqualTo("b:1:100,b:4:300");
        assertThat(db.value("SELECT count(*) FROM wst_archive WHERE org = 'a'")).isEqualTo(0L);
    }

    @Test
    void tenantBsCreateFromAStatementNamingTenantAIsRefusedAndWritesNothing() {
        assertThatThrownBy(() -> ashlar.withTenant("b").createAll("archive",
                ashlar.sql("SELECT id AS order_id, org, total FROM wst_orders WHERE org = ?", "a")))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("archive")
                .hasMessageContaining("cannot be set to a");

        assertThat(db.value("SELECT count(*) FROM wst_archive")).isEqualTo(0L);
    }

    @Test
    void inASchemaPerTenantTenantBsWritesFromAStatementChangeAndCreateRowsOfItsOwnSchemaOnly() {
        db.execute("DROP SCHEMA IF EXISTS wst_a CASCADE; DROP SCHEMA IF EXISTS wst_b CASCADE; "
                + "CREATE SCHEMA wst_a; CREATE SCHEMA wst_b; "
                + "CREATE TABLE wst_a.wst_notes (LIKE public.wst_notes INCLUDING ALL); "
                + "CREATE TABLE wst_b.wst_notes (LIKE public.wst_notes INCLUDING ALL); "
                + "CREATE TABLE wst_a.wst_note_copies (LIKE public.wst_note_copies INCLUDING ALL); "
                + "CREATE TABLE wst_b.wst_note_copies (LIKE public.wst_note_copies INCLUDING ALL); "
                + "INSERT INTO wst_a.wst_notes (id, body) VALUES (1, 'a secret'), (2, 'a plan'); "
                + "INSERT INTO wst_b.wst_notes (id, body) VALUES (7, 'b note'); "
                + "INSERT INTO public.wst_notes (id, body) VALUES (9, 'shared table')");
        try (Ashlar schemas = Fixtures.ashlar(db, DOMAIN, OneResourceTenancy.schemas("note"),
                OneResourceTenancy.schemas("note_copy"))) {
            Ashlar b = schemas.withTenant("wst_b");

            assertThat(b.read("note").from("SELECT * FROM wst_notes").updateAll(Map.of("body", "b edited")))
                    .extracting(row -> row.get("id")).containsExactly(7L);
            // Keys read from a's schema name no row of b's: b's write finds none of them in its own table.
            assertThat(b.read("note").from("SELECT * FROM wst_a.wst_notes").destroyAll()).isZero();
            List<Row> copied = b.createAll("note_copy", b.read("note").from("SELECT * FROM wst_notes"));

            assertThat(copied).extracting(row -> row.get("body")).containsExactly("b edited");
            assertThat(db.value("SELECT string_agg(id || ':' || body, ',' ORDER BY id) FROM wst_a.wst_notes"))
                    .isEqualTo("1:a secret,2:a plan");
            assertThat(db.value("SELECT string_agg(body, ',') FROM wst_b.wst_notes")).isEqualTo("b edited");
            assertThat(db.value("SELECT string_agg(body, ',') FROM wst_b.wst_note_copies")).isEqualTo("b edited");
            assertThat(db.value("SELECT count(*) FROM wst_a.wst_note_copies")).isEqualTo(0L);
            assertThat(db.value("SELECT body FROM public.wst_notes")).isEqualTo("shared table");
        }
    }

    @Test
    void aDestroyFromAStatementNamingASoftDeletedRowMarksOnlyTheLiveOnes() {
        int destroyed = ashlar.read("memo").from("SELECT * FROM wst_memos").destroyAll();

        assertThat(destroyed).isEqualTo(1);
        assertThat(db.value("SELECT count(*) FROM wst_memos WHERE deleted_at IS NULL")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM wst_memos")).isEqualTo(2L);
    }

    @Test
    void aPermanentDestroyIgnoringTheBaseFilterPurgesTheSoftDeletedRowsTheStatementReturns() {
        int purged = ashlar.permanently().read("memo").ignoreBaseFilter()
                .from("SELECT * FROM wst_memos WHERE deleted_at IS NOT NULL").destroyAll();

        assertThat(purged).isEqualTo(1);
        assertThat(db.value("SELECT string_agg(title, ',') FROM wst_memos")).isEqualTo("kept");
    }

    @Test
    void anUpdateIgnoringTheBaseFilterChangesTheSoftDeletedRowsTheStatementReturns() {
        int changed = ashlar.read("memo").ignoreBaseFilter()
                .from("SELECT * FROM wst_memos WHERE deleted_at IS NOT NULL").updateCount(Map.of("title", "seen"));

        assertThat(changed).isEqualTo(1);
        assertThat(db.value("SELECT string_agg(title, ',' ORDER BY id) FROM wst_memos")).isEqualTo("kept,seen");
    }

    /** As {@link #DOCS}, and an actor sees the pages of its own docs only. */
    static final Policy DOCS_PAGES_HIDDEN = Policy.on("doc").read(actor -> Policy.ANY_ROW)
            .update(actor -> Policy.ANY_ROW).field("pages", actor -> eq("owner_id", actor.id()));

    @Test
    void aFieldHiddenFromTheActorIsNeitherCopiedByACreateFromAReadNorReachedThroughAStatement() {
        try (Ashlar policed = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN)
                .policies(DOCS_PAGES_HIDDEN).build()) {
            Ashlar two = policed.withUser(2L);
            Map<String, String> copied = Map.of("title", "title", "pages", "pages");

            assertThatThrownBy(() -> two.createAll("doc_copy", two.read("doc"), copied))
                    .isInstanceOf(ForbiddenException.class).hasMessageContaining("pages");
            assertThatThrownBy(() -> two.read("doc").from("SELECT * FROM wst_docs").updateCount(Map.of("title", "x")))
                    .isInstanceOf(AshlarException.class).hasMessageContaining("doc");
            assertThat(db.value("SELECT count(*) FROM wst_doc_copies")).isEqualTo(0L);
            assertThat(db.value("SELECT string_agg(title, ',' ORDER BY id) FROM wst_docs"))
                    .isEqualTo("a-salary,b-notes");

            assertThat(two.createAll("doc_copy", two.read("doc").where(eq("owner_id", 2L)), copied))
                    .extracting(row -> row.get("pages")).containsExactly(3);
        }
    }

    @Test
    void anActorsWritePolicyHoldsOverAStatementReturningAnotherActorsRows() {
        try (Ashlar policed = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN).policies(DOCS).build()) {
            Ashlar two = policed.withUser(2L);

            assertThat(two.read("doc").from("SELECT * FROM wst_docs").updateAll(Map.of("pages", 99)))
                    .extracting(row -> row.get("title")).containsExactly("b-notes");
            assertThat(two.read("doc").from("SELECT * FROM wst_docs WHERE owner_id = ?", 1).destroyAll()).isZero();
            assertThatThrownBy(() -> two.createAll("doc", two.read("doc").from("SELECT * FROM wst_docs"),
                    Map.of("title", "title", "owner_id", "owner_id")))
                    .isInstanceOf(AshlarException.class).hasMessageContaining("doc");

            assertThat(db.value("SELECT string_agg(title || ':' || pages, ',' ORDER BY id) FROM wst_docs"))
                    .isEqualTo("a-salary:10,b-notes:99");
        }
    }
}
