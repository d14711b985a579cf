package dev.ashlar.kernel.data;

import dev.ashlar.api.error.StaleRecordException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.ashlar.api.typed.Kind.INTEGER;
import static dev.ashlar.api.typed.Kind.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The typed API on the grandchild of a chain of joined inheritance (a dog extends mammal, which extends animal): its
 * record class holds every level's components, the fields of the levels above declared on its table to query and
 * write them, and each action reaches the three tables as the string API does.
 */
class JoinedChainTypedTest extends DomainDatabaseTest {
    static final Resource ANIMAL = Resource.builder("animal").table("jcty_animals").primaryKey("id")
            .attribute("name", dev.ashlar.api.resource.Type.TEXT, a -> a.notNull())
            .attribute("legs", dev.ashlar.api.resource.Type.INTEGER, a -> a.defaultValue(4))
            .build();
    static final Resource MAMMAL = Resource.builder("mammal").table("jcty_mammals").extending("animal")
            .attribute("fur", dev.ashlar.api.resource.Type.TEXT)
            .build();

    record Dog(Long id, String name, Integer legs, String fur, String breed) {
        static final Table<Dog> DOGS = Table.of("dog", Dog.class);
        // The fields of the levels above, declared to query and write them through the dog; its resource inherits them.
        static final Field<Dog, Long> ID = DOGS.bigintPrimaryKey("id");
        static final TextField<Dog> NAME = DOGS.attribute("name", TEXT);
        static final Field<Dog, Integer> LEGS = DOGS.attribute("legs", INTEGER);
        static final TextField<Dog> FUR = DOGS.attribute("fur", TEXT);
        static final TextField<Dog> BREED = DOGS.attribute("breed", TEXT);
        static final Resource RESOURCE = DOGS.builder().table("jcty_dogs").extending("mammal").add(BREED).build();
    }

    static final Resource PET = Resource.builder("pet").table("jcty_pets").primaryKey("id")
            .attribute("name", dev.ashlar.api.resource.Type.TEXT, a -> a.notNull())
            .attribute("version", dev.ashlar.api.resource.Type.INTEGER, a -> a.notNull().defaultValue(1))
            .optimisticLock("version")
            .build();

    record Cat(Long id, String name, Integer version, String color) {
        static final Table<Cat> CATS = Table.of("cat", Cat.class);
        static final Field<Cat, Long> ID = CATS.bigintPrimaryKey("id");
        static final TextField<Cat> NAME = CATS.attribute("name", TEXT);
        static final Field<Cat, Integer> VERSION = CATS.attribute("version", INTEGER);
        static final TextField<Cat> COLOR = CATS.attribute("color", TEXT);
        static final Resource RESOURCE = CATS.builder().table("jcty_cats").extending("pet").add(COLOR).build();
    }

    JoinedChainTypedTest() {
        super(Domain.builder("chain_typed").resources(ANIMAL, MAMMAL, Dog.RESOURCE, PET, Cat.RESOURCE).build());
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE jcty_animals, jcty_mammals, jcty_dogs, jcty_pets, jcty_cats RESTART IDENTITY CASCADE");
    }

    @Test
    void aTypedGrandchildIsCreatedReadByAnyLevelsFieldUpdatedAndDestroyedAcrossTheThreeTables() {
        Dog rex = ashlar.create(Dog.DOGS, new Dog(null, "Rex", null, "short", "collie"));
        ashlar.create(Dog.DOGS, new Dog(null, "Fido", 3, "long", "pug"));

        assertThat(rex).isEqualTo(new Dog(1L, "Rex", 4, "short", "collie"));
        assertThat(ashlar.read(Dog.DOGS).where(Dog.FUR.eq("long")).list()).extracting(Dog::name)
                .containsExactly("Fido");
        assertThat(ashlar.read(Dog.DOGS).where(Dog.LEGS.gt(3)).where(Dog.BREED.eq("collie")).list())
                .containsExactly(rex);

        Dog updated = ashlar.update(Dog.DOGS, rex, Dog.FUR.set("curly"), Dog.BREED.set("beagle"));
        assertThat(updated).isEqualTo(new Dog(1L, "Rex", 4, "curly", "beagle"));
        assertThat(db.value("SELECT fur FROM jcty_mammals WHERE id = 1")).isEqualTo("curly");
        assertThat(db.value("SELECT breed FROM jcty_dogs WHERE id = 1")).isEqualTo("beagle");

        ashlar.destroy(Dog.DOGS, updated);
        assertThat(db.value("SELECT count(*) FROM jcty_animals")).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM jcty_mammals")).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM jcty_dogs")).isEqualTo(1L);
        assertThat(ashlar.read(Dog.DOGS).list()).extracting(Dog::name).containsExactly("Fido");
    }

    @Test
    void aTypedUpsertOfAVersionedChildCountsTheVersionUpPastTheStaleOneItsRecordHolds() {
        Cat tom = ashlar.create(Cat.CATS, new Cat(null, "Tom", null, "grey"));
        ashlar.update(Cat.CATS, tom, Cat.COLOR.set("black"));

        Cat upserted = ashlar.upsert(Cat.CATS, new Cat(tom.id(), "Tom", tom.version(), "white"),
                Cat.CATS.primaryKey().updateAll());

        assertThat(upserted).isEqualTo(new Cat(tom.id(), "Tom", 3, "white"));
        assertThat(db.value("SELECT version FROM jcty_pets")).isEqualTo(3);
        assertThatThrownBy(() -> ashlar.update(Cat.CATS, tom, Cat.COLOR.set("ginger")))
                .isInstanceOf(StaleRecordException.class);
        assertThat(db.value("SELECT color FROM jcty_cats")).isEqualTo("white");
    }
}
