package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.and;
import static dev.ashlar.api.query.Filter.contains;
import static dev.ashlar.api.query.Filter.containsIgnoreCase;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.ilike;
import static dev.ashlar.api.query.Filter.in;
import static dev.ashlar.api.query.Filter.isNil;
import static dev.ashlar.api.query.Filter.like;
import static dev.ashlar.api.query.Filter.ne;
import static dev.ashlar.api.query.Filter.not;
import static dev.ashlar.api.query.Filter.notNil;
import static dev.ashlar.api.query.Filter.or;
import static dev.ashlar.api.query.Filter.ref;
import static dev.ashlar.api.query.Filter.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * AshPostgres's {@code filter_test}, case by case (the README's "AshPostgres mapping" says where each case is), on
 * {@link AshPostgresSuiteReads}, asserted on the rows read.
 */
class AshPostgresSuiteFilterTest extends AshPostgresSuiteReads {

    private List<String> titles(Filter filter) {
        return values(ashlar.read("post").where(filter).list(), "title");
    }

    private Row post(Map<String, ?> values) {
        return ashlar.create("post", values);
    }

    /** "with no filter applied": with no data, with data. */
    @Test
    void aReadWithoutAFilterGivesEveryRow() {
        assertThat(ashlar.read("post").list()).isEmpty();
        post("title");
        assertThat(values(ashlar.read("post").list(), "title")).containsExactly("title");
    }

    /**
     * "type casting": a decimal compared with a decimal value, {@code (decimal || 10) == 20} (coalesce), and the
     * boolean {@code ||} and {@code &&}; Ashlar binds each value as its attribute's type.
     */
    @Test
    void decimalsAndBooleansCompareAsTheirTypes() {
        post(Map.of("title", "ten", "decimal", new BigDecimal("10.00"), "is_special", true, "public", false));
        post(Map.of("title", "none", "is_special", false, "public", true));
        post(Map.of("title", "both", "decimal", new BigDecimal("20"), "is_special", true, "public", true));

        assertThat(titles(eq("decimal", new BigDecimal("10")))).containsExactly("ten");
        assertThat(titles(sql("coalesce(\"decimal\", ?) = ?", new BigDecimal("20"), new BigDecimal("20"))))
                .containsExactlyInAnyOrder("none", "both");
        post(Map.of("title", "neither", "is_special", false, "public", false));
        assertThat(titles(or(eq("is_special", true), eq("public", true))))
                .containsExactlyInAnyOrder("ten", "none", "both");
        assertThat(titles(or(eq("is_special", true), sql("?", false)))).containsExactlyInAnyOrder("ten", "both");
        assertThat(titles(and(eq("is_special", true), eq("public", true)))).containsExactly("both");
        assertThat(titles(and(eq("is_special", false), eq("public", false)))).containsExactly("neither");
    }

    /** "ci_string argument casting", "case insensitive fields". */
    @Test
    void aCaseInsensitiveAttributeMatchesAValueInAnyCase() {
        post(Map.of("title", "match", "category", "FoObAr"));
        post(Map.of("category", "bazbuz"));

        assertThat(titles(eq("category", "fOoBaR"))).containsExactly("match");
        assertThat(titles(in("category", List.of("FOOBAR")))).containsExactly("match");
    }

    /** "with an invalid uuid, an invalid error is raised". */
    @Test
    void aValueThatIsNoUuidIsRefusedNamingTheResourceAndField() {
        assertThatThrownBy(() -> ashlar.read("post").where(eq("id", "foo")).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("post").hasMessageContaining("id");
    }

    /** "with a simple filter applied": no data, data that matches, data that does not. */
    @Test
    void anEqualityFilterKeepsOnlyTheMatchingRows() {
        assertThat(titles(eq("title", "title"))).isEmpty();
        post("title");
        assertThat(titles(eq("title", "title"))).containsExactly("title");
        assertThat(titles(eq("title", "no_title"))).isEmpty();
    }

    /** "with related data that doesn't match", "... that does match", "... that does and doesn't match". */
    @Test
    void aFilterThroughAHasManyKeepsEachPostWithAMatchingCommentOnce() {
        Row post = post("title");
        comment("not match", post);
        assertThat(titles(eq("comments.title", "match"))).isEmpty();

        comment("match", post);
        comment("match", post);
        assertThat(titles(eq("comments.title", "match"))).containsExactly("title");
    }

    /** "with related data two steps away that matches". */
    @Test
    void aPathThroughABelongsToAHasManyAndAManyToManyFindsTheComment() {
        Row author = ashlar.create("author", Map.of("first_name", "match"));
        Row post = post("title", author);
        link(post("title2", author), post);
        ashlar.create("comment", Map.of("title", "not match", "post_id", post.get("id"),
                "author_id", author.get("id")));
        ashlar.create("comment", Map.of("title", "no author", "post_id", post.get("id")));

        assertThat(values(ashlar.read("comment").where(eq("author.posts.linked_posts.title", "title")).list(), "title"))
                .containsExactly("not match");
    }

    /** "in": it properly filters. */
    @Test
    void inKeepsTheRowsHoldingOneOfTheValues() {
        post("title");
        post("title1");
        post("title2");

        assertThat(values(ashlar.read("post").where(in("title", List.of("title1", "title2")))
                .sort(Sort.asc("title")).list(), "title")).containsExactly("title1", "title2");
    }

    /** "with a boolean filter applied": no data, no match, both conditions, one condition. */
    @Test
    void anOrKeepsRowsMatchingEitherSide() {
        Filter either = or(eq("title", "title"), eq("score", 1));
        assertThat(titles(either)).isEmpty();
        post("no title", 2);
        assertThat(titles(either)).isEmpty();
        post("title", 0);
        assertThat(titles(either)).containsExactly("title");
        post("nothing", 1);
        assertThat(titles(either)).containsExactlyInAnyOrder("title", "nothing");
    }

    /** "with related data in an or statement that matches / doesn't match, while basic filter doesn't / does". */
    @Test
    void anOrOfAnAttributeAndARelatedFieldKeepsRowsMatchingEitherSide() {
        comment("match", post("doesn't match"));
        comment("doesn't match", post("match"));
        post("lonely");

        assertThat(titles(or(eq("title", "match"), eq("comments.title", "match"))))
                .containsExactlyInAnyOrder("doesn't match", "match");
    }

    /** "with related data and an inner join condition". */
    @Test
    void aFieldComparedWithARelatedFieldNeedsAMatchingRelatedRow() {
        comment("match", post("match"));
        post("match");

        assertThat(titles(eq("title", ref("comments.title")))).containsExactly("match");
        assertThat(titles(ne("title", ref("comments.title")))).isEmpty();
    }

    /** "actor templates work in relationships": the actor's key is a value of the read. */
    @Test
    void anActorsKeyGivenAsAValueFiltersThroughTheRelationship() {
        Row actor = ashlar.create("author", Map.of("first_name", "actor"));
        Row other = ashlar.create("author", Map.of("first_name", "other"));
        post("match", actor);

        assertThat(titles(eq("author.id", actor.get("id")))).containsExactly("match");
        assertThat(titles(eq("author.id", other.get("id")))).isEmpty();
    }

    /** "accessing embeds": simple equality, integers, an expression, a calculation over the embed. */
    @Test
    void pathsIntoAJsonAttributeFilterAsTheValuesType() {
        ashlar.create("author", Map.of("first_name", "dr",
                "bio", Map.of("title", "Dr.", "bio", "Strange", "years_of_experience", 10)));
        ashlar.create("author", Map.of("first_name", "highlander",
                "bio", Map.of("title", "Highlander", "bio", "There can be only one.")));

        assertThat(authors(eq("bio.title", "Dr."))).containsExactly("dr");
        assertThat(authors(eq("bio.years_of_experience", 10))).containsExactly("dr");
        assertThat(authors(contains("bio.bio", "only one."))).containsExactly("highlander");
        assertThat(authors(eq("title", "Dr."))).containsExactly("dr");
    }

    private List<String> authors(Filter filter) {
        return values(ashlar.read("author").where(filter).list(), "first_name");
    }

    /** "basic expressions work": {@code score + 1 == 5}. */
    @Test
    void anArithmeticConditionKeepsTheRowsItHoldsFor() {
        post("match", 4);
        post("non_match", 2);

        assertThat(titles(sql("score + 1 = ?", 5))).containsExactly("match");
    }

    /** "contains/2": a match, a case-insensitive value, a case-insensitive column and calculation, related values. */
    @Test
    void containsMatchesTextCaseInsensitiveColumnsAndRelatedValues() {
        Row match = post(Map.of("title", "match", "category", "match"));
        Row other = post(Map.of("title", "bazbuz", "category", "bazbuz"));
        comment("abba", match);
        comment("acca", other);

        assertThat(titles(contains("title", "atc"))).containsExactly("match");
        assertThat(titles(contains("title", "ATC"))).isEmpty();
        assertThat(titles(containsIgnoreCase("title", "ATC"))).containsExactly("match");
        assertThat(titles(contains("category", "ATC"))).containsExactly("match");
        assertThat(titles(contains("category_label", "atc"))).containsExactly("match");
        assertThat(titles(eq("category_label", "match"))).containsExactly("match");
        assertThat(titles(contains("comments.title", "bb"))).containsExactly("match");
    }

    /**
     * A calculation declared CITEXT over mixed-case text sorts and matches {@code in} without case; the same text
     * column sorts upper case first under the database's C collation.
     */
    @Test
    void aCaseInsensitiveCalculationSortsAndMatchesInWithoutCase() {
        post("B");
        post("a");
        post("C");

        assertThat(values(ashlar.read("post").sort(Sort.asc("title")).list(), "title"))
                .containsExactly("B", "C", "a");
        assertThat(values(ashlar.read("post").sort(Sort.asc("title_ci")).list(), "title"))
                .containsExactly("a", "B", "C");
        assertThat(titles(in("title_ci", List.of("b", "A")))).containsExactlyInAnyOrder("a", "B");
        assertThat(titles(in("title", List.of("b", "A")))).isEmpty();
    }

    /**
     * "length/1": a list attribute, nil, and a value that is no list; a list given as a value is refused in SQL
     * (its length is known before the read).
     */
    @Test
    void theLengthOfAnArrayFiltersAndOfTextIsRefusedByTheServer() {
        ashlar.create("author", Map.of("first_name", "badged", "badges", List.of("author_of_the_year")));
        ashlar.create("author", Map.of("first_name", "empty", "badges", List.of()));
        ashlar.create("author", Map.of("first_name", "nil"));

        assertThat(authors(sql("cardinality(badges) > ?", 0))).containsExactly("badged");
        assertThat(authors(sql("cardinality(coalesce(badges, '{}')) > ?", 0))).containsExactly("badged");
        assertThatThrownBy(() -> authors(sql("cardinality(?::text[]) > ?", new String[] {"foo"}, 0)))
                .isInstanceOf(QueryException.class).hasMessageContaining("java.lang.String[]");
        assertThatThrownBy(() -> authors(sql("cardinality(first_name) > ?", 0)))
                .isInstanceOf(DatabaseException.class).hasMessageContaining("author")
                .hasMessageContaining("cardinality(text) does not exist");
    }

    /** "exists/2": single relationships, many to many, join association relationships. */
    @Test
    void existsFollowsAHasManyAndAManyToManyOnlyThroughItsOwnLinks() {
        Row a = post("a");
        comment("abba", a);
        comment("acca", post("no_match"));
        Row b = post("b");
        link(b, a);
        link(a, post("other"));

        assertThat(titles(exists("comments", eq("title", "abba")))).containsExactly("a");
        assertThat(titles(exists("linked_posts", eq("title", "a")))).containsExactly("b");
    }

    /** "it works with nested relationships as the path", "... an at_path", "... nested relationships inside". */
    @Test
    void existsTakesAPathAPathBesideAndAPathInside() {
        Row a = post("a");
        Row otherA = post("other_a");
        comment("comment", a);
        comment("comment", otherA);
        link(post("b"), a);
        link(post("c"), otherA);

        assertThat(titles(exists("linked_posts.comments", eq("title", "comment")))).containsExactlyInAnyOrder("b", "c");
        assertThat(titles(and(eq("linked_posts.title", "a"), exists("linked_posts.comments", eq("title", "comment")))))
                .containsExactly("b");
        assertThat(titles(exists("linked_posts", and(eq("title", "a"), eq("comments.title", "comment")))))
                .containsExactly("b");
    }

    /** "it works with aggregates inside of exists": a comment's first aggregate over its post. */
    @Test
    void existsReadsAnAggregateOfTheRelatedRecords() {
        Row a = post(Map.of("title", "a", "category", "foo"));
        comment("comment", a);
        link(post("b"), a);
        Row bar = post(Map.of("title", "bar", "category", "bar"));
        comment("comment", bar);
        link(post("c"), bar);

        assertThat(titles(exists("linked_posts.comments", and(eq("title", "comment"), eq("post_category", "FOO")))))
                .containsExactly("b");
    }

    /** "it works with synthesized to-one relationships": a sorted has-one's first record. */
    @Test
    void existsOverASortedHasOneLooksAtItsFirstRecordOnly() {
        for (int i = 1; i <= 4; i++) {
            Row post = post(String.valueOf(i));
            ashlar.create("comment", Map.of("title", "comment", "post_id", post.get("id"),
                    "created_at", Instant.parse("2025-01-01T00:00:00Z")));
            if (i % 2 == 0) {
                ashlar.create("comment", Map.of("title", "later_comment", "post_id", post.get("id"),
                        "created_at", Instant.parse("2025-01-02T00:00:00Z")));
            }
        }

        assertThat(titles(exists("latest_comment", eq("title", "later_comment")))).containsExactlyInAnyOrder("2", "4");
        assertThat(titles(exists("latest_comment", eq("title", "comment")))).containsExactlyInAnyOrder("1", "3");
    }

    /** "filtering on enum types" (with and without a cast), "atom filters" (a default value). */
    @Test
    void enumsAndDefaultsFilterByTheirText() {
        post(Map.of("title", "open", "status_enum", "open"));
        post(Map.of("title", "closed", "status_enum", "closed"));

        assertThat(ashlar.read("post").where(eq("status_enum", "open")).one()).get()
                .satisfies(r -> assertThat(r.getString("title")).isEqualTo("open"));
        assertThat(titles(eq("type", "sponsored"))).containsExactlyInAnyOrder("open", "closed");
    }

    /** "like builds and matches", "ilike builds and matches". */
    @Test
    void likeMatchesTheCaseGivenAndIlikeAnyCase() {
        post("MaTcH");

        assertThat(titles(like("title", "%aTc%"))).containsExactly("MaTcH");
        assertThat(titles(like("title", "%atc%"))).isEmpty();
        assertThat(titles(ilike("title", "%aTc%"))).containsExactly("MaTcH");
        assertThat(titles(ilike("title", "%atc%"))).containsExactly("MaTcH");
    }

    /** "trigram_similarity": matches and non-matches; "fragments": double replacement. */
    @Test
    void sqlFragmentsBindEveryValue() {
        Row match = post("match", 4);
        post("non_match", 2);

        assertThat(titles(sql("similarity(title, ?) > 0.9", "match"))).containsExactly("match");
        assertThat(titles(sql("similarity(title, ?) < 0.1", "match"))).isEmpty();
        assertThat(titles(sql("title = ?", match.get("title")))).containsExactly("match");
        assertThat(titles(sql("title = ?", "nope' OR '1' = '1"))).isEmpty();
    }

    /** "filtering allows filtering on list aggregates with filters" and "... count aggregates with filters". */
    @Test
    void filteredListAndCountAggregatesFilter() {
        Row match = post("match");
        ashlar.create("comment", Map.of("title", "match", "likes", 5, "post_id", match.get("id")));
        ashlar.create("comment", Map.of("title", "non_match", "likes", 5, "post_id", match.get("id")));
        Row other = post("non_match");
        ashlar.create("comment", Map.of("title", "non_match", "likes", 5, "post_id", other.get("id")));
        ashlar.create("comment", Map.of("title", "match", "likes", 4, "post_id", other.get("id")));

        assertThat(titles(contains("comment_titles_with_5_likes", "match"))).containsExactly("match");
        assertThat(titles(eq("count_of_comments_that_have_a_post", 2))).containsExactlyInAnyOrder("match", "non_match");
        assertThat(titles(eq("count_of_comments_called_match", 1))).containsExactlyInAnyOrder("match", "non_match");
    }

    /**
     * "filtering on relationships that themselves have filters" (plain, nested, an aggregate loaded and filtered on),
     * and "can reference related items from a relationship expression".
     */
    @Test
    void pathsThroughFilteredRelationshipsKeepOnlyTheirMatches() {
        Row post = post("post");
        Row popular = comment("popular", post);
        Row unpopular = comment("unpopular", post);
        ashlar.create("rating", Map.of("score", 9, "comment_id", popular.get("id")));
        ashlar.create("rating", Map.of("score", 1, "comment_id", unpopular.get("id")));
        comment("alone", post("other"));
        ashlar.create("comment", Map.of("title", "foo", "likes", 20, "post_id", post.get("id")));

        assertThat(values(ashlar.read("comment").where(notNil("popular_ratings.id")).list(), "title"))
                .containsExactly("popular");
        assertThat(titles(notNil("comments.popular_ratings.id"))).containsExactly("post");
        assertThat(ashlar.read("comment").load("count_of_co_popular_comments").list())
                .extracting(c -> c.get("title") + ":" + c.get("count_of_co_popular_comments"))
                .containsExactlyInAnyOrder("popular:2", "unpopular:2", "foo:2", "alone:0");
        assertThat(values(ashlar.read("comment").where(gt("count_of_co_popular_comments", 1)).list(), "title"))
                .containsExactlyInAnyOrder("popular", "unpopular", "foo");
        assertThat(titles(eq("comments_with_high_rating.title", "foo"))).containsExactly("post");
    }

    /** "filter by has_one from_many?", "using exists with from_many?". */
    @Test
    void aSortedHasOneFiltersByItsFirstRecord() {
        List<Row> members = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Row channel = ashlar.create("channel", Map.of());
            members.add(ashlar.create("channel_member", Map.of("channel_id", channel.get("id"))));
        }
        Row crowded = ashlar.create("channel", Map.of());
        List<Row> crowd = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            crowd.add(ashlar.create("channel_member", Map.of("channel_id", crowded.get("id"))));
        }

        assertThat(ashlar.read("channel").where(ne("first_member.id", members.get(1).get("id"))).count()).isEqualTo(5);
        assertThat(ashlar.read("channel").where(eq("first_member.id", members.get(1).get("id"))).count()).isEqualTo(1);
        assertThat(ashlar.read("channel").where(exists("first_member", eq("id", crowd.get(1).get("id")))).count())
                .isZero();
        assertThat(ashlar.read("channel").where(exists("first_member", eq("id", crowd.get(0).get("id")))).list())
                .extracting(r -> r.get("id")).containsExactly(crowded.get("id"));
    }

    /** "using exists with has_many with limit": only the two best ratings are related. */
    @Test
    void existsOverALimitedHasManyLooksAtItsFirstRecordsOnly() {
        Row comment = comment("test", post("post"));
        for (int score = 1; score <= 5; score++) {
            ashlar.create("rating", Map.of("score", score, "comment_id", comment.get("id")));
        }

        assertThat(List.of(5, 4, 3, 1)).extracting(score -> ashlar.read("comment")
                .where(exists("top_ratings", eq("score", score))).count()).containsExactly(1L, 1L, 0L, 0L);
    }

    /** "using (is_nil(relationship) and other_relation_filter) will trigger left join", "filter with ref". */
    @Test
    void aMissingBelongsToBesideAConditionOnAnotherAndAPathFromTheTop() {
        Row organization = ashlar.create("organization", Map.of("name", "foo"));
        Row post = post(Map.of("title", "orphan", "organization_id", organization.get("id")));
        Row comment = comment("not match", post);
        Row author = ashlar.create("author", Map.of("first_name", "a"));
        post(Map.of("title", "authored", "organization_id", organization.get("id"), "author_id", author.get("id")));

        assertThat(titles(and(not(exists("author")), containsIgnoreCase("organization.name", "FOO"))))
                .containsExactly("orphan");
        assertThat(titles(and(isNil("author.id"), sql("lower(?) <> ''", "x"), containsIgnoreCase("organization.name",
                "foo")))).containsExactly("orphan");
        assertThat(ashlar.read("organization").where(eq("posts.comments.id", comment.get("id"))).one()).get()
                .satisfies(o -> assertThat(o.get("id")).isEqualTo(organization.get("id")));
    }

    /**
     * "required!/1 and ash_required/1": {@code not is_nil} and {@code required!} keep rows holding a value, 0 and false
     * included, on an attribute, a key, inside an exists, on a JSON key, beside another condition.
     */
    @Test
    void notNilKeepsRowsHoldingAValueZeroAndFalseIncluded() {
        assertThat(titles(notNil("category"))).isEmpty();
        post(Map.of("title", "with category", "category", "tech"));
        post(Map.of("title", "other", "category", "other"));
        Row plain = post("no category");
        post(Map.of("title", "zero score", "score", 0));
        post(Map.of("title", "false public", "public", false));
        Row author = ashlar.create("author", Map.of("first_name", "A", "settings", Map.of("dues_reminders",
                List.of("email"))));
        ashlar.create("author", Map.of("first_name", "C", "settings", Map.of()));
        post("linked", author);
        comment("has title", plain);
        ashlar.create("comment", Map.of("post_id", post("untitled comment").get("id")));

        assertThat(titles(notNil("category"))).containsExactlyInAnyOrder("with category", "other");
        assertThat(titles(and(notNil("category"), eq("category", "tech")))).containsExactly("with category");
        assertThat(titles(and(in("title", List.of("zero score", "no category")), notNil("score"))))
                .containsExactly("zero score");
        assertThat(titles(and(in("title", List.of("false public", "no category")), notNil("public"))))
                .containsExactly("false public");
        assertThat(titles(notNil("author_id"))).containsExactly("linked");
        assertThat(titles(exists("comments", notNil("title")))).containsExactly("no category");
        assertThat(authors(notNil("settings.dues_reminders"))).containsExactly("A");
    }

    /** Hostile input: a field name that is no attribute is refused naming the resource, a value is bound as text. */
    @Test
    void aHostileFieldNameIsRefusedAndAHostileValueMatchesOnlyItself() {
        post("it's \"quoted\"; DROP TABLE posts; --");
        post("other");

        assertThatThrownBy(() -> ashlar.read("post").where(eq("title\"; DROP TABLE posts; --", "x")).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("post");
        assertThat(titles(eq("title", "it's \"quoted\"; DROP TABLE posts; --"))).hasSize(1);
        assertThat(titles(eq("comments.title", "' OR '1'='1"))).isEmpty();
        assertThat(ashlar.read("post").count()).isEqualTo(2);
    }
}
