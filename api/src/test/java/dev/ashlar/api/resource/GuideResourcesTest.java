package dev.ashlar.api.resource;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static dev.ashlar.api.resource.Type.decimal;
import static dev.ashlar.api.resource.Type.enumOf;
import static org.assertj.core.api.Assertions.assertThat;

/** Every resource of the AshPostgres guide, written with the Java DSL. */
class GuideResourcesTest {

    private static final Resource USER = Resource.builder("user").table("users")
            .uuidPrimaryKey("id")
            .attribute("first_name", TEXT)
            .attribute("last_name", TEXT)
            .attribute("email", TEXT, a -> a.notNull())
            .attribute("status", enumOf("pending", "active", "completed"), a -> a.defaultValue("pending"))
            .attribute("created_at", TIMESTAMPTZ, a -> a.notNull().defaultSql("now()"))
            .identity("unique_email", "email")
            .build();

    private static final Resource TWEET = Resource.builder("tweet").table("tweets")
            .integerPrimaryKey("id")
            .attribute("text", TEXT)
            .belongsTo("author", "user")
            .build();

    private static final Resource POST = Resource.builder("post").table("posts")
            .integerPrimaryKey("id")
            .attribute("title", TEXT, a -> a.notNull())
            .attribute("amount", decimal(10, 2))
            .attribute("tenant", TEXT)
            .hasMany("comments", "comment")
            .build();

    private static final Resource COMMENT = Resource.builder("comment").table("comments")
            .integerPrimaryKey("id")
            .attribute("body", TEXT)
            .attribute("rating", INTEGER)
            .belongsTo("post", "post")
            .belongsTo("user", "user")
            .build();

    private static final Resource TENANT = Resource.builder("tenant").table("tenants")
            .attribute("id", TEXT, a -> a.primaryKey())
            .build();

    @Test
    void expressesEveryResourceOfTheGuide() {
        Domain domain = Domain.builder("my_app").resources(USER, TWEET, POST, COMMENT, TENANT).build();

        assertThat(domain.resources()).extracting(Resource::table)
                .containsExactly("users", "tweets", "posts", "comments", "tenants");
        assertThat(domain.resource("tweet").attribute("author_id").orElseThrow().type()).isEqualTo(Type.UUID);
        assertThat(domain.resource("comment").attributes()).extracting(Attribute::name)
                .containsExactly("id", "body", "rating", "post_id", "user_id");
        assertThat(domain.resource("post").relationship("comments").orElseThrow())
                .isEqualTo(new HasMany("comments", "comment", "id", "post_id"));
        assertThat(domain.resource("user").identities()).extracting(Identity::fields)
                .containsExactly(List.of("email"));
    }
}
