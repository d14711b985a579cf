package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.resource.Type.BOOLEAN;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The related records a {@code createAll} returns with its records (created level by level, read back by the keys just
 * created) are those a load of the relationship reads afterwards, with its sort and limit per parent over every
 * related record: also for a has-many from an attribute other than the key, whose stored records are related too, and
 * for relationships to one resource managed side by side, each returning the records the others created for it.
 */
class CreatedRelatedRecordsReturnedTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("created_returned")
            .resource(Resource.builder("shop").table("shops").integerPrimaryKey("id")
                    .attribute("region", TEXT, a -> a.notNull())
                    .hasMany("items", "item", r -> r.sort(Sort.desc("id")).limit(2))
                    .hasMany("gift_items", "item", r -> r.filter(eq("gift", true)).sort(Sort.asc("id")))
                    .hasOne("first_item", "item", r -> r.sort(Sort.asc("name")))
                    .hasMany("notes", "note", r -> r.sourceAttribute("region").destinationAttribute("region")
                            .sort(Sort.desc("id")).limit(2)).build())
            .resource(Resource.builder("item").table("items").integerPrimaryKey("id")
                    .attribute("name", TEXT, a -> a.notNull())
                    .attribute("gift", BOOLEAN, a -> a.notNull().defaultValue(false)).belongsTo("shop", "shop").build())
            .resource(Resource.builder("note").table("notes").integerPrimaryKey("id")
                    .attribute("region", TEXT).attribute("body", TEXT, a -> a.notNull()).build())
            .resource(Resource.builder("keeper").table("cr_keepers").integerPrimaryKey("id")
                    .hasMany("animals", "animal", r -> r.sort(Sort.asc("name")))
                    .hasMany("dogs", "dog", r -> r.sort(Sort.asc("name"))).build())
            .resource(Resource.builder("animal").table("cr_animals").integerPrimaryKey("id")
                    .attribute("name", TEXT, a -> a.notNull()).belongsTo("keeper", "keeper").build())
            .resource(Resource.builder("mammal").table("cr_mammals").extending("animal").attribute("fur", TEXT)
                    .build())
            .resource(Resource.builder("dog").table("cr_dogs").extending("mammal").attribute("breed", TEXT).build())
            .build();

    CreatedRelatedRecordsReturnedTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void stored() {
        db.execute("TRUNCATE shops, items, notes, cr_keepers, cr_animals, cr_mammals, cr_dogs "
                + "RESTART IDENTITY CASCADE");
        db.execute("INSERT INTO notes (region, body) VALUES ('north', 'stored-1'), ('north', 'stored-2')");
    }

    @Test
    void aHasManyFromAnotherAttributeReturnsTheStoredRelatedRecordsTooWithItsLimitOverAllOfThem() {
        List<Row> created = ashlar.createAll("shop", List.of(Map.of("region", "north", "notes",
                List.of(Map.of("body", "new")))), Manage.relationship("notes").create());

        assertThat(created.get(0).related("notes")).extracting(n -> n.get("body"))
                .containsExactly("new", "stored-2");
        assertThat(ashlar.load(created, "notes").get(0).related("notes")).extracting(n -> n.get("body"))
                .containsExactly("new", "stored-2");
    }

    @Test
    void aHasManyFromTheKeyReturnsTheCreatedRecordsWithItsSortAndLimit() {
        List<Row> created = ashlar.createAll("shop", List.of(
                        Map.of("region", "north", "items", List.of(Map.of("name", "a"), Map.of("name", "b"),
                                Map.of("name", "c"))),
                        Map.of("region", "south", "items", List.of(Map.of("name", "d")))),
                Manage.relationship("items").create());

        assertThat(created).extracting(shop -> shop.related("items").stream().map(i -> i.get("name")).toList())
                .containsExactly(List.of("c", "b"), List.of("d"));
    }

    @Test
    void relationshipsToOneResourceManagedSideBySideEachReturnWhatALaterLoadReturns() {
        List<Row> created = ashlar.createAll("shop", List.of(
                        Map.of("region", "north", "items", List.of(Map.of("name", "b"),
                                        Map.of("name", "h", "gift", true)),
                                "gift_items", List.of(Map.of("name", "g", "gift", true)),
                                "first_item", Map.of("name", "c")),
                        Map.of("region", "south", "items", List.of(Map.of("name", "d")))),
                Manage.relationship("items").create(), Manage.relationship("gift_items").create(),
                Manage.relationship("first_item").create());

        List<Row> loaded = ashlar.load(ashlar.read("shop").sort(Sort.asc("id")).list(), "items", "gift_items",
                "first_item");
        for (String relationship : List.of("items", "gift_items")) {
            assertThat(created).as(relationship).extracting(shop -> names(shop.related(relationship)))
                    .isEqualTo(loaded.stream().map(shop -> names(shop.related(relationship))).toList());
        }
        assertThat(created.get(0).related("items")).as("its limit of 2 over the 4 items created for it").hasSize(2);
        assertThat(names(created.get(0).related("gift_items"))).containsExactlyInAnyOrder("g", "h");
        assertThat(created).extracting(shop -> shop.relatedOne("first_item").map(i -> i.get("name")).orElse(null))
                .as("the first by name of every item created for it").containsExactly("b", "d");
    }

    @Test
    void aRelationshipToAJoinedParentReturnsTheChildrenCreatedUnderAnotherPathAsALaterLoadDoes() {
        List<Row> created = ashlar.createAll("keeper", List.of(
                        Map.of("animals", List.of(Map.of("name", "a1")), "dogs", List.of(Map.of("name", "d1",
                                "breed", "collie"))),
                        Map.of("animals", List.of(Map.of("name", "a2")))),
                Manage.relationship("animals").create(), Manage.relationship("dogs").create());

        List<Row> loaded = ashlar.load(ashlar.read("keeper").sort(Sort.asc("id")).list(), "animals", "dogs");
        for (String relationship : List.of("animals", "dogs")) {
            assertThat(created).as(relationship).extracting(keeper -> names(keeper.related(relationship)))
                    .isEqualTo(loaded.stream().map(keeper -> names(keeper.related(relationship))).toList());
        }
        assertThat(created).extracting(keeper -> names(keeper.related("animals")))
                .as("the dog two levels below animal is one of its keeper's animals")
                .containsExactly(List.of("a1", "d1"), List.of("a2"));
        assertThat(db.value("SELECT count(*) FROM cr_animals a JOIN cr_dogs d USING (id)")).isEqualTo(1L);
    }

    private static List<Object> names(List<Row> items) {
        return items.stream().map(item -> item.get("name")).toList();
    }

    @Test
    void aMistypedManagedPathIsNamedWithTheRelationshipsThereEvenForNoRecords() {
        assertThatThrownBy(() -> ashlar.createAll("shop", List.of(), Manage.relationship("itmes").create()))
                .isInstanceOf(QueryException.class).hasMessageContaining("no relationship 'itmes'")
                .hasMessageContaining("items");
        assertThatThrownBy(() -> ashlar.createAll("shop", List.of(), Manage.relationship("items").create(),
                Manage.relationship("items.shpo").create()))
                .isInstanceOf(QueryException.class).hasMessageContaining("'item' has no relationship 'shpo'")
                .hasMessageContaining("[shop]");
        assertThatThrownBy(() -> ashlar.createAll("shop", List.of(), Bulk.collectErrors(),
                Manage.relationship("itmes").create())).isInstanceOf(QueryException.class)
                .hasMessageContaining("no relationship 'itmes'");
    }
}
