package dev.ashlar.kernel.data;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.ListField;
import dev.ashlar.api.typed.Relation;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.api.typed.UniqueKey;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.ashlar.api.typed.Kind.INTEGER;
import static dev.ashlar.api.typed.Kind.TEXT;
import static dev.ashlar.api.typed.Kind.TIMESTAMPTZ;
import static dev.ashlar.api.typed.Kind.arrayOf;
import static dev.ashlar.api.typed.Kind.decimal;
import static dev.ashlar.api.typed.Kind.enumOf;
import static dev.ashlar.api.typed.Kind.varchar;

/** The typed API's test domain: users write posts, posts have comments and tags, each declared once as records. */
final class TypedBlog {
    enum Status { DRAFT, PUBLISHED }

    record User(UUID id, String email, String name) {
        static final Table<User> USERS = Table.of("user", User.class);
        static final Field<User, UUID> ID = USERS.uuidPrimaryKey("id");
        static final TextField<User> EMAIL = USERS.attribute("email", TEXT, a -> a.notNull());
        static final TextField<User> NAME = USERS.attribute("name", TEXT);
        static final UniqueKey<User> UNIQUE_EMAIL = USERS.identity("unique_email", EMAIL);
        static final Relation<User, Post> POSTS = USERS.hasMany("posts", Post.POSTS,
                r -> r.destinationAttribute("author_id"));
        static final Resource RESOURCE = USERS.builder().table("users").add(ID, EMAIL, NAME, UNIQUE_EMAIL, POSTS)
                .build();
    }

    record Post(Integer id, String title, Integer rating, Status status, List<String> tags, BigDecimal price,
                Instant publishedAt, UUID authorId) {
        static final Table<Post> POSTS = Table.of("post", Post.class);
        static final Field<Post, Integer> ID = POSTS.integerPrimaryKey("id");
        static final TextField<Post> TITLE = POSTS.attribute("title", varchar(20), a -> a.notNull());
        static final Field<Post, Integer> RATING = POSTS.attribute("rating", INTEGER);
        static final Field<Post, Status> STATUS = POSTS.attribute("status", enumOf(Status.class),
                a -> a.notNull().defaultValue("DRAFT"));
        static final ListField<Post, String> TAGS = POSTS.attribute("tags", arrayOf(TEXT));
        static final Field<Post, BigDecimal> PRICE = POSTS.attribute("price", decimal(10, 2));
        static final Field<Post, Instant> PUBLISHED_AT = POSTS.attribute("published_at", TIMESTAMPTZ);
        static final Relation<Post, User> AUTHOR = POSTS.belongsTo("author", User.USERS);
        /** The key {@link #AUTHOR} adds, to query and write it. */
        static final Field<Post, UUID> AUTHOR_ID = POSTS.attribute("author_id", dev.ashlar.api.typed.Kind.UUID);
        static final Relation<Post, Comment> COMMENTS = POSTS.hasMany("comments", Comment.COMMENTS);
        static final Relation<Post, Tag> LABELS = POSTS.manyToMany("labels", Tag.TAGS, r -> r.through("post_tag")
                .destinationAttributeOnJoin("tag_id"));
        static final Resource RESOURCE = POSTS.builder().table("posts")
                .add(ID, TITLE, RATING, STATUS, TAGS, PRICE, PUBLISHED_AT, AUTHOR, COMMENTS, LABELS).build();
    }

    record Comment(Integer id, String body, Integer rating, Integer postId, UUID authorId) {
        static final Table<Comment> COMMENTS = Table.of("comment", Comment.class);
        static final Field<Comment, Integer> ID = COMMENTS.integerPrimaryKey("id");
        static final TextField<Comment> BODY = COMMENTS.attribute("body", TEXT, a -> a.notNull());
        static final Field<Comment, Integer> RATING = COMMENTS.attribute("rating", INTEGER);
        static final Field<Comment, Integer> POST_ID = COMMENTS.attribute("post_id", INTEGER);
        static final Relation<Comment, Post> POST = COMMENTS.belongsTo("post", Post.POSTS);
        static final Relation<Comment, User> AUTHOR = COMMENTS.belongsTo("author", User.USERS);
        static final Resource RESOURCE = COMMENTS.builder().table("comments").add(ID, BODY, RATING, POST, AUTHOR)
                .build();
    }

    record Tag(Integer id, String name) {
        static final Table<Tag> TAGS = Table.of("tag", Tag.class);
        static final Field<Tag, Integer> ID = TAGS.integerPrimaryKey("id");
        static final TextField<Tag> NAME = TAGS.attribute("name", TEXT);
        static final Resource RESOURCE = TAGS.builder().table("tags").add(ID, NAME).build();
    }

    record PostTag(Integer postId, Integer tagId) {
        static final Table<PostTag> POST_TAGS = Table.of("post_tag", PostTag.class);
        static final Relation<PostTag, Post> POST = POST_TAGS.belongsTo("post", Post.POSTS,
                r -> r.primaryKey().allowNil(false));
        static final Relation<PostTag, Tag> TAG = POST_TAGS.belongsTo("tag", Tag.TAGS,
                r -> r.primaryKey().allowNil(false));
        static final Resource RESOURCE = POST_TAGS.builder().table("post_tags").add(POST, TAG).build();
    }

    /** A post with its loaded relationships, as a view record. */
    record PostView(Integer id, String title, Optional<User> author, List<CommentView> comments) {
    }

    record CommentView(Integer id, String body, Optional<User> author) {
    }

    static final Domain DOMAIN = Domain.builder("typed_blog").resources(User.RESOURCE, Post.RESOURCE,
            Comment.RESOURCE, Tag.RESOURCE, PostTag.RESOURCE).build();

    private TypedBlog() {
    }
}
