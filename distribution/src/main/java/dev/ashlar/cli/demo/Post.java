package dev.ashlar.cli.demo;

import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.ListField;
import dev.ashlar.api.typed.Relation;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static dev.ashlar.api.typed.Kind.TEXT;
import static dev.ashlar.api.typed.Kind.TIMESTAMPTZ;
import static dev.ashlar.api.typed.Kind.arrayOf;
import static dev.ashlar.api.typed.Kind.varchar;

/** A post of the demo's blog, and the typed symbols of the post resource. */
public record Post(Long id, String title, String body, List<String> tags, Instant publishedAt, UUID authorId) {
    public static final Table<Post> POSTS = Table.of("post", Post.class);
    public static final Field<Post, Long> ID = POSTS.bigintPrimaryKey("id");
    public static final TextField<Post> TITLE = POSTS.attribute("title", varchar(120), a -> a.notNull());
    /** The title once the blog allows longer ones: the same field, declared with its new column type. */
    public static final TextField<Post> LONGER_TITLE = POSTS.attribute("title", varchar(300), a -> a.notNull());
    public static final TextField<Post> BODY = POSTS.attribute("body", TEXT);
    public static final ListField<Post, String> TAGS = POSTS.attribute("tags", arrayOf(TEXT),
            a -> a.notNull().defaultSql("'{}'"));
    public static final Field<Post, Instant> PUBLISHED_AT = POSTS.attribute("published_at", TIMESTAMPTZ);
    public static final Relation<Post, User> AUTHOR = POSTS.belongsTo("author", User.USERS, r -> r.allowNil(false));
    /** The key {@link #AUTHOR} adds to the resource. */
    public static final Field<Post, UUID> AUTHOR_ID = POSTS.attribute("author_id", dev.ashlar.api.typed.Kind.UUID);
    public static final Relation<Post, Comment> COMMENTS = POSTS.hasMany("comments", Comment.COMMENTS);

    /** A new post: the database fills in the key. */
    public static Post of(String title, List<String> tags, User author) {
        return new Post(null, title, null, tags, null, author.id());
    }
}
