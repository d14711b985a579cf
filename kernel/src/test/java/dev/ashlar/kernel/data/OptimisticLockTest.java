package dev.ashlar.kernel.data;

import dev.ashlar.kernel.Ashlar;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OptimisticLockTest extends BlogDatabaseTest {
    private Ashlar versioned;

    @BeforeEach
    void versionedAshlar() {
        db.execute("TRUNCATE posts RESTART IDENTITY");
        versioned = Ashlar.builder().dataSource(db.dataSource()).domain(Fixtures.BLOG)
                .optimisticLock("lock_version").build();
    }

    @Test
    void countsTheVersionUpOnEveryUpdate() {
        Row post = versioned.create("post", Map.of("title", "v1"));

        Row updated = versioned.update(versioned.update(post, Map.of("title", "v2")), Map.of("title", "v3"));

        assertThat(post.getInteger("lock_version")).isEqualTo(1);
        assertThat(updated.getInteger("lock_version")).isEqualTo(3);
        assertThat(db.value("SELECT lock_version FROM posts")).isEqualTo(3);
    }

    @Test
    void refusesToOverwriteAChangeMadeSinceTheRowWasRead() {
        Row post = versioned.create("post", Map.of("title", "original"));
        Row mine = versioned.get("post", post.get("id"));
        Row theirs = versioned.get("post", post.get("id"));
        versioned.update(theirs, Map.of("title", "theirs"));

        assertThatThrownBy(() -> versioned.update(mine, Map.of("title", "mine")))
                .isInstanceOfSatisfying(AshlarException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.STALE_RECORD);
                    assertThat(e.field()).contains("lock_version");
                    assertThat(e.resource()).contains("post");
                })
                .hasMessageContaining("Cannot update post")
                .hasMessageContaining(String.valueOf(post.get("id")))
                .hasMessageContaining("changed since it was read");
        assertThatThrownBy(() -> versioned.destroy(mine))
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STALE_RECORD));
        assertThat(db.value("SELECT title FROM posts")).isEqualTo("theirs");
    }

    @Test
    void updateAllAndUpsertCountTheVersionUpSoACopyReadBeforeThemIsStale() {
        Row post = versioned.create("post", Map.of("id", 1, "title", "original"));

        versioned.read("post").updateAll(Map.of("body", "changed by all"));
        assertThatThrownBy(() -> versioned.update(post, Map.of("title", "mine")))
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STALE_RECORD));
        Row afterAll = versioned.get("post", 1);
        versioned.upsert("post", Map.of("id", 1, "title", "upserted"), dev.ashlar.kernel.data.Upsert.onPrimaryKey());
        assertThatThrownBy(() -> versioned.update(afterAll, Map.of("title", "mine")))
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STALE_RECORD));
        versioned.upsert("post", java.util.List.of(Map.of("id", 1, "title", "kept"), Map.of("id", 2, "title", "new")),
                dev.ashlar.kernel.data.Upsert.onPrimaryKey().doNothing());

        assertThat(db.query("SELECT title, body, lock_version FROM posts ORDER BY id"))
                .extracting(r -> r.get("title") + " " + r.get("body") + " " + r.get("lock_version"))
                .containsExactly("upserted changed by all 3", "new null 1");
    }

    @Test
    void anUpdateThroughARowWithoutItsVersionStillCountsItUpSoACopyReadBeforeIsStale() {
        Row key = versioned.createAll("post", java.util.List.of(Map.of("title", "original")),
                dev.ashlar.kernel.data.Returning.KEYS).get(0);
        Row mine = versioned.get("post", key.get("id"));

        Row updated = versioned.update(key, Map.of("title", "by key"));

        assertThat(key.has("lock_version")).isFalse();
        assertThat(updated.getInteger("lock_version")).isEqualTo(2);
        assertThatThrownBy(() -> versioned.update(mine, Map.of("title", "mine")))
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STALE_RECORD));
        assertThat(db.value("SELECT title FROM posts")).isEqualTo("by key");
    }

    @Test
    void aRowReadWithSomeFieldsOnlyStillCarriesItsVersionSoItsStaleUpdateIsRefused() {
        Row post = versioned.create("post", Map.of("title", "original"));
        Row mine = versioned.read("post").select("title").one().orElseThrow();
        versioned.update(versioned.get("post", post.get("id")), Map.of("title", "theirs"));

        assertThatThrownBy(() -> versioned.update(mine, Map.of("title", "mine")))
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STALE_RECORD));
        assertThat(db.value("SELECT title FROM posts")).isEqualTo("theirs");
        assertThat(mine.fields()).containsExactly("id", "title", "lock_version");
    }

    @Test
    void aVersionGivenWithTheChangesIsTheOneCheckedSoAFormPostedFromAnOlderReadIsRefused() {
        Row post = versioned.create("post", Map.of("title", "original"));
        versioned.update(versioned.get("post", post.get("id")), Map.of("title", "theirs"));
        Row fresh = versioned.get("post", post.get("id"));

        // the form was filled in from version 1; the record loaded to apply it is at version 2
        assertThatThrownBy(() -> versioned.update(fresh, Map.of("title", "mine", "lock_version", 1)))
                .isInstanceOfSatisfying(AshlarException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.STALE_RECORD);
                    assertThat(e.field()).contains("lock_version");
                })
                .hasMessageContaining("changed since it was read");
        Row updated = versioned.update(fresh, Map.of("title", "mine", "lock_version", 2L));

        assertThat(updated.getInteger("lock_version")).isEqualTo(3);
        assertThat(db.query("SELECT title, lock_version FROM posts")).extracting(r -> r.get("title") + ":"
                + r.get("lock_version")).containsExactly("mine:3");
    }

    @Test
    void aRecordThatIsGoneIsNotFoundRatherThanStale() {
        Row post = versioned.create("post", Map.of("title", "gone"));
        db.execute("DELETE FROM posts");

        assertThatThrownBy(() -> versioned.update(post, Map.of("title", "late")))
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void recordsInHandUpdatedOrDestroyedTogetherAreRefusedWholeWhenOneChangedSinceTheyWereRead() {
        List<Row> posts = versioned.createAll("post", List.of(Map.of("title", "a"), Map.of("title", "b"),
                Map.of("title", "c")));
        versioned.update(versioned.get("post", posts.get(1).get("id")), Map.of("title", "b2"));

        assertThatThrownBy(() -> versioned.updateAll(posts, Map.of("rating", 5)))
                .isInstanceOfSatisfying(AshlarException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.STALE_RECORD);
                    assertThat(e.field()).contains("lock_version");
                })
                .hasMessageContaining("{id=" + posts.get(1).get("id") + "}").hasMessageContaining("changed since");
        assertThatThrownBy(() -> versioned.destroyAll(posts))
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STALE_RECORD));
        assertThat(db.query("SELECT title, rating, lock_version FROM posts ORDER BY title"))
                .extracting(r -> r.get("title") + ":" + r.get("rating") + ":" + r.get("lock_version"))
                .containsExactly("a:null:1", "b2:null:2", "c:null:1");

        List<Row> fresh = versioned.read("post").list();
        db.execute("DELETE FROM posts WHERE title = 'c'");
        List<Row> updated = versioned.updateAll(fresh, Map.of("rating", 5));
        assertThat(updated).extracting(r -> r.getString("title")).containsExactlyInAnyOrder("a", "b2");
        assertThatThrownBy(() -> versioned.destroyAll(fresh))
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STALE_RECORD));
        assertThat(versioned.destroyAll(updated)).isEqualTo(2);
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(0L);
    }

    @Test
    void aSmallintVersionCountsUpWhileOneThatIsNoWholeNumberOrTimestampIsRefusedWhenAshlarIsBuilt() {
        Domain notes = Domain.builder("notes").resource(Resource.builder("note").table("notes").integerPrimaryKey("id")
                .attribute("body", Type.TEXT)
                .attribute("lock_version", Type.SMALLINT, a -> a.notNull().defaultValue(1)).build()).build();
        Fixtures.ashlar(db, notes).close();
        try (Ashlar small = Ashlar.builder().dataSource(db.dataSource()).domain(notes).optimisticLock("lock_version")
                .build()) {
            Row note = small.create("note", Map.of("body", "v1"));
            Row updated = small.update(small.update(note, Map.of("body", "v2")), Map.of("body", "v3"));

            assertThat(updated.get("lock_version")).isEqualTo((short) 3);
            assertThatThrownBy(() -> small.update(note, Map.of("body", "stale")))
                    .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STALE_RECORD));
        }

        Domain stamped = Domain.builder("stamped").resource(Resource.builder("doc").table("docs").integerPrimaryKey("id")
                .attribute("lock_version", Type.TEXT).build()).build();
        assertThatThrownBy(() -> Ashlar.builder().dataSource(db.dataSource()).domain(stamped)
                .optimisticLock("lock_version").build())
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("doc.lock_version is text").hasMessageContaining("make it INTEGER");
    }
}
