package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.error.StaleRecordException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.api.typed.UniqueKey;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.spi.plugin.QueryContext;
import dev.ashlar.spi.plugin.SchemaAdmin;
import dev.ashlar.spi.plugin.WriteEvent;
import dev.ashlar.spi.plugin.WriteListener;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.incoming;
import static dev.ashlar.api.query.Filter.isNil;
import static dev.ashlar.api.query.Filter.lt;
import static dev.ashlar.api.query.Filter.ne;
import static dev.ashlar.api.query.Filter.sql;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Upserts with a condition on the stored record ({@code Upsert.where}), asserted on the table's rows. */
class ConditionalUpsertTest extends DomainDatabaseTest {
    record Doc(Long id, String slug, Integer version, String title, String status) {
        static final Table<Doc> DOCS = Table.of("doc", Doc.class);
        static final Field<Doc, Long> ID = DOCS.bigintPrimaryKey("id");
        static final TextField<Doc> SLUG = DOCS.attribute("slug", dev.ashlar.api.typed.Kind.TEXT, a -> a.notNull());
        static final Field<Doc, Integer> VERSION = DOCS.attribute("version", dev.ashlar.api.typed.Kind.INTEGER);
        static final TextField<Doc> TITLE = DOCS.attribute("title", dev.ashlar.api.typed.Kind.TEXT);
        static final TextField<Doc> STATUS = DOCS.attribute("status", dev.ashlar.api.typed.Kind.TEXT);
        static final UniqueKey<Doc> UNIQUE_SLUG = DOCS.identity("unique_slug", SLUG);
        static final Resource RESOURCE = DOCS.builder().table("docs")
                .add(ID, SLUG, VERSION, TITLE, STATUS, UNIQUE_SLUG).build();
    }

    /** Soft-deleted pages are hidden, and their slugs free again (the identity is partial on the base filter). */
    static final Resource PAGE = Resource.builder("page").table("pages").bigintPrimaryKey("id")
            .attribute("slug", TEXT, a -> a.notNull()).attribute("version", INTEGER).attribute("title", TEXT)
            .attribute("deleted_at", TIMESTAMPTZ)
            .belongsTo("doc", "doc")
            .identity("unique_slug", "slug")
            .baseFilter("deleted_at IS NULL", isNil("deleted_at"))
            .build();
    static final Domain DOMAIN = Domain.builder("upserts").resources(Doc.RESOURCE, PAGE).build();

    static final Upsert NEWER = Upsert.on("unique_slug").where(lt("version", incoming("version")));

    ConditionalUpsertTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void storedDocs() {
        db.execute("TRUNCATE docs, pages RESTART IDENTITY");
        db.execute("INSERT INTO docs (slug, version, title, status) VALUES ('a', 1, 'a v1', 'active'), "
                + "('b', 5, 'b v5', 'active'), ('z', 1, 'z v1', 'archived')");
    }

    private List<String> docs() {
        return db.query("SELECT slug, version, title FROM docs ORDER BY slug").stream()
                .map(r -> r.get("slug") + ":" + r.get("version") + ":" + r.get("title")).toList();
    }

    @Test
    void anIncomingNewerVersionOverwritesTheStoredRecord() {
        List<Row> rows = ashlar.upsert("doc", List.of(Map.of("slug", "a", "version", 2, "title", "a v2")), NEWER);

        assertThat(rows).extracting(r -> r.getString("title")).containsExactly("a v2");
        assertThat(docs()).containsExactly("a:2:a v2", "b:5:b v5", "z:1:z v1");
    }

    @Test
    void anIncomingOlderVersionLeavesTheStoredRecordUnchangedAndIsNotReturned() {
        List<Row> rows = ashlar.upsert("doc", List.of(Map.of("slug", "b", "version", 4, "title", "b v4")), NEWER);

        assertThat(rows).isEmpty();
        assertThat(docs()).containsExactly("a:1:a v1", "b:5:b v5", "z:1:z v1");
    }

    @Test
    void aConditionOnTheStoredRecordKeepsArchivedRecordsAndOverwritesTheOthers() {
        List<Row> rows = ashlar.upsert("doc", List.of(Map.of("slug", "a", "version", 9, "title", "a new"),
                Map.of("slug", "z", "version", 9, "title", "z new")),
                Upsert.on("unique_slug").where(ne("status", "archived")));

        assertThat(rows).extracting(r -> r.getString("slug")).containsExactly("a");
        assertThat(docs()).containsExactly("a:9:a new", "b:5:b v5", "z:1:z v1");
    }

    @Test
    void aConditionInSqlNamesTheStoredRecordsColumnsWithoutATable() {
        List<Row> rows = ashlar.upsert("doc", List.of(Map.of("slug", "a", "version", 9, "title", "a new"),
                Map.of("slug", "z", "version", 9, "title", "z new")),
                Upsert.on("unique_slug").where(sql("status <> ? AND version < ?", "archived", incoming("version"))));

        assertThat(rows).extracting(r -> r.getString("slug")).containsExactly("a");
        assertThat(docs()).containsExactly("a:9:a new", "b:5:b v5", "z:1:z v1");
    }

    @Test
    void aBulkUpsertInsertsNewRecordsOverwritesThoseThatMeetTheConditionAndLeavesOutTheOthers() {
        List<Row> rows = ashlar.upsert("doc", List.of(
                Map.of("slug", "a", "version", 2, "title", "a v2"),
                Map.of("slug", "b", "version", 3, "title", "b v3"),
                Map.of("slug", "c", "version", 1, "title", "c v1"),
                Map.of("slug", "z", "version", 1, "title", "z same")), NEWER);

        assertThat(rows).extracting(r -> r.getString("title")).containsExactly("a v2", "c v1");
        assertThat(docs()).containsExactly("a:2:a v2", "b:5:b v5", "c:1:c v1", "z:1:z v1");
    }

    @Test
    void aBulkUpsertReturningKeysReturnsOnlyTheKeysOfTheRecordsItWrote() {
        List<Row> rows = ashlar.upsert("doc", List.of(
                Map.of("slug", "a", "version", 2, "title", "a v2"),
                Map.of("slug", "b", "version", 3, "title", "b v3"),
                Map.of("slug", "d", "version", 1, "title", "d v1")), NEWER, Returning.KEYS);

        assertThat(rows).allSatisfy(row -> assertThat(row.fields()).containsExactly("id"));
        assertThat(rows).extracting(r -> db.value("SELECT slug FROM docs WHERE id = ?", r.getLong("id")))
                .containsExactly("a", "d");
        assertThat(docs()).containsExactly("a:2:a v2", "b:5:b v5", "d:1:d v1", "z:1:z v1");
    }

    @Test
    void recordsThatGiveDifferentFieldsAreEachCheckedAgainstTheCondition() {
        List<Row> rows = ashlar.upsert("doc", List.of(
                Map.of("slug", "a", "version", 2, "title", "a v2"),
                Map.of("slug", "b", "version", 3),
                Map.of("slug", "e", "version", 1)), NEWER);

        assertThat(rows).extracting(r -> r.getString("slug")).containsExactlyInAnyOrder("a", "e");
        assertThat(docs()).containsExactly("a:2:a v2", "b:5:b v5", "e:1:null", "z:1:z v1");
    }

    @Test
    void anUpsertOfOneRecordReturnsItWhenTheConditionHolds() {
        Row row = ashlar.upsert("doc", Map.of("slug", "a", "version", 2, "title", "a v2"), NEWER);

        assertThat(row.getString("title")).isEqualTo("a v2");
        assertThat(docs()).containsExactly("a:2:a v2", "b:5:b v5", "z:1:z v1");
    }

    @Test
    void anUpsertOfOneRecordWhoseConditionFailsIsRefusedAsStaleAndKeepsTheStoredRecord() {
        assertThatThrownBy(() -> ashlar.upsert("doc", Map.of("slug", "b", "version", 4, "title", "b v4"), NEWER))
                .isInstanceOf(StaleRecordException.class)
                .hasMessage("Cannot upsert doc {slug=b}: the stored record was kept because the upsert condition "
                        + "did not hold for it.")
                .satisfies(e -> assertThat(((AshlarException) e).code()).isEqualTo(ErrorCode.STALE_RECORD));

        assertThat(docs()).containsExactly("a:1:a v1", "b:5:b v5", "z:1:z v1");
    }

    @Test
    void theTypedApiOverwritesOnlyRecordsWhoseStoredVersionIsOlder() {
        var newer = Doc.UNIQUE_SLUG.updateAll().where(Doc.VERSION.lt(Doc.VERSION.incoming()));

        List<Doc> written = ashlar.upsert(Doc.DOCS, List.of(new Doc(null, "a", 2, "a v2", "active"),
                new Doc(null, "b", 4, "b v4", "active")), newer);
        assertThatThrownBy(() -> ashlar.upsert(Doc.DOCS, new Doc(null, "b", 3, "b v3", "active"), newer))
                .isInstanceOf(StaleRecordException.class);

        assertThat(written).extracting(Doc::title).containsExactly("a v2");
        assertThat(docs()).containsExactly("a:2:a v2", "b:5:b v5", "z:1:z v1");
    }

    @Test
    void pluginsThatActAfterWritesSeeOnlyTheRecordsTheUpsertWrote() {
        TitleWatcher watcher = new TitleWatcher();
        try (Ashlar watched = Fixtures.ashlar(db, DOMAIN, watcher)) {
            watched.upsert("doc", List.of(Map.of("slug", "a", "version", 2, "title", "a v2"),
                    Map.of("slug", "b", "version", 3, "title", "b v3")), NEWER);
        }

        assertThat(watcher.seen).containsExactly("a v2");
        assertThat(docs()).containsExactly("a:2:a v2", "b:5:b v5", "z:1:z v1");
    }

    /** Remembers the title of every record written. */
    private static final class TitleWatcher implements AshlarPlugin, WriteListener {
        final List<String> seen = new ArrayList<>();

        @Override
        public String id() {
            return "title-watcher";
        }

        @Override
        public void afterWrite(WriteEvent event, QueryContext context, SchemaAdmin schemas) {
            seen.add(event.record().getString("title"));
        }
    }

    @Test
    void aConditionalUpsertOnAResourceWithABaseFilterNeverReachesItsHiddenRecords() {
        db.execute("INSERT INTO pages (slug, version, title, deleted_at) VALUES ('p', 1, 'deleted', now()), "
                + "('p', 3, 'live', NULL)");

        List<Row> older = ashlar.upsert("page", List.of(Map.of("slug", "p", "version", 2, "title", "older")), NEWER);
        List<Row> newer = ashlar.upsert("page", List.of(Map.of("slug", "p", "version", 4, "title", "newer")), NEWER);

        assertThat(older).isEmpty();
        assertThat(newer).extracting(r -> r.getString("title")).containsExactly("newer");
        assertThat(db.query("SELECT version, title, deleted_at IS NULL AS live FROM pages ORDER BY id").stream()
                .map(r -> r.get("version") + ":" + r.get("title") + ":" + r.get("live")).toList())
                .containsExactly("1:deleted:false", "4:newer:true");
    }

    @Test
    void aConditionCannotBeCombinedWithDoNothing() {
        assertThatThrownBy(() -> Upsert.on("unique_slug").doNothing().where(isNil("status")))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("cannot both keep every stored record (doNothing()) and overwrite those that "
                        + "meet a condition (where(...))");
        assertThatThrownBy(() -> Upsert.on("unique_slug").where(isNil("status")).doNothing())
                .isInstanceOf(QueryException.class).hasMessageContaining("drop one of them");
    }

    @Test
    void anIncomingValueOutsideAnUpsertConditionIsRefused() {
        assertThatThrownBy(() -> ashlar.read("doc").where(lt("version", incoming("version"))).list())
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("incoming(\"version\") is the value an upsert brings for doc.version: it only "
                        + "works in the condition of an upsert, Upsert.where(...)");
        assertThatThrownBy(() -> ashlar.read("doc").where(lt("version", incoming("version")))
                .updateAll(Map.of("title", "changed"))).isInstanceOf(QueryException.class);

        assertThat(docs()).containsExactly("a:1:a v1", "b:5:b v5", "z:1:z v1");
    }

    @Test
    void aConditionOnAnIncomingFieldTheRecordsDoNotGiveIsRefusedBeforeWriting() {
        assertThatThrownBy(() -> ashlar.upsert("doc", List.of(Map.of("slug", "a", "title", "no version")), NEWER))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("An upsert of doc reads the incoming 'version', but a record does not give it");

        assertThat(docs()).containsExactly("a:1:a v1", "b:5:b v5", "z:1:z v1");
    }

    @Test
    void aConditionThroughARelationshipIsRefused() {
        assertThatThrownBy(() -> ashlar.upsert("page", List.of(Map.of("slug", "p", "version", 1)),
                Upsert.on("unique_slug").where(eq("doc.title", "a v1"))))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("reaches through the relationship 'doc': it may only use the stored record's "
                        + "own fields");
    }

    @Test
    void anUpsertOfOneRecordRefusesDoNothingWhichReturnsNoStoredRecord() {
        assertThatThrownBy(() -> ashlar.upsert("doc", Map.of("slug", "a"), Upsert.on("unique_slug").doNothing()))
                .isInstanceOf(QueryException.class).hasMessageContaining("upsert a list");
    }
}
