package dev.ashlar.kernel.data;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ForbiddenException;
import dev.ashlar.api.error.NotFoundException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Policy;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Relation;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.ashlar.api.typed.Kind.INTEGER;
import static dev.ashlar.api.typed.Kind.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The typed API on a child of joined inheritance: its record class holds the parent's components and its own, the
 * parent's fields are declared on the child's table to query and write it (not added to its resource, which inherits
 * them), and every action reaches both tables as the string API does, in the handle's tenant only (a tenant column
 * the parent holds, and a schema per tenant).
 */
class JoinedTypedTest extends DomainDatabaseTest {
    record Animal(Long id, String org, String name, Integer legs) {
        static final Table<Animal> ANIMALS = Table.of("animal", Animal.class);
        static final Field<Animal, Long> ID = ANIMALS.bigintPrimaryKey("id");
        static final TextField<Animal> ORG = ANIMALS.attribute("org", TEXT, a -> a.notNull());
        static final TextField<Animal> NAME = ANIMALS.attribute("name", TEXT, a -> a.notNull());
        static final Field<Animal, Integer> LEGS = ANIMALS.attribute("legs", INTEGER, a -> a.defaultValue(4));
        static final Relation<Animal, Dog> DOG = ANIMALS.hasOne("dog", Dog.DOGS, r -> r.destinationAttribute("id"));
        static final Resource RESOURCE = ANIMALS.builder().table("jty_animals").add(ID, ORG, NAME, LEGS, DOG).build();
    }

    /** An animal with its dog part, when it is a dog. */
    record AnimalView(String name, Optional<Dog> dog) {
    }

    record Dog(Long id, String org, String name, Integer legs, String breed) {
        static final Table<Dog> DOGS = Table.of("dog", Dog.class);
        // The parent's fields, declared to query and write them through the child; its resource inherits them.
        static final Field<Dog, Long> ID = DOGS.bigintPrimaryKey("id");
        static final TextField<Dog> NAME = DOGS.attribute("name", TEXT);
        static final Field<Dog, Integer> LEGS = DOGS.attribute("legs", INTEGER);
        static final TextField<Dog> BREED = DOGS.attribute("breed", TEXT);
        static final Resource RESOURCE = DOGS.builder().table("jty_dogs").extending("animal").add(BREED).build();
    }

    record Pet(Long id, String name) {
        static final Table<Pet> PETS = Table.of("pet", Pet.class);
        static final Field<Pet, Long> ID = PETS.bigintPrimaryKey("id");
        static final TextField<Pet> NAME = PETS.attribute("name", TEXT);
        static final Resource RESOURCE = PETS.builder().table("jty_pets").add(ID, NAME).build();
    }

    record Cat(Long id, String name, String color) {
        static final Table<Cat> CATS = Table.of("cat", Cat.class);
        static final TextField<Cat> NAME = CATS.attribute("name", TEXT);
        static final TextField<Cat> COLOR = CATS.attribute("color", TEXT);
        static final Resource RESOURCE = CATS.builder().table("jty_cats").extending("pet").add(COLOR).build();
    }

    static final Domain DOMAIN = Domain.builder("joined_typed").resources(Animal.RESOURCE, Dog.RESOURCE,
            Pet.RESOURCE, Cat.RESOURCE).build();

    JoinedTypedTest() {
        super(DOMAIN, OneResourceTenancy.column("animal", "org", false), OneResourceTenancy.column("dog", "org",
                false), OneResourceTenancy.schemas("pet"), OneResourceTenancy.schemas("cat"));
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE jty_animals, jty_dogs, jty_pets, jty_cats RESTART IDENTITY CASCADE");
        JoinedInheritanceTenancyTest.tenantSchemas(db, "jty_pets", "jty_cats");
    }

    @Test
    void aTypedCreateStoresBothRowsAndReturnsTheRecordWithTheParentsKeyAndDefaults() {
        Dog rex = ashlar.withTenant("a").create(Dog.DOGS, new Dog(null, null, "Rex", null, "collie"));

        assertThat(rex).isEqualTo(new Dog(1L, "a", "Rex", 4, "collie"));
        assertThat(db.query("SELECT a.id, a.org, a.name, a.legs, d.breed FROM jty_animals a "
                + "JOIN jty_dogs d USING (id)"))
                .extracting(r -> r.get("id") + " " + r.get("org") + " " + r.get("name") + " " + r.get("legs") + " "
                        + r.get("breed")).containsExactly("1 a Rex 4 collie");
    }

    @Test
    void typedReadsGetAndFindTakeConditionsOnTheParentsFieldsAndTheChildsOwn() {
        Ashlar a = ashlar.withTenant("a");
        Dog rex = a.create(Dog.DOGS, new Dog(null, null, "Rex", null, "collie"));
        a.create(Dog.DOGS, new Dog(null, null, "Tripod", 3, "pug"));
        a.create(Animal.ANIMALS, new Animal(null, null, "Tom", 4));

        assertThat(a.read(Dog.DOGS).where(Dog.LEGS.gt(3)).list()).containsExactly(rex);
        assertThat(a.read(Dog.DOGS).where(Dog.BREED.eq("pug")).list()).extracting(Dog::name)
                .containsExactly("Tripod");
        assertThat(a.get(Dog.DOGS, rex.id())).isEqualTo(rex);
        assertThat(a.find(Dog.DOGS, rex.id() + 100)).isEmpty();
        List<AnimalView> animals = a.read(Animal.ANIMALS).load(Animal.DOG).list(AnimalView.class);
        assertThat(animals).extracting(animal -> animal.name() + " " + animal.dog().map(Dog::breed).orElse("-"))
                .containsExactlyInAnyOrder("Rex collie", "Tripod pug", "Tom -");
    }

    @Test
    void aTypedUpdateWritesEachTablesColumnsAndADestroyDeletesBothRows() {
        Ashlar a = ashlar.withTenant("a");
        Dog rex = a.create(Dog.DOGS, new Dog(null, null, "Rex", null, "collie"));
        a.create(Dog.DOGS, new Dog(null, null, "Fido", null, "pug"));

        Dog renamed = a.update(Dog.DOGS, rex, Dog.NAME.set("Rexy"), Dog.BREED.set("beagle"));
        Dog recounted = a.update(Dog.DOGS, new Dog(rex.id(), "a", "Rexy", 3, "beagle"), Dog.LEGS);

        assertThat(renamed).isEqualTo(new Dog(rex.id(), "a", "Rexy", 4, "beagle"));
        assertThat(recounted.legs()).isEqualTo(3);
        assertThat(db.query("SELECT a.name, a.legs, d.breed FROM jty_animals a JOIN jty_dogs d USING (id) "
                + "WHERE id = " + rex.id())).extracting(r -> r.get("name") + " " + r.get("legs") + " "
                + r.get("breed")).containsExactly("Rexy 3 beagle");

        a.destroy(Dog.DOGS, recounted);
        assertThat(db.query("SELECT name FROM jty_animals")).extracting(r -> r.get("name")).containsExactly("Fido");
        assertThat(db.value("SELECT count(*) FROM jty_dogs")).isEqualTo(1L);
    }

    @Test
    void aTypedCreateAllWritesEveryRecordsTwoRowsAndRefreshReadsOneAgain() {
        Ashlar a = ashlar.withTenant("a");
        List<Dog> dogs = a.createAll(Dog.DOGS, List.of(new Dog(null, null, "A", 3, "x"), new Dog(null, null, "B",
                null, "y")));
        db.execute("UPDATE jty_dogs SET breed = 'z' WHERE id = " + dogs.get(1).id());

        assertThat(dogs).extracting(dog -> dog.name() + " " + dog.legs() + " " + dog.breed())
                .containsExactly("A 3 x", "B 4 y");
        assertThat(a.refresh(Dog.DOGS, dogs.get(1)).breed()).isEqualTo("z");
        assertThat(db.value("SELECT count(*) FROM jty_animals a JOIN jty_dogs d USING (id)")).isEqualTo(2L);
    }

    @Test
    void tenantBReadsUpdatesAndDestroysNoneOfTenantAsDogsThroughTheTypedApi() {
        Dog rex = ashlar.withTenant("a").create(Dog.DOGS, new Dog(null, null, "Rex", null, "collie"));
        Ashlar attacker = ashlar.withTenant("b");
        Dog forged = new Dog(rex.id(), "b", "Rex", 4, "collie");

        assertThat(attacker.read(Dog.DOGS).list()).isEmpty();
        assertThat(attacker.read(Dog.DOGS).where(Dog.ID.eq(rex.id())).count()).isZero();
        assertThat(attacker.find(Dog.DOGS, rex.id())).isEmpty();
        assertThatThrownBy(() -> attacker.get(Dog.DOGS, rex.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> attacker.update(Dog.DOGS, forged, Dog.BREED.set("hacked")))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> attacker.destroy(Dog.DOGS, forged)).isInstanceOf(NotFoundException.class);
        assertThat(attacker.read(Dog.DOGS).updateCount(Dog.BREED.set("hacked"))).isZero();
        assertThat(attacker.read(Dog.DOGS).destroyAll()).isZero();
        assertThat(db.query("SELECT a.org, a.name, d.breed FROM jty_animals a JOIN jty_dogs d USING (id)"))
                .extracting(r -> r.get("org") + " " + r.get("name") + " " + r.get("breed"))
                .containsExactly("a Rex collie");
    }

    @Test
    void withASchemaPerTenantATypedChildIsWrittenAndReadInItsTenantsTwoTablesOnly() {
        Ashlar owner = ashlar.withTenant("t_a");
        Cat tom = owner.create(Cat.CATS, new Cat(null, "Tom", "grey"));
        Ashlar attacker = ashlar.withTenant("t_b");
        Cat forged = new Cat(tom.id(), "Tom", "grey");

        assertThat(owner.read(Cat.CATS).where(Cat.NAME.eq("Tom")).list()).containsExactly(tom);
        assertThat(attacker.read(Cat.CATS).list()).isEmpty();
        assertThat(attacker.find(Cat.CATS, tom.id())).isEmpty();
        assertThatThrownBy(() -> attacker.update(Cat.CATS, forged, Cat.COLOR.set("hacked")))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> attacker.destroy(Cat.CATS, forged)).isInstanceOf(NotFoundException.class);
        assertThat(owner.update(Cat.CATS, tom, Cat.COLOR.set("black")).color()).isEqualTo("black");
        assertThat(db.query("SELECT p.name, c.color FROM t_a.jty_pets p JOIN t_a.jty_cats c USING (id)"))
                .extracting(r -> r.get("name") + " " + r.get("color")).containsExactly("Tom black");
        assertThat(db.value("SELECT count(*) FROM t_b.jty_pets")).isEqualTo(0L);
    }

    @Test
    void aTypedCreateOfARecordWithAComponentTheChildLacksIsRefusedNamingItBeforeAnyWrite() {
        record Stray(Long id, String name, String collar) {
        }
        Table<Stray> strays = Table.of("dog", Stray.class);

        assertThatThrownBy(() -> ashlar.withTenant("a").create(strays, new Stray(null, "Rex", "red")))
                .isInstanceOf(QueryException.class).hasMessageContaining("'collar'").hasMessageContaining("dog");
        assertThat(db.value("SELECT count(*) FROM jty_animals")).isEqualTo(0L);
    }

    @Test
    void theChildsTableDeclaringTheParentsFieldsWritesAndReadsThemOnlyAsTheParentsPoliciesAllow() {
        Policy animals = Policy.on("animal").read(Policy.EVERY_ROW).create(actor -> Filter.lt("legs", 5))
                .update(actor -> Filter.eq("org", "a")).destroy(actor -> Filter.eq("org", "a"))
                .field("legs", actor -> Policy.NO_ROW);
        Policy dogs = Policy.on("dog").read(Policy.EVERY_ROW).create(Policy.EVERY_ROW).update(Policy.EVERY_ROW)
                .destroy(Policy.EVERY_ROW);
        db.execute("INSERT INTO jty_animals (id, org, name, legs) VALUES (1, 'a', 'Rex', 4), (2, 'b', 'Bolt', 4); "
                + "INSERT INTO jty_dogs (id, breed) VALUES (1, 'collie'), (2, 'husky')");
        try (Ashlar policed = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN)
                .policies(animals, dogs).build()) {
            Ashlar actor = policed.withUser(1);
            Dog rex = actor.get(Dog.DOGS, 1L);
            Dog bolt = actor.get(Dog.DOGS, 2L);

            assertThat(rex).isEqualTo(new Dog(1L, "a", "Rex", null, "collie"));
            assertThat(actor.read(Dog.DOGS).where(Dog.LEGS.gt(3)).list()).isEmpty();
            assertThatThrownBy(() -> actor.update(Dog.DOGS, rex, Dog.LEGS.set(9)))
                    .isInstanceOf(ForbiddenException.class).hasMessageContaining("[legs]");
            assertThatThrownBy(() -> actor.create(Dog.DOGS, new Dog(null, "a", "Spider", 8, "x")))
                    .isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> actor.update(Dog.DOGS, bolt, Dog.NAME.set("hacked")))
                    .isInstanceOf(AshlarException.class);
            assertThat(actor.read(Dog.DOGS).updateCount(Dog.LEGS.set(2), Dog.NAME.set("Mine"))).isEqualTo(1);
            assertThat(actor.update(Dog.DOGS, rex, Dog.BREED.set("beagle")).legs()).isNull();
        }
        assertThat(db.query("SELECT a.id, a.name, a.legs, d.breed FROM jty_animals a JOIN jty_dogs d USING (id) "
                + "ORDER BY a.id")).extracting(r -> r.get("name") + " " + r.get("legs") + " " + r.get("breed"))
                .containsExactly("Mine 2 beagle", "Bolt 4 husky");
    }
}
