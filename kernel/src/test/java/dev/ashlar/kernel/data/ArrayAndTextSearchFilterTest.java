package dev.ashlar.kernel.data;

import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.ListField;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.api.data.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.containedIn;
import static dev.ashlar.api.query.Filter.containsAll;
import static dev.ashlar.api.query.Filter.containsAny;
import static dev.ashlar.api.query.Filter.not;
import static dev.ashlar.api.query.Filter.plainTextSearch;
import static dev.ashlar.api.query.Filter.sql;
import static dev.ashlar.api.query.Filter.textSearch;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Array filters as data ({@code containsAny} {@code &&}, {@code containsAll} {@code @>}, {@code containedIn}
 * {@code <@}; Ebean's {@code arrayContains}, jOOQ's {@code arrayOverlap}) and full-text search
 * ({@code textSearch}, {@code plainTextSearch}), by name and typed, under a tenant column and a soft delete, compared
 * with the same SQL written by hand.
 */
class ArrayAndTextSearchFilterTest extends DomainDatabaseTest {
    record Post(Integer id, String tenant, String title, String body, List<String> tags, List<Integer> scores) {
        static final Table<Post> POSTS = Table.of("post", Post.class);
        static final Field<Post, Integer> ID = POSTS.integerPrimaryKey("id");
        static final Field<Post, String> TENANT = POSTS.attribute("tenant", Kind.TEXT);
        static final TextField<Post> TITLE = POSTS.attribute("title", Kind.TEXT);
        static final TextField<Post> BODY = POSTS.attribute("body", Kind.TEXT);
        static final ListField<Post, String> TAGS = POSTS.attribute("tags", Kind.arrayOf(Kind.TEXT));
        static final ListField<Post, Integer> SCORES = POSTS.attribute("scores", Kind.arrayOf(Kind.INTEGER));
    }

    private static final Resource POST = Post.POSTS.builder().table("arrsearch_posts")
            .add(Post.ID, Post.TENANT, Post.TITLE, Post.BODY, Post.TAGS, Post.SCORES)
            .attribute("deleted_at", TIMESTAMPTZ).softDelete("deleted_at").build();

    ArrayAndTextSearchFilterTest() {
        super(Domain.builder("arrsearch").resource(POST).build(), OneResourceTenancy.column("post", "tenant", true));
    }

    @BeforeAll
    void seed() {
        post("acme", "Rats", "The rats ate the cheese in the cellar", List.of("java", "sql"), List.of(1, 2));
        post("acme", "Cats", "A cat chases rats; cats are not fond of cheese", List.of("go"), List.of(3));
        post("acme", "Empty", "Nothing about rodents here, mysql or otherwise", List.of(), List.of());
        post("acme", "Nil", null, null, null);
        post("globex", "Rats", "The rats ate the cheese in the cellar", List.of("java", "sql"), List.of(1, 2));
        Row gone = post("acme", "Gone", "The rats left the cheese", List.of("java", "sql", "go"), List.of(1));
        ashlar.withTenant("acme").destroy(gone);
    }

    private Row post(String tenant, String title, String body, List<String> tags, List<Integer> scores) {
        Map<String, Object> values = new HashMap<>();
        values.put("title", title);
        values.put("body", body);
        values.put("tags", tags);
        values.put("scores", scores);
        return ashlar.withTenant(tenant).create("post", values);
    }

    private List<Object> acme(Filter filter) {
        return ashlar.withTenant("acme").read("post").where(filter).sort(Sort.asc("id")).list().stream()
                .map(r -> r.get("id")).toList();
    }

    private List<Object> byHand(String where) {
        return db.query("SELECT id FROM arrsearch_posts WHERE tenant = 'acme' AND deleted_at IS NULL AND " + where
                + " ORDER BY id").stream().map(r -> r.get("id")).toList();
    }

    @Test
    void containsAnyAllAndContainedInKeepTheRowsTheArrayOperatorsKeep() {
        assertThat(acme(containsAny("tags", List.of("sql", "go")))).containsExactly(1, 2)
                .isEqualTo(byHand("tags && ARRAY['sql', 'go']"));
        assertThat(acme(containsAll("tags", List.of("sql", "java")))).containsExactly(1)
                .isEqualTo(byHand("tags @> ARRAY['sql', 'java']"));
        assertThat(acme(containedIn("tags", List.of("go", "rust")))).containsExactly(2, 3)
                .isEqualTo(byHand("tags <@ ARRAY['go', 'rust']"));
        assertThat(acme(containsAny("scores", List.of(3, 9)))).containsExactly(2);
    }

    @Test
    void emptyListsAndNullArraysFollowPostgresql() {
        assertThat(acme(containsAny("tags", List.of()))).isEmpty();
        assertThat(acme(containsAll("tags", List.of()))).containsExactly(1, 2, 3)
                .isEqualTo(byHand("tags @> '{}'::text[]"));
        assertThat(acme(containedIn("tags", List.of()))).containsExactly(3);
        assertThat(acme(not(containsAny("tags", List.of("go"))))).containsExactly(1, 3)
                .isEqualTo(byHand("NOT (tags && ARRAY['go'])"));
    }

    @Test
    void theTypedFieldsSayTheSame() {
        assertThat(ashlar.withTenant("acme").read(Post.POSTS).where(Post.TAGS.containsAny(List.of("go"))).list())
                .extracting(Post::title).containsExactly("Cats");
        assertThat(ashlar.withTenant("acme").read(Post.POSTS).where(Post.SCORES.containsAll(List.of(2, 1))).list())
                .extracting(Post::title).containsExactly("Rats");
        assertThat(ashlar.withTenant("acme").read(Post.POSTS).where(Post.TAGS.containedIn(List.of("go"))).count())
                .isEqualTo(2L);
        assertThat(ashlar.withTenant("acme").read(Post.POSTS).where(Post.BODY.textSearch("english", "cheese -cat"))
                .list()).extracting(Post::title).containsExactly("Rats");
        assertThat(ashlar.withTenant("acme").read(Post.POSTS).where(Post.BODY.plainTextSearch("english", "cat rat"))
                .list()).extracting(Post::title).containsExactly("Cats");
    }

    @Test
    void anArrayFilterOnAFieldThatIsNoArrayIsRefusedNamingTheField() {
        assertThatThrownBy(() -> acme(containsAny("title", List.of("x"))))
                .isInstanceOf(QueryException.class).hasMessageContaining("title")
                .hasMessageContaining("containsAny needs an array attribute");
        assertThatThrownBy(() -> acme(containedIn("nope", List.of("x"))))
                .isInstanceOf(QueryException.class).hasMessageContaining("nope");
        assertThatThrownBy(() -> containsAll("tags", Arrays.asList("a", null)))
                .isInstanceOf(QueryException.class).hasMessageContaining("containsAll(\"tags\", ...)")
                .hasMessageContaining("hold a null");
        assertThatThrownBy(() -> acme(containsAny("scores", List.of("three"))))
                .isInstanceOf(QueryException.class).hasMessageContaining("scores");
    }

    @Test
    void theOtherTenantsAndSoftDeletedRowsAreNotFoundByAnArrayFilterOrASearch() {
        assertThat(ashlar.withTenant("globex").read("post").where(containsAny("tags", List.of("go"))).count())
                .isZero();
        assertThat(ashlar.withTenant("globex").read("post").where(textSearch("body", "english", "cheese")).list())
                .extracting(r -> r.get("tenant")).containsExactly("globex");
        assertThat(acme(containsAll("tags", List.of("java", "sql", "go")))).isEmpty();
        assertThat(acme(textSearch("body", "english", "left"))).isEmpty();
    }

    @Test
    void aWebSearchReadsPhrasesOrAndExclusionsWithTheConfigsStemming() {
        assertThat(acme(textSearch("body", "english", "rat"))).containsExactly(1, 2)
                .isEqualTo(byHand("to_tsvector('english', body) @@ websearch_to_tsquery('english', 'rat')"));
        assertThat(acme(textSearch("body", "english", "\"ate the cheese\""))).containsExactly(1);
        assertThat(acme(textSearch("body", "english", "cellar or mysql"))).containsExactly(1, 3);
        assertThat(acme(textSearch("body", "english", "cheese -cats"))).containsExactly(1);
        assertThat(acme(textSearch("body", "simple", "rat"))).isEmpty();
        assertThat(acme(plainTextSearch("body", "english", "cheese rats"))).containsExactly(1, 2);
    }

    @Test
    void theConfigAndTheSearchAreBoundNeverWrittenIntoTheSql() {
        assertThat(acme(textSearch("body", "english", "'); DROP TABLE arrsearch_posts; --"))).isEmpty();
        assertThatThrownBy(() -> textSearch("body", "english'); DROP TABLE arrsearch_posts; --", "rats"))
                .isInstanceOf(QueryException.class).hasMessageContaining("\"english'); DROP TABLE")
                .hasMessageContaining("needs the name of a text search configuration");
        assertThat(db.query("SELECT count(*) AS n FROM arrsearch_posts").get(0).get("n")).isEqualTo(6L);
    }

    @Test
    void anUnknownConfigIsRefusedNamingIt() {
        assertThatThrownBy(() -> acme(textSearch("body", "klingon", "rats")))
                .isInstanceOf(DatabaseException.class).hasMessageContaining("read on post")
                .hasMessageContaining("text search configuration \"klingon\" does not exist");
        assertThat(acme(textSearch("body", "pg_catalog.english", "rats"))).containsExactly(1, 2);
        assertThatThrownBy(() -> textSearch("body", " ", "rats"))
                .isInstanceOf(QueryException.class).hasMessageContaining("pg_ts_config");
        // PostgreSQL would cut a longer name to its first 63 bytes, naming another configuration.
        assertThatThrownBy(() -> plainTextSearch("body", "english" + "_".repeat(57), "rats"))
                .isInstanceOf(QueryException.class).hasMessageContaining("plainTextSearch(\"body\"")
                .hasMessageContaining("at most 63");
        assertThatThrownBy(() -> acme(textSearch("scores", "english", "rats")))
                .isInstanceOf(QueryException.class).hasMessageContaining("scores")
                .hasMessageContaining("text or tsvector attribute");
    }

    @Test
    void aRankOrdersTheMatchesBestFirst() {
        List<Object> ranked = ashlar.withTenant("acme").read("post").where(textSearch("body", "english", "rats cheese"))
                .sort(Sort.descBy(sql("ts_rank(to_tsvector('english', coalesce(body, '')), "
                        + "websearch_to_tsquery('english', ?))", "rats cheese"))).list().stream()
                .map(r -> r.get("id")).toList();

        List<Object> expected = db.query("SELECT id FROM arrsearch_posts WHERE tenant = 'acme' AND deleted_at IS NULL "
                + "AND to_tsvector('english', body) @@ websearch_to_tsquery('english', 'rats cheese') ORDER BY "
                + "ts_rank(to_tsvector('english', body), websearch_to_tsquery('english', 'rats cheese')) DESC")
                .stream().map(r -> r.get("id")).toList();
        assertThat(ranked).hasSize(2).isEqualTo(expected);
    }
}
