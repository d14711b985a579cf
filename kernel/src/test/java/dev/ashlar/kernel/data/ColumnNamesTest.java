package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Attributes stored in columns of other names, end to end on a real server: the migrations create the columns under
 * their own names, SQL uses them, and rows, records, filters, sorts, keys and errors speak of the attributes.
 */
@ExtendWith(PostgresExtension.class)
class ColumnNamesTest {
    static final Domain DOMAIN = Domain.builder("legacy").resources(
            Resource.builder("user").table("users")
                    .attribute("userId", BIGINT, a -> a.column("user_id").primaryKey().generated())
                    .attribute("displayName", TEXT, a -> a.column("display_name").notNull())
                    .attribute("email", TEXT, a -> a.column("email_address"))
                    .identity("unique_email", "email")
                    .hasMany("posts", "post", r -> r.destinationAttribute("authorId"))
                    .count("postCount", "posts")
                    .build(),
            Resource.builder("post").table("posts").primaryKey("id")
                    .attribute("title", TEXT, a -> a.column("post_title"))
                    .attribute("rank", INTEGER, a -> a.column("sort_rank"))
                    .attribute("authorId", BIGINT, a -> a.column("author_id"))
                    .belongsTo("author", "user", r -> r.attribute("authorId"))
                    .calculate("shout", String.class, "upper(post_title)")
                    .build()).build();

    @TempDir
    Path project;
    TestDatabase db;
    Ashlar ashlar;

    @BeforeEach
    void migrated(TestDatabase database) {
        db = database;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        Clock clock = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);
        new Codegen(project, DOMAIN, Plugins.none(), Renames.none(), clock).generate("legacy");
        new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).progress(line -> { }).migrate();
        ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN).discoverPlugins(false).build();
    }

    @AfterEach
    void close() {
        ashlar.close();
    }

    private List<String> columns(String table) {
        return db.query("SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
                + "AND table_name = ? ORDER BY ordinal_position", table).stream()
                .map(row -> (String) row.get("column_name")).toList();
    }

    private Row user(String name, String email) {
        return ashlar.create("user", Map.of("displayName", name, "email", email));
    }

    private Row post(Row author, String title, int rank) {
        return ashlar.create("post", Map.of("title", title, "rank", rank, "authorId", author.get("userId")));
    }

    @Test
    void migrationsCreateEachColumnUnderItsOwnNameWithKeysAndIndexesOnIt() {
        assertThat(columns("users")).containsExactly("user_id", "display_name", "email_address");
        assertThat(columns("posts")).containsExactly("id", "post_title", "sort_rank", "author_id");
        assertThat(db.value("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'users_pkey'"))
                .isEqualTo("PRIMARY KEY (user_id)");
        assertThat((String) db.value("SELECT indexdef FROM pg_indexes WHERE indexname = 'users_unique_email_index'"))
                .endsWith("(email_address)");
        assertThat(db.value("SELECT is_nullable FROM information_schema.columns WHERE table_name = 'users' "
                + "AND column_name = 'display_name'")).isEqualTo("NO");
    }

    @Test
    void createUpdateAndDestroySpeakOfAttributesWhileTheValuesLiveInTheColumns() {
        Row ada = user("Ada", "ada@example.com");

        assertThat(ada.fields()).containsExactly("userId", "displayName", "email");
        assertThat(db.query("SELECT user_id, display_name, email_address FROM users").get(0))
                .containsEntry("user_id", ada.get("userId")).containsEntry("display_name", "Ada")
                .containsEntry("email_address", "ada@example.com");

        Row renamed = ashlar.update(ada, Map.of("displayName", "Ada L."));
        assertThat(renamed.get("displayName")).isEqualTo("Ada L.");
        assertThat(ashlar.get("user", ada.get("userId")).get("displayName")).isEqualTo("Ada L.");
        assertThat(db.value("SELECT display_name FROM users")).isEqualTo("Ada L.");

        ashlar.destroy(renamed);
        assertThat(db.value("SELECT count(*) FROM users")).isEqualTo(0L);
    }

    @Test
    void filtersSortsSelectsAndCursorsUseTheAttributeNames() {
        Row ada = user("Ada", "ada@example.com");
        post(ada, "b", 2);
        post(ada, "a", 1);
        post(ada, "c", 3);

        assertThat(ashlar.read("post").where(Filter.gte("rank", 2)).sort(Sort.desc("title")).list())
                .extracting(r -> r.get("title")).containsExactly("c", "b");
        assertThat(ashlar.read("post").where(Filter.in("title", List.of("a", "c"))).sort(Sort.asc("rank")).list())
                .extracting(r -> r.get("rank")).containsExactly(1, 3);
        Row first = ashlar.read("post").sort(Sort.asc("rank")).limit(1).list().get(0);
        assertThat(ashlar.read("post").sort(Sort.asc("rank")).after(1).list()).extracting(r -> r.get("title"))
                .containsExactly("b", "c");
        assertThat(first.get("title")).isEqualTo("a");
        assertThat(ashlar.read("post").select("title").sort(Sort.asc("title")).list().get(0).get("title"))
                .isEqualTo("a");
        assertThat(ashlar.read("post").distinct("authorId").list()).hasSize(1);
        assertThat(ashlar.read("post").max("rank")).isEqualTo(3);
        assertThat(ashlar.read("post").where(Filter.sql("post_title = ?", "b")).list()).extracting(r -> r.get("rank"))
                .containsExactly(2);
    }

    @Test
    void loadsAndFiltersThroughABelongsToWhoseKeyIsStoredInAColumnOfAnotherName() {
        Row ada = user("Ada", "ada@example.com");
        Row bob = user("Bob", "bob@example.com");
        post(ada, "by ada", 1);
        post(bob, "by bob", 2);

        List<Row> posts = ashlar.read("post").load("author").sort(Sort.asc("author.displayName")).list();
        assertThat(posts).extracting(p -> p.related("author").get(0).get("displayName")).containsExactly("Ada", "Bob");
        assertThat(ashlar.read("post").where(Filter.eq("author.displayName", "Bob")).list())
                .extracting(p -> p.get("title")).containsExactly("by bob");
        assertThat(ashlar.read("user").where(Filter.exists("posts", Filter.eq("title", "by ada"))).load("posts")
                .list()).singleElement().satisfies(u -> {
                    assertThat(u.get("displayName")).isEqualTo("Ada");
                    assertThat(u.related("posts")).extracting(p -> p.get("title")).containsExactly("by ada");
                });
        assertThat(ashlar.read("user").load("postCount").sort(Sort.asc("userId")).list())
                .extracting(u -> u.get("postCount")).containsExactly(1L, 1L);
        assertThat(ashlar.read("post").load("shout").sort(Sort.asc("id")).list()).extracting(p -> p.get("shout"))
                .containsExactly("BY ADA", "BY BOB");
    }

    @Test
    void upsertOnAnIdentityOverANamedColumnUpdatesTheStoredRowInBothBulkPaths() {
        Row ada = user("Ada", "ada@example.com");

        List<Row> many = ashlar.upsert("user", List.of(
                Map.of("displayName", "Ada Lovelace", "email", "ada@example.com"),
                Map.of("displayName", "Bob", "email", "bob@example.com")), Upsert.on("unique_email").update("displayName"));
        Row one = ashlar.upsert("user", Map.of("displayName", "Bobby", "email", "bob@example.com"),
                Upsert.on("unique_email").update("displayName"));

        assertThat(many.get(0).get("userId")).isEqualTo(ada.get("userId"));
        assertThat(one.get("userId")).isEqualTo(many.get(1).get("userId"));
        assertThat(db.query("SELECT display_name FROM users ORDER BY user_id")).extracting(r -> r.get("display_name"))
                .containsExactly("Ada Lovelace", "Bobby");
    }

    @Test
    void bulkCreatesAndBulkChangesUseTheColumnsAndReturnKeysByAttribute() {
        List<Row> keys = ashlar.createAll("user", List.of(Map.of("displayName", "A"), Map.of("displayName", "B")),
                Returning.KEYS);
        List<Row> single = ashlar.createAll("user", List.of(Map.of("displayName", "C")));

        assertThat(keys).allSatisfy(k -> assertThat(k.fields()).containsExactly("userId"));
        assertThat(single.get(0).get("displayName")).isEqualTo("C");
        assertThat(ashlar.read("user").where(Filter.like("displayName", "A%")).updateAll(Map.of("email", "a@x")))
                .extracting(r -> r.get("email")).containsExactly("a@x");
        assertThat(ashlar.read("user").where(Filter.isNil("email")).destroyAll()).isEqualTo(2);
        assertThat(db.query("SELECT display_name, email_address FROM users").get(0))
                .containsEntry("display_name", "A").containsEntry("email_address", "a@x");
    }

    @Test
    void violationsNameTheAttributeAndTheColumn() {
        user("Ada", "ada@example.com");

        assertThatThrownBy(() -> user("Ada again", "ada@example.com")).isInstanceOfSatisfying(
                InvalidDataException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(f -> assertThat(f.field()).isEqualTo("email")));
        assertThatThrownBy(() -> ashlar.create("user", Map.of("email", "no-name@example.com"))).isInstanceOfSatisfying(
                InvalidDataException.class, e -> assertThat(e.errors()).singleElement().satisfies(f -> {
                    assertThat(f.field()).isEqualTo("displayName");
                    assertThat(f.column()).isEqualTo("display_name");
                }));
    }

    @Test
    void aComputedFieldNamedLikeAColumnIsRefusedRatherThanSortedAmbiguously() {
        assertThatThrownBy(() -> ashlar.read("post").compute("post_title", String.class, "'x'").list())
                .hasMessageContaining("has the name of an attribute or column");
    }
}
