package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.NotFoundException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
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
 * Joined inheritance from the attacker's side: under a tenant column (the parent's, inherited by the child) and with a
 * schema per tenant, tenant B neither reads, updates nor destroys tenant A's child record, through the child or
 * through the parent, and a create stores the handle's tenant and no other.
 */
class JoinedInheritanceTenancyTest extends DomainDatabaseTest {
    static final Resource ANIMAL = Resource.builder("animal").table("jt_animals").primaryKey("id")
            .attribute("org", TEXT, a -> a.notNull())
            .attribute("name", TEXT)
            .build();
    static final Resource DOG = Resource.builder("dog").table("jt_dogs").extending("animal")
            .attribute("breed", TEXT)
            .build();
    static final Resource PET = Resource.builder("pet").table("jt_pets").primaryKey("id")
            .attribute("name", TEXT)
            .build();
    static final Resource CAT = Resource.builder("cat").table("jt_cats").extending("pet")
            .attribute("color", TEXT)
            .build();

    JoinedInheritanceTenancyTest() {
        super(Domain.builder("joined_tenants").resources(ANIMAL, DOG, PET, CAT).build(),
                OneResourceTenancy.column("animal", "org", false), OneResourceTenancy.column("dog", "org", false),
                OneResourceTenancy.schemas("pet"), OneResourceTenancy.schemas("cat"));
    }

    @BeforeEach
    void eachTenantHasItsSchema() {
        db.execute("TRUNCATE jt_animals, jt_dogs, jt_pets, jt_cats CASCADE");
        tenantSchemas(db, "jt_pets", "jt_cats");
    }

    /**
     * Tenant schemas t_a and t_b, made anew, each holding a copy of the parent's and the child's tables, the child's
     * key referencing the parent's table there (as a tenant's migrations would make them).
     */
    static void tenantSchemas(dev.ashlar.testing.TestDatabase db, String parent, String child) {
        db.execute("DROP SCHEMA IF EXISTS t_a CASCADE; DROP SCHEMA IF EXISTS t_b CASCADE");
        for (String tenant : List.of("t_a", "t_b")) {
            db.execute("CREATE SCHEMA " + tenant + "; CREATE TABLE " + tenant + "." + parent + " (LIKE public." + parent
                    + " INCLUDING ALL); CREATE TABLE " + tenant + "." + child + " (LIKE public." + child
                    + " INCLUDING ALL); ALTER TABLE " + tenant + "." + child + " ADD FOREIGN KEY (id) REFERENCES "
                    + tenant + "." + parent + " (id) ON DELETE CASCADE");
        }
    }

    @Test
    void aCreateStoresTheHandlesTenantInTheParentRowAndRefusesAnother() {
        Row rex = ashlar.withTenant("a").create("dog", Map.of("name", "Rex", "breed", "collie"));

        assertThat(rex.get("org")).isEqualTo("a");
        assertThatThrownBy(() -> ashlar.withTenant("b").create("dog", Map.of("org", "a", "name", "Forged")))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors())
                        .extracting(error -> error.field()).containsExactly("org"));
        assertThat(db.query("SELECT a.org, a.name, d.breed FROM jt_animals a JOIN jt_dogs d USING (id)"))
                .extracting(r -> r.get("org") + " " + r.get("name") + " " + r.get("breed"))
                .containsExactly("a Rex collie");
        assertThat(db.value("SELECT count(*) FROM jt_animals")).isEqualTo(1L);
    }

    @Test
    void tenantBReadsNoneOfTenantAsDogThroughTheChildOrTheParent() {
        Row rex = ashlar.withTenant("a").create("dog", Map.of("name", "Rex", "breed", "collie"));
        Ashlar attacker = ashlar.withTenant("b");

        assertThat(attacker.read("dog").list()).isEmpty();
        assertThat(attacker.read("dog").where(Filter.eq("name", "Rex")).count()).isZero();
        assertThat(attacker.read("animal").list()).isEmpty();
        assertThatThrownBy(() -> attacker.get("dog", rex.get("id"))).isInstanceOf(NotFoundException.class);
        assertThat(ashlar.withTenant("a").read("dog").list()).extracting(r -> r.get("breed")).containsExactly("collie");
    }

    @Test
    void tenantBUpdatingOrDestroyingTenantAsDogThroughTheChildOrTheParentChangesNothing() {
        Row rex = ashlar.withTenant("a").create("dog", Map.of("name", "Rex", "breed", "collie"));
        Ashlar attacker = ashlar.withTenant("b");
        Row forged = Row.of("dog", Map.of("id", rex.get("id"), "org", "b", "name", "Rex", "breed", "collie"));
        Row forgedParent = Row.of("animal", Map.of("id", rex.get("id"), "org", "b", "name", "Rex"));

        assertThatThrownBy(() -> attacker.update(forged, Map.of("breed", "hacked", "name", "hacked")))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> attacker.destroy(forged)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> attacker.update(forgedParent, Map.of("name", "hacked")))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> attacker.destroy(forgedParent)).isInstanceOf(NotFoundException.class);
        assertThat(attacker.read("animal").destroyAll()).isZero();
        assertThat(db.query("SELECT a.org, a.name, d.breed FROM jt_animals a JOIN jt_dogs d USING (id)"))
                .extracting(r -> r.get("org") + " " + r.get("name") + " " + r.get("breed"))
                .containsExactly("a Rex collie");
    }

    @Test
    void withASchemaPerTenantEachTenantsRecordsAreWrittenAndReadInItsOwnTwoTablesOnly() {
        Ashlar owner = ashlar.withTenant("t_a");
        Row tom = owner.create("cat", Map.of("name", "Tom", "color", "grey"));
        Ashlar attacker = ashlar.withTenant("t_b");
        Row forged = Row.of("cat", Map.of("id", tom.get("id"), "name", "Tom", "color", "grey"));

        assertThat(db.value("SELECT count(*) FROM t_a.jt_pets p JOIN t_a.jt_cats c USING (id)")).isEqualTo(1L);
        assertThat(attacker.read("cat").list()).isEmpty();
        assertThat(attacker.read("pet").list()).isEmpty();
        assertThatThrownBy(() -> attacker.update(forged, Map.of("color", "hacked")))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> attacker.destroy(forged)).isInstanceOf(NotFoundException.class);
        assertThat(db.query("SELECT p.name, c.color FROM t_a.jt_pets p JOIN t_a.jt_cats c USING (id)"))
                .extracting(r -> r.get("name") + " " + r.get("color")).containsExactly("Tom grey");
        assertThat(db.value("SELECT count(*) FROM t_b.jt_pets")).isEqualTo(0L);

        Row updated = owner.update(tom, Map.of("name", "Thomas", "color", "black"));
        assertThat(updated.get("color")).isEqualTo("black");
        owner.destroy(updated);
        assertThat(db.value("SELECT count(*) FROM t_a.jt_cats")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM t_a.jt_pets")).isEqualTo(0L);
    }

    @Test
    void tenantBsUpdatesAndDestroysByQueryOfTheChildReachItsOwnDogsAndNoneOfTenantAs() {
        ashlar.withTenant("a").create("dog", Map.of("name", "Rex", "breed", "collie"));
        ashlar.withTenant("b").create("dog", Map.of("name", "Bolt", "breed", "husky"));
        Ashlar attacker = ashlar.withTenant("b");

        assertThat(attacker.read("dog").where(Filter.eq("name", "Rex")).updateAll(Map.of("breed", "hacked"))).isEmpty();
        assertThat(attacker.read("dog").updateAll(Map.of("name", "Mine", "breed", "hacked")))
                .extracting(r -> r.get("org") + " " + r.get("name") + " " + r.get("breed"))
                .containsExactly("b Mine hacked");
        assertThatThrownBy(() -> attacker.read("dog").updateAll(Map.of("org", "a")))
                .isInstanceOf(InvalidDataException.class);
        assertThat(attacker.read("dog").where(Filter.eq("name", "Rex")).destroyAll()).isZero();
        assertThat(attacker.read("dog").destroyAll()).isEqualTo(1);

        assertThat(db.query("SELECT a.org, a.name, d.breed FROM jt_animals a JOIN jt_dogs d USING (id)"))
                .extracting(r -> r.get("org") + " " + r.get("name") + " " + r.get("breed"))
                .containsExactly("a Rex collie");
        assertThat(db.value("SELECT count(*) FROM jt_animals")).isEqualTo(1L);
    }

    @Test
    void tenantBsUpdateByQueryOfTheChildMovingRowsToTenantAIsRefusedEvenWhenItSelectsNothing() {
        ashlar.withTenant("a").create("dog", Map.of("name", "Rex", "breed", "collie"));
        Ashlar attacker = ashlar.withTenant("b");

        assertThatThrownBy(() -> attacker.read("dog").where(Filter.eq("name", "none")).updateCount(Map.of("org", "a")))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors())
                        .extracting(dev.ashlar.api.error.FieldError::field).containsExactly("org"));
        assertThat(attacker.read("dog").where(Filter.eq("name", "Rex")).updateAll(Map.of("org", "b"))).isEmpty();

        assertThat(db.query("SELECT a.org, a.name FROM jt_animals a JOIN jt_dogs d USING (id)"))
                .extracting(r -> r.get("org") + " " + r.get("name")).containsExactly("a Rex");
    }

    @Test
    void withASchemaPerTenantAWriteByQueryOfTheChildReachesOnlyItsTenantsTwoTables() {
        ashlar.withTenant("t_a").create("cat", Map.of("name", "Tom", "color", "grey"));
        ashlar.withTenant("t_b").create("cat", Map.of("name", "Felix", "color", "black"));
        Ashlar attacker = ashlar.withTenant("t_b");

        assertThat(attacker.read("cat").where(Filter.eq("name", "Tom")).updateCount(Map.of("color", "x"))).isZero();
        assertThat(attacker.read("cat").updateCount(Map.of("name", "Mine", "color", "hacked"))).isEqualTo(1);
        assertThat(attacker.read("cat").where(Filter.eq("name", "Tom")).destroyAll()).isZero();

        assertThat(db.query("SELECT p.name, c.color FROM t_a.jt_pets p JOIN t_a.jt_cats c USING (id)"))
                .extracting(r -> r.get("name") + " " + r.get("color")).containsExactly("Tom grey");
        assertThat(db.query("SELECT p.name, c.color FROM t_b.jt_pets p JOIN t_b.jt_cats c USING (id)"))
                .extracting(r -> r.get("name") + " " + r.get("color")).containsExactly("Mine hacked");
        assertThat(attacker.read("cat").destroyAll()).isEqualTo(1);
        assertThat(db.value("SELECT count(*) FROM t_b.jt_pets")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM t_a.jt_cats")).isEqualTo(1L);
    }

    @Test
    void aPolymorphicReadOfTheParentGivesTenantBItsOwnChildrenAndNoneOfTenantAsUnderATenantColumn() {
        ashlar.withTenant("a").create("dog", Map.of("name", "Rex", "breed", "collie"));
        ashlar.withTenant("b").create("dog", Map.of("name", "Bolt", "breed", "husky"));
        ashlar.withTenant("b").create("animal", Map.of("name", "Nemo"));

        List<Row> seen = ashlar.withTenant("b").read("animal").loadChildren().sort(Sort.asc("name")).list();

        assertThat(seen).extracting(r -> r.resource() + " " + r.get("org") + " " + r.get("name"))
                .containsExactly("dog b Bolt", "animal b Nemo");
        assertThat(seen.get(0).get("breed")).isEqualTo("husky");
    }

    @Test
    void aPolymorphicReadWithASchemaPerTenantTakesTheChildsRowsFromTheTenantsSchemaOnlyWhereKeysCollide() {
        Row tom = ashlar.withTenant("t_a").create("cat", Map.of("name", "Tom", "color", "grey"));
        Row felix = ashlar.withTenant("t_b").create("pet", Map.of("name", "Felix"));

        List<Row> seen = ashlar.withTenant("t_b").read("pet").loadChildren().list();

        assertThat(felix.get("id")).isEqualTo(tom.get("id"));
        assertThat(seen).extracting(r -> r.resource() + " " + r.get("name")).containsExactly("pet Felix");
        assertThat(ashlar.withTenant("t_a").read("pet").loadChildren().list())
                .extracting(r -> r.resource() + " " + r.get("name") + " " + r.get("color"))
                .containsExactly("cat Tom grey");
    }

    @Test
    void tenantBsPolymorphicReadNamingTenantAsKeyOrTenantPastTheBaseFilterGetsNothingOfTenantAs() {
        Row rex = ashlar.withTenant("a").create("dog", Map.of("name", "Rex", "breed", "collie"));
        Row tom = ashlar.withTenant("t_a").create("cat", Map.of("name", "Tom", "color", "grey"));
        Ashlar attacker = ashlar.withTenant("b");

        assertThat(attacker.read("animal").ignoreBaseFilter().where(Filter.eq("id", rex.get("id"))).loadChildren()
                .list()).isEmpty();
        assertThat(attacker.read("animal").where(Filter.eq("org", "a")).loadChildren().list()).isEmpty();
        assertThat(ashlar.withTenant("t_b").read("pet").ignoreBaseFilter().where(Filter.eq("id", tom.get("id")))
                .loadChildren().list()).isEmpty();
        assertThat(ashlar.withTenant("a").read("animal").loadChildren().list()).extracting(Row::resource)
                .containsExactly("dog");
    }

    @Test
    void aChildUnderAnotherTenancyThanItsParentIsRefusedWhenAshlarIsBuilt() {
        Domain domain = Domain.builder("joined_tenants").resources(ANIMAL, DOG, PET, CAT).build();

        assertThatThrownBy(() -> Fixtures.ashlar(db, domain, OneResourceTenancy.column("animal", "org", false))
                .close()).isInstanceOfSatisfying(DefinitionException.class, e -> {
                    assertThat(e.getMessage()).contains("'dog'", "'animal'", "another tenancy", "[org]");
                });
    }
}
