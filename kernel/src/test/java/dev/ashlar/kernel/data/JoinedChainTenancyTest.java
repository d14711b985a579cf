package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.NotFoundException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A chain of joined inheritance from the attacker's side, under a tenant column (the root's, inherited down the
 * chain) and with a schema per tenant: tenant B, naming tenant A's grandchild key, neither reads, updates, upserts nor
 * destroys it, through any level, by key or by the grandchild's own identity, and every table of the chain keeps
 * A's rows as they were.
 */
class JoinedChainTenancyTest extends DomainDatabaseTest {
    static final Resource ANIMAL = Resource.builder("animal").table("jct_animals")
            .attribute("id", TEXT, a -> a.primaryKey())
            .attribute("org", TEXT, a -> a.notNull())
            .attribute("name", TEXT)
            .build();
    static final Resource MAMMAL = Resource.builder("mammal").table("jct_mammals").extending("animal")
            .attribute("fur", TEXT)
            .build();
    static final Resource DOG = Resource.builder("dog").table("jct_dogs").extending("mammal")
            .attribute("breed", TEXT)
            .attribute("chip", TEXT)
            .identity("unique_chip", List.of("chip"), i -> i.allTenants())
            .build();
    static final Resource PET = Resource.builder("pet").table("jct_pets")
            .attribute("id", TEXT, a -> a.primaryKey())
            .attribute("name", TEXT)
            .build();
    static final Resource CAT = Resource.builder("cat").table("jct_cats").extending("pet")
            .attribute("color", TEXT)
            .build();
    static final Resource KITTEN = Resource.builder("kitten").table("jct_kittens").extending("cat")
            .attribute("toy", TEXT)
            .build();

    JoinedChainTenancyTest() {
        super(Domain.builder("chain_tenants").resources(ANIMAL, MAMMAL, DOG, PET, CAT, KITTEN).build(),
                OneResourceTenancy.column("animal", "org", false), OneResourceTenancy.column("mammal", "org", false),
                OneResourceTenancy.column("dog", "org", false), OneResourceTenancy.schemas("pet"),
                OneResourceTenancy.schemas("cat"), OneResourceTenancy.schemas("kitten"));
    }

    @BeforeEach
    void eachTenantHasItsSchema() {
        db.execute("TRUNCATE jct_animals, jct_mammals, jct_dogs, jct_pets, jct_cats, jct_kittens CASCADE");
        db.execute("DROP SCHEMA IF EXISTS t_a CASCADE; DROP SCHEMA IF EXISTS t_b CASCADE");
        for (String tenant : List.of("t_a", "t_b")) {
            db.execute("CREATE SCHEMA " + tenant);
            for (String table : List.of("jct_pets", "jct_cats", "jct_kittens")) {
                db.execute("CREATE TABLE " + tenant + "." + table + " (LIKE public." + table + " INCLUDING ALL)");
            }
            db.execute("ALTER TABLE " + tenant + ".jct_cats ADD FOREIGN KEY (id) REFERENCES " + tenant
                    + ".jct_pets (id) ON DELETE CASCADE; ALTER TABLE " + tenant + ".jct_kittens ADD FOREIGN KEY (id) "
                    + "REFERENCES " + tenant + ".jct_cats (id) ON DELETE CASCADE");
        }
    }

    @Test
    void aCreateStoresTheHandlesTenantInTheRootsRowAndEachLevelsRow() {
        Row rex = ashlar.withTenant("a").create("dog", Map.of("id", "d1", "name", "Rex", "fur", "short",
                "breed", "collie"));

        assertThat(rex.get("org")).isEqualTo("a");
        assertThat(chainRows()).containsExactly("d1 a Rex short collie");
    }

    @Test
    void tenantBNamingTenantAsGrandchildKeyReadsUpdatesUpsertsAndDestroysNothingThroughAnyLevel() {
        ashlar.withTenant("a").create("dog", Map.of("id", "d1", "name", "Rex", "fur", "short", "breed", "collie"));
        Ashlar attacker = ashlar.withTenant("b");
        Row forgedDog = Row.of("dog", Map.of("id", "d1", "org", "b", "name", "Rex", "fur", "short", "breed", "x"));
        Row forgedMammal = Row.of("mammal", Map.of("id", "d1", "org", "b", "name", "Rex", "fur", "short"));

        assertThat(attacker.read("dog").list()).isEmpty();
        assertThat(attacker.read("mammal").where(Filter.eq("id", "d1")).list()).isEmpty();
        assertThat(attacker.read("animal").ignoreBaseFilter().where(Filter.eq("id", "d1")).loadChildren().list())
                .isEmpty();
        assertThatThrownBy(() -> attacker.get("dog", "d1")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> attacker.update(forgedDog, Map.of("breed", "hacked", "fur", "hacked", "name",
                "hacked"))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> attacker.update(forgedMammal, Map.of("fur", "hacked")))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> attacker.upsert("dog", Map.of("id", "d1", "name", "hacked", "fur", "hacked",
                "breed", "hacked"), Upsert.onPrimaryKey())).isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("has already been taken");
        assertThatThrownBy(() -> attacker.destroy(forgedDog)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> attacker.destroy(forgedMammal)).isInstanceOf(NotFoundException.class);
        assertThat(attacker.read("dog").where(Filter.eq("id", "d1")).updateCount(Map.of("breed", "hacked"))).isZero();
        assertThat(attacker.read("mammal").destroyAll()).isZero();

        assertThat(chainRows()).containsExactly("d1 a Rex short collie");
        assertThat(ashlar.withTenant("a").get("dog", "d1").get("breed")).isEqualTo("collie");
    }

    @Test
    void tenantBUpsertingOnTheGrandchildsOwnIdentityWithTenantAsValueWritesNothingInAnyTable() {
        ashlar.withTenant("a").create("dog", Map.of("id", "d1", "name", "Rex", "fur", "short", "breed", "collie",
                "chip", "c1"));
        Ashlar attacker = ashlar.withTenant("b");

        assertThatThrownBy(() -> attacker.upsert("dog", Map.of("id", "d2", "name", "hacked", "fur", "hacked",
                "breed", "hacked", "chip", "c1"), Upsert.on("unique_chip")))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("has already been taken");
        assertThatThrownBy(() -> attacker.upsert("dog", Map.of("id", "d1", "name", "hacked", "chip", "c1"),
                Upsert.on("unique_chip").update("name"))).isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("has already been taken");

        assertThat(chainRows()).containsExactly("d1 a Rex short collie");
        assertThat(db.value("SELECT (SELECT count(*) FROM jct_animals) + (SELECT count(*) FROM jct_mammals) "
                + "+ (SELECT count(*) FROM jct_dogs)")).isEqualTo(3L);
        Row owners = ashlar.withTenant("a").upsert("dog", Map.of("id", "other", "name", "Rexy", "chip", "c1"),
                Upsert.on("unique_chip").update("name"));
        assertThat(owners.get("id")).isEqualTo("d1");
        assertThat(chainRows()).containsExactly("d1 a Rexy short collie");
    }

    @Test
    void anUpsertOfTheGrandchildMayNeitherMoveNorNameItsTenantColumnAsOnOneTable() {
        Ashlar owner = ashlar.withTenant("a");
        owner.create("dog", Map.of("id", "d1", "name", "Rex", "fur", "short", "breed", "collie"));

        assertThatThrownBy(() -> owner.upsert("dog", Map.of("id", "d1", "org", "b", "name", "Moved"),
                Upsert.onPrimaryKey())).isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(
                e.getMessage()).contains("org"));
        assertThatThrownBy(() -> owner.upsert("dog", Map.of("id", "d1", "org", "a", "name", "Renamed"),
                Upsert.onPrimaryKey().update("name", "org"))).isInstanceOfSatisfying(
                dev.ashlar.api.error.QueryException.class, e -> assertThat(e.getMessage())
                        .contains("'org'", "holds the record's tenant", "Leave it out of update(...)"));
        Row same = owner.upsert("dog", Map.of("id", "d1", "org", "a", "name", "Rexy"), Upsert.onPrimaryKey());

        assertThat(same.get("name")).isEqualTo("Rexy");
        assertThat(chainRows()).containsExactly("d1 a Rexy short collie");
    }

    @Test
    void withASchemaPerTenantTenantBNamingTenantAsKittenKeyChangesNothingInTenantAsTables() {
        ashlar.withTenant("t_a").create("kitten", Map.of("id", "k1", "name", "Tom", "color", "grey", "toy", "ball"));
        Ashlar attacker = ashlar.withTenant("t_b");
        Row forged = Row.of("kitten", Map.of("id", "k1", "name", "Tom", "color", "grey", "toy", "ball"));

        assertThat(attacker.read("kitten").list()).isEmpty();
        assertThat(attacker.read("pet").loadChildren().list()).isEmpty();
        assertThatThrownBy(() -> attacker.get("kitten", "k1")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> attacker.update(forged, Map.of("toy", "hacked", "color", "hacked")))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> attacker.destroy(forged)).isInstanceOf(NotFoundException.class);
        assertThat(attacker.read("kitten").where(Filter.eq("id", "k1")).destroyAll()).isZero();
        // The same key in tenant B's own schema is B's own record: A's is not reached.
        Row own = attacker.upsert("kitten", Map.of("id", "k1", "name", "Mine", "color", "black", "toy", "mouse"),
                Upsert.onPrimaryKey());

        assertThat(own.get("name")).isEqualTo("Mine");
        assertThat(kittens("t_a")).containsExactly("k1 Tom grey ball");
        assertThat(kittens("t_b")).containsExactly("k1 Mine black mouse");

        Ashlar owner = ashlar.withTenant("t_a");
        owner.upsert("kitten", Map.of("id", "k1", "name", "Tom", "color", "white", "toy", "ball"),
                Upsert.onPrimaryKey());
        assertThat(kittens("t_a")).containsExactly("k1 Tom white ball");
        owner.destroy(owner.get("kitten", "k1"));
        assertThat(db.value("SELECT count(*) FROM t_a.jct_pets")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM t_a.jct_kittens")).isEqualTo(0L);
        assertThat(kittens("t_b")).containsExactly("k1 Mine black mouse");
    }

    private List<String> chainRows() {
        return db.query("SELECT a.id, a.org, a.name, m.fur, d.breed FROM jct_animals a JOIN jct_mammals m USING (id) "
                + "JOIN jct_dogs d USING (id) ORDER BY a.id").stream().map(r -> r.get("id") + " " + r.get("org") + " "
                + r.get("name") + " " + r.get("fur") + " " + r.get("breed")).toList();
    }

    private List<String> kittens(String schema) {
        return db.query("SELECT p.id, p.name, c.color, k.toy FROM " + schema + ".jct_pets p JOIN " + schema
                + ".jct_cats c USING (id) JOIN " + schema + ".jct_kittens k USING (id) ORDER BY p.id").stream()
                .map(r -> r.get("id") + " " + r.get("name") + " " + r.get("color") + " " + r.get("toy")).toList();
    }
}
