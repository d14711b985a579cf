package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Aggregate;
import dev.ashlar.api.resource.Aggregate.Kind;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * AshPostgres's multi_domain_calculations and actor_aggregate_in_calculation tests. Ash's domains group resources;
 * here resources declared apart (as separate values, each its own "domain") go into one {@link Domain}, and a
 * calculation of one reads aggregates and calculations of the others through relationships. Ash's actor is a value
 * given at read time: here the read gives an aggregate filtered by it, and a calculation of the same read names it.
 */
class CalculationsAcrossResourcesTest extends DomainDatabaseTest {
    static final Resource ITEM = Resource.builder("item").table("items")
            .integerPrimaryKey("id")
            .attribute("key", TEXT)
            .hasOne("other_item", "other_item")
            .hasOne("relationship_item", "relationship_item",
                    r -> r.sourceAttribute("key").destinationAttribute("key").sort(Sort.asc("id")))
            .first("total_amount", "other_item", "total_amount", Sort.asc("id"))
            .first("total_amount_relationship", "other_item", "total_amount_relationship", Sort.asc("id"))
            .build();
    static final Resource OTHER_ITEM = Resource.builder("other_item").table("other_items")
            .integerPrimaryKey("id")
            .belongsTo("item", "item", r -> r.allowNil(false))
            .hasMany("sub_items", "sub_item")
            .sum("total_sub_items_amount", "sub_items", "total_amount")
            .aggregate("total_sub_items_amount", a -> a.withDefault(0))
            .sum("total_sub_items_relationship_amount", "sub_items", "total_amount_relationship")
            .aggregate("total_sub_items_relationship_amount", a -> a.withDefault(0))
            .calculate("total_amount", Long.class, "total_sub_items_amount")
            .calculate("total_amount_relationship", Long.class, "total_sub_items_relationship_amount")
            .build();
    static final Resource SUB_ITEM = Resource.builder("sub_item").table("sub_items")
            .integerPrimaryKey("id")
            .attribute("amount", INTEGER, a -> a.notNull())
            .belongsTo("other_item", "other_item", r -> r.allowNil(false))
            .first("relationship_value", "other_item.item.relationship_item", "value", Sort.asc("id"))
            .calculate("total_amount", Integer.class, "amount")
            .calculate("total_amount_relationship", Integer.class, "amount * relationship_value")
            .build();
    static final Resource RELATIONSHIP_ITEM = Resource.builder("relationship_item").table("relationship_items")
            .integerPrimaryKey("id")
            .attribute("key", TEXT, a -> a.notNull())
            .attribute("value", INTEGER, a -> a.notNull())
            .build();
    static final Resource POST = Resource.builder("post").table("posts")
            .integerPrimaryKey("id")
            .attribute("title", TEXT)
            .hasMany("comments", "comment")
            .build();
    static final Resource COMMENT = Resource.builder("comment").table("comments")
            .integerPrimaryKey("id")
            .attribute("title", TEXT)
            .belongsTo("post", "post")
            .build();

    CalculationsAcrossResourcesTest() {
        super(Domain.builder("calculations_across_resources")
                .resources(ITEM, OTHER_ITEM, SUB_ITEM, RELATIONSHIP_ITEM, POST, COMMENT).build());
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE comments, posts, sub_items, other_items, relationship_items, items RESTART IDENTITY CASCADE");
    }

    private Row itemWithAmounts(Map<String, Object> itemValues, int... amounts) {
        Row item = ashlar.create("item", itemValues);
        Row other = ashlar.create("other_item", Map.of("item_id", item.get("id")));
        for (int amount : amounts) {
            ashlar.create("sub_item", Map.of("other_item_id", other.get("id"), "amount", amount));
        }
        return item;
    }

    @Test
    void aCalculationThroughAHasOneSumsTheSubItemsOfTheOtherResource() {
        itemWithAmounts(new HashMap<>(), 0, 1, 2);
        ashlar.create("item", new HashMap<>());

        assertThat(ashlar.read("item").sort(Sort.asc("id")).load("total_amount").list())
                .extracting(r -> r.get("total_amount")).containsExactly(3L, null);
        assertThat(ashlar.read("item").where(eq("total_amount", 3L)).count()).isEqualTo(1);
    }

    @Test
    void aCalculationThroughAPathBackToTheItemMultipliesByTheRelatedValue() {
        ashlar.create("item", Map.of("key", "key"));
        assertThat(ashlar.read("item").load("total_amount_relationship").one().orElseThrow()
                .get("total_amount_relationship")).isNull();
        db.execute("TRUNCATE items RESTART IDENTITY CASCADE");

        itemWithAmounts(Map.of("key", "key"), 0, 1, 2);
        ashlar.create("relationship_item", Map.of("key", "key", "value", 1));
        ashlar.create("relationship_item", Map.of("key", "other", "value", 10));

        assertThat(ashlar.read("item").load("total_amount_relationship").one().orElseThrow()
                .get("total_amount_relationship")).isEqualTo(3L);
    }

    @Test
    void anAggregateFilteredByAValueGivenAtReadTimeCountsTheSameInsideACalculation() {
        Row post = ashlar.create("post", Map.of("title", "post"));
        for (String title : new String[]{"mine", "mine", "theirs"}) {
            ashlar.create("comment", Map.of("title", title, "post_id", post.get("id")));
        }
        String actorTitle = "mine";

        Row read = ashlar.read("post")
                .aggregate(Aggregate.of("count_of_comments_titled_by_actor", Kind.COUNT, "comments")
                        .withFilter(eq("title", actorTitle)))
                .calculate("count_of_comments_titled_by_actor_plus_one", Long.class,
                        "count_of_comments_titled_by_actor + 1")
                .load("count_of_comments_titled_by_actor").load("count_of_comments_titled_by_actor_plus_one")
                .one().orElseThrow();

        assertThat(read.get("count_of_comments_titled_by_actor")).isEqualTo(2L);
        assertThat(read.get("count_of_comments_titled_by_actor_plus_one")).isEqualTo(3L);
    }
}
