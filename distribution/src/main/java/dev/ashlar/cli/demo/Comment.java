package dev.ashlar.cli.demo;

import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Relation;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;

import java.util.UUID;

import static dev.ashlar.api.typed.Kind.BIGINT;
import static dev.ashlar.api.typed.Kind.INTEGER;
import static dev.ashlar.api.typed.Kind.TEXT;

/** A comment on a post of the demo's blog, and the typed symbols of the comment resource. */
public record Comment(Long id, String body, Integer rating, Long postId, UUID authorId) {
    public static final Table<Comment> COMMENTS = Table.of("comment", Comment.class);
    public static final Field<Comment, Long> ID = COMMENTS.bigintPrimaryKey("id");
    public static final TextField<Comment> BODY = COMMENTS.attribute("body", TEXT, a -> a.notNull());
    public static final Field<Comment, Integer> RATING = COMMENTS.attribute("rating", INTEGER);
    /** The rating once every comment must have one, 3 by default. */
    public static final Field<Comment, Integer> REQUIRED_RATING = COMMENTS.attribute("rating", INTEGER,
            a -> a.notNull().defaultValue(3));
    public static final Relation<Comment, Post> POST = COMMENTS.belongsTo("post", Post.POSTS, r -> r.allowNil(false));
    public static final Relation<Comment, User> AUTHOR = COMMENTS.belongsTo("author", User.USERS);
    /** The keys {@link #POST} and {@link #AUTHOR} add to the resource. */
    public static final Field<Comment, Long> POST_ID = COMMENTS.attribute("post_id", BIGINT);
    public static final Field<Comment, UUID> AUTHOR_ID = COMMENTS.attribute("author_id", dev.ashlar.api.typed.Kind.UUID);

    /** A new comment: the database fills in the key (and, later, the default rating). */
    public static Comment of(String body, Integer rating, Post post, User author) {
        return new Comment(null, body, rating, post.id(), author == null ? null : author.id());
    }
}
