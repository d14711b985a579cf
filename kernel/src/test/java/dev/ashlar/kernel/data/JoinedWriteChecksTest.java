package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.ForbiddenException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Policy;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a write through a child of joined inheritance refuses before any row is read: changes an update of the child
 * refuses on every record, refused whether or not the query selects one; a key change or an atomic change, named for
 * the two tables; and a parent that takes no writes ({@code readOnly()}, {@code refuseLiveWrites()}), whose table no
 * write through a child reaches.
 */
class JoinedWriteChecksTest extends DomainDatabaseTest {
    static final Resource ANIMAL = Resource.builder("animal").table("jw_animals").primaryKey("id")
            .attribute("name", TEXT, a -> a.notNull())
            .attribute("legs", INTEGER, a -> a.defaultValue(4))
            .attribute("keeper", INTEGER)
            .attribute("born", TEXT, a -> a.updatable(false))
            .build();
    static final Resource DOG = Resource.builder("dog").table("jw_dogs").extending("animal")
            .attribute("breed", TEXT)
            .build();
    static final Resource ROCK = Resource.builder("rock").table("jw_rocks").primaryKey("id")
            .attribute("name", TEXT)
            .readOnly()
            .build();
    static final Resource GEM = Resource.builder("gem").table("jw_gems").extending("rock")
            .attribute("cut", TEXT)
            .readOnly()
            .build();
    static final Domain DOMAIN = Domain.builder("joined_checks").resources(ANIMAL, DOG, ROCK, GEM).build();

    JoinedWriteChecksTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void seed() {
        db.execute("TRUNCATE jw_animals, jw_dogs, jw_rocks, jw_gems RESTART IDENTITY CASCADE");
        ashlar.create("dog", Map.of("name", "Rex", "breed", "collie", "keeper", 1, "born", "2020"));
        db.execute("INSERT INTO jw_rocks (id, name) VALUES (1, 'Hope'); INSERT INTO jw_gems (id, cut) VALUES (1, 'oval')");
    }

    @Test
    void anUpdateByQueryOfTheChildSelectingNothingRefusesAnUnknownFieldACreateOnlyOneOrABadValueAsTheParentDoes() {
        for (Map<String, Object> changes : List.<Map<String, Object>>of(Map.of("bread", "x"), Map.of("born", "1999"),
                Map.of("legs", "many"))) {
            String field = changes.keySet().iterator().next();
            Class<? extends Throwable> parents = thrown(() -> ashlar.read("animal")
                    .where(Filter.eq("name", "Nobody")).updateAll(changes)).getClass();

            assertThatThrownBy(() -> ashlar.read("dog").where(Filter.eq("name", "Nobody")).updateAll(changes))
                    .isInstanceOf(parents).hasMessageContaining(field);
            assertThatThrownBy(() -> ashlar.read("dog").where(Filter.eq("name", "Nobody")).updateCount(changes))
                    .isInstanceOf(parents).hasMessageContaining(field);
        }
        assertThat(ashlar.read("dog").where(Filter.eq("name", "Nobody")).updateAll(Map.of("breed", "x"))).isEmpty();
        assertThat(db.query("SELECT a.name, a.legs, a.born, d.breed FROM jw_animals a JOIN jw_dogs d USING (id)"))
                .extracting(r -> r.get("name") + " " + r.get("legs") + " " + r.get("born") + " " + r.get("breed"))
                .containsExactly("Rex 4 2020 collie");
    }

    @Test
    void anUpdateByQueryOfTheChildSelectingNothingRefusesAChangeItsCreatePolicyRefuses() {
        Policy dogs = Policy.on("dog").read(Policy.EVERY_ROW).update(Policy.EVERY_ROW)
                .create(actor -> Filter.eq("keeper", actor.id()));
        try (Ashlar policed = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN).policies(dogs).build()) {
            Ashlar ones = policed.withUser(1);

            assertThatThrownBy(() -> ones.read("dog").where(Filter.eq("name", "Nobody"))
                    .updateAll(Map.of("keeper", 2))).isInstanceOfSatisfying(ForbiddenException.class,
                            e -> assertThat(e.getMessage()).contains("dog", "create policy"));
            assertThat(ones.read("dog").where(Filter.eq("name", "Nobody")).updateCount(Map.of("keeper", 1))).isZero();
            assertThatThrownBy(() -> ones.read("dog").updateAll(Map.of("keeper", 2)))
                    .isInstanceOf(ForbiddenException.class);
        }
        assertThat(db.value("SELECT keeper FROM jw_animals")).isEqualTo(1);
    }

    @Test
    void aKeyChangeOrAnAtomicChangeThroughTheChildIsRefusedNamingBothTablesAndTheFixNotAStatement() {
        Row rex = ashlar.read("dog").first().orElseThrow();
        List<ThrowingCallable> keyChanges = List.of(
                () -> ashlar.read("dog").where(Filter.eq("name", "Nobody")).updateAll(Map.of("id", 99)),
                () -> ashlar.read("dog").updateCount(Map.of("id", 99)),
                () -> ashlar.update(rex, Map.of("id", 99)));

        keyChanges.forEach(write -> assertThatThrownBy(write).isInstanceOfSatisfying(QueryException.class,
                e -> assertThat(e.getMessage()).contains("'dog' extends 'animal'", "'jw_animals' and 'jw_dogs'",
                        "change of its key 'id'", "create the record under the new key and destroy the old one")
                        .doesNotContain("updateSql", "statement")));
        assertThatThrownBy(() -> ashlar.read("dog").updateAll(Map.of("legs", Atomic.add(1))))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.getMessage())
                        .contains("'dog' extends 'animal'", "'jw_animals' and 'jw_dogs'", "change of 'legs'",
                                "read the record and give the new value")
                        .doesNotContain("statement", "a atomic"));
        assertThat(db.query("SELECT a.id, a.legs FROM jw_animals a JOIN jw_dogs d USING (id)"))
                .extracting(r -> r.get("id") + " " + r.get("legs")).containsExactly("1 4");
    }

    @Test
    void aChildOfAReadOnlyParentOrOfOneRefusingLiveWritesIsRefusedWhenTheDomainIsBuiltUnlessItIsReadOnlyToo() {
        Resource readOnly = Resource.builder("animal").table("a").primaryKey("id").attribute("name", TEXT)
                .readOnly().build();
        Resource published = Resource.builder("animal").table("a").primaryKey("id").attribute("name", TEXT)
                .draftable().refuseLiveWrites().build();
        Resource dog = Resource.builder("dog").table("d").extending("animal").attribute("breed", TEXT).build();

        assertThatThrownBy(() -> Domain.builder("refused").resources(readOnly, dog).build())
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.getMessage()).contains(
                        "'dog' extends 'animal', which is readOnly()", "table 'a'", "declare 'dog' readOnly() too",
                        "remove readOnly() from 'animal'", "do not extend it"));
        assertThatThrownBy(() -> Domain.builder("refused").resources(published, dog).build())
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.getMessage()).contains(
                        "'dog' extends 'animal', which refuses live writes (refuseLiveWrites())", "declare 'dog' readOnly() too",
                        "remove refuseLiveWrites() from 'animal'"));
        Resource readOnlyDog = Resource.builder("dog").table("d").extending("animal").attribute("breed", TEXT)
                .readOnly().build();
        assertThat(Domain.builder("read").resources(readOnly, readOnlyDog).build().resources()).hasSize(2);
        assertThat(Domain.builder("read").resources(published, readOnlyDog).build().resources()).hasSize(2);
    }

    @Test
    void everyWriteThroughAReadOnlyChildOfAReadOnlyParentIsRefusedAndLeavesBothTablesAsTheyWere() {
        Row hope = ashlar.read("gem").first().orElseThrow();
        assertThat(hope.get("name") + " " + hope.get("cut")).isEqualTo("Hope oval");
        List<ThrowingCallable> writes = List.of(
                () -> ashlar.create("gem", Map.of("id", 2, "name", "Star", "cut", "round")),
                () -> ashlar.createAll("gem", List.of(Map.of("id", 2, "name", "Star", "cut", "round"))),
                () -> ashlar.update(hope, Map.of("name", "Lost", "cut", "none")),
                () -> ashlar.destroy(hope),
                () -> ashlar.read("gem").updateAll(Map.of("name", "Lost")),
                () -> ashlar.read("gem").where(Filter.eq("name", "Nobody")).updateCount(Map.of("cut", "none")),
                () -> ashlar.read("gem").destroyAll(),
                () -> ashlar.updateAll(List.of(hope), Map.of("cut", "none")),
                () -> ashlar.destroyAll(List.of(hope)));

        writes.forEach(write -> assertThatThrownBy(write).isInstanceOfSatisfying(QueryException.class,
                e -> assertThat(e.getMessage()).contains("'gem' is readOnly()", "remove readOnly()")));
        assertThat(db.query("SELECT r.id, r.name, g.cut FROM jw_rocks r LEFT JOIN jw_gems g USING (id)"))
                .extracting(r -> r.get("id") + " " + r.get("name") + " " + r.get("cut")).containsExactly("1 Hope oval");
    }

    private static Throwable thrown(ThrowingCallable write) {
        try {
            write.call();
        } catch (Throwable e) {
            assertThat(e).isInstanceOf(AshlarException.class);
            return e;
        }
        throw new AssertionError("the parent's update took the changes it should refuse");
    }
}
