package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.ashlar.api.query.Filter.ne;
import static dev.ashlar.api.query.Filter.parent;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A load that finds each parent by its primary key when that key holds a native enum column, whose array the
 * server cannot unnest untyped: shelves keyed by a zone and a slot, each loading the other shelves of its aisle.
 */
class EnumKeyParentLoadTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("enum_key_parent")
            .resource(Resource.builder("shelf").table("enum_key_shelves")
                    .attribute("zone", Type.enumOf("north", "south"), a -> a.primaryKey())
                    .attribute("slot", Type.INTEGER, a -> a.primaryKey())
                    .attribute("aisle", Type.INTEGER)
                    .hasMany("same_aisle", "shelf", r -> r.sourceAttribute("aisle").destinationAttribute("aisle")
                            .filter(ne("slot", parent("slot"))))
                    .build())
            .build();

    EnumKeyParentLoadTest() {
        super(DOMAIN);
    }

    @Test
    void shelvesKeyedByAnEnumAndASlotEachLoadTheOtherShelvesOfTheirAisle() {
        db.execute("TRUNCATE enum_key_shelves");
        db.execute("INSERT INTO enum_key_shelves (zone, slot, aisle) VALUES ('north', 1, 1), ('north', 2, 1), "
                + "('south', 3, 1), ('south', 4, 2)");

        List<Row> shelves = ashlar.read("shelf").sort(Sort.asc("slot")).load("same_aisle").list();

        assertThat(shelves).extracting(shelf -> shelf.get("slot") + ": " + shelf.related("same_aisle").stream()
                        .map(other -> other.get("slot")).sorted().toList())
                .containsExactly("1: [2, 3]", "2: [1, 3]", "3: [1, 2]", "4: []");
    }
}
