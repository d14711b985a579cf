package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.notNil;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads that keep the rows the resource's base filter hides (Ebean's setIncludeSoftDeletes, Hibernate's disabled
 * filter): a trash view and a restore of soft-deleted memos, on populated tables, with the tenant column still
 * confining every read and write to the handle's tenant, and related records still under their own base filter.
 */
class IgnoreBaseFilterTest extends DomainDatabaseTest {
    record Memo(Integer id, String org, String title, String removedBy) {
        static final Table<Memo> MEMOS = Table.of("memo", Memo.class);
        static final Field<Memo, Integer> ID = MEMOS.integerPrimaryKey("id");
        static final TextField<Memo> ORG = MEMOS.attribute("org", Kind.TEXT);
        static final TextField<Memo> TITLE = MEMOS.attribute("title", Kind.TEXT);
        static final TextField<Memo> REMOVED_BY = MEMOS.attribute("removed_by", Kind.TEXT);
        static final Resource RESOURCE = MEMOS.builder().table("trash_memos").add(ID, ORG, TITLE, REMOVED_BY)
                .hasMany("stickers", "sticker", r -> r.destinationAttribute("memo_id"))
                .baseFilter("removed_by IS NULL", dev.ashlar.api.query.Filter.isNil("removed_by")).build();
    }

    static final Resource STICKER = Resource.builder("sticker").table("trash_stickers").integerPrimaryKey("id")
            .attribute("memo_id", INTEGER).attribute("label", TEXT).attribute("removed_by", TEXT)
            .baseFilter("removed_by IS NULL", dev.ashlar.api.query.Filter.isNil("removed_by")).build();

    static final Domain DOMAIN = Domain.builder("trash").resources(Memo.RESOURCE, STICKER).build();

    IgnoreBaseFilterTest() {
        super(DOMAIN, OneResourceTenancy.column("memo", "org", false));
    }

    private Ashlar acme;
    private Ashlar globex;

    /**
     * 200 memos of acme, every tenth removed (20), and three of globex, memo 203 removed; memo 1 has a sticker and a
     * removed one, memo 10 (removed) a sticker.
     */
    @BeforeEach
    void memos() {
        db.execute("TRUNCATE trash_memos, trash_stickers; INSERT INTO trash_memos (id, org, title, removed_by) "
                + "SELECT g, 'acme', 'm' || g, CASE WHEN g % 10 = 0 THEN 'ops' END FROM generate_series(1, 200) g; "
                + "INSERT INTO trash_memos (id, org, title, removed_by) VALUES (201, 'globex', 'plan', NULL), "
                + "(202, 'globex', 'm1', NULL), (203, 'globex', 'secret', 'ops'); "
                + "INSERT INTO trash_stickers (id, memo_id, label, removed_by) VALUES (1, 1, 'urgent', NULL), "
                + "(2, 1, 'old', 'ops'), (3, 10, 'late', NULL)");
        acme = ashlar.withTenant("acme");
        globex = ashlar.withTenant("globex");
    }

    @Test
    void aReadIgnoringTheBaseFilterReturnsTheRowsItHidesWhileEveryOtherReadStillHidesThem() {
        assertThat(acme.read("memo").count()).isEqualTo(180);
        assertThat(acme.read("memo").ignoreBaseFilter().count()).isEqualTo(200);
        assertThat(acme.read("memo").ignoreBaseFilter().where(notNil("removed_by")).sort(Sort.asc("id"))
                .values("id", Integer.class)).containsExactly(10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130,
                140, 150, 160, 170, 180, 190, 200);
        assertThat(acme.read("memo").where(eq("id", 10)).one()).isEmpty();
        assertThat(acme.read("memo").ignoreBaseFilter().where(eq("id", 10)).one()).get()
                .satisfies(row -> assertThat(row.get("removed_by")).isEqualTo("ops"));
        assertThat(acme.read("memo").ignoreBaseFilter().where(eq("id", 10)).exists()).isTrue();
        Page<Row> page = acme.read("memo").ignoreBaseFilter().sort(Sort.desc("id")).limit(5).page();
        assertThat(page.total()).isEqualTo(200);
        assertThat(page.rows()).extracting(row -> row.get("id")).containsExactly(200, 199, 198, 197, 196);
        try (Stream<Row> rows = acme.read("memo").ignoreBaseFilter().stream()) {
            assertThat(rows.count()).isEqualTo(200);
        }
        assertThat(acme.read("memo").ignoreBaseFilter().groupBy("removed_by").count("memos")
                .sort(Sort.asc("removed_by")).list()).extracting(row -> row.get("removed_by") + "=" + row.get("memos"))
                .containsExactly("ops=20", "null=180");
        assertThat(acme.read("memo").where(eq("id", 1)).union(acme.read("memo").ignoreBaseFilter().where(eq("id", 10)))
                .sort(Sort.asc("id")).list()).extracting(row -> row.get("id")).containsExactly(1, 10);
        assertThat(acme.read("memo").ignoreBaseFilter().query().ignoreBaseFilter()).isTrue();
        assertThat(acme.read("memo").query().ignoreBaseFilter()).isFalse();
    }

    @Test
    void theTypedReadIgnoresTheBaseFilterAsTheStringReadDoes() {
        List<Memo> removed = acme.read(Memo.MEMOS).ignoreBaseFilter().where(Memo.REMOVED_BY.notNil())
                .sort(Memo.ID.asc()).limit(3).list();

        assertThat(removed).containsExactly(new Memo(10, "acme", "m10", "ops"), new Memo(20, "acme", "m20", "ops"),
                new Memo(30, "acme", "m30", "ops"));
        assertThat(acme.read(Memo.MEMOS).ignoreBaseFilter().query())
                .isEqualTo(acme.read("memo").ignoreBaseFilter().query());
        assertThat(acme.read(Memo.MEMOS).count()).isEqualTo(180);
    }

    @Test
    void aSoftDeletedRecordFoundByTheReadIsRestoredAndIsVisibleAgain() {
        Row trashed = acme.read("memo").ignoreBaseFilter().where(eq("title", "m20")).one().orElseThrow();

        Map<String, Object> restored = new HashMap<>();
        restored.put("removed_by", null);
        acme.update(trashed, restored);

        assertThat(acme.read("memo").where(eq("id", 20)).exists()).isTrue();
        assertThat(db.value("SELECT count(*) FROM trash_memos WHERE org = 'acme' AND removed_by IS NOT NULL"))
                .isEqualTo(19L);
    }

    @Test
    void aTenantIgnoringTheBaseFilterReadsAndWritesOnlyItsOwnRows() {
        assertThat(globex.read("memo").ignoreBaseFilter().sort(Sort.asc("id")).values("id", Integer.class))
                .containsExactly(201, 202, 203);
        assertThat(globex.read("memo").ignoreBaseFilter().where(eq("id", 10)).list()).isEmpty();
        assertThat(globex.read("memo").ignoreBaseFilter().where(eq("title", "m10")).count()).isZero();
        assertThat(globex.read("memo").ignoreBaseFilter().where(eq("id", 10))
                .updateAll(Map.of("title", "taken", "removed_by", "globex"))).isEmpty();
        assertThat(globex.read("memo").ignoreBaseFilter().where(eq("id", 20)).destroyAll()).isZero();
        assertThat(acme.read("memo").ignoreBaseFilter().where(eq("id", 203)).list()).isEmpty();

        assertThat(db.query("SELECT id, title, removed_by FROM trash_memos WHERE id IN (10, 20, 203) ORDER BY id"))
                .extracting(r -> r.get("id") + " " + r.get("title") + " " + r.get("removed_by"))
                .containsExactly("10 m10 ops", "20 m20 ops", "203 secret ops");
        assertThat(db.value("SELECT count(*) FROM trash_memos")).isEqualTo(203L);
    }

    @Test
    void relatedRecordsKeepTheirOwnBaseFilterWhenTheReadIgnoresItsResources() {
        Row memo = acme.read("memo").ignoreBaseFilter().where(eq("id", 1)).load("stickers").one().orElseThrow();

        assertThat(memo.related("stickers")).extracting(sticker -> sticker.get("label"))
                .containsExactly("urgent");
        assertThat(acme.read("memo").ignoreBaseFilter().where(exists("stickers", eq("label", "old"))).count())
                .isZero();
        assertThat(acme.read("memo").ignoreBaseFilter().where(exists("stickers")).sort(Sort.asc("id"))
                .values("id", Integer.class)).containsExactly(1, 10);
    }

    @Test
    void aTenantInItsOwnSchemaIgnoringTheBaseFilterReadsOnlyThatSchemasRows() {
        db.execute("DROP SCHEMA IF EXISTS trash_a CASCADE; DROP SCHEMA IF EXISTS trash_b CASCADE; "
                + "CREATE SCHEMA trash_a; CREATE SCHEMA trash_b; "
                + "CREATE TABLE trash_a.trash_memos (LIKE public.trash_memos INCLUDING ALL); "
                + "CREATE TABLE trash_b.trash_memos (LIKE public.trash_memos INCLUDING ALL); "
                + "INSERT INTO trash_a.trash_memos (id, title, removed_by) VALUES (1, 'a live', NULL), "
                + "(2, 'a removed', 'ops'); INSERT INTO trash_b.trash_memos (id, title, removed_by) "
                + "VALUES (1, 'b live', NULL), (3, 'b removed', 'ops')");
        try (Ashlar schemas = Fixtures.ashlar(db, DOMAIN, OneResourceTenancy.schemas("memo"))) {
            Ashlar b = schemas.withTenant("trash_b");

            assertThat(b.read("memo").ignoreBaseFilter().sort(Sort.asc("id")).values("title", String.class))
                    .containsExactly("b live", "b removed");
            assertThat(b.read("memo").ignoreBaseFilter().where(eq("id", 2)).list()).isEmpty();
            assertThat(b.read("memo").ignoreBaseFilter().where(eq("id", 2)).updateCount(Map.of("title", "x")))
                    .isZero();
        }

        assertThat(db.query("SELECT title FROM trash_a.trash_memos ORDER BY id")).extracting(r -> r.get("title"))
                .containsExactly("a live", "a removed");
    }
}
