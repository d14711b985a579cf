package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.CalculationArgument;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.and;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.resource.Type.BOOLEAN;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.JSON;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static dev.ashlar.api.resource.Type.arrayOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * AshPostgres's {@code calculation_test}, case by case, over resources shaped as its test resources are (the README's
 * "AshPostgres mapping" names the tests elsewhere that restate the others). Ash's expression functions are written as
 * the SQL AshPostgres gives them: {@code string_join} as {@code concat_ws}, {@code if} as {@code CASE}, {@code at} as
 * an array subscript. Each test names the cases it follows.
 */
class AshPostgresSuiteCalculationTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("ash_suite_calculations")
            .resource(Resource.builder("author").table("authors")
                    .integerPrimaryKey("id")
                    .attribute("first_name", TEXT)
                    .attribute("last_name", TEXT)
                    .attribute("bio", JSON)
                    .hasMany("posts", "post")
                    .hasOne("profile", "profile")
                    .first("profile_description", "profile", "description", Sort.asc("id"))
                    .calculate("title", String.class, "bio ->> 'title'")
                    .calculate("full_name", String.class, "first_name || ' ' || last_name")
                    .calculate("full_name_with_nils", String.class, "concat_ws(' ', first_name, last_name)")
                    .calculate("full_name_with_nils_no_joiner", String.class, "concat_ws('', first_name, last_name)")
                    .calculate("split_full_name", arrayOf(TEXT),
                            "regexp_split_to_array(btrim(full_name), '\\s+')")
                    .calculate("split_full_name_trim", arrayOf(TEXT),
                            "array_remove(string_to_array(full_name, ' '), '')")
                    .calculate("first_name_from_split", String.class, "(split_full_name_trim)[1]")
                    .calculate("first_name_or_bob", String.class, "coalesce(first_name, 'bob')")
                    .calculate("first_name_and_bob", String.class,
                            "CASE WHEN first_name IS NOT NULL THEN 'bob' END")
                    .calculate("conditional_full_name", String.class,
                            "CASE WHEN first_name IS NULL OR last_name IS NULL THEN '(none)' "
                                    + "ELSE first_name || ' ' || last_name END")
                    .calculate("nested_conditional", String.class,
                            "CASE WHEN first_name IS NULL THEN 'No First Name' "
                                    + "ELSE CASE WHEN last_name IS NULL THEN 'No Last Name' "
                                    + "ELSE first_name || ' ' || last_name END END")
                    .calculate("param_full_name", String.class, "first_name || :separator || last_name",
                            CalculationArgument.of("separator", String.class).withDefault(" "))
                    .build())
            .resource(Resource.builder("profile").table("profiles")
                    .integerPrimaryKey("id")
                    .attribute("description", TEXT)
                    .belongsTo("author", "author")
                    .build())
            .resource(Resource.builder("post").table("posts")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .attribute("score", INTEGER)
                    .attribute("price", INTEGER)
                    .attribute("stuff", JSON)
                    .attribute("created_at", TIMESTAMPTZ, a -> a.defaultSql("now()"))
                    .belongsTo("author", "author")
                    .hasMany("comments", "comment")
                    .manyToMany("linked_posts", "post", r -> r.through("post_link")
                            .sourceAttributeOnJoin("source_id").destinationAttributeOnJoin("dest_id"))
                    .count("count_of_comments", "comments")
                    .count("count_of_linked_posts", "linked_posts")
                    .count("called_foo", "comments", eq("title", "foo"))
                    .count("called_bar", "comments", eq("title", "bar"))
                    .first("latest_comment_created_at", "comments", "created_at", Sort.desc("created_at"))
                    .first("latest_arbitrary_timestamp", "comments", "arbitrary_timestamp",
                            Sort.desc("arbitrary_timestamp"))
                    .first("author_profile_description", "author.profile", "description", Sort.asc("id"))
                    .calculate("author_profile_description_from_agg", String.class, "author_profile_description")
                    .calculate("c_times_p", Long.class, "count_of_comments * count_of_linked_posts")
                    .calculate("negative_score", Integer.class, "-score")
                    .calculate("score_map", JSON, "jsonb_build_object('negative_score', "
                            + "jsonb_build_object('foo', negative_score, 'bar', negative_score))")
                    .calculate("agg_map", JSON,
                            "jsonb_build_object('called_foo', called_foo, 'called_bar', called_bar)")
                    .calculate("author_first_name_calc", String.class,
                            "(SELECT a.first_name FROM authors a WHERE a.id = self.author_id)")
                    .calculate("has_future_comment", Boolean.class,
                            "coalesce(latest_comment_created_at > now(), false)")
                    .calculate("has_future_arbitrary_timestamp", Boolean.class, "latest_arbitrary_timestamp > now()")
                    .calculate("was_created_in_the_last_month", Boolean.class,
                            "CASE WHEN now() <= created_at - interval '1 month' THEN true ELSE false END")
                    .calculate("price_string", String.class, "(price / 100) || '.' || (price % 100)")
                    .calculate("price_string_with_currency_sign", String.class, "price_string || '$'")
                    .calculate("foo_bar_from_stuff", String.class, "stuff #>> '{foo,bar}'")
                    .calculate("calc_returning_json", JSON, "'{\"amount\":100, \"currency\": \"usd\"}'::jsonb")
                    .calculate("similarity", Boolean.class, "to_tsvector(title) @@ to_tsquery(:search)",
                            CalculationArgument.of("search", String.class).notNull())
                    .build())
            .resource(Resource.builder("post_link").table("post_links")
                    .belongsTo("source", "post", r -> r.primaryKey().allowNil(false))
                    .belongsTo("dest", "post", r -> r.primaryKey().allowNil(false))
                    .build())
            .resource(Resource.builder("comment").table("comments")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .attribute("likes", INTEGER)
                    .attribute("created_at", TIMESTAMPTZ, a -> a.defaultSql("now()"))
                    .attribute("arbitrary_timestamp", TIMESTAMPTZ)
                    .belongsTo("post", "post")
                    .belongsTo("author", "author")
                    .build())
            .resource(Resource.builder("user").table("users")
                    .integerPrimaryKey("id")
                    .attribute("is_active", BOOLEAN)
                    .build())
            .resource(Resource.builder("account").table("accounts")
                    .integerPrimaryKey("id")
                    .attribute("is_active", BOOLEAN)
                    .belongsTo("user", "user")
                    .first("user_is_active", "user", "is_active")
                    .calculate("active", Boolean.class, "is_active AND user_is_active")
                    .build())
            .build();

    AshPostgresSuiteCalculationTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE accounts, users, comments, post_links, posts, profiles, authors RESTART IDENTITY CASCADE");
    }

    private Row post(String title) {
        return ashlar.create("post", Map.of("title", title));
    }

    private Row author(String first, String last) {
        Map<String, Object> values = new HashMap<>();
        values.put("first_name", first);
        values.put("last_name", last);
        values.put("bio", "{\"title\": \"Mr.\", \"bio\": \"Bones\"}");
        return ashlar.create("author", values);
    }

    private Row comment(Row post, String title) {
        return ashlar.create("comment", Map.of("title", title, "post_id", post.get("id")));
    }

    private Row loaded(String resource, Row row, String... fields) {
        var read = ashlar.read(resource).where(eq("id", row.get("id")));
        for (String field : fields) {
            read = read.load(field);
        }
        return read.one().orElseThrow();
    }

    /** Three comments on a post linking two posts, one on a post linking one: c_times_p 6 and 0. */
    private Row linkedPosts() {
        Row post = post("match");
        Row post2 = post("title2");
        Row post3 = post("title3");
        for (int i = 0; i < 3; i++) {
            comment(post, "match");
        }
        comment(post2, "no_match");
        ashlar.create("post_link", Map.of("source_id", post.get("id"), "dest_id", post2.get("id")));
        ashlar.create("post_link", Map.of("source_id", post.get("id"), "dest_id", post3.get("id")));
        ashlar.create("post_link", Map.of("source_id", post2.get("id"), "dest_id", post3.get("id")));
        return post;
    }

    /** "an expression calculation can be filtered on": loaded, and filtered on without being loaded. */
    @Test
    void aCalculationOverTwoCountsLoadsAndFiltersWithoutLoading() {
        linkedPosts();

        assertThat(ashlar.read("post").load("c_times_p").sort(Sort.asc("id")).list())
                .extracting(r -> r.get("title"), r -> r.get("c_times_p"))
                .containsExactly(tuple("match", 6L), tuple("title2", 1L), tuple("title3", 0L));
        List<Row> filtered = ashlar.read("post").where(eq("c_times_p", 6)).list();
        assertThat(filtered).extracting(r -> r.get("title")).containsExactly("match");
        assertThat(filtered.get(0).has("c_times_p")).isFalse();
    }

    /** "calculations can be used in related filters": comments filtered by and loading their post's calculation. */
    @Test
    void commentsFilterByTheirPostsCalculationAndLoadItOnThePost() {
        linkedPosts();

        List<Row> rows = ashlar.read("comment").where(eq("post.c_times_p", 6))
                .load("post", p -> p.load("c_times_p")).limit(1).list();

        assertThat(rows).flatExtracting(r -> r.related("post"))
                .extracting(p -> p.get("title"), p -> p.get("c_times_p")).containsExactly(tuple("match", 6L));
        assertThat(ashlar.read("comment").where(eq("post.c_times_p", 6)).count()).isEqualTo(3L);
    }

    /** "concat calculation can be filtered on", "conditional calculations can be filtered on". */
    @Test
    void aConcatenationAndAConditionalFilterTheAuthors() {
        Row match = author("is", "match");
        author("not", "match");
        Row tom = author("tom", null);
        author("tom", "holland");

        assertThat(ashlar.read("author").load("full_name").where(eq("full_name", "is match")).list())
                .extracting(r -> r.get("id"), r -> r.get("full_name")).containsExactly(tuple(match.get("id"), "is match"));
        assertThat(ashlar.read("author").load("conditional_full_name").load("full_name")
                .where(eq("conditional_full_name", "(none)")).list())
                .extracting(r -> r.get("id"), r -> r.get("full_name")).containsExactly(tuple(tom.get("id"), null));
    }

    /** "nested conditional calculations can be loaded", sorted by it. */
    @Test
    void aNestedConditionalNamesTheMissingName() {
        author(null, "holland");
        author("tom", null);
        author("tom", "holland");

        assertThat(ashlar.read("author").load("nested_conditional").sort(Sort.asc("nested_conditional")).list())
                .extracting(r -> r.get("nested_conditional"))
                .containsExactly("No First Name", "No Last Name", "tom holland");
    }

    /** "parameterized calculations can be filtered on", "... can be sorted on". */
    @Test
    void aCalculationWithASeparatorArgumentLoadsFiltersAndSorts() {
        author("tom", "holland");
        author("abc", "def");

        assertThat(ashlar.read("author").where(eq("first_name", "tom")).load("param_full_name").list())
                .extracting(r -> r.get("param_full_name")).containsExactly("tom holland");
        assertThat(ashlar.read("author").where(eq("first_name", "tom"))
                .load("param_full_name", Map.of("separator", "~")).list())
                .extracting(r -> r.get("param_full_name")).containsExactly("tom~holland");
        assertThat(ashlar.read("author").where(eq("param_full_name", "tom~holland"))
                .arguments("param_full_name", Map.of("separator", "~")).list())
                .extracting(r -> r.get("first_name")).containsExactly("tom");
        assertThat(ashlar.read("author").sort(Sort.asc("param_full_name"))
                .arguments("param_full_name", Map.of("separator", "~")).list())
                .extracting(r -> r.get("first_name")).containsExactly("abc", "tom");
    }

    /**
     * "parameterized related calculations can be filtered on": the author's calculation with a separator, through
     * the comment's author, and with two separators in one filter, the second under another name.
     */
    @Test
    void commentsFilterByTheirAuthorsCalculationWithOneOrTwoSetsOfArguments() {
        Row tom = author("tom", "holland");
        ashlar.create("comment", Map.of("title", "match", "author_id", tom.get("id")));
        ashlar.create("comment", Map.of("title", "anonymous"));

        assertThat(ashlar.read("comment").where(eq("author.param_full_name", "tom~holland"))
                .arguments("author.param_full_name", Map.of("separator", "~")).list())
                .extracting(r -> r.get("title")).containsExactly("match");
        assertThat(ashlar.read("comment").where(and(eq("author.param_full_name", "tom~holland"),
                        eq("author.spaced_name", "tom holland")))
                .arguments("author.param_full_name", Map.of("separator", "~"))
                .arguments("author.param_full_name", "spaced_name", Map.of("separator", " ")).list())
                .extracting(r -> r.get("title")).containsExactly("match");
        assertThat(ashlar.read("comment").where(and(eq("author.param_full_name", "tom~holland"),
                        eq("author.spaced_name", "tom~holland")))
                .arguments("author.param_full_name", Map.of("separator", "~"))
                .arguments("author.param_full_name", "spaced_name", Map.of("separator", " ")).list())
                .isEmpty();
        assertThat(ashlar.read("comment").sort(Sort.asc("author.dashed_name"))
                .arguments("author.param_full_name", "dashed_name", Map.of("separator", "-")).list())
                .extracting(r -> r.get("title")).containsExactly("match", "anonymous");
    }

    /** A load of the author that names the renamed calculation reads it at that load's arguments, or its defaults. */
    @Test
    void aLoadOfTheAuthorReadsTheRenamedCalculationAtTheLoadsOwnArguments() {
        Row tom = author("tom", "holland");
        ashlar.create("comment", Map.of("title", "match", "author_id", tom.get("id")));

        assertThat(ashlar.read("comment").where(eq("author.dashed_name", "tom-holland"))
                .arguments("author.param_full_name", "dashed_name", Map.of("separator", "-"))
                .load("author", a -> a.load("dashed_name")).list())
                .flatExtracting(c -> c.related("author")).extracting(a -> a.get("dashed_name"))
                .containsExactly("tom holland");
        assertThat(ashlar.read("comment")
                .arguments("author.param_full_name", "dashed_name", Map.of("separator", "-"))
                .load("author", a -> a.load("dashed_name", Map.of("separator", "~"))).list())
                .flatExtracting(c -> c.related("author")).extracting(a -> a.get("dashed_name"))
                .containsExactly("tom~holland");
    }

    /** A second set of arguments under a name the related resource already has, or another read's, is refused. */
    @Test
    void aRelatedCalculationRenamedOverATakenNameOrReadElsewhereIsRefusedNamingIt() {
        assertThatThrownBy(() -> ashlar.read("comment")
                .arguments("author.param_full_name", "first_name", Map.of("separator", " ")))
                .isInstanceOf(QueryException.class).hasMessageStartingWith("arguments(\"author.param_full_name\", "
                        + "\"first_name\", arguments) in a read of comment names author's calculation 'param_full_name' "
                        + "'first_name' too: is used twice");
        assertThatThrownBy(() -> ashlar.read("comment")
                .arguments("author.no_such_calc", "renamed", Map.of("separator", " ")))
                .isInstanceOf(QueryException.class).hasMessageContaining("no_such_calc");
        assertThatThrownBy(() -> ashlar.read("comment").where(eq("author.renamed", "x"))
                .arguments("author.param_full_name", "renamed", Map.of("glue", " ")).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("glue");
        assertThatThrownBy(() -> ashlar.read("comment").where(eq("author.renamed", "x")).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("renamed");
    }

    /** A second set of arguments for an aggregate, or without a name or arguments, is refused naming the call made. */
    @Test
    void aRenamedSetOfArgumentsForAnAggregateOrWithoutANameIsRefusedNamingTheCall() {
        assertThatThrownBy(() -> ashlar.read("comment").arguments("post.count_of_comments", "renamed", Map.of()))
                .isInstanceOf(QueryException.class).hasMessageStartingWith("arguments(\"post.count_of_comments\", "
                        + "\"renamed\", arguments) in a read of comment names a calculation of post under another name, "
                        + "and post declares no calculation named 'count_of_comments'");
        assertThatThrownBy(() -> ashlar.read("comment").arguments("author.param_full_name", null, Map.of()))
                .isInstanceOf(QueryException.class).hasMessageStartingWith("Read.arguments was given null for its name");
        assertThatThrownBy(() -> ashlar.read("comment").arguments("author.param_full_name", "renamed", null))
                .isInstanceOf(QueryException.class)
                .hasMessageStartingWith("Read.arguments was given null for its arguments");
        assertThatThrownBy(() -> ashlar.read("author").load("param_full_name", null, Map.of()))
                .isInstanceOf(QueryException.class).hasMessageStartingWith("Read.load was given null for its name");
    }

    /** "calculations can refer to embedded attributes", "... can use the || operator", "... the && operator". */
    @Test
    void calculationsReadTheBioTitleAndStandInForOrKeepAMissingFirstName() {
        Row nameless = author(null, null);
        Row fred = author("fred", null);

        Row row = loaded("author", nameless, "title", "first_name_or_bob", "first_name_and_bob");
        assertThat(row.get("title")).isEqualTo("Mr.");
        assertThat(row.get("first_name_or_bob")).isEqualTo("bob");
        assertThat(row.get("first_name_and_bob")).isNull();
        Row named = loaded("author", fred, "first_name_or_bob", "first_name_and_bob");
        assertThat(named.get("first_name_or_bob")).isEqualTo("fred");
        assertThat(named.get("first_name_and_bob")).isEqualTo("bob");
    }

    /** "string join expression": "no nil values" and "with nil value". */
    @Test
    void aStringJoinLeavesOutTheMissingName() {
        Row both = author("Bill", "Jones");
        Row first = author("Bill", null);

        Row joined = loaded("author", both, "full_name_with_nils", "full_name_with_nils_no_joiner");
        assertThat(joined.get("full_name_with_nils")).isEqualTo("Bill Jones");
        assertThat(joined.get("full_name_with_nils_no_joiner")).isEqualTo("BillJones");
        Row alone = loaded("author", first, "full_name_with_nils", "full_name_with_nils_no_joiner");
        assertThat(alone.get("full_name_with_nils")).isEqualTo("Bill");
        assertThat(alone.get("full_name_with_nils_no_joiner")).isEqualTo("Bill");
    }

    /** "string split expression": "with the default delimiter", "trimming whitespace"; and "at/2". */
    @Test
    void aSplitOfTheFullNameGivesItsWordsAndTheFirstOfThem() {
        Row plain = author("Bill", "Jones");
        Row spaced = author("Bill ", "Jones ");

        assertThat(loaded("author", plain, "split_full_name").get("split_full_name"))
                .isEqualTo(List.of("Bill", "Jones"));
        Row row = loaded("author", spaced, "split_full_name_trim", "split_full_name", "first_name_from_split");
        assertThat(row.get("split_full_name_trim")).isEqualTo(List.of("Bill", "Jones"));
        assertThat(row.get("split_full_name")).isEqualTo(List.of("Bill", "Jones"));
        assertThat(row.get("first_name_from_split")).isEqualTo("Bill");
    }

    /** "maps can reference filtered aggregates", "maps can be constructed", "-/1 makes numbers negative". */
    @Test
    void mapsHoldFilteredCountsAndANestedNegativeScore() {
        Row post = ashlar.create("post", Map.of("title", "match", "score", 42));
        for (String title : List.of("foo", "foo", "bar")) {
            comment(post, title);
        }
        post("none");

        assertThat(ashlar.read("post").load("agg_map").sort(Sort.asc("id")).list())
                .extracting(r -> r.get("agg_map").toString().replace(" ", ""))
                .containsExactly("{\"called_bar\":1,\"called_foo\":2}", "{\"called_bar\":0,\"called_foo\":0}");
        Row row = loaded("post", post, "score_map", "negative_score");
        assertThat(row.get("negative_score")).isEqualTo(-42);
        assertThat(row.get("score_map").toString().replace(" ", ""))
                .isEqualTo("{\"negative_score\":{\"bar\":-42,\"foo\":-42}}");
    }

    /**
     * "calculations that refer to aggregates in comparison expressions can be filtered on", "calculations load
     * nullable timestamp aggregates compared to a fragment": false or null without a comment, true for one ahead.
     */
    @Test
    void comparisonsOfTheLatestCommentsTimestampsWithNowAreFalseOrNullWithoutOne() {
        Row future = post("aaa");
        Row past = post("bbb");
        post("ccc");
        comment(future, "aaa");
        ashlar.create("comment", Map.of("title", "ahead", "post_id", future.get("id"),
                "created_at", java.time.Instant.now().plusSeconds(86_400),
                "arbitrary_timestamp", java.time.Instant.now().plusSeconds(86_400)));
        ashlar.create("comment", Map.of("title", "old", "post_id", past.get("id"),
                "arbitrary_timestamp", java.time.Instant.now().minusSeconds(86_400)));

        assertThat(ashlar.read("post").load("has_future_comment").load("has_future_arbitrary_timestamp")
                .sort(Sort.asc("id")).list())
                .extracting(r -> r.get("has_future_comment"), r -> r.get("has_future_arbitrary_timestamp"))
                .containsExactly(tuple(true, true), tuple(false, false), tuple(false, null));
        assertThat(ashlar.read("post").where(eq("has_future_comment", true)).list())
                .extracting(r -> r.get("title")).containsExactly("aaa");
    }

    /** "calculations using if and literal boolean results can run": true for the post a month ahead. */
    @Test
    void anIfGivingLiteralBooleansFiltersOnTrue() {
        post("now");
        ashlar.create("post", Map.of("title", "ahead", "created_at", java.time.Instant.now().plusSeconds(40L * 86_400)));

        assertThat(ashlar.read("post").load("was_created_in_the_last_month")
                .where(eq("was_created_in_the_last_month", true)).list())
                .extracting(r -> r.get("title"), r -> r.get("was_created_in_the_last_month"))
                .containsExactly(tuple("ahead", true));
    }

    /** "loading a calculation loads its dependent loads": the account's flag and its user's. */
    @Test
    void anAccountIsActiveWhenItAndItsUserAre() {
        Row user = ashlar.create("user", Map.of("is_active", true));
        Row idle = ashlar.create("user", Map.of("is_active", false));
        ashlar.create("account", Map.of("is_active", true, "user_id", user.get("id")));
        ashlar.create("account", Map.of("is_active", true, "user_id", idle.get("id")));

        assertThat(ashlar.read("account").load("active").sort(Sort.asc("id")).list())
                .extracting(r -> r.get("active")).containsExactly(true, false);
    }

    /** "dependent calc": a calculation of a calculation of the price, with only the id selected. */
    @Test
    void aCalculationOfACalculationReadsThePriceThoughOnlyTheIdIsSelected() {
        Row post = ashlar.create("post", Map.of("title", "match", "price", 10_024));

        Row row = ashlar.read("post").where(eq("id", post.get("id"))).select("id")
                .load("price_string_with_currency_sign").one().orElseThrow();

        assertThat(row.get("price_string_with_currency_sign")).isEqualTo("100.24$");
        assertThat(row.has("price")).isFalse();
    }

    /** "nested get_path works", "runtime expression calcs" (a JSON value, on a post and on an author's posts). */
    @Test
    void aJsonPathAndAJsonCalculationReadOnAPostAndOnAnAuthorsPosts() {
        Row author = author("Bill", "Jones");
        Row post = ashlar.create("post", Map.of("title", "match", "price", 10_024,
                "stuff", "{\"foo\": {\"bar\": \"thing\"}}", "author_id", author.get("id")));

        Row row = loaded("post", post, "foo_bar_from_stuff", "calc_returning_json");
        assertThat(row.get("foo_bar_from_stuff")).isEqualTo("thing");
        assertThat(row.get("calc_returning_json").toString().replace(" ", ""))
                .isEqualTo("{\"amount\":100,\"currency\":\"usd\"}");
        assertThat(ashlar.read("author").load("posts", p -> p.load("calc_returning_json")).list())
                .flatExtracting(a -> a.related("posts"))
                .extracting(p -> p.get("calc_returning_json").toString().replace(" ", ""))
                .containsExactly("{\"amount\":100,\"currency\":\"usd\"}");
    }

    /** "arguments with cast_in_query?: false are not cast": a full-text match given its query as an argument. */
    @Test
    void aFullTextCalculationGivenItsQueryFiltersThePosts() {
        ashlar.create("post", Map.of("title", "match", "score", 42));
        ashlar.create("post", Map.of("title", "not", "score", 42));

        assertThat(ashlar.read("post").where(eq("similarity", true))
                .arguments("similarity", Map.of("search", "match")).list())
                .extracting(r -> r.get("title")).containsExactly("match");
    }

    /**
     * "calculation passes actor to aggregate from calculation on aggregate" (without the actor): a first through
     * the author's profile, and a calculation naming it.
     */
    @Test
    void aFirstThroughTheAuthorsProfileAndACalculationOverItGiveTheDescription() {
        Row author = author("Foo", null);
        ashlar.create("profile", Map.of("description", "Prolific describer of worlds...", "author_id", author.get("id")));
        Row post = ashlar.create("post", Map.of("title", "match", "author_id", author.get("id")));
        Row orphan = post("orphan");

        Row row = loaded("post", post, "author_profile_description", "author_profile_description_from_agg");
        assertThat(row.get("author_profile_description")).isEqualTo("Prolific describer of worlds...");
        assertThat(row.get("author_profile_description_from_agg")).isEqualTo("Prolific describer of worlds...");
        assertThat(loaded("post", orphan, "author_profile_description_from_agg").get("author_profile_description_from_agg"))
                .isNull();
        assertThat(loaded("author", author, "profile_description").get("profile_description"))
                .isEqualTo("Prolific describer of worlds...");
    }

    /** "calculations can refer to to_one path attributes in filters" and "... in sorts". */
    @Test
    void aCalculationOverTheAuthorsNameFiltersSortsAndLoadsPosts() {
        Row foo = author("Foo", null);
        Row bar = author("Bar", null);
        ashlar.create("post", Map.of("title", "by foo", "author_id", foo.get("id")));
        ashlar.create("post", Map.of("title", "by bar", "author_id", bar.get("id")));
        ashlar.create("post", Map.of("title", "by nobody"));

        assertThat(ashlar.read("post").where(eq("author_first_name_calc", "Foo")).load("author_first_name_calc").list())
                .extracting(r -> r.get("title"), r -> r.get("author_first_name_calc"))
                .containsExactly(tuple("by foo", "Foo"));
        assertThat(ashlar.read("post").sort(Sort.asc("author_first_name_calc")).list())
                .extracting(r -> r.get("title")).containsExactly("by bar", "by foo", "by nobody");
        assertThat(ashlar.read("post").where(and(eq("author_first_name_calc", "Bar"), eq("title", "by foo"))).list())
                .isEmpty();
    }
}
