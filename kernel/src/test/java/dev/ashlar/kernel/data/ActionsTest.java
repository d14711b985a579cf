package dev.ashlar.kernel.data;

import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ActionsTest extends BlogDatabaseTest {



    @BeforeEach
    void empty() {
        db.execute("TRUNCATE posts, authors RESTART IDENTITY");
    }

    @Test
    void createsARecordAndReturnsItWithDatabaseDefaultsAndKeysFilledIn() {
        Instant before = Instant.now().minusSeconds(5);

        Row post = ashlar.create("post", Map.of("title", "Hello", "tags", List.of("a", "b")));

        assertThat(post.getInteger("id")).isEqualTo(1);
        assertThat(post.getString("status")).isEqualTo("DRAFT");
        assertThat(post.getInstant("inserted_at")).isAfter(before);
        assertThat(post.getList("tags", String.class)).containsExactly("a", "b");
        assertThat(db.value("SELECT title FROM posts WHERE id = 1")).isEqualTo("Hello");
    }

    @Test
    void getsARecordByItsPrimaryKey() {
        Row created = ashlar.create("post", Map.of("title", "Found", "rating", 4));

        Row read = ashlar.get("post", created.get("id"));

        assertThat(read).isEqualTo(created);
    }

    @Test
    void getsARecordByTheFieldsOfOneOfItsIdentities() {
        Row ada = ashlar.create("author", Map.of("email", "ada@example.com", "handle", "ada"));
        ashlar.create("author", Map.of("email", "bob@example.com", "handle", "bob"));

        assertThat(ashlar.get("author", Map.of("email", "ada@example.com"))).isEqualTo(ada);
        assertThat(ashlar.get("author", Map.of("handle", "ada"))).isEqualTo(ada);
        assertThat(ashlar.get("author", Map.of("id", ada.get("id")))).isEqualTo(ada);
        assertThatThrownBy(() -> ashlar.get("author", Map.of("email", "eve@example.com")))
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("eve@example.com");
        assertThatThrownBy(() -> ashlar.get("author", Map.of("name", "Ada")))
                .as("fields of no identity are no key").hasMessageContaining("neither its primary key [id] nor one of "
                        + "its identities");
    }

    @Test
    void getOfAMissingRecordSaysItIsNotFound() {
        assertThatThrownBy(() -> ashlar.get("post", 404))
                .isInstanceOfSatisfying(AshlarException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
                    assertThat(e.resource()).contains("post");
                })
                .hasMessageContaining("404");
    }

    @Test
    void updateWritesOnlyTheChangedFieldsAndReturnsTheNewRecord() {
        Row post = ashlar.create("post", Map.of("title", "Old", "body", "first"));
        db.execute("UPDATE posts SET body = 'changed elsewhere'");

        Row updated = ashlar.update(post, Map.of("title", "New", "body", "first"));

        assertThat(updated.getString("title")).isEqualTo("New");
        assertThat(updated.getString("body")).isEqualTo("changed elsewhere");
        assertThat(db.value("SELECT title || '/' || body FROM posts")).isEqualTo("New/changed elsewhere");
    }

    @Test
    void updateOfARecordThatIsGoneSaysItIsNotFound() {
        Row post = ashlar.create("post", Map.of("title", "Doomed"));
        db.execute("DELETE FROM posts");

        assertThatThrownBy(() -> ashlar.update(post, Map.of("title", "Late")))
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void destroyDeletesTheRecordAndAMissingOneIsNotFound() {
        Row post = ashlar.create("post", Map.of("title", "Bye"));

        ashlar.destroy(post);

        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(0L);
        assertThatThrownBy(() -> ashlar.destroy(post))
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void createAllStoresManyRecordsThroughUnnestAndReturnsThemInInputOrder() {
        List<Map<String, Object>> authors = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            Map<String, Object> author = new HashMap<>();
            author.put("email", "user" + i + "@example.com");
            author.put("name", i % 3 == 0 ? null : "User " + i);
            author.put("age", i % 5 == 0 ? null : i);
            authors.add(author);
        }

        List<Row> stored = ashlar.createAll("author", authors);

        assertThat(stored).hasSize(2_500);
        assertThat(stored.get(1_234).getString("email")).isEqualTo("user1234@example.com");
        assertThat(stored.get(1_234).getInteger("age")).isEqualTo(1_234);
        assertThat(db.value("SELECT count(*) FROM authors WHERE name IS NULL")).isEqualTo(834L);
        assertThat(db.value("SELECT count(*) FROM authors WHERE age IS NULL")).isEqualTo(500L);
    }

    @Test
    void createAllStoresRecordsWithArraysInChunksOfValues() {
        List<Map<String, Object>> posts = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            Map<String, Object> post = new HashMap<>();
            post.put("title", "Post " + i);
            post.put("tags", i % 2 == 0 ? List.of("even", "t" + i) : null);
            posts.add(post);
        }

        List<Row> stored = ashlar.createAll("post", posts);

        assertThat(stored).extracting(row -> row.getString("title")).startsWith("Post 0", "Post 1", "Post 2");
        assertThat(stored.get(2_498).getList("tags", String.class)).containsExactly("even", "t2498");
        assertThat(db.value("SELECT count(*) FROM posts WHERE tags @> ARRAY['even']")).isEqualTo(1_250L);
        assertThat(db.value("SELECT count(*) FROM posts WHERE tags IS NULL")).isEqualTo(1_250L);
    }

    @Test
    void createAllInSeveralStatementsStoresNothingWhenOneFails() {
        List<Map<String, Object>> posts = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            Map<String, Object> post = new HashMap<>();
            post.put("title", i == 2_400 ? null : "Post " + i);
            post.put("tags", List.of("t"));
            posts.add(post);
        }

        assertThatThrownBy(() -> ashlar.createAll("post", posts)).isInstanceOf(AshlarException.class)
                .hasMessageContaining("title is required");
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(0L);
    }

    @Test
    void createAllLetsTheDatabaseDefaultFieldsThatARecordLeavesOut() {
        List<Map<String, Object>> posts = List.of(Map.of("title", "Given", "status", "PUBLISHED"),
                Map.of("title", "Defaulted"), Map.of("title", "Also given", "status", "ARCHIVED"));

        List<Row> stored = ashlar.createAll("post", posts);

        assertThat(stored).extracting(row -> row.getString("title") + ":" + row.getString("status"))
                .containsExactly("Given:PUBLISHED", "Defaulted:DRAFT", "Also given:ARCHIVED");
        assertThat(db.query("SELECT title, status FROM posts ORDER BY id")).extracting(r -> r.get("title") + ":"
                + r.get("status")).containsExactlyInAnyOrder("Given:PUBLISHED", "Defaulted:DRAFT", "Also given:ARCHIVED");
    }

    @Test
    void createAllTellsANullFieldFromALeftOutOneAndRecordsOfAsManyFieldsApart() {
        Map<String, Object> nullStatus = new HashMap<>();
        nullStatus.put("title", "Null status");
        nullStatus.put("status", null);
        List<Map<String, Object>> posts = List.of(Map.of("title", "Given", "status", "PUBLISHED"),
                Map.of("title", "Other field", "rating", 4), nullStatus, Map.of("title", "Defaulted"),
                Map.of("title", "Given again", "status", "ARCHIVED"));

        assertThatThrownBy(() -> ashlar.createAll("post", posts)).isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("status").hasMessageContaining("(record 3 of 5)");

        List<Row> stored = ashlar.createAll("post", List.of(posts.get(0), posts.get(1), posts.get(3), posts.get(4)));

        assertThat(stored).extracting(row -> row.getString("title") + ":" + row.getString("status") + ":"
                + row.get("rating")).containsExactly("Given:PUBLISHED:null", "Other field:DRAFT:4",
                "Defaulted:DRAFT:null", "Given again:ARCHIVED:null");
        assertThat(db.query("SELECT title, status, rating FROM posts ORDER BY id")).extracting(r -> r.get("title")
                + ":" + r.get("status") + ":" + r.get("rating")).containsExactlyInAnyOrder("Given:PUBLISHED:null",
                "Other field:DRAFT:4", "Defaulted:DRAFT:null", "Given again:ARCHIVED:null");
    }

    @Test
    void createAllStoresRecordsThatGiveNoFieldAtAllWithEveryDefault() {
        db.execute("TRUNCATE scalar_sample");

        List<Row> stored = ashlar.createAll("scalar_sample", List.of(Map.of(), Map.of("i", 1), Map.of()));

        assertThat(stored).extracting(row -> row.get("i")).containsExactly(null, 1, null);
        assertThat(stored).allSatisfy(row -> assertThat(row.getUuid("id")).isNotNull());
        assertThat(db.value("SELECT count(*) FROM scalar_sample")).isEqualTo(3L);
    }

    @Test
    void acceptsJavaEnumsForEnumeratedAttributesAndReadsThemBack() {
        Row post = ashlar.create("post", Map.of("title", "Enum", "status", Fixtures.Status.ARCHIVED));

        assertThat(post.getEnum("status", Fixtures.Status.class)).isEqualTo(Fixtures.Status.ARCHIVED);
        assertThat(db.value("SELECT status FROM posts")).isEqualTo("ARCHIVED");
    }

    @Test
    void readsByACompositeKeyGivenAsAMap() {
        Row post = ashlar.create("post", Map.of("title", "Keyed"));

        assertThat(ashlar.get("post", Map.of("id", post.get("id"))).getString("title")).isEqualTo("Keyed");
    }
}
