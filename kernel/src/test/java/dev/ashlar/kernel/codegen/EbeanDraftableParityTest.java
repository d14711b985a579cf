package dev.ashlar.kernel.codegen;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Table;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Ebean's draftable tests ({@code org.tests.draftable.DocLinkTest} and {@code LinkQueryPublishTest}, on the model
 * {@code Link} with {@code @DraftReset} on {@code comment} and {@code whenPublish} and a {@code @DraftDirty} flag),
 * restated on {@code draftable("comment", "when_publish")}: drafts written through {@code ashlar.drafts("link")}, read
 * with {@code asDraft()}, published and restored by filter.
 */
@ExtendWith(PostgresExtension.class)
class EbeanDraftableParityTest {
    static final Resource LINK = Resource.builder("link").table("link").primaryKey("id").attribute("name", TEXT)
            .attribute("location", TEXT).attribute("comment", TEXT, a -> a.column("link_comment"))
            .attribute("when_publish", TIMESTAMPTZ).draftable("comment", "when_publish").build();
    static final Domain DOMAIN = Domain.builder("links").resource(LINK).build();

    record Link(Long id, String name, String location, String comment, Instant whenPublish) {
        static final Table<Link> LINKS = Table.of("link", Link.class);
        static final Field<Link, String> NAME = LINKS.attribute("name", Kind.TEXT);
    }

    record DraftLink(Long id, String name, Boolean draftDirty) {
    }

    @TempDir
    Path project;
    TestDatabase db;
    Ashlar ashlar;
    String drafts;

    @BeforeEach
    void migrated(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        HistoryTablesTest.migrate(project, db, DOMAIN, "create");
        ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN).build();
        drafts = ashlar.drafts("link");
    }

    @AfterEach
    void closed() {
        ashlar.close();
    }

    private Row draft(String name, Map<String, ?> more) {
        Map<String, Object> values = new HashMap<>(more);
        values.put("name", name);
        return ashlar.create(drafts, values);
    }

    private Row draftOf(Object id) {
        return ashlar.read("link").asDraft().where(Filter.eq("id", id)).one().orElseThrow();
    }

    /** LinkQueryPublishTest.testPublishViaQuery: three drafts found as drafts, then published by one query. */
    @Test
    void draftsSelectedByAQueryArePublishedTogetherAndCounted() {
        List<Object> ids = List.of(draft("L1", Map.of()).get("id"), draft("L2", Map.of()).get("id"),
                draft("L3", Map.of()).get("id"));

        assertThat(ashlar.read("link").asDraft().where(Filter.in("id", ids)).limit(10).page().total()).isEqualTo(3);
        assertThat(ashlar.read("link").count()).as("nothing live before publish").isZero();
        assertThat(ashlar.publish("link", Filter.in("id", ids))).isEqualTo(3);
        assertThat(ashlar.read("link").sort(Sort.asc("id")).list()).extracting(r -> r.get("id"))
                .containsExactlyElementsOf(ids);
        assertThat(db.value("SELECT count(*) FROM link")).isEqualTo(3L);
    }

    /** DocLinkTest.testDirtyState: a saved draft is dirty; publish copies the reset fields, then clears them. */
    @Test
    void publishCopiesTheResetAttributesToLiveThenClearsThemAndTheDirtyFlagOnTheDraft() {
        Instant when = Instant.parse("2026-12-01T10:00:00Z");
        Row link = draft("Ls1", Map.of("comment", "Really interesting", "when_publish", when));
        assertThat(draftOf(link.get("id")).get("draft_dirty")).isEqualTo(true);

        assertThat(ashlar.publish("link", Filter.eq("id", link.get("id")))).isEqualTo(1);

        Row live = ashlar.get("link", link.get("id"));
        assertThat(live.get("comment")).isEqualTo("Really interesting");
        assertThat(live.get("when_publish")).isEqualTo(when);
        assertThat(live.has("draft_dirty")).as("the flag is the draft's alone").isFalse();
        Row after = draftOf(link.get("id"));
        assertThat(after.get("draft_dirty")).isEqualTo(false);
        assertThat(after.get("comment")).isNull();
        assertThat(after.get("when_publish")).isNull();
        assertThat(after.get("name")).isEqualTo("Ls1");
    }

    /** DocLinkTest.testDraftRestore: a draft changed after publish is restored from live. */
    @Test
    void restoreDraftPutsTheLiveValuesBackIntoTheChangedDraft() {
        Row link = draft("Ldr1", Map.of("location", "firstLocation"));
        ashlar.publish("link", Filter.eq("id", link.get("id")));
        ashlar.update(draftOf(link.get("id")), Map.of("location", "secondLocation"));
        assertThat(draftOf(link.get("id")).get("draft_dirty")).isEqualTo(true);

        assertThat(ashlar.restoreDraft("link", Filter.eq("id", link.get("id")))).isEqualTo(1);

        Row restored = draftOf(link.get("id"));
        assertThat(restored.get("location")).isEqualTo("firstLocation");
        assertThat(restored.get("draft_dirty")).isEqualTo(false);
    }

    /** DocLinkTest.testDraftRestoreViaQuery: restored by a query, clean, and the reset attribute cleared. */
    @Test
    void restoreDraftByAQueryLeavesTheDraftCleanWithItsResetAttributesCleared() {
        Row link = draft("Ldr1", Map.of("location", "firstLocation", "comment", "Banana"));
        ashlar.publish("link", Filter.eq("id", link.get("id")));
        ashlar.update(draftOf(link.get("id")), Map.of("location", "secondLocation", "comment", "A good change"));

        assertThat(ashlar.restoreDraft("link", Filter.eq("name", "Ldr1"))).isEqualTo(1);

        Row restored = draftOf(link.get("id"));
        assertThat(restored.get("location")).isEqualTo("firstLocation");
        assertThat(restored.get("draft_dirty")).isEqualTo(false);
        assertThat(restored.get("comment")).isNull();
        assertThat(ashlar.get("link", link.get("id")).get("comment")).as("live keeps it").isEqualTo("Banana");
    }

    /** DocLinkTest.testDelete_whenPublished: deleting the draft leaves the published record. */
    @Test
    void destroyingAPublishedDraftLeavesTheLiveRecord() {
        Row link = draft("Ld2", Map.of());
        ashlar.publish("link", Filter.eq("id", link.get("id")));

        ashlar.destroy(draftOf(link.get("id")));

        assertThat(ashlar.read("link").asDraft().count()).isZero();
        assertThat(ashlar.find("link", link.get("id"))).isPresent();
    }

    /** Publishing again updates the live record by its key rather than inserting another. */
    @Test
    void publishingAgainOverwritesTheLiveRecordOfTheSameKey() {
        Row link = draft("first", Map.of());
        ashlar.publish("link", Filter.eq("id", link.get("id")));
        ashlar.read("link").asDraft().where(Filter.eq("id", link.get("id"))).updateAll(Map.of("name", "second"));

        assertThat(ashlar.publish("link", Filter.eq("id", link.get("id")))).isEqualTo(1);

        assertThat(ashlar.read("link").list()).extracting(r -> r.get("name")).containsExactly("second");
        assertThat(ashlar.publish("link", Filter.eq("name", "nothing"))).isZero();
    }

    /** Ebean's publish runs in the caller's transaction: rolled back with it, nothing is live and the draft stays dirty. */
    @Test
    void aPublishInsideATransactionThatRollsBackLeavesNothingLiveAndTheDraftDirty() {
        Row link = draft("rolled back", Map.of());
        assertThatThrownBy(() -> ashlar.transaction(tx -> {
            tx.publish("link", Filter.eq("id", link.get("id")));
            throw new IllegalStateException("the caller fails after publishing");
        })).hasMessageContaining("the caller fails");

        assertThat(ashlar.read("link").count()).isZero();
        assertThat(draftOf(link.get("id")).get("draft_dirty")).isEqualTo(true);
    }

    /**
     * Publish writes the drafts' keys into the table, which its own identity did not give: it moves that identity past
     * them, so a record created in the table afterwards takes a new key rather than failing on a published one.
     */
    @Test
    void aRecordCreatedInTheTableAfterAPublishTakesAKeyPastThePublishedOnes() {
        draft("first", Map.of());
        draft("second", Map.of());
        assertThat(ashlar.publish("link", Filter.notNil("id"))).isEqualTo(2);

        assertThat(ashlar.create("link", Map.of("name", "created live")).get("id")).isEqualTo(3L);
        assertThat(db.value("SELECT count(*) FROM link")).isEqualTo(3L);
    }

    /**
     * The draft table and the table number their keys apart: a record created in the table directly and a new draft
     * can hold one key. Publishing that draft would overwrite a record it has nothing to do with: it is refused, naming
     * the key, and nothing is written; once the record is restored to drafts, the draft of that key is its own.
     */
    @Test
    void aNewDraftHoldingTheKeyOfARecordCreatedInTheTableDirectlyIsNotPublishedOverIt() {
        Object live = ashlar.create("link", Map.of("name", "created live", "location", "kept")).get("id");
        Object fresh = draft("a new draft", Map.of()).get("id");
        assertThat(fresh).as("the draft table's identity gave the same key").isEqualTo(live);
        draft("another draft", Map.of());

        assertThatThrownBy(() -> ashlar.publish("link", Filter.notNil("id"))).isInstanceOf(QueryException.class)
                .hasMessageContaining("publish of 'link' is refused").hasMessageContaining("[id] [" + live + "]")
                .hasMessageContaining("restoreDraft").hasMessageContaining("Nothing was published");
        assertThat(db.value("SELECT name || '/' || location FROM link WHERE id = ?", live)).isEqualTo("created live/kept");
        assertThat(db.value("SELECT count(*) FROM link")).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM link_draft WHERE draft_dirty AND NOT draft_live")).isEqualTo(2L);

        assertThat(ashlar.restoreDraft("link", Filter.eq("id", live))).isEqualTo(1);
        assertThat(draftOf(live).get("draft_live")).isEqualTo(true);
        assertThat(ashlar.publish("link", Filter.notNil("id"))).isEqualTo(2);
        assertThat(db.value("SELECT name FROM link WHERE id = ?", live)).isEqualTo("created live");
        assertThat(db.value("SELECT count(*) FROM link_draft WHERE draft_live AND NOT draft_dirty")).isEqualTo(2L);
    }

    /** The typed API: drafts written as records, published by a typed condition. */
    @Test
    void theTypedApiWritesDraftsAndPublishesThemByACondition() {
        Link created = ashlar.create(ashlar.drafts(Link.LINKS), new Link(null, "typed", "here", null, null));
        assertThat(ashlar.read(ashlar.drafts(Link.LINKS)).list(DraftLink.class))
                .containsExactly(new DraftLink(created.id(), "typed", true));

        assertThat(ashlar.publish(Link.LINKS, Link.NAME.eq("typed"))).isEqualTo(1);

        assertThat(ashlar.read(Link.LINKS).list()).containsExactly(created);
        assertThat(ashlar.restoreDraft(Link.LINKS, Link.NAME.eq("typed"))).isEqualTo(1);
    }
}
