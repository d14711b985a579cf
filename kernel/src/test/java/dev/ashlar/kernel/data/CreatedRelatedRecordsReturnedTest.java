package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The related records a {@code createAll} returns with its records (created level by level, read back by the keys just
 * created) are those a load of the relationship reads afterwards, with its sort and limit per parent over every
 * related record: also for a has-many from an attribute other than the key, whose stored records are related too.
 */
class CreatedRelatedRecordsReturnedTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("created_returned")
            .resource(Resource.builder("shop").table("shops").integerPrimaryKey("id")
                    .attribute("region", TEXT, a -> a.notNull())
                    .hasMany("items", "item", r -> r.sort(Sort.desc("id")).limit(2))
                    .hasMany("notes", "note", r -> r.sourceAttribute("region").destinationAttribute("region")
                            .sort(Sort.desc("id")).limit(2)).build())
            .resource(Resource.builder("item").table("items").integerPrimaryKey("id")
                    .attribute("name", TEXT, a -> a.notNull()).belongsTo("shop", "shop").build())
            .resource(Resource.builder("note").table("notes").integerPrimaryKey("id")
                    .attribute("region", TEXT).attribute("body", TEXT, a -> a.notNull()).build())
            .build();

    CreatedRelatedRecordsReturnedTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void stored() {
        db.execute("TRUNCATE shops, items, notes RESTART IDENTITY CASCADE");
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
}
