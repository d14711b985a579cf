package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.NotFoundException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Related records written with their record in one call (Ash's {@code manage_relationship}, Hibernate's and Ebean's
 * cascading saves), on tables that hold other records beforehand: keys flow between them, every related write keeps
 * its resource's rules (required fields, versions, soft delete), and a failure anywhere writes nothing.
 */
class ManagedRelationshipsTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("managed")
            .resource(Resource.builder("author").table("authors").integerPrimaryKey("id")
                    .attribute("name", TEXT, a -> a.notNull()).build())
            .resource(Resource.builder("post").table("posts").integerPrimaryKey("id")
                    .attribute("title", TEXT, a -> a.notNull())
                    .belongsTo("author", "author")
                    .hasMany("comments", "comment")
                    .hasOne("summary", "summary")
                    .manyToMany("tags", "tag", r -> r.through("post_tag"))
                    .build())
            .resource(Resource.builder("comment").table("comments").integerPrimaryKey("id")
                    .attribute("body", TEXT, a -> a.notNull())
                    .attribute("lock_version", INTEGER, a -> a.notNull().defaultValue(1))
                    .attribute("deleted_at", TIMESTAMPTZ).attribute("created_by", TEXT)
                    .belongsTo("post", "post").createdBy("created_by")
                    .optimisticLock("lock_version").softDelete("deleted_at").build())
            .resource(Resource.builder("summary").table("summaries").integerPrimaryKey("id")
                    .attribute("text", TEXT, a -> a.notNull())
                    .belongsTo("post", "post").build())
            .resource(Resource.builder("tag").table("tags").integerPrimaryKey("id")
                    .attribute("name", TEXT, a -> a.notNull()).identity("unique_name", "name").build())
            .resource(Resource.builder("post_tag").table("post_tag").integerPrimaryKey("id")
                    .belongsTo("post", "post").belongsTo("tag", "tag").build())
            .build();

    ManagedRelationshipsTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void populated() {
        db.execute("TRUNCATE authors, posts, comments, summaries, tags, post_tag RESTART IDENTITY CASCADE");
        db.execute("INSERT INTO authors (name) VALUES ('Ada'), ('Bob')");
        db.execute("INSERT INTO posts (title, author_id) VALUES ('first', 1), ('second', 2)");
        db.execute("INSERT INTO comments (body, post_id) VALUES ('on first', 1), ('on second', 2), ('also first', 1)");
        db.execute("INSERT INTO tags (name) VALUES ('java'), ('sql'), ('elixir')");
        db.execute("INSERT INTO post_tag (post_id, tag_id) VALUES (1, 1), (2, 2)");
    }

    private List<Map<String, Object>> rows(String sql) {
        return db.query(sql);
    }

    @Test
    void commentsCreatedWithTheirPostTakeItsNewKey() {   // Hibernate: CascadeType.PERSIST on a @OneToMany
        Row post = ashlar.create("post", Map.of("title", "third",
                        "comments", List.of(Map.of("body", "a"), Map.of("body", "b"))),
                Manage.relationship("comments").create());

        assertThat(post.get("id")).isEqualTo(3);
        assertThat(post.related("comments")).extracting(r -> r.get("body")).containsExactlyInAnyOrder("a", "b");
        assertThat(rows("SELECT body, post_id FROM comments WHERE id > 3 ORDER BY id"))
                .containsExactly(Map.of("body", "a", "post_id", 3), Map.of("body", "b", "post_id", 3));
        assertThat(db.value("SELECT count(*) FROM comments WHERE post_id = 1")).isEqualTo(2L);
    }

    @Test
    void commentsCreatedWithTheirPostByAHandleActingForAUserAreCreatedByThatUser() {   // Ebean: @WhoCreated
        ashlar.withUser("ada").create("post", Map.of("title", "third", "comments", List.of(Map.of("body", "a"))),
                Manage.relationship("comments").create());

        assertThat(rows("SELECT body, created_by FROM comments WHERE post_id = 3"))
                .containsExactly(Map.of("body", "a", "created_by", "ada"));
    }

    @Test
    void aBelongsToRecordGivenWithThePostIsCreatedFirstAndItsKeyStored() {   // Ash: create the related from an argument
        Row post = ashlar.create("post", Map.of("title", "third", "author", Map.of("name", "Cy")),
                Manage.relationship("author").create());

        assertThat(post.relatedOne("author")).map(r -> r.get("name")).contains("Cy");
        assertThat(rows("SELECT p.title, a.name FROM posts p JOIN authors a ON a.id = p.author_id WHERE p.id = 3"))
                .containsExactly(Map.of("title", "third", "name", "Cy"));
        assertThat(db.value("SELECT count(*) FROM authors")).isEqualTo(3L);
    }

    @Test
    void appendLinksExistingTagsByKeyWritingEachJoinRowOnce() {   // Ebean: @ManyToMany save writes the join rows
        Row post = ashlar.get("post", 1);

        Row updated = ashlar.update(post, Map.of("tags", List.of(1, Map.of("id", 3))),
                Manage.relationship("tags").append());

        assertThat(updated.related("tags")).extracting(r -> r.get("name")).containsExactlyInAnyOrder("java", "elixir");
        assertThat(rows("SELECT post_id, tag_id FROM post_tag ORDER BY id")).containsExactly(
                Map.of("post_id", 1, "tag_id", 1), Map.of("post_id", 2, "tag_id", 2),
                Map.of("post_id", 1, "tag_id", 3));
    }

    @Test
    void aPostCreatedWithNewAndExistingTagsLinksBoth() {
        Row post = ashlar.create("post", Map.of("title", "third",
                        "tags", List.of(Map.of("name", "rust"), Map.of("name", "go"))),
                Manage.relationship("tags").create());
        ashlar.update(post, Map.of("tags", List.of(2)), Manage.relationship("tags").append());

        assertThat(rows("SELECT t.name FROM post_tag j JOIN tags t ON t.id = j.tag_id WHERE j.post_id = 3 "
                + "ORDER BY t.name")).extracting(r -> r.get("name")).containsExactly("go", "rust", "sql");
    }

    @Test
    void directControlUpdatesTheKeyedCreatesTheNewAndSoftDeletesTheMissingComments() {   // Hibernate: orphanRemoval
        Row post = ashlar.get("post", 1);

        Row updated = ashlar.update(post, Map.of("title", "first, edited", "comments",
                        List.of(Map.of("id", 3, "body", "also first, edited"), Map.of("body", "new"))),
                Manage.relationship("comments").directControl());

        assertThat(updated.get("title")).isEqualTo("first, edited");
        assertThat(updated.related("comments")).extracting(r -> r.get("body"))
                .containsExactlyInAnyOrder("also first, edited", "new");
        assertThat(rows("SELECT id, body, post_id, lock_version, deleted_at IS NOT NULL AS gone FROM comments "
                + "ORDER BY id")).containsExactly(
                Map.of("id", 1, "body", "on first", "post_id", 1, "lock_version", 2, "gone", true),
                Map.of("id", 2, "body", "on second", "post_id", 2, "lock_version", 1, "gone", false),
                Map.of("id", 3, "body", "also first, edited", "post_id", 1, "lock_version", 2, "gone", false),
                Map.of("id", 4, "body", "new", "post_id", 1, "lock_version", 1, "gone", false));
    }

    @Test
    void directControlUnlinkingMissingCommentsClearsTheirKeyAndKeepsThem() {
        ashlar.update(ashlar.get("post", 1), Map.of("comments", List.of(Map.of("id", 1))),
                Manage.relationship("comments").directControl().unlinkMissing());

        assertThat(rows("SELECT id, post_id, deleted_at IS NULL AS kept FROM comments ORDER BY id"))
                .extracting(r -> r.get("post_id"), r -> r.get("kept"))
                .containsExactly(tuple(1, true), tuple(2,
                        true), tuple(null, true));
    }

    @Test
    void appendAndRemoveMakesTheGivenTagsTheLinkedSet() {   // Ash: append_and_remove
        ashlar.update(ashlar.get("post", 1), Map.of("tags", List.of(2, 3)),
                Manage.relationship("tags").appendAndRemove());

        assertThat(rows("SELECT post_id, tag_id FROM post_tag ORDER BY post_id, tag_id")).containsExactly(
                Map.of("post_id", 1, "tag_id", 2), Map.of("post_id", 1, "tag_id", 3),
                Map.of("post_id", 2, "tag_id", 2));
        assertThat(db.value("SELECT count(*) FROM tags")).as("tags are unlinked, not destroyed").isEqualTo(3L);
    }

    @Test
    void removeUnlinksTheGivenTagAndComment() {
        ashlar.update(ashlar.get("post", 1), Map.of("tags", List.of(1), "comments", List.of(3)),
                Manage.relationship("tags").remove(), Manage.relationship("comments").remove());

        assertThat(db.value("SELECT count(*) FROM post_tag WHERE post_id = 1")).isEqualTo(0L);
        assertThat(rows("SELECT id, post_id FROM comments WHERE id IN (1, 3) ORDER BY id"))
                .extracting(r -> r.get("id"), r -> r.get("post_id")).containsExactly(tuple(1, 1), tuple(3, null));
    }

    @Test
    void directControlOfManyToManyUpdatesCreatesAndDestroysTheUnlistedTags() {   // Ash: direct_control, many_to_many
        ashlar.update(ashlar.get("post", 1), Map.of("tags", List.of(Map.of("name", "kotlin"))),
                Manage.relationship("tags").directControl());

        assertThat(rows("SELECT t.name FROM post_tag j JOIN tags t ON t.id = j.tag_id WHERE j.post_id = 1"))
                .containsExactly(Map.of("name", "kotlin"));
        assertThat(db.value("SELECT count(*) FROM tags WHERE name = 'java'")).isEqualTo(0L);
    }

    @Test
    void directControlOfTagsOnlyUnlinksATagAnotherPostStillLinks() {
        db.execute("INSERT INTO post_tag (post_id, tag_id) VALUES (2, 1)");

        ashlar.update(ashlar.get("post", 1), Map.of("tags", List.of()), Manage.relationship("tags").directControl());

        assertThat(rows("SELECT post_id, tag_id FROM post_tag ORDER BY id")).containsExactly(
                Map.of("post_id", 2, "tag_id", 2), Map.of("post_id", 2, "tag_id", 1));
        assertThat(rows("SELECT name FROM tags ORDER BY id")).extracting(r -> r.get("name"))
                .containsExactly("java", "sql", "elixir");
        assertThat(ashlar.load(ashlar.get("post", 2), "tags").related("tags")).extracting(r -> r.get("name"))
                .containsExactlyInAnyOrder("java", "sql");
    }

    @Test
    void directControlOfABelongsToKeepsTheOldAuthorWhenAnotherPostStillPointsAtIt() {
        db.execute("UPDATE posts SET author_id = 1 WHERE id = 2");

        ashlar.update(ashlar.get("post", 1), Map.of("author", Map.of("name", "Dee")),
                Manage.relationship("author").directControl());

        assertThat(rows("SELECT id, name FROM authors ORDER BY id")).extracting(r -> r.get("name"))
                .containsExactly("Ada", "Bob", "Dee");
        assertThat(rows("SELECT p.id, a.name FROM posts p JOIN authors a ON a.id = p.author_id ORDER BY p.id"))
                .extracting(r -> r.get("name")).containsExactly("Dee", "Ada");
    }

    @Test
    void directControlOfABelongsToReplacesTheAuthorAndDestroysTheOldOne() {
        Row updated = ashlar.update(ashlar.get("post", 2), Map.of("author", Map.of("name", "Dee")),
                Manage.relationship("author").directControl());

        assertThat(updated.relatedOne("author")).map(r -> r.get("name")).contains("Dee");
        assertThat(rows("SELECT name FROM authors ORDER BY id")).extracting(r -> r.get("name"))
                .containsExactly("Ada", "Dee");
        assertThat(db.value("SELECT a.name FROM posts p JOIN authors a ON a.id = p.author_id WHERE p.id = 2"))
                .isEqualTo("Dee");
    }

    @Test
    void aHasOneCreatedInPlaceOfAnotherUnlinksTheOldOne() {
        ashlar.update(ashlar.get("post", 1), Map.of("summary", Map.of("text", "old")),
                Manage.relationship("summary").create());
        Row updated = ashlar.update(ashlar.get("post", 1), Map.of("summary", Map.of("text", "new")),
                Manage.relationship("summary").create());

        assertThat(updated.relatedOne("summary")).map(r -> r.get("text")).contains("new");
        assertThat(rows("SELECT text, post_id FROM summaries ORDER BY id")).extracting(r -> r.get("post_id"))
                .containsExactly(null, 1);
    }

    @Test
    void aCommentMissingItsBodyFailsNamingItsPlaceAndWritesNothing() {
        assertThatThrownBy(() -> ashlar.create("post", Map.of("title", "third", "author", Map.of("name", "Cy"),
                        "comments", List.of(Map.of("body", "a"), Map.of("body", "b"), Map.of("lock_version", 1))),
                Manage.relationship("comments").create(), Manage.relationship("author").create()))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("comments[2].body is required")
                .satisfies(e -> assertThat(((InvalidDataException) e).errors().get(0).field())
                        .isEqualTo("comments[2].body"));

        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(2L);
        assertThat(db.value("SELECT count(*) FROM comments")).isEqualTo(3L);
        assertThat(db.value("SELECT count(*) FROM authors")).isEqualTo(2L);
    }

    @Test
    void anotherPostsCommentGivenByKeyIsNotFoundAndNothingChanges() {
        assertThatThrownBy(() -> ashlar.update(ashlar.get("post", 1), Map.of("title", "hijack",
                        "comments", List.of(Map.of("id", 1, "body", "x"), Map.of("id", 2, "body", "taken over"))),
                Manage.relationship("comments").directControl()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("post.comments[1]")
                .hasMessageContaining("no comment with key 2");

        assertThat(rows("SELECT id, body, post_id FROM comments ORDER BY id")).containsExactly(
                Map.of("id", 1, "body", "on first", "post_id", 1), Map.of("id", 2, "body", "on second", "post_id", 2),
                Map.of("id", 3, "body", "also first", "post_id", 1));
        assertThat(db.value("SELECT title FROM posts WHERE id = 1")).isEqualTo("first");
    }

    @Test
    void removingAnotherPostsCommentOrTagIsNotFoundNamingItsPlaceOnceAndUnlinksNothing() {
        assertThatThrownBy(() -> ashlar.update(ashlar.get("post", 1), Map.of("comments", List.of(2)),
                Manage.relationship("comments").remove())).isInstanceOf(NotFoundException.class)
                .hasMessageStartingWith("Cannot unlink post.comments[0]: no comment with key 2 related to this post");
        assertThatThrownBy(() -> ashlar.update(ashlar.get("post", 1), Map.of("tags", List.of(2)),
                Manage.relationship("tags").remove())).isInstanceOf(NotFoundException.class)
                .hasMessageStartingWith("Cannot unlink post.tags[0]: no tag with key 2 related to this post");

        assertThat(db.value("SELECT post_id FROM comments WHERE id = 2")).isEqualTo(2);
        assertThat(db.value("SELECT count(*) FROM post_tag")).isEqualTo(2L);
    }

    @Test
    void appendingATagThatDoesNotExistIsNotFoundNamingItsPlace() {
        assertThatThrownBy(() -> ashlar.update(ashlar.get("post", 1), Map.of("tags", List.of(2, 99)),
                Manage.relationship("tags").append()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("post.tags[1]: no tag with key 99");

        assertThat(db.value("SELECT count(*) FROM post_tag")).isEqualTo(2L);
    }

    @Test
    void aRelationshipInTheValuesWithoutAManagementIsRefusedNamingIt() {
        assertThatThrownBy(() -> ashlar.create("post", Map.of("title", "t", "tags", List.of(1), "comments",
                List.of()), Manage.relationship("comments").create()))
                .isInstanceOf(QueryException.class).hasMessageContaining("'tags'")
                .hasMessageContaining("Manage.relationship(\"tags\")");
        assertThatThrownBy(() -> ashlar.create("post", Map.of("title", "t"), Manage.relationship("tagz").append()))
                .isInstanceOf(QueryException.class).hasMessageContaining("did you mean 'tags'");
        assertThatThrownBy(() -> ashlar.create("post", Map.of("title", "t", "comments", List.of(Map.of("body", "b",
                "post_id", 2))), Manage.relationship("comments").create()))
                .isInstanceOf(QueryException.class).hasMessageContaining("comments[0] gives post_id = 2");
        assertThatThrownBy(() -> ashlar.create("post", Map.of("title", "t"), Manage.relationship("tags").append(),
                Manage.relationship("tags").create())).isInstanceOf(QueryException.class)
                .hasMessageContaining("'tags' is managed twice");
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(2L);
    }

    @Test
    void appendOfABelongsToAndAppendAndRemoveWithNullRelinkAndUnlinkTheAuthorKeepingIt() {
        Row moved = ashlar.update(ashlar.get("post", 1), Map.of("author", 2), Manage.relationship("author").append());
        assertThat(moved.relatedOne("author")).map(r -> r.get("name")).contains("Bob");
        assertThat(db.value("SELECT author_id FROM posts WHERE id = 1")).isEqualTo(2);

        Map<String, Object> none = new HashMap<>();
        none.put("author", null);
        ashlar.update(moved, none, Manage.relationship("author").appendAndRemove());

        assertThat(rows("SELECT id, author_id FROM posts ORDER BY id")).extracting(r -> r.get("author_id"))
                .containsExactly(null, 2);
        assertThat(db.value("SELECT count(*) FROM authors")).isEqualTo(2L);
    }
}
