package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Policy;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.Read;
import dev.ashlar.testing.RequiresPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.BOOLEAN;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A read from a statement written by hand from the attacker's side: tenant b's handle, given a statement that names
 * every tenant's rows, gets its own (a tenant column, a schema per tenant), and the base filter, soft delete and the
 * actor's policy still hide their rows. The rows of the other side are checked in SQL.
 */
class SqlSourceTenancyTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("sql_source_tenancy")
            .resource(Resource.builder("order").table("ten_orders").bigintPrimaryKey("id")
                    .attribute("org", TEXT, a -> a.notNull()).attribute("status", TEXT).attribute("total", INTEGER)
                    .build())
            .resource(Resource.builder("note").table("ten_notes").bigintPrimaryKey("id").attribute("body", TEXT)
                    .build())
            .resource(Resource.builder("memo").table("ten_memos").bigintPrimaryKey("id").attribute("title", TEXT)
                    .attribute("deleted_at", TIMESTAMPTZ).softDelete("deleted_at").build())
            .resource(Resource.builder("feed").table("ten_feeds").bigintPrimaryKey("id").attribute("line", TEXT)
                    .attribute("withdrawn", BOOLEAN).baseFilter("NOT withdrawn", eq("withdrawn", false)).build())
            .resource(Resource.builder("doc").table("ten_docs").bigintPrimaryKey("id").attribute("title", TEXT)
                    .attribute("owner_id", BIGINT).attribute("pages", INTEGER).build())
            .build();

    static final Policy DOCS = Policy.on("doc").read(actor -> eq("owner_id", actor.id()));

    SqlSourceTenancyTest() {
        super(DOMAIN, OneResourceTenancy.column("order", "org", false));
    }

    @BeforeEach
    void rows() {
        db.execute("TRUNCATE ten_orders, ten_notes, ten_memos, ten_feeds, ten_docs RESTART IDENTITY");
        db.execute("INSERT INTO ten_orders (org, status, total) VALUES ('a', 'paid', 100), ('a', 'open', 200), "
                + "('b', 'paid', 5), ('a', 'paid', 300), ('b', 'open', 7)");
        db.execute("INSERT INTO ten_memos (title, deleted_at) VALUES ('kept', NULL), ('deleted', now())");
        db.execute("INSERT INTO ten_feeds (line, withdrawn) VALUES ('live', false), ('withdrawn', true)");
        db.execute("INSERT INTO ten_docs (title, owner_id, pages) VALUES ('a-salary', 1, 10), ('b-notes', 2, 3)");
    }

    @Test
    void tenantBGivenAStatementOverEveryTenantsOrdersReadsOnlyItsOwn() {
        Ashlar b = ashlar.withTenant("b");
        String every = "SELECT * FROM ten_orders";

        assertThat(b.read("order").from(every).sort(Sort.asc("id")).list()).extracting(row -> row.get("id"))
                .containsExactly(3L, 5L);
        assertThat(b.read("order").from(every).count()).isEqualTo(2);
        assertThat(b.read("order").from(every).sum("total").longValue()).isEqualTo(12);
        assertThat(b.read("order").from(every).where(eq("id", 1)).exists()).isFalse();
        assertThat(b.read("order").from("SELECT * FROM ten_orders WHERE org = ?", "a").list()).isEmpty();
        assertThat(b.read("order").from(every).groupBy("status").count("orders").list()).hasSize(2);
        assertThat(b.read("order").from(every).where(gt("total", 50)).list()).isEmpty();
        assertThat(ashlar.withTenant("a").read("order").from(every).count()).isEqualTo(3);
        assertThat(db.value("SELECT count(*) FROM ten_orders WHERE org = 'a'")).isEqualTo(3L);
    }

    @Test
    void aLimitInsideTheStatementSeesEveryTenantsRowsAndTenantBStillGetsOnlyItsOwnOfThem() {
        Ashlar b = ashlar.withTenant("b");

        // The two newest of every tenant are b's 5 and a's 4: b reads its 5 alone.
        assertThat(b.read("order").from("SELECT * FROM ten_orders ORDER BY id DESC LIMIT ?", 2)
                .values("id", Long.class)).containsExactly(5L);
        // The two oldest are a's 1 and 2: b reads none, never a's.
        assertThat(b.read("order").from("SELECT * FROM ten_orders ORDER BY id LIMIT ?", 2).list()).isEmpty();
        assertThat(db.value("SELECT count(*) FROM ten_orders WHERE org = 'a' AND id IN (1, 2, 4)")).isEqualTo(3L);
    }

    @Test
    void aStatementLeavingOutTheTenantColumnIsRefusedNamingItRatherThanReadingEveryTenant() {
        Ashlar b = ashlar.withTenant("b");

        assertThatThrownBy(() -> b.read("order").from("SELECT id, status, total FROM ten_orders").select("status")
                .list())
                .isInstanceOf(QueryException.class).hasMessageContaining("order").hasMessageContaining("[org]");
        assertThatThrownBy(() -> b.read("order").from("SELECT id, status, total FROM ten_orders").count())
                .isInstanceOf(QueryException.class).hasMessageContaining("[org]");
    }

    @Test
    void aHandleWithoutATenantIsRefusedAsForAnyReadOfATenantsResource() {
        assertThatThrownBy(() -> ashlar.read("order").from("SELECT * FROM ten_orders").list())
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("'order' is multitenant").hasMessageContaining("must name a tenant");
    }

    @Test
    void tenantBsStreamsPagesCursorsAndAggregatesOverAStatementOfEveryTenantsOrdersKeepToItsOwn() {
        Ashlar b = ashlar.withTenant("b");
        String every = "SELECT * FROM ten_orders";

        try (Stream<Row> rows = b.read("order").from(every).sort(Sort.asc("id")).stream()) {
            assertThat(rows.map(row -> row.get("id"))).containsExactly(3L, 5L);
        }
        List<Object> handed = new ArrayList<>();
        assertThat(b.read("order").from(every).forEach(row -> handed.add(row.get("org")))).isEqualTo(2);
        assertThat(handed).containsOnly("b");
        Page<Row> page = b.read("order").from(every).sort(Sort.asc("id")).limit(1).page();
        assertThat(page.total()).isEqualTo(2);
        Read byTotal = b.read("order").from(every).sort(Sort.desc("total")).limit(1);
        Row first = byTotal.list().get(0);
        assertThat(byTotal.after(byTotal.cursor(first)).values("id", Long.class)).containsExactly(3L);
        assertThat(b.read("order").from(every).max("total")).isEqualTo(7);
        assertThat(b.read("order").from(every).min("total")).isEqualTo(5);
        assertThat(b.read("order").from(every).countDistinct("org")).isEqualTo(1);
        assertThat(b.read("order").from(every).distinct("status").sort(Sort.asc("status")).values("id", Long.class))
                .containsExactly(5L, 3L);
        assertThat(db.value("SELECT max(total) FROM ten_orders")).isEqualTo(300);
    }

    @Test
    @RequiresPostgres(value = 15, reason = "MERGE")
    void tenantBsMergeFromAStatementOfEveryTenantsOrdersTakesOnlyItsOwnRows() {
        Ashlar b = ashlar.withTenant("b");

        b.merge("note", b.read("order").from("SELECT * FROM ten_orders WHERE total > ?", 0),
                Map.of("id", "id", "body", "status"), Merge.on("id").whenNotMatched().insert());

        assertThat(db.value("SELECT string_agg(id || ':' || body, ',' ORDER BY id) FROM ten_notes"))
                .isEqualTo("3:paid,5:open");
    }

    @Test
    void inASchemaPerTenantTheUnqualifiedStatementReadsTheTenantsOwnSchema() {
        db.execute("DROP SCHEMA IF EXISTS src_ten_a CASCADE; DROP SCHEMA IF EXISTS src_ten_b CASCADE; "
                + "CREATE SCHEMA src_ten_a; CREATE SCHEMA src_ten_b; "
                + "CREATE TABLE src_ten_a.ten_notes (LIKE public.ten_notes INCLUDING ALL); "
                + "CREATE TABLE src_ten_b.ten_notes (LIKE public.ten_notes INCLUDING ALL); "
                + "INSERT INTO src_ten_a.ten_notes (id, body) VALUES (1, 'a secret'), (2, 'a plan'); "
                + "INSERT INTO src_ten_b.ten_notes (id, body) VALUES (1, 'b note'); "
                + "INSERT INTO public.ten_notes (id, body) VALUES (9, 'shared table')");
        try (Ashlar schemas = Fixtures.ashlar(db, DOMAIN, OneResourceTenancy.schemas("note"))) {
            Ashlar b = schemas.withTenant("src_ten_b");

            assertThat(b.read("note").from("SELECT * FROM ten_notes WHERE id > ?", 0).values("body", String.class))
                    .containsExactly("b note");
            assertThat(b.read("note").from("SELECT * FROM ten_notes").count()).isEqualTo(1);
            List<Row> inTransaction = b.transaction(tx -> tx.read("note").from("SELECT * FROM ten_notes").list());
            assertThat(inTransaction).extracting(row -> row.get("body")).containsExactly("b note");
            try (Stream<Row> streamed = b.read("note").from("SELECT * FROM ten_notes").stream()) {
                assertThat(streamed.map(row -> row.get("body"))).containsExactly("b note");
            }
            assertThat(schemas.withTenant("src_ten_a").read("note").from("SELECT * FROM ten_notes").count())
                    .isEqualTo(2);
        }
    }

    @Test
    void softDeleteAndTheBaseFilterStillHideTheirRowsFromAStatementNamingThem() {
        assertThat(ashlar.read("memo").from("SELECT * FROM ten_memos").values("title", String.class))
                .containsExactly("kept");
        assertThat(ashlar.read("memo").from("SELECT * FROM ten_memos WHERE deleted_at IS NOT NULL").count()).isZero();
        assertThat(ashlar.read("memo").from("SELECT * FROM ten_memos").ignoreBaseFilter().count()).isEqualTo(2);
        assertThat(ashlar.read("feed").from("SELECT * FROM ten_feeds").values("line", String.class))
                .containsExactly("live");
    }

    @Test
    void anActorsReadPolicyStillHidesAnotherActorsRowsFromAStatementNamingThem() {
        try (Ashlar policed = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN).policies(DOCS).build()) {
            Ashlar two = policed.withUser(2L);

            assertThat(two.read("doc").from("SELECT * FROM ten_docs").values("title", String.class))
                    .containsExactly("b-notes");
            assertThat(two.read("doc").from("SELECT * FROM ten_docs WHERE owner_id = ?", 1).count()).isZero();
            assertThat(two.read("doc").from("SELECT * FROM ten_docs").sum("pages").longValue()).isEqualTo(3);
        }
    }
}
