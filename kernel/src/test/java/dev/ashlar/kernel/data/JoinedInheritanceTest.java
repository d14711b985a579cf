package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.ForbiddenException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.error.StaleRecordException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Actor;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Policy;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import static dev.ashlar.api.resource.Type.BOOLEAN;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Joined inheritance ({@code extending(parent)}, Hibernate's {@code InheritanceType.JOINED}): a dog is an animal row
 * and a dog row sharing the key; reads join the two tables, writes reach both in one statement, and what cannot be
 * written across two tables yet is refused naming the resource. Restates Hibernate's {@code inheritance.joined} tests
 * ({@code JoinedInheritanceTest}, {@code JoinedSubclassTest}): a subclass found by a superclass field, deleted with both
 * rows, and a superclass query returning both kinds.
 */
class JoinedInheritanceTest extends DomainDatabaseTest {
    static final Resource KEEPER = Resource.builder("keeper").table("joined_keepers").primaryKey("id")
            .attribute("name", TEXT)
            .hasMany("dogs", "dog", r -> r.destinationAttribute("keeper_id"))
            .build();
    static final Resource ANIMAL = Resource.builder("animal").table("joined_animals").primaryKey("id")
            .attribute("name", TEXT, a -> a.notNull())
            .attribute("legs", INTEGER, a -> a.defaultValue(4))
            .attribute("lock_version", INTEGER, a -> a.notNull().defaultValue(1))
            .optimisticLock("lock_version")
            .belongsTo("keeper", "keeper")
            .hasOne("dog", "dog", r -> r.destinationAttribute("id"))
            .build();
    static final Resource DOG = Resource.builder("dog").table("joined_dogs").extending("animal")
            .attribute("breed", TEXT)
            .attribute("good", BOOLEAN, a -> a.defaultValue(true))
            .build();

    static final Resource CRITTER = Resource.builder("critter").table("joined_critters").primaryKey("id")
            .attribute("name", TEXT)
            .attribute("deleted_at", TIMESTAMPTZ)
            .softDelete("deleted_at")
            .build();
    static final Resource BIRD = Resource.builder("bird").table("joined_birds").extending("critter")
            .attribute("wings", INTEGER)
            .baseFilter("wings > 0", Filter.gt("wings", 0))
            .build();

    static final Domain DOMAIN = Domain.builder("joined").resources(KEEPER, ANIMAL, DOG, CRITTER, BIRD).build();

    JoinedInheritanceTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE joined_animals, joined_dogs, joined_keepers, joined_critters, joined_birds RESTART "
                + "IDENTITY CASCADE");
    }

    @Test
    void aCreateInsertsTheParentRowWithItsGeneratedKeyThenTheChildRowAndReturnsTheWholeRecord() {
        Row rex = ashlar.create("dog", Map.of("name", "Rex", "breed", "collie"));

        assertThat(rex.resource()).isEqualTo("dog");
        assertThat(rex.toMap()).containsEntry("id", 1L).containsEntry("name", "Rex").containsEntry("legs", 4)
                .containsEntry("breed", "collie").containsEntry("good", true).containsEntry("lock_version", 1);
        assertThat(db.query("SELECT id, name, legs FROM joined_animals")).extracting(r -> r.get("id") + " "
                + r.get("name") + " " + r.get("legs")).containsExactly("1 Rex 4");
        assertThat(db.query("SELECT id, breed, good FROM joined_dogs")).extracting(r -> r.get("id") + " "
                + r.get("breed") + " " + r.get("good")).containsExactly("1 collie true");
    }

    @Test
    void theChildTableHoldsItsOwnColumnsAndTheParentsKeyAsPrimaryKeyAndCascadingForeignKey() {
        assertThat(db.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'joined_dogs' "
                + "ORDER BY ordinal_position")).extracting(r -> r.get("column_name"))
                .containsExactly("id", "breed", "good");
        assertThat(db.query("SELECT conname, contype, confdeltype, confrelid::regclass::text AS parent, "
                + "pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'joined_dogs'::regclass "
                + "ORDER BY contype")).extracting(r -> r.get("conname") + " " + r.get("contype") + " "
                + r.get("confdeltype") + " " + r.get("parent") + " " + r.get("def"))
                .containsExactly("joined_dogs_id_fkey f c joined_animals FOREIGN KEY (id) REFERENCES "
                        + "joined_animals(id) ON DELETE CASCADE", "joined_dogs_pkey p   - PRIMARY KEY (id)");
    }

    @Test
    void readsFilterSortPageCountAndAggregateOnTheParentsFieldsAndTheChildsOwn() {
        seed();

        assertThat(names(ashlar.read("dog").where(Filter.gt("legs", 3)).sort(Sort.desc("name"))))
                .containsExactly("Rex", "Fido");
        assertThat(names(ashlar.read("dog").where(Filter.eq("breed", "pug")))).containsExactly("Tripod");
        assertThat(names(ashlar.read("dog").sort(Sort.asc("legs"), Sort.asc("name")).offset(1).limit(1)))
                .containsExactly("Fido");
        assertThat(ashlar.read("dog").where(Filter.eq("good", true)).count()).isEqualTo(2);
        assertThat(ashlar.read("dog").sum("legs").intValue()).isEqualTo(11);
        assertThat(ashlar.read("dog").count()).isEqualTo(3);
    }

    /** Hibernate's {@code JoinedSubclassTest}: a subclass persisted and found by a field of its superclass. */
    @Test
    void aSubclassRecordIsFoundByAFieldOfItsParentAndByKey() {
        Row rex = ashlar.create("dog", Map.of("name", "Rex", "breed", "collie"));

        assertThat(ashlar.read("dog").where(Filter.eq("name", "Rex")).list()).extracting(r -> r.get("breed"))
                .containsExactly("collie");
        assertThat(ashlar.get("dog", rex.get("id")).get("name")).isEqualTo("Rex");
    }

    /** Hibernate's {@code JoinedInheritanceTest}: a query of the superclass returns every kind of its records. */
    @Test
    void readingTheParentReturnsEveryParentRowAndItsRelationshipTellsTheChildrenApart() {
        seed();
        ashlar.create("animal", Map.of("name", "Tom", "legs", 4));

        List<Row> animals = ashlar.read("animal").load("dog").sort(Sort.asc("name")).list();

        assertThat(animals).extracting(r -> r.get("name") + " " + r.relatedOne("dog").map(d -> d.get("breed"))
                .orElse("-")).containsExactly("Fido collie", "Rex collie", "Tom -",
                "Tripod pug");
        assertThat(names(ashlar.read("animal").where(Filter.exists("dog")))).containsExactlyInAnyOrder("Fido",
                "Rex", "Tripod");
        assertThat(ashlar.read("dog").count()).isEqualTo(3);
    }

    @Test
    void anUpdateWritesEachTablesColumnsAndCountsTheParentsVersion() {
        Row rex = ashlar.create("dog", Map.of("name", "Rex", "breed", "collie"));

        Row updated = ashlar.update(rex, Map.of("name", "Rexy", "breed", "beagle"));

        assertThat(updated.toMap()).containsEntry("name", "Rexy").containsEntry("breed", "beagle")
                .containsEntry("lock_version", 2);
        assertThat(db.query("SELECT name, lock_version FROM joined_animals")).extracting(r -> r.get("name") + " "
                + r.get("lock_version")).containsExactly("Rexy 2");
        assertThat(db.value("SELECT breed FROM joined_dogs")).isEqualTo("beagle");
        assertThatThrownBy(() -> ashlar.update(rex, Map.of("breed", "stale"))).isInstanceOf(StaleRecordException.class);
        assertThat(db.value("SELECT breed FROM joined_dogs")).isEqualTo("beagle");
    }

    /** Hibernate's {@code JoinedInheritanceTest}: removing a subclass instance deletes its rows in both tables. */
    @Test
    void aDestroyDeletesTheParentRowAndTheChildRowWithIt() {
        Row rex = ashlar.create("dog", Map.of("name", "Rex", "breed", "collie"));
        ashlar.create("dog", Map.of("name", "Fido", "breed", "collie"));

        ashlar.destroy(rex);

        assertThat(db.query("SELECT name FROM joined_animals")).extracting(r -> r.get("name")).containsExactly("Fido");
        assertThat(db.value("SELECT count(*) FROM joined_dogs")).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM joined_dogs WHERE id = ?", rex.get("id"))).isEqualTo(0L);
    }

    @Test
    void aChildOfASoftDeletingParentIsMarkedInTheParentsRowAndHiddenFromBothReads() {
        Row tweety = ashlar.create("bird", Map.of("name", "Tweety", "wings", 2));
        ashlar.create("bird", Map.of("name", "Polly", "wings", 2));

        ashlar.destroy(tweety);

        assertThat(db.value("SELECT count(*) FROM joined_critters c JOIN joined_birds b USING (id) "
                + "WHERE c.deleted_at IS NOT NULL")).isEqualTo(1L);
        assertThat(names(ashlar.read("bird"))).containsExactly("Polly");
        assertThat(names(ashlar.read("critter"))).containsExactly("Polly");
        assertThat(names(ashlar.read("bird").ignoreBaseFilter().sort(Sort.asc("name")))).containsExactly("Polly",
                "Tweety");
    }

    @Test
    void aChildsOwnBaseFilterIsAndedWithItsParentsSoftDeleteSoThatADestroyedChildStaysHidden() {
        Row tweety = ashlar.create("bird", Map.of("name", "Tweety", "wings", 2));
        ashlar.create("bird", Map.of("name", "Polly", "wings", 2));
        ashlar.create("bird", Map.of("name", "Kiwi", "wings", 0));

        ashlar.destroy(tweety);

        assertThat(db.value("SELECT count(*) FROM joined_critters WHERE deleted_at IS NOT NULL")).isEqualTo(1L);
        assertThat(names(ashlar.read("bird"))).containsExactly("Polly");
        assertThat(ashlar.read("bird").where(Filter.eq("id", tweety.get("id"))).count()).isZero();
        assertThat(names(ashlar.read("critter").sort(Sort.asc("name")))).containsExactly("Kiwi", "Polly");
        assertThat(names(ashlar.read("bird").ignoreBaseFilter().sort(Sort.asc("name")))).containsExactly("Kiwi",
                "Polly", "Tweety");
    }

    @Test
    void anActorTheParentsPolicyDeniesReadsUpdatesDestroysAndCreatesNothingThroughTheChild() {
        Row ada = ashlar.create("keeper", Map.of("name", "Ada"));
        Row bob = ashlar.create("keeper", Map.of("name", "Bob"));
        Row rex = ashlar.create("dog", Map.of("name", "Rex", "breed", "collie", "keeper_id", ada.get("id")));
        ashlar.create("dog", Map.of("name", "Fido", "breed", "pug", "keeper_id", bob.get("id")));
        Function<Actor, Filter> kept = actor -> Filter.eq("keeper_id", actor.id());
        Policy animals = Policy.on("animal").read(kept).create(kept).update(kept).destroy(kept)
                .field("legs", actor -> Policy.NO_ROW);
        try (Ashlar policed = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN).policies(animals).build()) {
            Ashlar bobs = policed.withUser(bob.get("id"));

            assertThat(names(bobs.read("dog"))).containsExactly("Fido");
            assertThat(bobs.read("dog").where(Filter.eq("name", "Rex")).count()).isZero();
            assertThat(bobs.read("dog").first().orElseThrow().forbidden("legs")).isTrue();
            assertThatThrownBy(() -> policed.read("dog").list()).isInstanceOf(ForbiddenException.class)
                    .hasMessageContaining("dog");
            assertThatThrownBy(() -> bobs.update(rex, Map.of("name", "Stolen", "breed", "mutt")))
                    .isInstanceOf(AshlarException.class);
            assertThatThrownBy(() -> bobs.destroy(rex)).isInstanceOf(AshlarException.class);
            assertThatThrownBy(() -> bobs.create("dog", Map.of("name", "Planted", "keeper_id", ada.get("id"))))
                    .isInstanceOf(ForbiddenException.class);
        }
        assertThat(db.query("SELECT a.name, d.breed FROM joined_animals a JOIN joined_dogs d USING (id) "
                + "ORDER BY a.name")).extracting(r -> r.get("name") + " " + r.get("breed"))
                .containsExactly("Fido pug", "Rex collie");
    }

    @Test
    void aChildWithAPolicyOfItsOwnKeepsToBothItsOwnAndItsParents() {
        Row ada = ashlar.create("keeper", Map.of("name", "Ada"));
        Row bob = ashlar.create("keeper", Map.of("name", "Bob"));
        ashlar.create("dog", Map.of("name", "Rex", "breed", "collie", "keeper_id", ada.get("id")));
        Row max = ashlar.create("dog", Map.of("name", "Max", "good", false, "keeper_id", ada.get("id")));
        ashlar.create("dog", Map.of("name", "Fido", "good", true, "keeper_id", bob.get("id")));
        Function<Actor, Filter> kept = actor -> Filter.eq("keeper_id", actor.id());
        Policy animals = Policy.on("animal").read(kept).update(kept).destroy(kept);
        Policy dogs = Policy.on("dog").read(actor -> Filter.eq("good", true)).update(Policy.EVERY_ROW)
                .destroy(Policy.EVERY_ROW);
        try (Ashlar policed = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN)
                .policies(animals, dogs).build()) {
            Ashlar adas = policed.withUser(ada.get("id"));

            assertThat(names(adas.read("dog"))).containsExactly("Rex");
            assertThat(names(adas.read("animal").sort(Sort.asc("name")))).containsExactly("Max", "Rex");
            assertThatThrownBy(() -> adas.destroy(max)).isInstanceOf(AshlarException.class);
        }
        assertThat(db.value("SELECT count(*) FROM joined_dogs")).isEqualTo(3L);
    }

    @Test
    void permanentlyDestroyingAChildOfASoftDeletingParentDeletesBothRowsInsteadOfMarkingThem() {
        Row tweety = ashlar.create("bird", Map.of("name", "Tweety", "wings", 2));
        ashlar.create("bird", Map.of("name", "Polly", "wings", 2));

        ashlar.permanently().destroy(tweety);

        assertThat(db.query("SELECT name FROM joined_critters")).extracting(r -> r.get("name"))
                .containsExactly("Polly");
        assertThat(db.value("SELECT count(*) FROM joined_birds WHERE id = ?", tweety.get("id"))).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM joined_birds")).isEqualTo(1L);
        assertThat(names(ashlar.read("bird").ignoreBaseFilter())).containsExactly("Polly");
    }

    @Test
    void fieldPoliciesHideTheChildsOwnAndItsInheritedFieldsOnTheRowsTheActorMayNotSee() {
        seed();
        Policy dogs = Policy.on("dog").read(Policy.EVERY_ROW)
                .field("breed", actor -> Filter.eq("name", "Rex"))
                .field("legs", actor -> Filter.eq("name", "Tripod"));
        try (Ashlar policed = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN).policies(dogs).build()) {
            List<Row> rows = policed.withUser(1L).read("dog").sort(Sort.asc("name")).list();

            assertThat(rows).extracting(r -> r.get("name")).containsExactly("Fido", "Rex", "Tripod");
            assertThat(rows).extracting(r -> r.forbidden("breed")).containsExactly(true, false, true);
            assertThat(rows).extracting(r -> r.forbidden("legs")).containsExactly(true, true, false);
            assertThat(rows.get(1).get("breed")).isEqualTo("collie");
            assertThat(rows.get(2).get("legs")).isEqualTo(3);
            // A hidden value matches no filter: Fido's breed is collie, but hidden from this actor.
            assertThat(policed.withUser(1L).read("dog").where(Filter.eq("breed", "collie")).list())
                    .extracting(r -> r.get("name")).containsExactly("Rex");
        }
    }

    @Test
    void aCreateGivingNullForAnAttributeWithADefaultIsRefusedRatherThanStoringTheDefault() {
        Map<String, Object> threeLegged = new java.util.HashMap<>(Map.of("name", "Rex", "breed", "collie"));
        threeLegged.put("legs", null);

        assertThatThrownBy(() -> ashlar.createAll("dog", List.of(Map.of("name", "Fido"), threeLegged)))
                .isInstanceOf(QueryException.class).hasMessageContaining("'dog'")
                .hasMessageContaining("stores the default of 'legs' where it is given null")
                .hasMessageContaining("leave 'legs' out");
        assertThat(db.value("SELECT count(*) FROM joined_animals")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM joined_dogs")).isEqualTo(0L);
    }

    @Test
    void aCreateGivingTheKeyTheParentsTableNumbersIsRefusedRatherThanStoringAnotherKey() {
        assertThatThrownBy(() -> ashlar.create("dog", Map.of("id", 500L, "name", "Rex")))
                .isInstanceOf(QueryException.class).hasMessageContaining("'dog'")
                .hasMessageContaining("cannot store a given 'id' (500)").hasMessageContaining("leave 'id' out");
        ashlar.create("animal", Map.of("name", "Stray", "legs", 3));

        assertThatThrownBy(() -> ashlar.createAll("dog", ashlar.read("animal"))).isInstanceOf(QueryException.class)
                .hasMessageContaining("createAll(resource, read, fields), without 'id'");
        assertThat(db.value("SELECT count(*) FROM joined_animals")).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM joined_dogs")).isEqualTo(0L);
    }

    @Test
    void createAllWritesEveryRecordsTwoRowsInOneTransactionOrNone() {
        List<Row> dogs = ashlar.createAll("dog", List.of(Map.of("name", "A", "breed", "x"),
                Map.of("name", "B", "breed", "y")));

        assertThat(dogs).extracting(r -> r.get("name") + " " + r.get("breed")).containsExactly("A x", "B y");
        assertThat(db.value("SELECT count(*) FROM joined_animals a JOIN joined_dogs d USING (id)")).isEqualTo(2L);
        assertThatThrownBy(() -> ashlar.createAll("dog", List.of(Map.of("name", "C", "breed", "z"),
                Map.of("breed", "no name")))).isNotNull();
        assertThat(db.value("SELECT count(*) FROM joined_animals")).isEqualTo(2L);
        assertThat(db.value("SELECT count(*) FROM joined_dogs")).isEqualTo(2L);
    }

    @Test
    void relationshipsLoadThroughTheParentsKeysAndIntoTheChild() {
        Row ada = ashlar.create("keeper", Map.of("name", "Ada"));
        ashlar.create("dog", Map.of("name", "Rex", "breed", "collie", "keeper_id", ada.get("id")));

        Row keeper = ashlar.read("keeper").load("dogs").first().orElseThrow();
        Row dog = ashlar.read("dog").load("keeper").where(Filter.eq("keeper.name", "Ada")).first().orElseThrow();

        assertThat(keeper.related("dogs")).extracting(r -> r.get("breed")).containsExactly("collie");
        assertThat(dog.relatedOne("keeper").orElseThrow().get("name")).isEqualTo("Ada");
    }

    @Test
    void writesThatCannotReachBothTablesYetAreRefusedNamingTheResourceAndChangeNothing() {
        seed();
        Object rex = ashlar.read("dog").where(Filter.eq("name", "Rex")).first().orElseThrow().get("id");

        assertThatThrownBy(() -> ashlar.updateAll("dog", List.of(Map.of("id", rex, "breed", "x"))))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.getMessage())
                        .contains("'dog'", "extends 'animal'", "joined_animals", "joined_dogs", "update each record"));
        assertThatThrownBy(() -> ashlar.read("dog").updateAll(Map.of("legs", dev.ashlar.api.query.Atomic.add(1))))
                .isInstanceOf(QueryException.class).hasMessageContaining("'dog'").hasMessageContaining("atomic");
        assertThat(db.value("SELECT count(*) FROM joined_dogs WHERE breed = 'x'")).isEqualTo(0L);
        assertThat(db.value("SELECT sum(legs) FROM joined_animals")).isEqualTo(11L);
    }

    @Test
    void aChildThatCannotExtendItsParentIsRefusedWhenTheDomainIsBuilt() {
        Resource animal = Resource.builder("animal").table("a").primaryKey("id").attribute("name", TEXT).build();
        Resource keyless = Resource.builder("animal").table("a").attribute("name", TEXT).build();

        refused(List.of(animal, dog(b -> b.extending("beast"))), "'beast'", "not in the domain");
        refused(List.of(keyless, dog(b -> b)), "no primary key");
        refused(List.of(animal, dog(b -> b.attribute("name", TEXT))), "inherits from 'animal'");
        refused(List.of(animal, dog(b -> b.polymorphic("d2"))), "polymorphic");
        refused(List.of(animal, dog(b -> b.identity("by_name", "name"))), "'by_name'", "table of 'animal'");
        refused(List.of(animal, dog(b -> b.table("d".repeat(60)))), "foreign key", "shorter table name");
        Resource versioned = Resource.builder("animal").table("a").primaryKey("id").attribute("lock_version", INTEGER)
                .optimisticLock("lock_version").build();
        refused(List.of(versioned, dog(b -> b.attribute("dog_version", INTEGER).optimisticLock("dog_version"))),
                "versions its records by 'dog_version'", "by 'lock_version'", "remove optimisticLock(\"dog_version\")");
        refused(List.of(Resource.builder("animal").table("a").primaryKey("id").extending("dog").build(),
                dog(b -> b)), "comes back");
    }

    @Test
    void aWriteExpressionOrAGeneratedColumnOnTheChildOrItsParentIsRefusedWhenTheDomainIsBuilt() {
        Resource animal = Resource.builder("animal").table("a").primaryKey("id").attribute("name", TEXT).build();
        Resource lowered = Resource.builder("animal").table("a").primaryKey("id")
                .attribute("name", TEXT, a -> a.writeAs("lower(?)")).build();

        refused(List.of(animal, dog(b -> b.attribute("tag", TEXT, a -> a.writeAs("upper(?)")))), "'tag'",
                "writeAs(...) would not wrap", "remove writeAs(...)");
        refused(List.of(lowered, dog(b -> b)), "'name'", "writeAs(...) would not wrap");
        refused(List.of(animal, dog(b -> b.attribute("shout", TEXT,
                        a -> a.migrationType("text GENERATED ALWAYS AS (upper(breed)) STORED")))), "'shout'",
                "GENERATED ALWAYS column would refuse", "remove the generated column");
    }

    private static Resource dog(UnaryOperator<ResourceBuilder> more) {
        ResourceBuilder builder = Resource.builder("dog").extending("animal").attribute("breed", TEXT);
        return more.apply(builder).build();
    }

    private static void refused(List<Resource> resources, String... message) {
        assertThatThrownBy(() -> Domain.builder("refused").resources(resources.toArray(Resource[]::new)).build())
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.getMessage()).contains("dog")
                        .contains(message));
    }

    private void seed() {
        ashlar.create("dog", Map.of("name", "Rex", "breed", "collie"));
        ashlar.create("dog", Map.of("name", "Fido", "breed", "collie", "good", false));
        ashlar.create("dog", Map.of("name", "Tripod", "breed", "pug", "legs", 3));
    }

    private static List<Object> names(dev.ashlar.kernel.Read read) {
        return read.list().stream().map(r -> r.get("name")).toList();
    }
}
