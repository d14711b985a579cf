package dev.ashlar.kernel.data;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Relation;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;

import java.time.Instant;

import static dev.ashlar.api.typed.Kind.BOOLEAN;
import static dev.ashlar.api.typed.Kind.INTEGER;
import static dev.ashlar.api.typed.Kind.TEXT;
import static dev.ashlar.api.typed.Kind.TIMESTAMPTZ;

/**
 * The domain of the tests of relationships with a filter and sort of their own, declared with the typed API: a
 * post has comments, its popular comments (more than 10 likes, newest first), its latest comment, its latest
 * popular comment, its featured tags (by name) and an author who counts only while active.
 */
final class FilteredRelationships {

    record User(Integer id, String name, Boolean active) {
        static final Table<User> USERS = Table.of("user", User.class);
        static final Field<User, Integer> ID = USERS.integerPrimaryKey("id");
        static final TextField<User> NAME = USERS.attribute("name", TEXT);
        static final Field<User, Boolean> ACTIVE = USERS.attribute("active", BOOLEAN);
        static final Resource RESOURCE = USERS.builder().table("users").add(ID, NAME, ACTIVE).build();
    }

    record Post(Integer id, String title, Integer authorId) {
        static final Table<Post> POSTS = Table.of("post", Post.class);
        static final Field<Post, Integer> ID = POSTS.integerPrimaryKey("id");
        static final TextField<Post> TITLE = POSTS.attribute("title", TEXT);
        static final Relation<Post, User> ACTIVE_AUTHOR = POSTS.belongsTo("active_author", User.USERS,
                r -> r.attribute("author_id").filter(User.ACTIVE.eq(true).filter()));
        static final Relation<Post, Comment> COMMENTS = POSTS.hasMany("comments", Comment.COMMENTS);
        static final Relation<Post, Comment> POPULAR_COMMENTS = POSTS.hasMany("popular_comments", Comment.COMMENTS,
                r -> r.filter(Comment.LIKES.gt(10).filter()).sort(Comment.INSERTED_AT.desc().sort()));
        static final Relation<Post, Comment> LATEST_COMMENT = POSTS.hasOne("latest_comment", Comment.COMMENTS,
                r -> r.sort(Comment.INSERTED_AT.desc().sort()));
        static final Relation<Post, Comment> LATEST_POPULAR_COMMENT = POSTS.hasOne("latest_popular_comment",
                Comment.COMMENTS, r -> r.filter(Comment.LIKES.gt(10).filter()).sort(Comment.INSERTED_AT.desc().sort()));
        static final Relation<Post, Tag> FEATURED_TAGS = POSTS.manyToMany("featured_tags", Tag.TAGS,
                r -> r.through("post_tag").filter(Tag.FEATURED.eq(true).filter()).sort(Tag.NAME.asc().sort()));
        static final Resource RESOURCE = POSTS.builder().table("posts").add(ID, TITLE, ACTIVE_AUTHOR, COMMENTS,
                POPULAR_COMMENTS, LATEST_COMMENT, LATEST_POPULAR_COMMENT, FEATURED_TAGS).build();
    }

    record Comment(Integer id, String body, Integer likes, Instant insertedAt, String tenant, Integer postId) {
        static final Table<Comment> COMMENTS = Table.of("comment", Comment.class);
        static final Field<Comment, Integer> ID = COMMENTS.integerPrimaryKey("id");
        static final TextField<Comment> BODY = COMMENTS.attribute("body", TEXT);
        static final Field<Comment, Integer> LIKES = COMMENTS.attribute("likes", INTEGER);
        static final Field<Comment, Instant> INSERTED_AT = COMMENTS.attribute("inserted_at", TIMESTAMPTZ);
        static final TextField<Comment> TENANT = COMMENTS.attribute("tenant", TEXT);
        static final Relation<Comment, Post> POST = COMMENTS.belongsTo("post", Post.POSTS);
        static final Resource RESOURCE = COMMENTS.builder().table("comments")
                .add(ID, BODY, LIKES, INSERTED_AT, TENANT, POST).build();
    }

    record Tag(Integer id, String name, Boolean featured) {
        static final Table<Tag> TAGS = Table.of("tag", Tag.class);
        static final Field<Tag, Integer> ID = TAGS.integerPrimaryKey("id");
        static final TextField<Tag> NAME = TAGS.attribute("name", TEXT);
        static final Field<Tag, Boolean> FEATURED = TAGS.attribute("featured", BOOLEAN);
        static final Resource RESOURCE = TAGS.builder().table("tags").add(ID, NAME, FEATURED).build();
    }

    record PostTag(Integer postId, Integer tagId) {
        static final Table<PostTag> POST_TAGS = Table.of("post_tag", PostTag.class);
        static final Relation<PostTag, Post> POST = POST_TAGS.belongsTo("post", Post.POSTS,
                r -> r.primaryKey().allowNil(false));
        static final Relation<PostTag, Tag> TAG = POST_TAGS.belongsTo("tag", Tag.TAGS,
                r -> r.primaryKey().allowNil(false));
        static final Resource RESOURCE = POST_TAGS.builder().table("post_tags").add(POST, TAG).build();
    }

    static final Domain DOMAIN = Domain.builder("filtered_relationships").resources(User.RESOURCE, Post.RESOURCE,
            Comment.RESOURCE, Tag.RESOURCE, PostTag.RESOURCE).build();

    private FilteredRelationships() {
    }
}
