package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.api.resource.Type;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Table;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.schema.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A resource's own version attribute ({@code Resource.builder(..).optimisticLock("version")}, Hibernate's {@code
 * @Version} on any field, Ash's {@code optimistic_lock(:version)}), and a version that is a timestamp (Hibernate's and
 * Ebean's {@code @Version Instant}): every stale-record path refuses a record changed since it was read.
 */
class ResourceVersionTest extends DomainDatabaseTest {
    /** Stamped by a timestamptz {@code version}; it also has the project-wide {@code lock_version}, left alone. */
    private static final Resource DOC = Resource.builder("doc").table("docs").integerPrimaryKey("id")
            .attribute("title", Type.TEXT).attribute("counter", Type.INTEGER, a -> a.notNull().defaultValue(0))
            .attribute("lock_version", Type.INTEGER, a -> a.notNull().defaultValue(1))
            .attribute("version", Type.TIMESTAMPTZ, a -> a.notNull().defaultSql("clock_timestamp()"))
            .optimisticLock("version").build();
    /** Counted by the project-wide {@code lock_version}. */
    private static final Resource NOTE = Resource.builder("note").table("notes").integerPrimaryKey("id")
            .attribute("body", Type.TEXT).attribute("lock_version", Type.INTEGER, a -> a.notNull().defaultValue(1))
            .build();
    /** Stamped by a timestamp without time zone, its own name. */
    private static final Resource SHEET = Resource.builder("sheet").table("sheets").integerPrimaryKey("id")
            .attribute("title", Type.TEXT)
            .attribute("edited_at", Type.TIMESTAMP, a -> a.notNull().defaultSql("localtimestamp"))
            .optimisticLock("edited_at").build();
    private static final Domain DOMAIN = Domain.builder("versions").resource(DOC).resource(NOTE).resource(SHEET)
            .build();

    record Doc(Integer id, String title, Integer counter, Integer lockVersion, Instant version) {
        static final Table<Doc> DOCS = Table.of("doc", Doc.class);
        static final Field<Doc, String> TITLE = DOCS.attribute("title", Kind.TEXT);
    }

    private Ashlar versioned;

    ResourceVersionTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void populated() {
        db.execute("TRUNCATE docs, notes, sheets RESTART IDENTITY");
        db.execute("INSERT INTO docs (title) SELECT 'old ' || i FROM generate_series(1, 50) i");
        db.execute("INSERT INTO notes (body) SELECT 'old ' || i FROM generate_series(1, 50) i");
        db.execute("INSERT INTO sheets (title) SELECT 'old ' || i FROM generate_series(1, 50) i");
        versioned = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN).optimisticLock("lock_version").build();
    }

    @AfterEach
    void close() {
        versioned.close();
    }

    @Test
    void aResourcesOwnVersionWinsOverTheProjectWideOneWhichStillVersionsTheOthers() {
        Row doc = versioned.create("doc", Map.of("title", "v1"));
        Row note = versioned.create("note", Map.of("body", "v1"));

        Row updatedDoc = versioned.update(doc, Map.of("title", "v2"));
        Row updatedNote = versioned.update(note, Map.of("body", "v2"));

        assertThat(updatedDoc.getInteger("lock_version")).isEqualTo(1);
        assertThat((Instant) updatedDoc.get("version")).isAfter((Instant) doc.get("version"));
        assertThat(updatedNote.getInteger("lock_version")).isEqualTo(2);
        assertThatThrownBy(() -> versioned.update(doc, Map.of("title", "stale")))
                .isInstanceOfSatisfying(AshlarException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.STALE_RECORD);
                    assertThat(e.field()).contains("version");
                });
        assertThatThrownBy(() -> versioned.update(note, Map.of("body", "stale")))
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.field()).contains("lock_version"));
        assertThat(db.value("SELECT count(*) FROM docs WHERE title LIKE 'old %' AND lock_version = 1")).isEqualTo(50L);
    }

    @Test
    void aResourceVersionsItsRecordsWithoutAnyProjectWideOptimisticLock() {
        try (Ashlar plain = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN).build()) {
            Row doc = plain.get("doc", 7);
            plain.update(plain.get("doc", 7), Map.of("title", "theirs"));

            assertThatThrownBy(() -> plain.update(doc, Map.of("title", "mine")))
                    .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STALE_RECORD));
            Row note = plain.get("note", 7);
            plain.update(note, Map.of("body", "unversioned"));
            assertThat(plain.update(note, Map.of("body", "overwrites")).getInteger("lock_version")).isEqualTo(1);
        }
        assertThat(db.value("SELECT title FROM docs WHERE id = 7")).isEqualTo("theirs");
    }

    @Test
    void aVersionNamingNoAttributeOrOneOfAnotherTypeIsRefusedNamingResourceFieldAndFix() {
        UnaryOperator<ResourceBuilder> thing = b -> b.table("things").integerPrimaryKey("id")
                .attribute("title", Type.TEXT);

        assertThatThrownBy(() -> Domain.builder("m").resource(thing.apply(Resource.builder("thing"))
                .optimisticLock("revision").build()).build())
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.getMessage())
                        .contains("resource 'thing', 'revision'", "optimisticLock(\"revision\")", "no such attribute",
                                "add .attribute(\"revision\", INTEGER) or name one of [id, title]"));
        assertThatThrownBy(() -> Domain.builder("t").resource(thing.apply(Resource.builder("thing"))
                .optimisticLock("title").build()).build())
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.getMessage())
                        .contains("resource 'thing', 'title'", "is " + Type.TEXT + ",",
                                "make it INTEGER (or SMALLINT, BIGINT, TIMESTAMPTZ, TIMESTAMP)"));
    }

    @Test
    void declaringAVersionChangesNoGeneratedSchema() {
        Domain unversioned = Domain.builder("versions").resource(Resource.builder("doc").table("docs")
                .integerPrimaryKey("id").attribute("title", Type.TEXT)
                .attribute("counter", Type.INTEGER, a -> a.notNull().defaultValue(0))
                .attribute("lock_version", Type.INTEGER, a -> a.notNull().defaultValue(1))
                .attribute("version", Type.TIMESTAMPTZ, a -> a.notNull().defaultSql("clock_timestamp()")).build())
                .resource(NOTE).resource(SHEET).build();

        assertThat(new SchemaBuilder(DOMAIN, Plugins.none()).build())
                .isEqualTo(new SchemaBuilder(unversioned, Plugins.none()).build());
    }

    @Test
    void aTimestampVersionMovesPastTheStoredOneOnEachUpdateEvenInOneTransaction() {
        Row doc = versioned.get("doc", 3);

        List<Row> steps = versioned.transaction(tx -> {
            Row first = tx.update(doc, Map.of("title", "a"));
            Row second = tx.update(first, Map.of("title", "b"));
            return List.of(first, second, tx.update(second, Map.of("title", "c")));
        });

        Instant before = (Instant) doc.get("version");
        assertThat(steps).extracting(row -> (Instant) row.get("version")).doesNotContainNull()
                .satisfies(v -> assertThat(v.get(0)).isAfter(before))
                .satisfies(v -> assertThat(v.get(1)).isAfter(v.get(0)))
                .satisfies(v -> assertThat(v.get(2)).isAfter(v.get(1)));
        // A stored value a clock set back would not pass: the version still moves, by a microsecond.
        db.execute("UPDATE docs SET version = now() + interval '1 day' WHERE id = 3");
        Row ahead = versioned.get("doc", 3);
        Row moved = versioned.update(ahead, Map.of("title", "d"));
        assertThat((Instant) moved.get("version")).isEqualTo(((Instant) ahead.get("version")).plusNanos(1000));
        assertThat(db.value("SELECT count(*) FROM docs WHERE id = 3 AND title = 'd' AND version = ?",
                OffsetDateTime.ofInstant((Instant) moved.get("version"), ZoneOffset.UTC))).isEqualTo(1L);
    }

    @Test
    void aTimestampVersionReadBackMatchesTheStoredOneToTheMicrosecondAndAStaleOneIsRefused() {
        db.execute("UPDATE docs SET version = '2024-05-01 10:00:00.123456+00' WHERE id = 4");
        Row doc = versioned.get("doc", 4);
        Row theirs = versioned.update(versioned.get("doc", 4), Map.of("title", "theirs"));

        assertThat(doc.get("version")).isEqualTo(Instant.parse("2024-05-01T10:00:00.123456Z"));
        assertThatThrownBy(() -> versioned.update(doc, Map.of("title", "mine")))
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STALE_RECORD))
                .hasMessageContaining("2024-05-01T10:00:00.123456Z");
        assertThatThrownBy(() -> versioned.destroy(doc))
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STALE_RECORD));
        // A form posted with the version it was filled in from, at another offset, is checked as the same instant.
        Instant current = (Instant) theirs.get("version");
        assertThatThrownBy(() -> versioned.update(theirs, Map.of("title", "form",
                "version", OffsetDateTime.ofInstant(current.minusNanos(1000), ZoneOffset.ofHours(2)))))
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STALE_RECORD));
        Row posted = versioned.update(theirs, Map.of("title", "form",
                "version", OffsetDateTime.ofInstant(current, ZoneOffset.ofHours(2))));
        assertThat(posted.getString("title")).isEqualTo("form");
        versioned.destroy(posted);
        assertThat(db.value("SELECT count(*) FROM docs")).isEqualTo(49L);
    }

    @Test
    void recordsInHandWrittenTogetherAreRefusedWholeWhenOneTimestampVersionIsStale() {
        List<Row> docs = versioned.read("doc").where(dev.ashlar.api.query.Filter.lte("id", 3)).list();
        versioned.update(versioned.get("doc", 2), Map.of("title", "theirs"));

        assertThatThrownBy(() -> versioned.updateAll(docs, Map.of("counter", 5)))
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STALE_RECORD))
                .hasMessageContaining("{id=2}");
        assertThatThrownBy(() -> versioned.updateAll("doc", docs.stream().map(d -> Map.<String, Object>of(
                "id", d.get("id"), "counter", 6, "version", d.get("version"))).toList()))
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STALE_RECORD));
        assertThatThrownBy(() -> versioned.destroyAll(docs))
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STALE_RECORD));
        assertThat(db.value("SELECT count(*) FROM docs WHERE id <= 3 AND counter = 0")).isEqualTo(3L);

        List<Row> fresh = versioned.read("doc").where(dev.ashlar.api.query.Filter.lte("id", 3)).list();
        List<Row> updated = versioned.updateAll(fresh, Map.of("counter", 5));
        assertThat(updated).hasSize(3).allSatisfy(row -> assertThat((Instant) row.get("version"))
                .isAfter((Instant) fresh.get(0).get("version")));
        List<Row> each = versioned.updateAll("doc", updated.stream().map(d -> Map.<String, Object>of(
                "id", d.get("id"), "counter", 6, "version", d.get("version"))).toList());
        assertThat(each).hasSize(3);
        assertThatThrownBy(() -> versioned.destroyAll(updated))
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STALE_RECORD));
        assertThat(versioned.destroyAll(each)).isEqualTo(3);
        assertThat(db.value("SELECT count(*) FROM docs")).isEqualTo(47L);
    }

    @Test
    void anOverwritingUpsertMovesATimestampVersionSoACopyReadBeforeIsStale() {
        Row doc = versioned.get("doc", 5);
        Object keptVersion = versioned.get("doc", 6).get("version");

        versioned.upsert("doc", Map.of("id", 5, "title", "upserted"), Upsert.onPrimaryKey());
        versioned.upsert("doc", List.of(Map.of("id", 6, "title", "kept")), Upsert.onPrimaryKey().doNothing());

        Row after = versioned.get("doc", 5);
        assertThat((Instant) after.get("version")).isAfter((Instant) doc.get("version"));
        assertThat(versioned.get("doc", 6).get("version")).isEqualTo(keptVersion);
        assertThatThrownBy(() -> versioned.update(doc, Map.of("title", "mine")))
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STALE_RECORD));
        assertThat(db.value("SELECT title FROM docs WHERE id = 5")).isEqualTo("upserted");
    }

    @Test
    void aTypedRecordCarriesItsTimestampVersionSoItsStaleUpdateIsRefused() {
        Doc mine = versioned.read(Doc.DOCS).where(Doc.TITLE.eq("old 8")).one().orElseThrow();
        Doc theirs = versioned.update(Doc.DOCS, new Doc(mine.id(), "theirs", mine.counter(), mine.lockVersion(),
                mine.version()), Doc.TITLE);

        assertThat(theirs.version()).isAfter(mine.version());
        assertThatThrownBy(() -> versioned.update(Doc.DOCS, new Doc(mine.id(), "mine", mine.counter(),
                mine.lockVersion(), mine.version()), Doc.TITLE))
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STALE_RECORD));
        assertThatThrownBy(() -> versioned.destroyAll(Doc.DOCS, List.of(mine)))
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STALE_RECORD));
        assertThat(db.value("SELECT title FROM docs WHERE id = ?", mine.id())).isEqualTo("theirs");
    }

    @Test
    void concurrentWritersOfATimestampVersionedRecordNeverLoseAnUpdate() throws Exception {
        int writers = 4;
        int attempts = 25;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<int[]>> results = new ArrayList<>();
        try {
            for (int w = 0; w < writers; w++) {
                results.add(pool.submit(() -> {
                    start.await();
                    int[] outcome = new int[2];
                    for (int i = 0; i < attempts; i++) {
                        // read, compute in Java, write back: without a version, concurrent writers lose updates
                        Row doc = versioned.get("doc", 9);
                        try {
                            versioned.update(doc, Map.of("counter", doc.getInteger("counter") + 1));
                            outcome[0]++;
                        } catch (AshlarException e) {
                            assertThat(e.code()).isEqualTo(ErrorCode.STALE_RECORD);
                            outcome[1]++;
                        }
                    }
                    return outcome;
                }));
            }
            start.countDown();
            int written = 0;
            for (Future<int[]> result : results) {
                written += result.get(60, TimeUnit.SECONDS)[0];
            }
            assertThat(written).isPositive();
            assertThat(db.value("SELECT counter FROM docs WHERE id = 9")).isEqualTo(written);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aTimestampWithoutTimeZoneVersionMovesAndRefusesAStaleRecord() {
        Row sheet = versioned.get("sheet", 1);

        Row updated = versioned.update(versioned.get("sheet", 1), Map.of("title", "theirs"));

        assertThat((LocalDateTime) updated.get("edited_at")).isAfter((LocalDateTime) sheet.get("edited_at"));
        assertThatThrownBy(() -> versioned.update(sheet, Map.of("title", "mine")))
                .isInstanceOfSatisfying(AshlarException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.STALE_RECORD);
                    assertThat(e.field()).contains("edited_at");
                });
        versioned.read("sheet").where(dev.ashlar.api.query.Filter.gt("id", 40)).updateAll(Map.of("title", "all"));
        assertThat(db.value("SELECT count(*) FROM sheets WHERE id > 40 AND edited_at > ?",
                (LocalDateTime) sheet.get("edited_at"))).isEqualTo(10L);
    }
}
