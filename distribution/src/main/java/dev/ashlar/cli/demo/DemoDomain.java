package dev.ashlar.cli.demo;

import dev.ashlar.spi.resource.Domain;
import dev.ashlar.spi.resource.DomainProvider;
import dev.ashlar.spi.resource.Resource;

import static dev.ashlar.spi.resource.Type.INTEGER;
import static dev.ashlar.spi.resource.Type.TEXT;
import static dev.ashlar.spi.resource.Type.TIMESTAMPTZ;
import static dev.ashlar.spi.resource.Type.arrayOf;
import static dev.ashlar.spi.resource.Type.varchar;

/**
 * The demo's blog: users, their posts, and comments on posts. {@link #first()} is where the demo
 * starts; {@link #second()} is the same domain a feature later.
 */
public final class DemoDomain implements DomainProvider {

    @Override
    public Domain domain() {
        return first();
    }

    public static Domain first() {
        return blog(false);
    }

    /** Posts gain a publication time and longer titles; comments gain a required rating. */
    public static Domain second() {
        return blog(true);
    }

    private static Domain blog(boolean later) {
        Resource user = Resource.builder("user").table("users")
                .uuidPrimaryKey("id")
                .attribute("email", TEXT, a -> a.notNull())
                .attribute("name", TEXT)
                .timestamps()
                .identity("unique_email", "email")
                .build();
        var post = Resource.builder("post").table("posts")
                .integerPrimaryKey("id")
                .attribute("title", varchar(later ? 300 : 120), a -> a.notNull())
                .attribute("body", TEXT)
                .attribute("tags", arrayOf(TEXT), a -> a.notNull().defaultSql("'{}'"))
                .belongsTo("author", "user", r -> r.allowNil(false))
                .hasMany("comments", "comment");
        if (later) {
            post.attribute("published_at", TIMESTAMPTZ);
        }
        Resource comment = Resource.builder("comment").table("comments")
                .integerPrimaryKey("id")
                .attribute("body", TEXT, a -> a.notNull())
                .attribute("rating", INTEGER, later ? a -> a.notNull().defaultValue(3) : a -> { })
                .belongsTo("post", "post", r -> r.allowNil(false))
                .build();
        return Domain.builder("blog").resources(user, post.build(), comment).build();
    }
}
