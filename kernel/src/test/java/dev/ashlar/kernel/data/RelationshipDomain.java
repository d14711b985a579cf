package dev.ashlar.kernel.data;

import dev.ashlar.kernel.Ashlar;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.testing.TestDatabase;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;

/**
 * The domain of the relationship tests, one of each kind: a user has one profile, writes posts and
 * comments; a post has many comments and many tags through {@code post_tag}.
 */
final class RelationshipDomain {
    static final Domain DOMAIN = Domain.builder("relationships")
            .resource(Resource.builder("user").table("users")
                    .integerPrimaryKey("id")
                    .attribute("name", TEXT)
                    .hasOne("profile", "profile")
                    .hasMany("posts", "post", r -> r.destinationAttribute("author_id"))
                    .build())
            .resource(Resource.builder("profile").table("profiles")
                    .integerPrimaryKey("id")
                    .attribute("bio", TEXT)
                    .belongsTo("user", "user")
                    .build())
            .resource(Resource.builder("post").table("posts")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .belongsTo("author", "user")
                    .hasMany("comments", "comment")
                    .manyToMany("tags", "tag", r -> r.through("post_tag"))
                    .build())
            .resource(Resource.builder("comment").table("comments")
                    .integerPrimaryKey("id")
                    .attribute("body", TEXT)
                    .attribute("rating", INTEGER)
                    .attribute("tenant", TEXT)
                    .belongsTo("post", "post")
                    .belongsTo("author", "user")
                    .build())
            .resource(Resource.builder("tag").table("tags")
                    .integerPrimaryKey("id")
                    .attribute("name", TEXT)
                    .build())
            .resource(Resource.builder("post_tag").table("post_tags")
                    .belongsTo("post", "post", r -> r.primaryKey().allowNil(false))
                    .belongsTo("tag", "tag", r -> r.primaryKey().allowNil(false))
                    .build())
            .build();

    private RelationshipDomain() {
    }

    /** The domain migrated on the test's database, its statements counted through the data source. */
    static Ashlar migratedAndCounted(TestDatabase db, CountingDataSource counting) {
        Fixtures.ashlar(db, DOMAIN).close();
        return Ashlar.builder().dataSource(counting).domain(DOMAIN).build();
    }

    /** A user by name. */
    static Row user(Ashlar ashlar, String name) {
        return ashlar.create("user", Map.of("name", name));
    }

    /** A post by an author. */
    static Row post(Ashlar ashlar, Row author, String title) {
        return ashlar.create("post", Map.of("title", title, "author_id", author.get("id")));
    }

    /** Comments on a post, one per rating, each by the given author. */
    static List<Row> comments(Ashlar ashlar, Row post, Row author, int... ratings) {
        List<Map<String, ?>> records = new ArrayList<>();
        for (int rating : ratings) {
            records.add(Map.of("body", post.get("title") + " rated " + rating, "rating", rating,
                    "post_id", post.get("id"), "author_id", author.get("id")));
        }
        return ashlar.createAll("comment", records);
    }
}
