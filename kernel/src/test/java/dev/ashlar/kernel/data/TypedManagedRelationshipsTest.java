package dev.ashlar.kernel.data;

import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.typed.Relation;
import dev.ashlar.api.typed.Table;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The typed form of related records written with their record ({@code Manage.of(relation)}): the records of the
 * relationship's destination table, or keys, in place of maps, the same writes and the same rules as by name.
 */
class TypedManagedRelationshipsTest extends DomainDatabaseTest {
    record Post(Integer id, String title) {
    }

    record Comment(Integer id, String body, Integer postId) {
    }

    record Author(Integer id, String name) {
    }

    record Tag(Integer id, String name) {
    }

    static final Table<Post> POSTS = Table.of("post", Post.class);
    static final Table<Comment> COMMENTS = Table.of("comment", Comment.class);
    static final Table<Author> AUTHORS = Table.of("author", Author.class);
    static final Relation<Post, Comment> POST_COMMENTS = POSTS.hasMany("comments", COMMENTS);
    static final Relation<Post, Author> POST_AUTHOR = POSTS.belongsTo("author", AUTHORS);
    static final Table<Tag> TAGS = Table.of("tag", Tag.class);
    static final Relation<Post, Tag> POST_TAGS = POSTS.manyToMany("tags", TAGS, r -> r.through("post_tag"));

    TypedManagedRelationshipsTest() {
        super(ManagedRelationshipsTest.DOMAIN);
    }

    @BeforeEach
    void populated() {
        db.execute("TRUNCATE authors, posts, comments, summaries, tags, post_tag RESTART IDENTITY CASCADE");
        db.execute("INSERT INTO authors (name) VALUES ('Ada')");
        db.execute("INSERT INTO posts (title, author_id) VALUES ('first', 1)");
        db.execute("INSERT INTO comments (body, post_id) VALUES ('on first', 1), ('also first', 1)");
        db.execute("INSERT INTO tags (name) VALUES ('java'), ('sql')");
    }

    @Test
    void aTypedPostCreatedWithItsCommentsAndAuthorStoresThemWithTheirKeys() {
        Post post = ashlar.create(POSTS, new Post(null, "second"),
                Manage.of(POST_COMMENTS).create(List.of(new Comment(null, "a", null), new Comment(null, "b", null))),
                Manage.of(POST_AUTHOR).create(new Author(null, "Bob")));

        assertThat(post.id()).isEqualTo(2);
        assertThat(db.query("SELECT body, post_id FROM comments WHERE post_id = 2 ORDER BY id"))
                .containsExactly(Map.of("body", "a", "post_id", 2), Map.of("body", "b", "post_id", 2));
        assertThat(db.value("SELECT a.name FROM posts p JOIN authors a ON a.id = p.author_id WHERE p.id = 2"))
                .isEqualTo("Bob");
    }

    @Test
    void aTypedDirectControlUpdatesCreatesAndDestroysTheCommentsAndAppendLinksTagsByKey() {
        Post post = ashlar.get(POSTS, 1);

        ashlar.update(POSTS, post, Manage.of(POST_COMMENTS).directControl(List.of(new Comment(2, "edited", null),
                new Comment(null, "new", null))), Manage.of(POST_TAGS).append(List.of(1, 2)));

        assertThat(db.query("SELECT id, body, deleted_at IS NOT NULL AS gone FROM comments ORDER BY id"))
                .containsExactly(Map.of("id", 1, "body", "on first", "gone", true),
                        Map.of("id", 2, "body", "edited", "gone", false), Map.of("id", 3, "body", "new", "gone", false));
        assertThat(db.query("SELECT post_id, tag_id FROM post_tag ORDER BY tag_id"))
                .containsExactly(Map.of("post_id", 1, "tag_id", 1), Map.of("post_id", 1, "tag_id", 2));
    }

    @Test
    void aTypedCommentMissingItsBodyIsNamedByItsPlaceAndNothingIsWritten() {
        assertThatThrownBy(() -> ashlar.create(POSTS, new Post(null, "second"),
                Manage.of(POST_COMMENTS).create(List.of(new Comment(null, "a", null), new Comment(null, null, null)))))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("comments[1].body is required");

        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(1L);
    }

    @Test
    void aNullKeyOrNullListInATypedManagementIsRefusedNamingItAndNothingIsWritten() {
        Post post = new Post(1, "first");

        assertThatThrownBy(() -> ashlar.update(POSTS, post, Manage.of(POST_TAGS).append(Arrays.asList(1, null))))
                .isInstanceOf(QueryException.class).hasMessageContaining("tags[1] is null: give the key of a tag");
        assertThatThrownBy(() -> ashlar.update(POSTS, post, Manage.of(POST_TAGS).appendAndRemove(null)))
                .isInstanceOf(QueryException.class).hasMessageContaining("null for its keys");
        assertThatThrownBy(() -> ashlar.update(POSTS, post, Manage.of(POST_COMMENTS).directControl((List<Comment>) null)))
                .isInstanceOf(QueryException.class).hasMessageContaining("null for its records");

        assertThat(db.value("SELECT count(*) FROM post_tag")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM comments WHERE post_id = 1")).isEqualTo(2L);
    }
}
