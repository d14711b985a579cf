package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.StaleRecordException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Actor;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Policy;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A chain of joined inheritance (a dog extends mammal, which extends animal), as Hibernate's own inheritance tests
 * build three-level hierarchies: each record is one row of each table, all sharing the root's key; reads join every
 * level, a create writes them all root first in one statement, an update writes only the tables holding a changed
 * field, a destroy deletes the root's row and the rows below with it.
 */
class JoinedChainTest extends DomainDatabaseTest {
    static final Resource ANIMAL = Resource.builder("animal").table("ch_animals").primaryKey("id")
            .attribute("name", TEXT, a -> a.notNull())
            .attribute("legs", INTEGER, a -> a.defaultValue(4))
            .attribute("lock_version", INTEGER, a -> a.notNull().defaultValue(1))
            .optimisticLock("lock_version")
            .build();
    static final Resource MAMMAL = Resource.builder("mammal").table("ch_mammals").extending("animal")
            .attribute("fur", TEXT)
            .build();
    static final Resource DOG = Resource.builder("dog").table("ch_dogs").extending("mammal")
            .attribute("breed", TEXT)
            .build();

    static final Resource CREATURE = Resource.builder("creature").table("ch_creatures").primaryKey("id")
            .attribute("name", TEXT)
            .attribute("deleted_at", TIMESTAMPTZ)
            .softDelete("deleted_at")
            .build();
    static final Resource REPTILE = Resource.builder("reptile").table("ch_reptiles").extending("creature")
            .attribute("scales", TEXT)
            .build();
    static final Resource SNAKE = Resource.builder("snake").table("ch_snakes").extending("reptile")
            .attribute("length", INTEGER)
            .baseFilter("length > 0", Filter.gt("length", 0))
            .build();

    // Declared leaf first: the chain is resolved root first whatever the order of the domain.
    static final Domain DOMAIN = Domain.builder("chain").resources(DOG, MAMMAL, ANIMAL, SNAKE, REPTILE, CREATURE)
            .build();

    JoinedChainTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE ch_animals, ch_mammals, ch_dogs, ch_creatures, ch_reptiles, ch_snakes RESTART IDENTITY "
                + "CASCADE");
    }

    @Test
    void eachLevelsTableHoldsItsOwnColumnsAndTheKeyReferencingItsParentsTableOnDeleteCascade() {
        assertThat(columns("ch_animals")).containsExactly("id", "name", "legs", "lock_version");
        assertThat(columns("ch_mammals")).containsExactly("id", "fur");
        assertThat(columns("ch_dogs")).containsExactly("id", "breed");
        assertThat(db.query("SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent, "
                + "confdeltype, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE contype = 'f' AND conrelid "
                + "IN ('ch_mammals'::regclass, 'ch_dogs'::regclass) ORDER BY 1")).extracting(r -> r.get("child") + " "
                + r.get("parent") + " " + r.get("confdeltype") + " " + r.get("def")).containsExactly(
                "ch_dogs ch_mammals c FOREIGN KEY (id) REFERENCES ch_mammals(id) ON DELETE CASCADE",
                "ch_mammals ch_animals c FOREIGN KEY (id) REFERENCES ch_animals(id) ON DELETE CASCADE");
    }

    @Test
    void aCreateWritesEveryLevelRootFirstWithTheRootsGeneratedKeyAndReturnsTheWholeRecord() {
        Row rex = ashlar.create("dog", Map.of("name", "Rex", "fur", "short", "breed", "collie"));

        assertThat(rex.resource()).isEqualTo("dog");
        assertThat(rex.toMap()).containsEntry("id", 1L).containsEntry("name", "Rex").containsEntry("legs", 4)
                .containsEntry("fur", "short").containsEntry("breed", "collie").containsEntry("lock_version", 1);
        assertThat(db.value("SELECT name FROM ch_animals WHERE id = 1")).isEqualTo("Rex");
        assertThat(db.value("SELECT fur FROM ch_mammals WHERE id = 1")).isEqualTo("short");
        assertThat(db.value("SELECT breed FROM ch_dogs WHERE id = 1")).isEqualTo("collie");
    }

    @Test
    void aCreateFailingOnTheRootLeavesNoRowInAnyLevel() {
        assertThatThrownBy(() -> ashlar.create("dog", Map.of("fur", "short", "breed", "collie")))
                .hasMessageContaining("name");

        assertThat(db.value("SELECT (SELECT count(*) FROM ch_animals) + (SELECT count(*) FROM ch_mammals) "
                + "+ (SELECT count(*) FROM ch_dogs)")).isEqualTo(0L);
    }

    @Test
    void readsOfTheGrandchildFilterSortSelectAndCountOnTheFieldsOfEveryLevel() {
        seed();

        assertThat(names(ashlar.read("dog").where(Filter.eq("fur", "long")).sort(Sort.desc("name"))))
                .containsExactly("Lassie", "Fido");
        assertThat(names(ashlar.read("dog").where(Filter.and(Filter.gt("legs", 3), Filter.eq("breed", "collie")))
                .sort(Sort.asc("name")))).containsExactly("Lassie", "Rex");
        assertThat(ashlar.read("dog").select("breed", "fur").sort(Sort.asc("breed"), Sort.asc("fur")).list())
                .extracting(r -> r.get("breed") + " " + r.get("fur"))
                .containsExactly("collie long", "collie short", "pug long", "pug short");
        assertThat(ashlar.read("dog").where(Filter.eq("legs", 3)).count()).isEqualTo(1);
        assertThat(ashlar.read("mammal").count()).isEqualTo(4);
        assertThat(ashlar.read("animal").count()).isEqualTo(5);
    }

    @Test
    void anUpdateWritesOnlyTheTablesHoldingAChangedFieldAndCountsTheRootsVersion() {
        Row rex = ashlar.create("dog", Map.of("name", "Rex", "fur", "short", "breed", "collie"));
        Object mammalRow = db.value("SELECT xmin::text FROM ch_mammals");
        Object dogRow = db.value("SELECT xmin::text FROM ch_dogs");

        Row updated = ashlar.update(rex, Map.of("breed", "beagle"));

        assertThat(updated.toMap()).containsEntry("breed", "beagle").containsEntry("fur", "short")
                .containsEntry("lock_version", 2);
        assertThat(db.value("SELECT xmin::text FROM ch_mammals")).isEqualTo(mammalRow);
        assertThat(db.value("SELECT xmin::text FROM ch_dogs")).isNotEqualTo(dogRow);
        assertThat(db.value("SELECT lock_version FROM ch_animals")).isEqualTo(2);

        Row furry = ashlar.update(updated, Map.of("fur", "long", "name", "Rexy"));
        assertThat(db.query("SELECT a.name, m.fur, d.breed, a.lock_version FROM ch_animals a JOIN ch_mammals m "
                + "USING (id) JOIN ch_dogs d USING (id)")).extracting(r -> r.get("name") + " " + r.get("fur") + " "
                + r.get("breed") + " " + r.get("lock_version")).containsExactly("Rexy long beagle 3");
        assertThat(furry.get("lock_version")).isEqualTo(3);
        assertThatThrownBy(() -> ashlar.update(rex, Map.of("fur", "stale"))).isInstanceOf(StaleRecordException.class);
        assertThat(db.value("SELECT fur FROM ch_mammals")).isEqualTo("long");
    }

    @Test
    void aDestroyDeletesTheRootsRowAndTheRowsOfEveryLevelBelowIt() {
        Row rex = ashlar.create("dog", Map.of("name", "Rex", "fur", "short", "breed", "collie"));
        ashlar.create("dog", Map.of("name", "Fido", "fur", "long", "breed", "pug"));

        ashlar.destroy(rex);

        assertThat(db.query("SELECT name FROM ch_animals")).extracting(r -> r.get("name")).containsExactly("Fido");
        assertThat(db.value("SELECT count(*) FROM ch_mammals WHERE id = ?", rex.get("id"))).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM ch_dogs WHERE id = ?", rex.get("id"))).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM ch_dogs")).isEqualTo(1L);
    }

    @Test
    void aSoftDeleteMarksTheRootsRowHidingTheRecordFromEveryLevelAndPermanentlyDeletesEveryRow() {
        Row kaa = ashlar.create("snake", Map.of("name", "Kaa", "scales", "green", "length", 9));
        ashlar.create("snake", Map.of("name", "Nagini", "scales", "grey", "length", 7));

        ashlar.destroy(kaa);

        assertThat(db.value("SELECT count(*) FROM ch_creatures WHERE deleted_at IS NOT NULL")).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM ch_snakes")).isEqualTo(2L);
        assertThat(names(ashlar.read("snake"))).containsExactly("Nagini");
        assertThat(names(ashlar.read("reptile"))).containsExactly("Nagini");
        assertThat(names(ashlar.read("creature"))).containsExactly("Nagini");

        Row nagini = ashlar.read("snake").first().orElseThrow();
        ashlar.permanently().destroy(nagini);
        assertThat(db.value("SELECT count(*) FROM ch_creatures WHERE id = ?", nagini.get("id"))).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM ch_reptiles WHERE id = ?", nagini.get("id"))).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM ch_snakes WHERE id = ?", nagini.get("id"))).isEqualTo(0L);
    }

    @Test
    void loadChildrenOnTheRootAndTheMiddleLevelReturnsEachRecordsMostSpecificRow() {
        seed();
        ashlar.create("mammal", Map.of("name", "Moby", "fur", "none"));

        List<Row> animals = ashlar.read("animal").loadChildren().sort(Sort.asc("name")).list();
        List<Row> mammals = ashlar.read("mammal").loadChildren().sort(Sort.asc("name")).list();

        assertThat(animals).extracting(r -> r.resource() + " " + r.get("name")).containsExactly("dog Fido",
                "animal Kiwi", "dog Lassie", "mammal Moby", "dog Rex", "dog Tripod");
        assertThat(animals.get(0).get("breed")).isEqualTo("pug");
        assertThat(animals.get(0).get("fur")).isEqualTo("long");
        assertThat(mammals).extracting(r -> r.resource() + " " + r.get("name")).containsExactly("dog Fido",
                "dog Lassie", "mammal Moby", "dog Rex", "dog Tripod");
    }

    @Test
    void writesByQueryOfTheGrandchildSelectOnAnyLevelAndWriteEveryLevelInOneTransaction() {
        seed();

        List<Row> updated = ashlar.read("dog").where(Filter.eq("fur", "long")).updateAll(Map.of("breed", "mutt",
                "legs", 5, "fur", "curly"));
        int destroyed = ashlar.read("dog").where(Filter.eq("name", "Tripod")).destroyAll();

        assertThat(updated).extracting(r -> r.get("name") + " " + r.get("breed")).containsExactlyInAnyOrder(
                "Fido mutt", "Lassie mutt");
        assertThat(destroyed).isEqualTo(1);
        assertThat(db.query("SELECT a.name, a.legs, m.fur, d.breed FROM ch_animals a JOIN ch_mammals m USING (id) "
                + "JOIN ch_dogs d USING (id) ORDER BY a.name")).extracting(r -> r.get("name") + " " + r.get("legs")
                + " " + r.get("fur") + " " + r.get("breed")).containsExactly("Fido 5 curly mutt",
                "Lassie 5 curly mutt", "Rex 4 short collie");
        assertThat(db.value("SELECT count(*) FROM ch_animals")).isEqualTo(4L);
    }

    @Test
    void theRootsPolicyKeepsEveryLevelBelowToItsRows() {
        seed();
        Function<Actor, Filter> fourLegged = actor -> Filter.eq("legs", 4);
        Policy animals = Policy.on("animal").read(fourLegged).update(fourLegged).destroy(fourLegged);
        try (Ashlar policed = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN).policies(animals).build()) {
            Ashlar someone = policed.withUser(1);
            Row tripod = ashlar.read("dog").where(Filter.eq("name", "Tripod")).first().orElseThrow();

            assertThat(names(someone.read("dog").sort(Sort.asc("name")))).containsExactly("Fido", "Lassie", "Rex");
            assertThat(someone.read("mammal").count()).isEqualTo(3);
            assertThatThrownBy(() -> someone.update(tripod, Map.of("breed", "stolen")))
                    .isInstanceOf(dev.ashlar.api.error.AshlarException.class);
            assertThatThrownBy(() -> someone.destroy(tripod)).isInstanceOf(dev.ashlar.api.error.AshlarException.class);
        }
        assertThat(db.value("SELECT breed FROM ch_dogs d JOIN ch_animals a USING (id) WHERE a.name = 'Tripod'"))
                .isEqualTo("pug");
    }

    @Test
    void aChainComingBackToItsStartIsRefusedNamingEveryResourceOfTheLoop() {
        Resource a = Resource.builder("a").table("loop_a").primaryKey("id").extending("c").build();
        Resource b = Resource.builder("b").table("loop_b").extending("a").build();
        Resource c = Resource.builder("c").table("loop_c").extending("b").build();

        assertThatThrownBy(() -> Domain.builder("loop").resources(a, b, c).build())
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.getMessage())
                        .contains("comes back", "'a'", "'b'", "'c'", "remove one extending(...)"));
    }

    @Test
    void aChainMixingInheritanceKindsOrSharingATableIsRefusedNamingTheResources() {
        Resource polymorphicMiddle = Resource.builder("mammal").extending("animal").polymorphic("mm")
                .build();
        Resource sameTable = Resource.builder("dog").table("ch_animals").extending("mammal").build();

        assertThatThrownBy(() -> Domain.builder("mixed").resources(ANIMAL, polymorphicMiddle, DOG).build())
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.getMessage())
                        .contains("'mammal'", "'animal'", "polymorphic"));
        assertThatThrownBy(() -> Domain.builder("shared").resources(ANIMAL, MAMMAL, sameTable).build())
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.getMessage())
                        .contains("'dog'", "'animal'", "ch_animals", ".table(...)"));
    }

    private void seed() {
        ashlar.create("dog", Map.of("name", "Rex", "fur", "short", "breed", "collie"));
        ashlar.create("dog", Map.of("name", "Lassie", "fur", "long", "breed", "collie"));
        ashlar.create("dog", Map.of("name", "Fido", "fur", "long", "breed", "pug"));
        ashlar.create("dog", Map.of("name", "Tripod", "fur", "short", "breed", "pug", "legs", 3));
        ashlar.create("animal", Map.of("name", "Kiwi", "legs", 2));
    }

    private List<Object> columns(String table) {
        return db.query("SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY "
                + "ordinal_position", table).stream().map(r -> r.get("column_name")).toList();
    }

    private static List<Object> names(dev.ashlar.kernel.Read read) {
        return read.list().stream().map(r -> r.get("name")).toList();
    }
}
