package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.ForbiddenException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Operation;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Policy;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.spi.plugin.Router;
import org.postgresql.ds.PGSimpleDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Polymorphic reads of a parent of joined inheritance ({@code read("animal").loadChildren()}, Hibernate's
 * {@code from Animal} returning {@code Dog} instances): each record that is a child's comes back as the child's row,
 * with the child's fields, the relationships loaded on the parent's kept, in the handle's scope. Tenancy from the
 * attacker's side is in {@code JoinedInheritanceTenancyTest}.
 */
class JoinedPolymorphicReadTest extends DomainDatabaseTest {
    static final Resource KEEPER = Resource.builder("keeper").table("jp_keepers").primaryKey("id")
            .attribute("name", TEXT)
            .build();
    static final Resource ANIMAL = Resource.builder("animal").table("jp_animals").primaryKey("id")
            .attribute("name", TEXT, a -> a.notNull())
            .attribute("legs", INTEGER, a -> a.defaultValue(4))
            .attribute("deleted_at", TIMESTAMPTZ)
            .softDelete("deleted_at")
            .belongsTo("keeper", "keeper")
            .build();
    static final Resource DOG = Resource.builder("dog").table("jp_dogs").extending("animal")
            .attribute("breed", TEXT)
            .build();
    static final Resource CAT = Resource.builder("cat").table("jp_cats").extending("animal")
            .attribute("color", TEXT)
            .build();
    static final Domain DOMAIN = Domain.builder("joined_polymorphic").resources(KEEPER, ANIMAL, DOG, CAT).build();

    record Animal(Long id, String name, Integer legs) {
        static final Table<Animal> ANIMALS = Table.of("animal", Animal.class);
        static final TextField<Animal> NAME = ANIMALS.attribute("name", dev.ashlar.api.typed.Kind.TEXT);
        static final Field<Animal, Integer> LEGS = ANIMALS.attribute("legs", dev.ashlar.api.typed.Kind.INTEGER);
    }

    record Dog(Long id, String name, Integer legs, String breed) {
    }

    JoinedPolymorphicReadTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void seed() {
        db.execute("TRUNCATE jp_keepers, jp_animals, jp_dogs, jp_cats RESTART IDENTITY CASCADE");
        Row ada = ashlar.create("keeper", Map.of("name", "Ada"));
        ashlar.create("dog", Map.of("name", "Rex", "breed", "collie", "keeper_id", ada.get("id")));
        ashlar.create("cat", Map.of("name", "Tom", "color", "grey", "keeper_id", ada.get("id")));
        ashlar.create("animal", Map.of("name", "Nemo", "legs", 0));
    }

    @Test
    void aParentsReadWithLoadChildrenReturnsEachChildsRecordAsItsRowAndTheOthersAsTheParents() {
        List<Row> animals = ashlar.read("animal").loadChildren().sort(Sort.asc("name")).list();

        assertThat(animals).extracting(Row::resource).containsExactly("animal", "dog", "cat");
        assertThat(animals.get(1).toMap()).containsEntry("name", "Rex").containsEntry("legs", 4)
                .containsEntry("breed", "collie");
        assertThat(animals.get(2).get("color")).isEqualTo("grey");
        assertThat(animals.get(0).has("breed")).isFalse();
        assertThat(ashlar.read("animal").sort(Sort.asc("name")).list()).extracting(Row::resource)
                .containsOnly("animal");
    }

    @Test
    void theRelationshipsLoadedOnTheParentsRowsStayOnTheChildrensAndFiltersPagesAndFirstApply() {
        List<Row> kept = ashlar.read("animal").load("keeper").where(Filter.eq("keeper.name", "Ada"))
                .sort(Sort.asc("name")).loadChildren().list();

        assertThat(kept).extracting(r -> r.resource() + " " + r.relatedOne("keeper").orElseThrow().get("name"))
                .containsExactly("dog Ada", "cat Ada");
        assertThat(ashlar.read("animal").where(Filter.gt("legs", 0)).sort(Sort.asc("name")).limit(1).loadChildren()
                .page().rows()).extracting(r -> r.get("breed")).containsExactly("collie");
        assertThat(ashlar.read("animal").where(Filter.eq("name", "Tom")).loadChildren().first().orElseThrow()
                .resource()).isEqualTo("cat");
    }

    @Test
    void aChildsRowReadThroughItsParentIsUpdatedAcrossBothTablesAsTheChilds() {
        Row rex = ashlar.read("animal").where(Filter.eq("name", "Rex")).loadChildren().first().orElseThrow();

        ashlar.update(rex, Map.of("name", "Rexy", "breed", "beagle"));

        assertThat(db.query("SELECT a.name, d.breed FROM jp_animals a JOIN jp_dogs d USING (id)"))
                .extracting(r -> r.get("name") + " " + r.get("breed")).containsExactly("Rexy beagle");
    }

    @Test
    void aRecordTheChildsPolicyHidesStaysTheParentsRow() {
        Policy dogs = Policy.on("dog").read(actor -> Filter.eq("breed", "pug"));
        Policy animals = Policy.on("animal").read(Policy.EVERY_ROW);
        try (Ashlar policed = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN).policies(animals, dogs)
                .build()) {
            Row rex = policed.withUser(1).read("animal").where(Filter.eq("name", "Rex")).loadChildren().first()
                    .orElseThrow();

            assertThat(rex.resource()).isEqualTo("animal");
            assertThat(rex.has("breed")).isFalse();
        }
    }

    @Test
    void aChildWhosePolicyLetsTheHandleReadNoneOfItsRecordsLeavesThemTheParentsRows() {
        Policy dogs = Policy.on("dog").read(actor -> Filter.eq("breed", "collie"));
        Policy cats = Policy.on("cat").update(Policy.EVERY_ROW);
        try (Ashlar policed = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN).policies(dogs, cats)
                .build()) {
            List<Row> noActor = policed.read("animal").loadChildren().sort(Sort.asc("name")).list();
            List<Row> actor = policed.withUser(1).read("animal").loadChildren().sort(Sort.asc("name")).list();

            assertThat(noActor).extracting(r -> r.get("name") + " " + r.resource())
                    .containsExactly("Nemo animal", "Rex animal", "Tom animal");
            assertThat(noActor.get(1).has("breed")).isFalse();
            assertThat(actor).extracting(r -> r.get("name") + " " + r.resource())
                    .containsExactly("Nemo animal", "Rex dog", "Tom animal");
            assertThat(actor.get(1).get("breed")).isEqualTo("collie");
            assertThatThrownBy(() -> policed.read("dog").list()).isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> policed.withUser(1).read("cat").list()).isInstanceOf(ForbiddenException.class);
            assertThat(policed.bypassPolicies().read("animal").loadChildren().sort(Sort.asc("name")).list())
                    .extracting(Row::resource).containsExactly("animal", "dog", "cat");
        }
    }

    @Test
    void aSoftDeletedChildComesBackAsTheChildsRowWhenTheReadIgnoresTheBaseFilter() {
        ashlar.destroy(ashlar.read("dog").first().orElseThrow());

        assertThat(ashlar.read("animal").loadChildren().list()).extracting(Row::resource)
                .containsExactlyInAnyOrder("cat", "animal");
        Row rex = ashlar.read("animal").ignoreBaseFilter().where(Filter.eq("name", "Rex")).loadChildren().first()
                .orElseThrow();
        assertThat(rex.resource()).isEqualTo("dog");
        assertThat(rex.get("deleted_at")).isNotNull();
    }

    @Test
    void theTypedReadTellsTheChildrenApartByTheirRows() {
        List<Record> animals = ashlar.read(Animal.ANIMALS).where(Animal.LEGS.gt(0)).loadChildren().rows().stream()
                .map(row -> row.resource().equals("dog") ? (Record) row.as(Dog.class) : row.as(Animal.class))
                .toList();

        assertThat(animals).containsExactlyInAnyOrder(new Dog(1L, "Rex", 4, "collie"), new Animal(2L, "Tom", 4));
    }

    @Test
    void loadChildrenOfAResourceNoneExtendsOrOnARowByRowReadIsRefusedNamingTheFix() {
        assertThatThrownBy(() -> ashlar.read("keeper").loadChildren()).isInstanceOfSatisfying(QueryException.class,
                e -> assertThat(e.getMessage()).contains("keeper", "no resource", "extending(\"keeper\")"));
        assertThatThrownBy(() -> ashlar.read("animal").loadChildren().forEach(row -> { }))
                .isInstanceOf(QueryException.class).hasMessageContaining("children's parts");
        assertThatThrownBy(() -> ashlar.read("animal").loadChildren().union(ashlar.read("animal")).list())
                .isInstanceOf(QueryException.class);
    }

    @Test
    void theFieldsTheChildsOrTheParentsFieldPolicyHidesStayHiddenOnTheChildsRow() {
        Policy dogs = Policy.on("dog").read(Policy.EVERY_ROW).field("breed", actor -> Policy.NO_ROW);
        Policy animals = Policy.on("animal").read(Policy.EVERY_ROW).field("legs", actor -> Filter.eq("name", "Nemo"));
        try (Ashlar policed = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN).policies(animals, dogs)
                .build()) {
            List<Row> seen = policed.withUser(1).read("animal").loadChildren().sort(Sort.asc("name")).list();

            assertThat(seen).extracting(Row::resource).containsExactly("animal", "dog", "cat");
            assertThat(seen.get(0).get("legs")).isEqualTo(0);
            assertThat(seen.get(1).forbidden("breed")).isTrue();
            assertThat(seen.get(1).forbidden("legs")).isTrue();
            assertThat(seen.get(1).get("name")).isEqualTo("Rex");
            assertThat(seen.get(2).forbidden("legs")).isTrue();
            assertThat(seen.get(2).get("color")).isEqualTo("grey");
            assertThat(policed.withUser(1).read(Animal.ANIMALS).loadChildren().rows().stream()
                    .filter(row -> row.resource().equals("dog")).map(row -> row.as(Dog.class)))
                    .containsExactly(new Dog(1L, "Rex", null, null));
        }
    }

    @Test
    void theFieldsTheParentsReadComputesStayOnTheChildsRow() {
        Row rex = ashlar.read("animal").where(Filter.eq("name", "Rex")).compute("twice", Integer.class, "legs * 2")
                .loadChildren().first().orElseThrow();

        assertThat(rex.resource()).isEqualTo("dog");
        assertThat(rex.get("twice")).isEqualTo(8);
        assertThat(rex.get("breed")).isEqualTo("collie");
    }

    @Test
    void theChildsRowReadsOnlyTheFieldsTheReadSelects() {
        List<Row> animals = ashlar.read("animal").select("name").loadChildren().sort(Sort.asc("name")).list();

        assertThat(animals).extracting(Row::resource).containsExactly("animal", "dog", "cat");
        Row rex = animals.get(1);
        assertThat(rex.get("name")).isEqualTo("Rex");
        assertThat(rex.get("id")).isNotNull();
        assertThat(rex.has("breed")).isFalse();
        assertThat(rex.has("legs")).isFalse();
        assertThat(animals.get(2).has("color")).isFalse();
        assertThat(ashlar.read("animal").loadChildren().sort(Sort.asc("name")).list().get(1).get("breed"))
                .as("without a select, every field of the child").isEqualTo("collie");
    }

    @Test
    void theChildsRowsAreReadInTheParentsSnapshotSoAChangeCommittedBetweenTheTwoReadsIsNotSeen() throws Exception {
        // The parent's statement sleeps a second; another session renames the dog and changes its breed meanwhile.
        CompletableFuture<Row> read = CompletableFuture.supplyAsync(() -> ashlar.read("animal")
                .where(Filter.eq("name", "Rex")).compute("waited", Boolean.class, "pg_sleep(1) IS NOT NULL")
                .loadChildren().list().get(0));
        awaitSleep();
        db.execute("BEGIN; UPDATE jp_animals SET name = 'Rexy' WHERE name = 'Rex'; UPDATE jp_dogs SET breed = 'beagle'; "
                + "COMMIT");

        Row rex = read.get(30, TimeUnit.SECONDS);

        assertThat(rex.resource()).isEqualTo("dog");
        assertThat(rex.get("name") + " " + rex.get("breed")).isEqualTo("Rex collie");
        Row now = ashlar.read("animal").where(Filter.eq("name", "Rexy")).loadChildren().first().orElseThrow();
        assertThat(now.get("breed")).isEqualTo("beagle");
        assertThat(db.activeConnections()).isZero();
    }

    @Test
    void inACallersRepeatableReadTransactionTheChildsRowIsReadInItsSnapshotAndSeesItsOwnWrites() throws Exception {
        CompletableFuture<List<Row>> read = CompletableFuture.supplyAsync(() -> ashlar.transaction(
                Isolation.REPEATABLE_READ, tx -> {
                    tx.update(tx.read("dog").where(Filter.eq("name", "Rex")).first().orElseThrow(),
                            Map.of("breed", "pug"));
                    return tx.read("animal").where(Filter.in("name", List.of("Rex", "Tom"))).sort(Sort.asc("name"))
                            .compute("waited", Boolean.class, "pg_sleep(1) IS NOT NULL").loadChildren().list();
                }));
        awaitSleep();
        db.execute("UPDATE jp_cats SET color = 'black'");

        List<Row> rows = read.get(30, TimeUnit.SECONDS);

        assertThat(rows).extracting(row -> row.resource() + " " + row.get(row.resource().equals("dog") ? "breed"
                : "color")).as("the transaction's own write, and the cat as its snapshot has it")
                .containsExactly("dog pug", "cat grey");
        assertThat(db.value("SELECT breed FROM jp_dogs") + " " + db.value("SELECT color FROM jp_cats"))
                .isEqualTo("pug black");
    }

    /** Sends reads of animals to the data source named "replica". */
    static final class AnimalReplica implements AshlarPlugin, Router {
        @Override
        public String id() {
            return "animal-replica";
        }

        @Override
        public Optional<String> route(Resource resource, Operation operation) {
            return resource.name().equals("animal") && operation == Operation.READ ? Optional.of("replica")
                    : Optional.empty();
        }
    }

    @Test
    void aReadRoutedToAReadOnlyReplicaReadsTheParentsAndTheChildrensRowsThere() {
        // A standby's sessions are read only: every transaction there is, as default_transaction_read_only makes it.
        PGSimpleDataSource standby = new PGSimpleDataSource();
        standby.setURL(db.jdbcUrl());
        standby.setUser(db.user());
        standby.setPassword(db.password());
        standby.setOptions("-c default_transaction_read_only=on");
        CountingDataSource replica = new CountingDataSource(standby);
        try (Ashlar routed = Ashlar.builder().dataSource(db.dataSource()).dataSource("replica", replica)
                .domain(DOMAIN).install(new AnimalReplica()).build()) {
            List<Row> animals = routed.read("animal").loadChildren().sort(Sort.asc("name")).list();

            assertThat(animals).extracting(r -> r.resource() + " " + r.get("name"))
                    .containsExactly("animal Nemo", "dog Rex", "cat Tom");
            assertThat(animals.get(1).get("breed")).isEqualTo("collie");
            assertThat(replica.borrowed.get()).as("one connection of the replica for the three reads").isEqualTo(1);
            assertThat(replica.takeAll()).anyMatch(sql -> sql.contains("jp_animals"))
                    .anyMatch(sql -> sql.contains("jp_dogs")).anyMatch(sql -> sql.contains("jp_cats"));
        }
        assertThat(db.activeConnections()).isZero();
    }

    /** Waits until another session runs the parent's sleeping statement. */
    private void awaitSleep() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Long.valueOf(1L).equals(db.value("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                + "AND query LIKE '%pg_sleep(1)%' AND pid <> pg_backend_pid()"))) {
            assertThat(System.nanoTime()).as("the parent's read started").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void loadChildrenOnAReadOfPastVersionsIsRefusedNamingTheFix() {
        assertThatThrownBy(() -> ashlar.read("animal").loadChildren().asOf(java.time.Instant.now()))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.getMessage())
                        .contains("animal", "past versions", "without loadChildren()"));
        assertThatThrownBy(() -> ashlar.read("animal").loadChildren().versionsBetween(java.time.Instant.EPOCH,
                java.time.Instant.now())).isInstanceOf(QueryException.class).hasMessageContaining("loadChildren()");
    }
}
