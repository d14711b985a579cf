package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Kinds of record in one shared table ({@code discriminator(attribute, value)}): loads through relationships,
 * paths, updates by record and upserts reach the rows of their kind only; a kind is checked when it is built.
 */
class DiscriminatorTest extends DomainDatabaseTest {
    DiscriminatorTest() {
        super(Domain.builder("kinds")
                .resource(Resource.builder("owner").table("owners").integerPrimaryKey("id")
                        .attribute("name", TEXT)
                        .hasMany("cars", "car", r -> r.destinationAttribute("owner_id"))
                        .hasMany("boats", "boat", r -> r.destinationAttribute("owner_id"))
                        .count("car_count", "cars")
                        .sum("boat_seats", "boats", "seats")
                        .build())
                .resource(vehicle("car", "car"))
                .resource(vehicle("boat", "boat"))
                .build());
    }

    private static Resource vehicle(String name, String kind) {
        return vehicle(name, "vehicles", kind).belongsTo("owner", "owner").identity("unique_plate", "plate").build();
    }

    /** One kind of vehicle ({@code kind}, {@code plate}, {@code seats}) in the table the kinds share. */
    static ResourceBuilder vehicle(String name, String table, String kind) {
        return Resource.builder(name).table(table).integerPrimaryKey("id")
                .attribute("kind", TEXT, a -> a.notNull())
                .attribute("plate", TEXT)
                .attribute("seats", INTEGER)
                .discriminator("kind", kind);
    }

    @BeforeEach
    void emptyTables() {
        db.execute("TRUNCATE vehicles, owners RESTART IDENTITY CASCADE");
    }

    @Test
    void aRelationshipToOneKindLoadsAndFiltersByItsRowsOnly() {
        Row ada = ashlar.create("owner", Map.of("name", "ada"));
        ashlar.create("car", Map.of("plate", "C-1", "owner_id", ada.get("id")));
        ashlar.create("boat", Map.of("plate", "B-1", "owner_id", ada.get("id")));
        ashlar.create("owner", Map.of("name", "bob"));

        Row loaded = ashlar.read("owner").where(eq("name", "ada")).load("cars").load("boats").first().orElseThrow();

        assertThat(loaded.related("cars")).extracting(car -> car.get("plate")).containsExactly("C-1");
        assertThat(loaded.related("boats")).extracting(boat -> boat.get("plate")).containsExactly("B-1");
        assertThat(ashlar.read("owner").where(eq("cars.plate", "B-1")).count()).isZero();
        assertThat(ashlar.read("car").where(eq("owner.name", "ada")).values("plate", String.class))
                .containsExactly("C-1");
    }

    @Test
    void aggregatesAndExistsOverARelationshipToOneKindCountItsRowsOnly() {
        Row ada = ashlar.create("owner", Map.of("name", "ada"));
        ashlar.create("car", Map.of("plate", "C-1", "seats", 5, "owner_id", ada.get("id")));
        ashlar.create("boat", Map.of("plate", "B-1", "seats", 7, "owner_id", ada.get("id")));
        ashlar.create("boat", Map.of("plate", "B-2", "seats", 3, "owner_id", ada.get("id")));
        Row bob = ashlar.create("owner", Map.of("name", "bob"));
        ashlar.create("boat", Map.of("plate", "B-3", "seats", 1, "owner_id", bob.get("id")));

        Row loaded = ashlar.read("owner").where(eq("name", "ada")).load("car_count").load("boat_seats").first()
                .orElseThrow();

        assertThat(((Number) loaded.get("car_count")).longValue()).isEqualTo(1);
        assertThat(((Number) loaded.get("boat_seats")).longValue()).isEqualTo(10);
        assertThat(ashlar.read("owner").where(Filter.exists("cars")).values("name", String.class))
                .containsExactly("ada");
        assertThat(ashlar.read("car").sum("seats").longValue()).isEqualTo(5);
        assertThat(ashlar.read("boat").count()).isEqualTo(3);
    }

    @Test
    void anUpdateOrDestroyOfARowOfAnotherKindReachesNothing() {
        Row boat = ashlar.create("boat", Map.of("plate", "B-1", "seats", 4));
        Row forged = ashlar.read("car").ignoreBaseFilter().sort(Sort.asc("id")).list().stream().findFirst()
                .orElse(null);

        assertThat(forged).isNull();
        assertThat(ashlar.updateAll("car", List.of(Map.of("id", boat.get("id"), "seats", 1)))).isEmpty();
        assertThat(ashlar.read("car").where(eq("id", boat.get("id"))).destroyAll()).isZero();
        assertThat(db.query("SELECT kind, seats FROM vehicles")).extracting(r -> r.get("kind") + " " + r.get("seats"))
                .containsExactly("boat 4");
    }

    @Test
    void anUpsertOfOneKindNeverOverwritesAnotherKindsRecordHoldingTheIdentity() {
        ashlar.create("boat", Map.of("plate", "X-1", "seats", 4));
        ashlar.create("car", Map.of("plate", "C-1", "seats", 5));

        List<Row> written = ashlar.upsert("car", List.of(Map.of("plate", "X-1", "seats", 2),
                Map.of("plate", "C-1", "seats", 3)), Upsert.on("unique_plate"));

        assertThat(written).extracting(row -> row.get("plate")).containsExactly("C-1");
        assertThat(db.query("SELECT kind, plate, seats FROM vehicles ORDER BY plate"))
                .extracting(r -> r.get("kind") + " " + r.get("plate") + " " + r.get("seats"))
                .containsExactly("car C-1 3", "boat X-1 4");
        assertThatThrownBy(() -> ashlar.upsert("car", List.of(Map.of("plate", "C-1")),
                Upsert.on("unique_plate").set("kind", Atomic.sql("'boat'"))))
                .isInstanceOf(QueryException.class).hasMessageContaining("leave it out of the changes");
        assertThat(db.query("SELECT kind FROM vehicles WHERE plate = 'C-1'")).extracting(r -> r.get("kind"))
                .containsExactly("car");
    }

    @Test
    void aDiscriminatorNamingNoAttributeTheKeyOrAnotherKindOfValueIsRefusedWhenBuilt() {
        assertThatThrownBy(() -> Resource.builder("car").table("vehicles").integerPrimaryKey("id")
                .discriminator("kind", "car").build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("names an attribute resource 'car' "
                        + "does not have");
        assertThatThrownBy(() -> Resource.builder("car").table("vehicles").integerPrimaryKey("id")
                .discriminator("id", 1).build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("names the primary key");
        assertThatThrownBy(() -> Resource.builder("car").table("vehicles").integerPrimaryKey("id")
                .attribute("kind", TEXT).discriminator("kind", 1.5).build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("needs a String or an Integer");
    }
}
