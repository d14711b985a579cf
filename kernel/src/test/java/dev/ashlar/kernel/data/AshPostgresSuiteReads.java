package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Aggregate;
import dev.ashlar.api.resource.CalculationArgument;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.and;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.isNil;
import static dev.ashlar.api.query.Filter.ne;
import static dev.ashlar.api.query.Filter.notNil;
import static dev.ashlar.api.query.Filter.parent;
import static dev.ashlar.api.resource.Type.BOOLEAN;
import static dev.ashlar.api.resource.Type.CITEXT;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.JSON;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static dev.ashlar.api.resource.Type.arrayOf;
import static dev.ashlar.api.resource.Type.decimal;
import static dev.ashlar.api.resource.Type.enumOf;

/**
 * The resources of AshPostgres's test domain that its {@code load_test}, {@code sort_test}, {@code filter_test},
 * {@code distinct_test} and {@code select_test} read, as Ashlar declares them, and the records those tests create; each test class on it has a database of its own,
 * emptied before each test.
 */
abstract class AshPostgresSuiteReads extends DomainDatabaseTest {
    static final String TABLES = "organizations, authors, posts, post_links, comments, ratings, users, post_followers,"
            + " post_views, tags, post_tags, channels, channel_members, records, temp.temp_entities, customers, products,"
            + " orders";

    static final Domain DOMAIN = Domain.builder("ash_suite_reads").extensions("citext", "pg_trgm")
            .resource(Resource.builder("organization").table("organizations").uuidPrimaryKey("id")
                    .attribute("name", TEXT)
                    .hasMany("posts", "post")
                    .build())
            .resource(Resource.builder("author").table("authors").uuidPrimaryKey("id")
                    .attribute("first_name", TEXT).attribute("last_name", TEXT)
                    .attribute("bio", JSON).attribute("settings", JSON).attribute("badges", arrayOf(TEXT))
                    .calculate("title", String.class, "bio ->> 'title'")
                    .hasMany("posts", "post")
                    .build())
            .resource(Resource.builder("post").table("posts").uuidPrimaryKey("id")
                    .attribute("title", TEXT).attribute("score", INTEGER).attribute("category", CITEXT)
                    .attribute("decimal", decimal(10, 2)).attribute("is_special", BOOLEAN)
                    .attribute("public", BOOLEAN).attribute("type", TEXT, a -> a.defaultValue("sponsored"))
                    .attribute("status_enum", enumOf("open", "closed"))
                    .attribute("created_at", TIMESTAMPTZ)
                    .calculate("category_label", CITEXT, "upper(category::text)")
                    .calculate("title_ci", CITEXT, "title")
                    .calculate("negative_score", Integer.class, "-score")
                    .calculate("score_plus", Integer.class, "score + :by",
                            CalculationArgument.of("by", Integer.class).withDefault(0))
                    .belongsTo("author", "author")
                    .belongsTo("organization", "organization")
                    .hasMany("comments", "comment")
                    .hasMany("comments_with_high_rating", "comment", r -> r.filter(gt("likes", 10)))
                    .hasOne("latest_comment", "comment", r -> r.sort(Sort.desc("created_at")))
                    .hasMany("views", "post_view")
                    .count("count_of_comments_that_have_a_post", "comments", notNil("post_id"))
                    .hasMany("post_links", "post_link", r -> r.destinationAttribute("source_id"))
                    .count("count_of_comments", "comments")
                    .calculate("c_times_p", Long.class, "count_of_comments * coalesce(score, 0)")
                    .count("count_of_comments_called_match", "comments", eq("title", "match"))
                    .aggregate(Aggregate.of("comment_titles_with_5_likes", Aggregate.Kind.LIST, "comments", "title")
                            .withFilter(eq("likes", 5)))
                    .manyToMany("linked_posts", "post", r -> r.through("post_link").sourceAttributeOnJoin("source_id")
                            .destinationAttributeOnJoin("dest_id"))
                    .hasMany("posts_with_matching_title", "post", r -> r.noAttributes()
                            .filter(and(eq("title", parent("title")), ne("id", parent("id")))))
                    .manyToMany("linked_posts_by_state", "post", r -> r.through("post_link")
                            .sourceAttributeOnJoin("source_id").destinationAttributeOnJoin("dest_id")
                            .joinSort(Sort.asc("state")))
                    .manyToMany("followers", "user", r -> r.through("post_follower"))
                    .manyToMany("sorted_followers", "user", r -> r.through("post_follower")
                            .joinSort(Sort.asc("position")))
                    .build())
            .resource(Resource.builder("post_link").table("post_links")
                    .belongsTo("source", "post", r -> r.primaryKey().allowNil(false))
                    .belongsTo("dest", "post", r -> r.primaryKey().allowNil(false))
                    .attribute("state", TEXT)
                    .build())
            .resource(Resource.builder("comment").table("comments").uuidPrimaryKey("id")
                    .attribute("title", TEXT).attribute("likes", INTEGER).attribute("created_at", TIMESTAMPTZ)
                    .belongsTo("post", "post")
                    .belongsTo("author", "author")
                    .first("post_category", "post", "category")
                    .hasMany("ratings", "rating")
                    .hasMany("popular_ratings", "rating", r -> r.filter(gt("score", 5)))
                    .hasMany("top_ratings", "rating", r -> r.sort(Sort.desc("score")).limit(2))
                    .hasMany("co_popular_comments", "comment", r -> r.noAttributes()
                            .filter(and(ne("id", parent("id")), eq("post_id", parent("post_id")))))
                    .count("count_of_co_popular_comments", "co_popular_comments")
                    .build())
            .resource(Resource.builder("rating").table("ratings").uuidPrimaryKey("id")
                    .attribute("score", INTEGER)
                    .belongsTo("comment", "comment")
                    .build())
            .resource(Resource.builder("user").table("users").uuidPrimaryKey("id")
                    .attribute("name", TEXT)
                    .manyToMany("followed_posts", "post", r -> r.through("post_follower"))
                    .build())
            .resource(Resource.builder("post_follower").table("post_followers")
                    .belongsTo("post", "post", r -> r.primaryKey().allowNil(false))
                    .belongsTo("user", "user", r -> r.primaryKey().allowNil(false))
                    .attribute("position", INTEGER)
                    .build())
            .resource(Resource.builder("post_view").table("post_views").uuidPrimaryKey("id")
                    .attribute("browser", TEXT).attribute("time", TIMESTAMPTZ)
                    .belongsTo("post", "post")
                    .build())
            .resource(Resource.builder("tag").table("tags").uuidPrimaryKey("id")
                    .manyToMany("posts", "post", r -> r.through("post_tag"))
                    .build())
            .resource(Resource.builder("post_tag").table("post_tags")
                    .belongsTo("post", "post", r -> r.primaryKey().allowNil(false))
                    .belongsTo("tag", "tag", r -> r.primaryKey().allowNil(false))
                    .build())
            .resource(Resource.builder("channel").table("channels").bigintPrimaryKey("id")
                    .hasMany("members", "channel_member")
                    .hasOne("first_member", "channel_member", r -> r.sort(Sort.asc("id")))
                    .hasOne("last_message", "channel_member", r -> r.sort(Sort.desc("sent_at")))
                    .hasOne("last_unread_message", "channel_member", r -> r.filter(isNil("read_at"))
                            .sort(Sort.desc("sent_at")))
                    .build())
            .resource(Resource.builder("channel_member").table("channel_members").bigintPrimaryKey("id")
                    .belongsTo("channel", "channel")
                    .attribute("content", TEXT).attribute("sent_at", TIMESTAMPTZ).attribute("read_at", TIMESTAMPTZ)
                    .build())
            .resource(Resource.builder("record").table("records").uuidPrimaryKey("id")
                    .attribute("full_name", TEXT)
                    .hasOne("entity", "temp_entity", r -> r.sourceAttribute("full_name")
                            .destinationAttribute("full_name"))
                    .build())
            .resource(Resource.builder("customer").table("customers").uuidPrimaryKey("id")
                    .attribute("name", TEXT)
                    .hasMany("orders", "order")
                    .hasMany("purchased_products", "product", r -> r.noAttributes()
                            .filter(eq("orders.customer_id", parent("id"))).sort(Sort.asc("id")))
                    .build())
            .resource(Resource.builder("product").table("products").uuidPrimaryKey("id")
                    .attribute("name", TEXT)
                    .hasMany("orders", "order")
                    .build())
            .resource(Resource.builder("order").table("orders").uuidPrimaryKey("id")
                    .belongsTo("customer", "customer", r -> r.allowNil(false))
                    .belongsTo("product", "product", r -> r.allowNil(false))
                    .build())
            .resource(Resource.builder("temp_entity").table("temp_entities").schema("temp").uuidPrimaryKey("id")
                    .attribute("full_name", TEXT)
                    .build())
            .build();

    AshPostgresSuiteReads() {
        super(DOMAIN);
    }

    @BeforeAll
    @Override
    void start(TestDatabase database) {
        database.execute("CREATE SCHEMA IF NOT EXISTS temp");
        super.start(database);
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE " + TABLES + " CASCADE");
    }

    Row post(String title) {
        return ashlar.create("post", Map.of("title", title));
    }

    Row post(String title, int score) {
        return ashlar.create("post", Map.of("title", title, "score", score));
    }

    Row post(String title, Row author) {
        return ashlar.create("post", Map.of("title", title, "author_id", author.get("id")));
    }

    Row comment(String title, Row post) {
        return ashlar.create("comment", Map.of("title", title, "post_id", post.get("id")));
    }

    void link(Row source, Row destination) {
        ashlar.create("post_link", Map.of("source_id", source.get("id"), "dest_id", destination.get("id")));
    }

    static List<String> values(List<Row> rows, String field) {
        return rows.stream().map(r -> r.getString(field)).toList();
    }
}
