package dev.ashlar.kernel.data;

import dev.ashlar.kernel.Ashlar;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.spi.plugin.QueryContext;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.query.Sort;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static dev.ashlar.kernel.data.RelationshipDomain.comments;
import static dev.ashlar.kernel.data.RelationshipDomain.post;
import static dev.ashlar.kernel.data.RelationshipDomain.user;
import static dev.ashlar.api.query.Filter.Operator.GTE;
import static dev.ashlar.api.query.Filter.and;
import static dev.ashlar.api.query.Filter.count;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.not;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RelationshipFilterTest {
    private Ashlar ashlar;

    /** Comments belong to a tenant through their {@code tenant} column, when a read names one. */
    static OneResourceTenancy commentTenancy() {
        return OneResourceTenancy.column("comment", "tenant", true);
    }

    @BeforeAll
    void start(TestDatabase db) {
        ashlar = Fixtures.ashlar(db, RelationshipDomain.DOMAIN, commentTenancy());
        Row ada = user(ashlar, "Ada");
        Row bob = user(ashlar, "Bob");
        Row cy = user(ashlar, "Cy");
        Row busy = post(ashlar, ada, "busy");
        Row quiet = post(ashlar, bob, "quiet");
        post(ashlar, cy, "empty");
        comments(ashlar, busy, bob, 5, 5, 2);
        comments(ashlar, quiet, cy, 3);
        ashlar.create("comment", Map.of("body", "theirs", "rating", 5, "post_id", quiet.get("id"),
                "author_id", ada.get("id"), "tenant", "acme"));
        Row java = ashlar.create("tag", Map.of("name", "java"));
        ashlar.create("post_tag", Map.of("post_id", busy.get("id"), "tag_id", java.get("id")));
    }

    @AfterAll
    void stop() {
        ashlar.close();
    }

    private List<String> titles(Filter filter, Sort... sorts) {
        return ashlar.read("post").where(filter).sort(sorts.length == 0 ? new Sort[]{Sort.asc("id")} : sorts).list()
                .stream().map(p -> p.getString("title")).toList();
    }

    @Test
    void filtersThroughABelongsToPath() {
        assertThat(titles(eq("author.name", "Ada"))).containsExactly("busy");
    }

    @Test
    void aValueThroughAToOnePathIsNilWhenThereIsNoRelatedRecordAsALeftJoinReadsIt() {
        Row nameless = ashlar.create("user", Map.of());
        List<Row> made = List.of(ashlar.create("post", Map.of("title", "orphan")),
                ashlar.create("post", Map.of("title", "nameless", "author_id", nameless.get("id"))));
        Filter mine = Filter.in("title", List.of("orphan", "nameless", "busy"));
        try {
            assertThat(titles(and(mine, Filter.isNil("author.name")))).containsExactly("orphan", "nameless");
            assertThat(titles(and(mine, eq("author.name", null)))).containsExactly("orphan", "nameless");
            assertThat(titles(and(mine, Filter.isNil("author.profile.bio")))).as("through two to-one steps")
                    .containsExactly("busy", "orphan", "nameless");
            assertThat(titles(and(mine, Filter.notNil("author.name")))).containsExactly("busy");
            assertThat(titles(and(mine, not(Filter.isNil("author.name"))))).containsExactly("busy");
            assertThat(titles(and(mine, Filter.ne("author.name", "Ada")))).as("no value compares with none")
                    .isEmpty();
            assertThat(titles(and(mine, Filter.isNil("comments.body")))).as("to-many: some comment has none")
                    .isEmpty();
            assertThat(ashlar.read("post").where(mine).sort(Sort.asc("author.name").nullsFirst(), Sort.asc("id"))
                    .list()).extracting(p -> p.getString("title")).containsExactly("orphan", "nameless", "busy");
        } finally {
            made.forEach(ashlar::destroy);
            ashlar.destroy(nameless);
        }
    }

    @Test
    void aNegatedComparisonThroughAToOnePathKeepsNoPostWhoseAuthorIsMissingOrNamelessAsALeftJoinReadsIt() {
        Row nameless = ashlar.create("user", Map.of());
        List<Row> made = List.of(ashlar.create("post", Map.of("title", "orphan")),
                ashlar.create("post", Map.of("title", "nameless", "author_id", nameless.get("id"))));
        Filter mine = Filter.in("title", List.of("orphan", "nameless", "busy", "quiet"));
        try {
            assertThat(titles(and(mine, eq("author.name", "Ada")))).containsExactly("busy");
            // NOT (NULL = 'Ada') is NULL: a post with no author, or an author with no name, is not kept (Ash, AshSql)
            assertThat(titles(and(mine, not(eq("author.name", "Ada"))))).containsExactly("quiet");
            assertThat(titles(and(mine, not(not(eq("author.name", "Ada")))))).containsExactly("busy");
            assertThat(titles(and(mine, not(Filter.or(eq("author.name", "Ada"), eq("author.name", "Bob"))))))
                    .isEmpty();
            assertThat(titles(and(mine, not(eq("author.profile.bio", "x"))))).as("through two to-one steps")
                    .isEmpty();
            assertThat(titles(and(mine, Filter.isNil("author.name")))).containsExactly("orphan", "nameless");
            assertThat(titles(and(mine, not(Filter.isNil("author.name"))))).containsExactly("busy", "quiet");
            assertThat(titles(and(mine, not(gt("comments.rating", 4))))).as("to-many paths keep their exists")
                    .containsExactly("orphan", "nameless");
        } finally {
            made.forEach(ashlar::destroy);
            ashlar.destroy(nameless);
        }
    }

    @Test
    void filtersThroughAHasManyPathWithoutRepeatingParents() {
        assertThat(titles(gt("comments.rating", 4))).containsExactly("busy", "quiet");
    }

    @Test
    void filtersThroughANestedPathAndAManyToMany() {
        assertThat(titles(eq("comments.author.name", "Cy"))).containsExactly("quiet");
        assertThat(titles(eq("tags.name", "java"))).containsExactly("busy");
    }

    @Test
    void filtersByExistsAndItsNegation() {
        assertThat(titles(exists("comments", and(gt("rating", 4), eq("author.name", "Bob"))))).containsExactly("busy");
        assertThat(titles(not(exists("comments")))).containsExactly("empty");
    }

    @Test
    void filtersAndSortsByTheNumberOfRelatedRecords() {
        assertThat(titles(count("comments", GTE, 2))).containsExactly("busy", "quiet");
        assertThat(titles(count("comments", gt("rating", 4), GTE, 2))).containsExactly("busy");
        assertThat(titles(eq("title", "busy"), Sort.desc("comments").byCount()))
                .containsExactly("busy");
        assertThat(ashlar.read("post").sort(Sort.desc("comments").byCount(), Sort.asc("id")).list())
                .extracting(p -> p.getString("title")).containsExactly("busy", "quiet", "empty");
    }

    @Test
    void sortsByAnAttributeOfAToOneRelationship() {
        assertThat(ashlar.read("post").sort(Sort.desc("author.name")).list())
                .extracting(p -> p.getString("title")).containsExactly("empty", "quiet", "busy");
    }

    @Test
    void aCursorOverASortByAToManyPathIsRefusedSayingHowToPageInstead() {
        assertThatThrownBy(() -> ashlar.read("post").sort(Sort.asc("comments.rating")).after(5, 1).list())
                .isInstanceOf(AshlarException.class)
                .hasMessageContaining("to-one relationships only", "'comments.rating' is a path", "offset(...)");
    }

    @Test
    void refusesToSortByAnAttributeOfAToManyRelationship() {
        assertThatThrownBy(() -> ashlar.read("post").sort(Sort.asc("comments.rating")).list())
                .isInstanceOf(AshlarException.class).hasMessageContaining("byCount");
    }

    @Test
    void countsAndUpdatesThroughRelationships() {
        assertThat(ashlar.read("post").where(gt("comments.rating", 4)).count()).isEqualTo(2);
        assertThat(ashlar.read("post").where(eq("author.name", "Cy")).exists()).isTrue();
        assertThat(ashlar.read("post").where(eq("author.name", "Nobody")).updateAll(Map.of("title", "x"))).isEmpty();
    }

    @Test
    void relationshipFiltersAndLoadsHonourTheTenantHooks() {
        assertThat(ashlar.read("post").tenant("acme").where(exists("comments")).list())
                .extracting(p -> p.getString("title")).containsExactly("quiet");
        List<Row> loaded = ashlar.read("post").tenant("acme").where(eq("title", "quiet")).load("comments").list();
        assertThat(loaded.get(0).related("comments")).extracting(c -> c.getString("body")).containsExactly("theirs");
        assertThat(ashlar.read("post").where(eq("title", "quiet")).load("comments").list().get(0).related("comments"))
                .hasSize(2);
    }
}
