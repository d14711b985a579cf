package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.error.StaleRecordException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.data.Merge;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Upserts of a record stored across the tables of joined inheritance (a sports car extends car, which extends
 * vehicle; a truck extends vehicle): on its key or on the child's own identity, in one transaction, a record not
 * stored is inserted in every table, a stored one has the fields it overwrites written, only in the tables holding a
 * changed one.
 */
class JoinedUpsertTest extends DomainDatabaseTest {
    static final Resource VEHICLE = Resource.builder("vehicle").table("ju_vehicles")
            .attribute("code", TEXT, a -> a.primaryKey())
            .attribute("name", TEXT, a -> a.notNull())
            .build();
    static final Resource CAR = Resource.builder("car").table("ju_cars").extending("vehicle")
            .attribute("doors", INTEGER)
            .build();
    static final Resource SPORTS_CAR = Resource.builder("sports_car").table("ju_sports_cars").extending("car")
            .attribute("vin", TEXT)
            .attribute("top_speed", INTEGER)
            .identity("unique_vin", "vin")
            .build();
    static final Resource TRUCK = Resource.builder("truck").table("ju_trucks").extending("vehicle")
            .attribute("load", INTEGER)
            .build();
    static final Resource GADGET = Resource.builder("gadget").table("ju_gadgets")
            .attribute("code", TEXT, a -> a.primaryKey())
            .attribute("name", TEXT)
            .attribute("touched_at", dev.ashlar.api.resource.Type.TIMESTAMPTZ, a -> a.touchOnUpdate())
            .build();
    static final Resource PHONE = Resource.builder("phone").table("ju_phones").extending("gadget")
            .attribute("model", TEXT)
            .build();

    static final Resource ITEM = Resource.builder("item").table("ju_items")
            .attribute("code", TEXT, a -> a.primaryKey())
            .attribute("name", TEXT)
            .attribute("lock_version", INTEGER, a -> a.notNull().defaultValue(1))
            .attribute("created_by", TEXT)
            .optimisticLock("lock_version").createdBy("created_by")
            .build();
    static final Resource BOOK = Resource.builder("book").table("ju_books").extending("item")
            .attribute("isbn", TEXT, a -> a.updatable(false))
            .attribute("pages", INTEGER)
            .build();

    JoinedUpsertTest() {
        super(Domain.builder("joined_upserts").resources(VEHICLE, CAR, SPORTS_CAR, TRUCK, GADGET, PHONE, ITEM, BOOK)
                .build());
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE ju_vehicles, ju_cars, ju_sports_cars, ju_trucks, ju_gadgets, ju_phones, ju_items, "
                + "ju_books CASCADE");
    }

    @Test
    void anUpsertOnTheKeyOfARecordNotStoredInsertsItInEveryTableOfTheChain() {
        Row zonda = ashlar.upsert("sports_car", Map.of("code", "z1", "name", "Zonda", "doors", 2, "vin", "V1",
                "top_speed", 350), Upsert.onPrimaryKey());

        assertThat(zonda.toMap()).containsEntry("code", "z1").containsEntry("doors", 2).containsEntry("top_speed", 350);
        assertThat(db.value("SELECT name FROM ju_vehicles WHERE code = 'z1'")).isEqualTo("Zonda");
        assertThat(db.value("SELECT doors FROM ju_cars WHERE code = 'z1'")).isEqualTo(2);
        assertThat(db.value("SELECT top_speed FROM ju_sports_cars WHERE code = 'z1'")).isEqualTo(350);
    }

    @Test
    void anUpsertOnTheKeyOfAStoredRecordWritesOnlyTheTablesHoldingAChangedField() {
        ashlar.create("sports_car", Map.of("code", "z1", "name", "Zonda", "doors", 2, "vin", "V1", "top_speed", 350));
        Object vehicleRow = db.value("SELECT xmin::text FROM ju_vehicles");
        Object carRow = db.value("SELECT xmin::text FROM ju_cars");

        Row upserted = ashlar.upsert("sports_car", Map.of("code", "z1", "name", "Zonda", "doors", 2, "vin", "V1",
                "top_speed", 360), Upsert.onPrimaryKey());

        assertThat(upserted.get("top_speed")).isEqualTo(360);
        assertThat(db.value("SELECT top_speed FROM ju_sports_cars")).isEqualTo(360);
        assertThat(db.value("SELECT xmin::text FROM ju_vehicles")).isEqualTo(vehicleRow);
        assertThat(db.value("SELECT xmin::text FROM ju_cars")).isEqualTo(carRow);
        assertThat(db.value("SELECT count(*) FROM ju_vehicles")).isEqualTo(1L);
    }

    @Test
    void anUpsertOfSeveralRecordsInsertsTheNewAndUpdatesTheStoredAllOrNone() {
        ashlar.create("truck", Map.of("code", "t1", "name", "Actros", "load", 10));

        List<Row> rows = ashlar.upsert("truck", List.of(Map.of("code", "t1", "name", "Actros II", "load", 12),
                Map.of("code", "t2", "name", "Volvo FH", "load", 20)), Upsert.onPrimaryKey());

        assertThat(rows).extracting(r -> r.get("code") + " " + r.get("name") + " " + r.get("load"))
                .containsExactly("t1 Actros II 12", "t2 Volvo FH 20");
        java.util.Map<String, Object> noName = new java.util.HashMap<>(Map.of("code", "t3", "load", 1));
        assertThatThrownBy(() -> ashlar.upsert("truck", List.of(Map.of("code", "t1", "name", "Changed", "load", 99),
                noName), Upsert.onPrimaryKey())).hasMessageContaining("name");
        assertThat(db.query("SELECT v.code, v.name, t.load FROM ju_vehicles v JOIN ju_trucks t USING (code) "
                + "ORDER BY 1")).extracting(r -> r.get("code") + " " + r.get("name") + " " + r.get("load"))
                .containsExactly("t1 Actros II 12", "t2 Volvo FH 20");
    }

    @Test
    void anUpsertOnTheChildsOwnIdentityFindsTheStoredRecordAndOverwritesOnlyTheFieldsNamed() {
        ashlar.create("sports_car", Map.of("code", "z1", "name", "Zonda", "doors", 2, "vin", "V1", "top_speed", 350));

        Row upserted = ashlar.upsert("sports_car", Map.of("code", "other", "name", "Renamed", "doors", 4, "vin", "V1",
                "top_speed", 340), Upsert.on("unique_vin").update("top_speed", "doors"));

        assertThat(upserted.toMap()).containsEntry("code", "z1").containsEntry("name", "Zonda")
                .containsEntry("doors", 4).containsEntry("top_speed", 340);
        assertThat(db.query("SELECT v.code, v.name, c.doors, s.top_speed FROM ju_vehicles v JOIN ju_cars c "
                + "USING (code) JOIN ju_sports_cars s USING (code)")).extracting(r -> r.get("code") + " "
                + r.get("name") + " " + r.get("doors") + " " + r.get("top_speed")).containsExactly("z1 Zonda 4 340");
    }

    @Test
    void anUpsertThatKeepsTheStoredRecordWritesNothingAndReturnsItOnlyWhenAskedTo() {
        ashlar.create("truck", Map.of("code", "t1", "name", "Actros", "load", 10));
        Map<String, Object> incoming = Map.of("code", "t1", "name", "Other", "load", 99);

        List<Row> kept = ashlar.upsert("truck", List.of(incoming), Upsert.onPrimaryKey().doNothing());
        List<Row> returned = ashlar.upsert("truck", List.of(incoming), Upsert.onPrimaryKey().doNothing()
                .returnSkipped());

        assertThat(kept).isEmpty();
        assertThat(returned).extracting(r -> r.get("name") + " " + r.get("load")).containsExactly("Actros 10");
        assertThat(db.value("SELECT load FROM ju_trucks")).isEqualTo(10);
    }

    @Test
    void anUpsertWithAConditionOrAnAtomicChangeAndAMergeAreRefusedNamingTheTablesAndTheFix() {
        ashlar.create("truck", Map.of("code", "t1", "name", "Actros", "load", 10));
        Map<String, Object> incoming = Map.of("code", "t1", "name", "Other", "load", 99);

        assertThatThrownBy(() -> ashlar.upsert("truck", incoming, Upsert.onPrimaryKey().where(Filter.gt("load", 0))))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.getMessage())
                        .contains("'truck'", "'ju_vehicles' and 'ju_trucks'", "where(...)", "upsert without it"));
        assertThatThrownBy(() -> ashlar.upsert("truck", incoming, Upsert.onPrimaryKey().set("load", Atomic.add(1))))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.getMessage())
                        .contains("'truck'", "set(...)"));
        assertThatThrownBy(() -> ashlar.merge("truck", List.of(incoming), Merge.on("code").whenMatched().update()))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.getMessage())
                        .contains("'truck'", "merge", "ashlar.upsert("));
        assertThat(db.query("SELECT v.name, t.load FROM ju_vehicles v JOIN ju_trucks t USING (code)"))
                .extracting(r -> r.get("name") + " " + r.get("load")).containsExactly("Actros 10");
    }

    @Test
    void anUpdateOfOnlyTheChildsFieldStillMovesTheParentsUpdateTimeAndAnUpdateWithoutChangesReturnsItAsStored() {
        Row phone = ashlar.create("phone", Map.of("code", "p1", "name", "Pixel", "model", "7"));
        db.execute("UPDATE ju_gadgets SET touched_at = '2000-01-01T00:00:00Z'");

        Row updated = ashlar.update(phone, Map.of("model", "8"));
        Row unchanged = ashlar.update(updated, Map.of());

        assertThat(db.value("SELECT touched_at > '2001-01-01T00:00:00Z' FROM ju_gadgets")).isEqualTo(true);
        assertThat(unchanged.toMap()).containsEntry("name", "Pixel").containsEntry("model", "8");
        assertThat(db.query("SELECT g.name, p.model FROM ju_gadgets g JOIN ju_phones p USING (code)"))
                .extracting(r -> r.get("name") + " " + r.get("model")).containsExactly("Pixel 8");
    }

    @Test
    void anUpsertOfAVersionedChildCountsTheVersionUpWhateverVersionItsRecordGives() {
        Row book = ashlar.create("book", Map.of("code", "b1", "name", "Dune", "isbn", "A", "pages", 400));
        ashlar.update(book, Map.of("pages", 410));
        Map<String, Object> stale = new java.util.HashMap<>(book.toMap());
        stale.put("pages", 420);

        Row upserted = ashlar.upsert("book", stale, Upsert.onPrimaryKey());

        assertThat(upserted.get("lock_version")).isEqualTo(3);
        assertThat(db.value("SELECT lock_version FROM ju_items")).isEqualTo(3);
        assertThatThrownBy(() -> ashlar.update(book, Map.of("pages", 1))).isInstanceOf(StaleRecordException.class);
        assertThat(db.value("SELECT pages FROM ju_books")).isEqualTo(420);
    }

    @Test
    void anUpsertNamingTheVersionInUpdateWritesTheGivenVersionEvenWhenItEqualsTheStoredOneAsOnOneTable() {
        ashlar.create("book", Map.of("code", "b1", "name", "Dune", "isbn", "A", "pages", 400));
        ashlar.create("book", Map.of("code", "b2", "name", "Emma", "isbn", "B", "pages", 300));

        List<Row> upserted = ashlar.upsert("book", List.of(Map.of("code", "b1", "lock_version", 1, "pages", 500),
                Map.of("code", "b2", "lock_version", 7, "pages", 300)), Upsert.onPrimaryKey()
                .update("pages", "lock_version"));

        assertThat(upserted).extracting(r -> r.get("code") + " " + r.get("lock_version") + " " + r.get("pages"))
                .containsExactly("b1 1 500", "b2 7 300");
        assertThat(db.query("SELECT code, lock_version, pages FROM ju_items JOIN ju_books USING (code) ORDER BY code"))
                .extracting(r -> r.get("code") + " " + r.get("lock_version") + " " + r.get("pages"))
                .containsExactly("b1 1 500", "b2 7 300");
    }

    @Test
    void anUpsertNamingAFieldNoRecordGivesIsRefusedBeforeAnyStatementEvenWhenEveryRecordIsNew() {
        ashlar.create("book", Map.of("code", "b1", "name", "Dune", "isbn", "A", "pages", 400));

        assertThatThrownBy(() -> ashlar.upsert("book", List.of(Map.of("code", "b2", "name", "Emma", "isbn", "B"),
                Map.of("code", "b3", "name", "Iliad", "isbn", "C")), Upsert.onPrimaryKey().update("name", "pages")))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.getMessage())
                        .contains("'pages'", "a record does not give it", "Give 'pages' in every record"));
        assertThat(db.value("SELECT string_agg(code, ',' ORDER BY code) FROM ju_items")).isEqualTo("b1");
        assertThat(db.value("SELECT count(*) FROM ju_books")).isEqualTo(1L);
    }

    @Test
    void anUpsertOverwritingEveryGivenFieldLeavesTheCreatorAndCreateOnlyFieldsAsStoredAsOnOneTable() {
        ashlar.withUser("ada").create("book", Map.of("code", "b1", "name", "Dune", "isbn", "A", "pages", 400));

        Row upserted = ashlar.upsert("book", Map.of("code", "b1", "name", "Dune", "isbn", "B", "created_by",
                "mallory", "pages", 500), Upsert.onPrimaryKey());

        assertThat(upserted.toMap()).containsEntry("isbn", "A").containsEntry("created_by", "ada")
                .containsEntry("pages", 500);
        assertThat(db.query("SELECT i.created_by, b.isbn, b.pages FROM ju_items i JOIN ju_books b USING (code)"))
                .extracting(r -> r.get("created_by") + " " + r.get("isbn") + " " + r.get("pages"))
                .containsExactly("ada A 500");
    }

    @Test
    void anUpsertNamingACreateOnlyFieldOrAFieldARecordDoesNotGiveIsRefusedAsOnOneTable() {
        ashlar.create("book", Map.of("code", "b1", "name", "Dune", "isbn", "A", "pages", 400));
        Map<String, Object> same = Map.of("code", "b1", "name", "Dune", "isbn", "A", "pages", 400);

        assertThatThrownBy(() -> ashlar.upsert("book", same, Upsert.onPrimaryKey().update("isbn")))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.getMessage())
                        .contains("'isbn'", "updatable(false)", "leave 'isbn' out"));
        assertThatThrownBy(() -> ashlar.upsert("book", Map.of("code", "b1", "name", "Renamed"),
                Upsert.onPrimaryKey().update("name", "pages")))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.getMessage())
                        .contains("'pages'", "a record does not give it", "Give 'pages' in every record"));
        assertThat(db.value("SELECT name FROM ju_items")).isEqualTo("Dune");
    }

    @Test
    void twoConcurrentUpsertsOfTheSameNewKeyInsertItOnceAndTheSecondOverwritesIt() throws Exception {
        java.util.concurrent.CountDownLatch firstWrote = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch secondWaits = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Future<?> first = threads.submit(() -> ashlar.inTransaction(tx -> {
                tx.upsert("sports_car", Map.of("code", "z9", "name", "First", "doors", 2, "vin", "V9",
                        "top_speed", 300), Upsert.onPrimaryKey());
                firstWrote.countDown();
                await(secondWaits);
            }));
            await(firstWrote);
            java.util.concurrent.Future<Row> second = threads.submit(() -> ashlar.upsert("sports_car",
                    Map.of("code", "z9", "name", "Second", "doors", 4, "vin", "V9", "top_speed", 310),
                    Upsert.onPrimaryKey()));
            // The second upsert's lookup missed the uncommitted row; its insert waits for the first to commit.
            long waiting = 0;
            for (int i = 0; i < 200 && !second.isDone() && waiting == 0; i++) {
                Thread.sleep(50);
                waiting = ((Number) db.value("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                        + "current_database() AND wait_event_type = 'Lock'")).longValue();
            }
            assertThat(waiting).isPositive();
            assertThat(second.isDone()).isFalse();
            secondWaits.countDown();
            first.get(30, java.util.concurrent.TimeUnit.SECONDS);

            assertThat(second.get(30, java.util.concurrent.TimeUnit.SECONDS).get("name")).isEqualTo("Second");
        } finally {
            secondWaits.countDown();
            threads.shutdownNow();
        }
        assertThat(db.query("SELECT v.code, v.name, c.doors, s.top_speed FROM ju_vehicles v JOIN ju_cars c "
                + "USING (code) JOIN ju_sports_cars s USING (code)")).extracting(r -> r.get("code") + " "
                + r.get("name") + " " + r.get("doors") + " " + r.get("top_speed")).containsExactly("z9 Second 4 310");
    }

    private static void await(java.util.concurrent.CountDownLatch latch) {
        try {
            assertThat(latch.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
