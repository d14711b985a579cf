package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
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
 * Updates and destroys by query of a child of joined inheritance: the rows the read selects in the handle's scope
 * (past the base filters, as every write by query; the policies of the child and its parent) are read and locked,
 * then each written across both tables by the joined statements, all in one transaction; a soft delete marks those
 * not marked yet. Tenancy from the attacker's side is in {@code JoinedInheritanceTenancyTest}.
 */
class JoinedWritesByQueryTest extends DomainDatabaseTest {
    static final Resource ANIMAL = Resource.builder("animal").table("jq_animals").primaryKey("id")
            .attribute("name", TEXT, a -> a.notNull())
            .attribute("legs", INTEGER, a -> a.defaultValue(4))
            .attribute("keeper", INTEGER)
            .attribute("lock_version", INTEGER, a -> a.notNull().defaultValue(1))
            .optimisticLock("lock_version")
            .build();
    static final Resource DOG = Resource.builder("dog").table("jq_dogs").extending("animal")
            .attribute("breed", TEXT)
            .build();
    static final Resource CRITTER = Resource.builder("critter").table("jq_critters").primaryKey("id")
            .attribute("name", TEXT)
            .attribute("deleted_at", TIMESTAMPTZ)
            .softDelete("deleted_at")
            .build();
    static final Resource BIRD = Resource.builder("bird").table("jq_birds").extending("critter")
            .attribute("wings", INTEGER)
            .attribute("song", TEXT)
            .baseFilter("wings > 0", Filter.gt("wings", 0))
            .build();
    static final Domain DOMAIN = Domain.builder("joined_by_query").resources(ANIMAL, DOG, CRITTER, BIRD).build();

    JoinedWritesByQueryTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void seed() {
        db.execute("TRUNCATE jq_animals, jq_dogs, jq_critters, jq_birds RESTART IDENTITY CASCADE");
        ashlar.create("dog", Map.of("name", "Rex", "breed", "collie", "keeper", 1));
        ashlar.create("dog", Map.of("name", "Fido", "breed", "collie", "keeper", 2));
        ashlar.create("dog", Map.of("name", "Tripod", "breed", "pug", "legs", 3, "keeper", 1));
        ashlar.create("animal", Map.of("name", "Tom", "keeper", 1));
    }

    @Test
    void anUpdateByQueryWritesTheParentsAndTheChildsColumnsOfExactlyTheRowsTheFilterSelects() {
        List<Row> updated = ashlar.read("dog").where(Filter.eq("breed", "collie"))
                .updateAll(Map.of("legs", 5, "breed", "beagle"));

        assertThat(updated).extracting(r -> r.get("name") + " " + r.get("legs") + " " + r.get("breed") + " "
                + r.get("lock_version")).containsExactlyInAnyOrder("Rex 5 beagle 2", "Fido 5 beagle 2");
        assertThat(db.query("SELECT a.name, a.legs, d.breed, a.lock_version FROM jq_animals a LEFT JOIN jq_dogs d "
                + "USING (id) ORDER BY a.name")).extracting(r -> r.get("name") + " " + r.get("legs") + " "
                + r.get("breed") + " " + r.get("lock_version"))
                .containsExactly("Fido 5 beagle 2", "Rex 5 beagle 2", "Tom 4 null 1", "Tripod 3 pug 1");
    }

    @Test
    void anUpdateCountAndADestroyByQueryCountTheRecordsTheyWrote() {
        assertThat(ashlar.read("dog").where(Filter.eq("keeper", 1)).updateCount(Map.of("breed", "mutt"))).isEqualTo(2);
        assertThat(ashlar.read("dog").where(Filter.eq("name", "Nobody")).updateCount(Map.of("breed", "x"))).isZero();

        assertThat(ashlar.read("dog").where(Filter.eq("breed", "mutt")).destroyAll()).isEqualTo(2);

        assertThat(db.query("SELECT name FROM jq_animals ORDER BY name")).extracting(r -> r.get("name"))
                .containsExactly("Fido", "Tom");
        assertThat(db.query("SELECT breed FROM jq_dogs")).extracting(r -> r.get("breed")).containsExactly("collie");
    }

    @Test
    void anUpdateByQueryWithASortAndALimitWritesOnlyTheRowsItSelects() {
        ashlar.read("dog").sort(Sort.asc("name")).limit(1).updateAll(Map.of("breed", "first"));

        assertThat(db.query("SELECT a.name FROM jq_animals a JOIN jq_dogs d USING (id) WHERE d.breed = 'first'"))
                .extracting(r -> r.get("name")).containsExactly("Fido");
    }

    @Test
    void updatesAndDestroysOfRecordsInHandWriteEachByItsKeyAndRefuseAStaleOneKeepingNothing() {
        List<Row> collies = ashlar.read("dog").where(Filter.eq("breed", "collie")).sort(Sort.asc("name")).list();
        ashlar.update(collies.get(1), Map.of("legs", 3));

        assertThatThrownBy(() -> ashlar.updateAll(collies, Map.of("breed", "stale")))
                .isInstanceOf(dev.ashlar.api.error.StaleRecordException.class);
        assertThat(db.value("SELECT count(*) FROM jq_dogs WHERE breed = 'stale'")).isEqualTo(0L);

        List<Row> fresh = ashlar.read("dog").where(Filter.eq("breed", "collie")).list();
        assertThat(ashlar.updateAll(fresh, Map.of("breed", "sheepdog"))).extracting(r -> r.get("breed"))
                .containsExactly("sheepdog", "sheepdog");
        assertThat(ashlar.destroyAll(ashlar.read("dog").where(Filter.eq("breed", "sheepdog")).list())).isEqualTo(2);
        assertThat(db.query("SELECT a.name, d.breed FROM jq_animals a LEFT JOIN jq_dogs d USING (id) ORDER BY a.name"))
                .extracting(r -> r.get("name") + " " + r.get("breed")).containsExactly("Tom null", "Tripod pug");
    }

    @Test
    void aWriteByQueryThatFailsOnOneRecordKeepsNothingOfTheOthersInEitherTable() {
        db.execute("ALTER TABLE jq_animals ADD CONSTRAINT jq_fido_four CHECK (name <> 'Fido' OR legs = 4)");
        try {
            assertThatThrownBy(() -> ashlar.read("dog").updateAll(Map.of("legs", 6, "breed", "x")))
                    .isInstanceOf(AshlarException.class);
        } finally {
            db.execute("ALTER TABLE jq_animals DROP CONSTRAINT jq_fido_four");
        }
        assertThat(db.value("SELECT count(*) FROM jq_animals WHERE legs = 6")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM jq_dogs WHERE breed = 'x'")).isEqualTo(0L);
    }

    @Test
    void theParentsAndTheChildsUpdateAndDestroyPoliciesPickTheRowsAWriteByQueryReaches() {
        Function<Actor, Filter> kept = actor -> Filter.eq("keeper", actor.id());
        Policy animals = Policy.on("animal").read(Policy.EVERY_ROW).update(kept).destroy(kept);
        Policy dogs = Policy.on("dog").read(Policy.EVERY_ROW).update(actor -> Filter.eq("breed", "collie"))
                .destroy(Policy.EVERY_ROW);
        try (Ashlar policed = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN).policies(animals, dogs)
                .build()) {
            Ashlar keeperOne = policed.withUser(1);

            assertThat(keeperOne.read("dog").updateAll(Map.of("name", "Mine"))).extracting(r -> r.get("breed"))
                    .containsExactly("collie");
            assertThat(keeperOne.read("dog").destroyAll()).isEqualTo(2);
            assertThatThrownBy(() -> policed.read("dog").updateAll(Map.of("name", "Anyone")))
                    .isInstanceOf(AshlarException.class);
        }
        assertThat(db.query("SELECT a.name, a.keeper FROM jq_animals a ORDER BY a.name"))
                .extracting(r -> r.get("name") + " " + r.get("keeper")).containsExactly("Fido 2", "Tom 1");
    }

    @Test
    void aDestroyByQueryOfASoftDeletingChildMarksTheParentsRowsAndPermanentlyDeletesBoth() {
        ashlar.create("bird", Map.of("name", "Tweety", "wings", 2));
        ashlar.create("bird", Map.of("name", "Polly", "wings", 2));
        ashlar.create("bird", Map.of("name", "Kiwi", "wings", 0));

        List<Row> marked = ashlar.read("bird").where(Filter.eq("name", "Tweety")).destroyAll(
                dev.ashlar.kernel.data.Returning.ROWS);

        assertThat(marked).extracting(r -> r.get("name")).containsExactly("Tweety");
        assertThat(marked.get(0).get("deleted_at")).isNotNull();
        assertThat(db.query("SELECT name FROM jq_critters WHERE deleted_at IS NOT NULL")).extracting(r -> r.get("name"))
                .containsExactly("Tweety");
        assertThat(ashlar.read("bird").list()).extracting(r -> r.get("name")).containsExactly("Polly");

        assertThat(ashlar.permanently().read("bird").where(Filter.eq("name", "Tweety")).destroyAll()).isEqualTo(1);
        assertThat(db.query("SELECT name FROM jq_critters ORDER BY name")).extracting(r -> r.get("name"))
                .containsExactly("Kiwi", "Polly");
        assertThat(db.value("SELECT count(*) FROM jq_birds")).isEqualTo(2L);
    }

    @Test
    void aWriteByQueryOfAChildPassesTheBaseFiltersOfTheChildAndItsParentAsEveryWriteByQuery() {
        birdsEachHiddenByAnotherBaseFilter();

        assertThat(ashlar.read("bird").updateCount(Map.of("song", "tweet"))).isEqualTo(3);
        assertThat(ashlar.read("bird").where(Filter.eq("name", "Kiwi")).updateAll(Map.of("song", "none")))
                .extracting(r -> r.get("name")).containsExactly("Kiwi");

        assertThat(db.query("SELECT c.name, b.song FROM jq_critters c JOIN jq_birds b USING (id) ORDER BY c.name"))
                .extracting(r -> r.get("name") + " " + r.get("song"))
                .containsExactly("Kiwi none", "Polly tweet", "Tweety tweet");
    }

    @Test
    void aSoftDestroyByQueryOfAChildMarksTheRowsTheChildsBaseFilterHidesAndKeepsTheTimeOfThoseMarkedBefore() {
        birdsEachHiddenByAnotherBaseFilter();
        db.execute("UPDATE jq_critters SET deleted_at = '2001-01-01T00:00:00Z' WHERE name = 'Polly'");

        List<Row> marked = ashlar.read("bird").destroyAll(dev.ashlar.kernel.data.Returning.ROWS);

        assertThat(marked).extracting(r -> r.get("name")).containsExactlyInAnyOrder("Tweety", "Kiwi");
        assertThat(db.query("SELECT name, deleted_at < '2002-01-01' AS old FROM jq_critters ORDER BY name"))
                .extracting(r -> r.get("name") + " " + r.get("old"))
                .containsExactly("Kiwi false", "Polly true", "Tweety false");
        assertThat(ashlar.permanently().read("bird").destroyAll()).isEqualTo(3);
        assertThat(db.value("SELECT count(*) FROM jq_birds")).isEqualTo(0L);
    }

    /** Tweety shown, Polly soft-deleted (the parent's base filter hides her), Kiwi wingless (the child's hides him). */
    private void birdsEachHiddenByAnotherBaseFilter() {
        ashlar.create("bird", Map.of("name", "Tweety", "wings", 2));
        Row gone = ashlar.create("bird", Map.of("name", "Polly", "wings", 2));
        ashlar.create("bird", Map.of("name", "Kiwi", "wings", 0));
        ashlar.destroy(gone);
    }
}
