package dev.ashlar.kernel.data;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Relation;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.parent;
import static dev.ashlar.api.typed.Kind.INTEGER;
import static dev.ashlar.api.typed.Kind.TEXT;

/**
 * The domain of the tests of parent references: a post has comments, its comments titled like itself (a filter with
 * {@code parent("title")}), its tags, and its tags named like itself (the same through a join resource).
 */
final class ParentReferences {

    record Post(Integer id, String title, String authorName, Integer minLikes) {
        static final Table<Post> POSTS = Table.of("post", Post.class);
        static final Field<Post, Integer> ID = POSTS.integerPrimaryKey("id");
        static final TextField<Post> TITLE = POSTS.attribute("title", TEXT);
        static final TextField<Post> AUTHOR_NAME = POSTS.attribute("author_name", TEXT);
        static final Field<Post, Integer> MIN_LIKES = POSTS.attribute("min_likes", INTEGER);
        static final Relation<Post, Comment> COMMENTS = POSTS.hasMany("comments", Comment.COMMENTS);
        static final Relation<Post, Comment> SAME_TITLE_COMMENTS = POSTS.hasMany("same_title_comments",
                Comment.COMMENTS, r -> r.filter(Comment.TITLE.eq(TITLE.parent()).filter()).sort(Comment.ID.asc().sort()));
        static final Relation<Post, Tag> TAGS = POSTS.manyToMany("tags", Tag.TAGS,
                r -> r.through("post_tag").sort(Tag.NAME.asc().sort()));
        static final Relation<Post, Tag> TITLE_TAGS = POSTS.manyToMany("title_tags", Tag.TAGS,
                r -> r.through("post_tag").filter(eq("name", parent("title"))));
        static final Resource RESOURCE = POSTS.builder().table("parent_posts").add(ID, TITLE, AUTHOR_NAME, MIN_LIKES,
                COMMENTS, SAME_TITLE_COMMENTS, TAGS, TITLE_TAGS)
                .max("best_same_title_likes", "comments", "likes", eq("title", parent("title"))).build();
    }

    record Comment(Integer id, String body, String title, String authorName, Integer likes, String tenant,
                   Integer postId) {
        static final Table<Comment> COMMENTS = Table.of("comment", Comment.class);
        static final Field<Comment, Integer> ID = COMMENTS.integerPrimaryKey("id");
        static final TextField<Comment> BODY = COMMENTS.attribute("body", TEXT);
        static final TextField<Comment> TITLE = COMMENTS.attribute("title", TEXT);
        static final TextField<Comment> AUTHOR_NAME = COMMENTS.attribute("author_name", TEXT);
        static final Field<Comment, Integer> LIKES = COMMENTS.attribute("likes", INTEGER);
        static final TextField<Comment> TENANT = COMMENTS.attribute("tenant", TEXT);
        static final Relation<Comment, Post> POST = COMMENTS.belongsTo("post", Post.POSTS);
        static final Resource RESOURCE = COMMENTS.builder().table("parent_comments")
                .add(ID, BODY, TITLE, AUTHOR_NAME, LIKES, TENANT, POST).build();
    }

    record Tag(Integer id, String name) {
        static final Table<Tag> TAGS = Table.of("tag", Tag.class);
        static final Field<Tag, Integer> ID = TAGS.integerPrimaryKey("id");
        static final TextField<Tag> NAME = TAGS.attribute("name", TEXT);
        static final Resource RESOURCE = TAGS.builder().table("parent_tags").add(ID, NAME).build();
    }

    record PostTag(Integer postId, Integer tagId) {
        static final Table<PostTag> POST_TAGS = Table.of("post_tag", PostTag.class);
        static final Relation<PostTag, Post> POST = POST_TAGS.belongsTo("post", Post.POSTS,
                r -> r.primaryKey().allowNil(false));
        static final Relation<PostTag, Tag> TAG = POST_TAGS.belongsTo("tag", Tag.TAGS,
                r -> r.primaryKey().allowNil(false));
        static final Resource RESOURCE = POST_TAGS.builder().table("parent_post_tags").add(POST, TAG).build();
    }

    static final Domain DOMAIN = Domain.builder("parent_references").resources(Post.RESOURCE, Comment.RESOURCE,
            Tag.RESOURCE, PostTag.RESOURCE).build();

    private ParentReferences() {
    }
}
