package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.Read;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.gte;
import static dev.ashlar.api.query.Filter.sql;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.arrayOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

/** Aggregates whose SQL the resource's author writes (AshPostgres's custom aggregates), over real rows. */
class CustomAggregatesTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("custom_aggregates")
            .resource(post(r -> r
                    .customAggregate("titles", "comments", String.class,
                            "string_agg({title}, ', ' ORDER BY {rating} DESC, {title})")
                    .customAggregate("titles_or_none", "comments", String.class, "string_agg({title}, ', ')")
                    .aggregate("titles_or_none", a -> a.withDefault("(none)"))
                    .customAggregate("good_titles", "comments", String.class, "string_agg({title}, ',' ORDER BY {title})")
                    .aggregate("good_titles", a -> a.withFilter(gte("rating", 3)))
                    .customAggregate("median_rating", "comments", Double.class,
                            "percentile_cont(?) WITHIN GROUP (ORDER BY {rating})", 0.5)
                    .customAggregate("all_good", "comments", Boolean.class, "bool_and({rating} >= ?)", 3)
                    .customAggregate("distinct_titles", "comments", arrayOf(TEXT),
                            "array_agg(DISTINCT {title} ORDER BY {title})")
                    .customAggregate("commenters", "comments.author", String.class,
                            "string_agg(DISTINCT {name}, ' & ' ORDER BY {name})")
                    .calculate("summary", String.class, "title || ': ' || coalesce(titles, ?)", "-")).build())
            .resource(comment())
            .resource(user())
            .build();

    CustomAggregatesTest() {
        super(DOMAIN);
    }

    static ResourceBuilder post(UnaryOperator<ResourceBuilder> aggregates) {
        return aggregates.apply(Resource.builder("post").table("posts")
                .integerPrimaryKey("id")
                .attribute("title", TEXT)
                .hasMany("comments", "comment"));
    }

    static Resource comment() {
        return Resource.builder("comment").table("comments")
                .integerPrimaryKey("id")
                .attribute("title", TEXT)
                .attribute("rating", INTEGER)
                .belongsTo("post", "post")
                .belongsTo("author", "user")
                .build();
    }

    static Resource user() {
        return Resource.builder("user").table("users").integerPrimaryKey("id").attribute("name", TEXT)
                .hasMany("comments", "comment", r -> r.destinationAttribute("author_id")).build();
    }

    @BeforeAll
    void data() {
        Row ada = ashlar.create("user", Map.of("name", "Ada"));
        Row bob = ashlar.create("user", Map.of("name", "Bob"));
        Row busy = ashlar.create("post", Map.of("title", "busy"));
        Row quiet = ashlar.create("post", Map.of("title", "quiet"));
        ashlar.create("post", Map.of("title", "empty"));
        comment(busy, "b", 5, ada);
        comment(busy, "a", 5, bob);
        comment(busy, "c", 1, ada);
        comment(quiet, "z", 4, bob);
    }

    private void comment(Row post, String title, int rating, Row author) {
        ashlar.create("comment", Map.of("title", title, "rating", rating, "post_id", post.get("id"), "author_id",
                author.get("id")));
    }

    private Map<String, Object> loaded(String aggregate) {
        Map<String, Object> byTitle = new java.util.HashMap<>();
        ashlar.read("post").load(aggregate).list().forEach(p -> byTitle.put(p.getString("title"), p.get(aggregate)));
        return byTitle;
    }

    private List<String> titles(Read read) {
        return read.list().stream().map(p -> p.getString("title")).toList();
    }

    @Test
    void aStringAggOfTheRelatedTitlesIsLoadedInItsOwnOrderFilteredAndSortedOn() {
        assertThat(loaded("titles")).containsEntry("busy", "a, b, c").containsEntry("quiet", "z")
                .containsEntry("empty", null);
        assertThat(titles(ashlar.read("post").where(eq("titles", "a, b, c")))).containsExactly("busy");
        assertThat(titles(ashlar.read("post").sort(Sort.asc("titles")))).containsExactly("busy", "quiet", "empty");
        assertThat(titles(ashlar.read("post").sort(Sort.desc("titles")))).containsExactly("empty", "quiet", "busy");
    }

    @Test
    void aCalculationALoadAndAnExistsFilterReadACustomAggregateAsTheyReadOthers() {
        assertThat(loaded("summary")).containsEntry("busy", "busy: a, b, c").containsEntry("empty", "empty: -");
        assertThat(ashlar.read("comment").where(eq("title", "z")).load("post", p -> p.load("titles")).one()
                .orElseThrow().relatedOne("post").orElseThrow().get("titles")).isEqualTo("z");
        assertThat(ashlar.read("user").where(exists("comments", eq("post.titles", "z"))).list())
                .extracting(u -> u.getString("name")).containsExactly("Bob");
    }

    @Test
    void boundValuesOrderedSetAndBooleanAggregatesGiveWhatPostgresComputes() {
        for (int read = 0; read < 2; read++) {
            // The second read binds the values of a shape whose SQL is cached.
            assertThat(loaded("median_rating")).containsEntry("busy", 5.0).containsEntry("quiet", 4.0)
                    .containsEntry("empty", null);
        }
        assertThat(loaded("all_good")).containsEntry("busy", false).containsEntry("quiet", true)
                .containsEntry("empty", null);
        assertThat(ashlar.read("post").where(eq("all_good", true)).count()).isEqualTo(1);
    }

    @Test
    void aReadIsGroupedByACustomAggregateWithABoundValue() {
        assertThat(ashlar.read("post").groupBy("all_good").count("posts").sort(Sort.asc("all_good").nullsFirst())
                .list()).extracting(r -> r.get("all_good"), r -> r.get("posts"))
                .containsExactly(tuple(null, 1L), tuple(false, 1L), tuple(true, 1L));
    }

    @Test
    void anArrayAggIsReadAsAListOfItsDeclaredType() {
        assertThat(loaded("distinct_titles")).containsEntry("busy", List.of("a", "b", "c"))
                .containsEntry("quiet", List.of("z")).containsEntry("empty", null);
    }

    @Test
    void aCustomAggregateOverAPathAggregatesTheRecordsAtItsEnd() {
        assertThat(loaded("commenters")).containsEntry("busy", "Ada & Bob").containsEntry("quiet", "Bob");
        assertThat(titles(ashlar.read("post").where(eq("commenters", "Bob")))).containsExactly("quiet");
    }

    @Test
    void aFilterLimitsTheRecordsAndADefaultStandsForNoneInLoadsAndFilters() {
        assertThat(loaded("good_titles")).containsEntry("busy", "a,b").containsEntry("quiet", "z");
        assertThat(loaded("titles_or_none")).containsEntry("empty", "(none)");
        assertThat(titles(ashlar.read("post").where(eq("titles_or_none", "(none)")))).containsExactly("empty");
    }

    @Test
    void aKeysetCursorPagesThroughASortByOne() {
        Read read = ashlar.read("post").sort(Sort.asc("titles_or_none")).load("titles_or_none").limit(1);
        List<String> seen = new ArrayList<>();
        for (List<Row> page = read.list(); !page.isEmpty(); page = read.after(read.cursor(page.get(0))).list()) {
            seen.add(page.get(0).getString("title"));
        }
        assertThat(seen).containsExactly("empty", "busy", "quiet");
    }

    @Test
    void fragmentsThatCannotBeRightAreRefusedWhenTheDomainIsBuiltNamingTheAggregateAndTheFix() {
        assertThatThrownBy(() -> Domain.builder("bad")
                .resource(post(r -> r
                        .customAggregate("unknown", "comments", String.class, "string_agg({nope}, ',')")
                        .customAggregate("bare", "comments", String.class, "{title}")
                        .customAggregate("marks", "comments", Long.class, "sum({rating} * ?)")
                        .customAggregate("listed", "comments", List.class, "array_agg({title})")
                        .customAggregate("uniq", "comments", String.class, "max({title})")
                        .aggregate("uniq", a -> a.withUniq())).build())
                .resource(comment())
                .resource(user())
                .build())
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("'unknown': the custom aggregate's SQL names {nope}, which comment does not have; "
                        + "name one of [id, title, rating, post_id, author_id]")
                .hasMessageContaining("'bare': the custom aggregate's SQL names {title} outside any function call")
                .hasMessageContaining("'marks': the custom aggregate's sql(")
                .hasMessageContaining("'listed': the custom aggregate is read as no type it can be")
                .hasMessageContaining("'uniq': the custom aggregate is uniq, which only a list takes");
    }

    @Test
    void sqlThatWouldReachOutOfItsSubqueryOrStatementIsRefusedWhenTheDomainIsBuilt() {
        assertThatThrownBy(() -> Domain.builder("escapes")
                .resource(post(r -> r
                        .customAggregate("every_title", "comments", String.class,
                                "(SELECT string_agg(title, ',') FROM comments)) || (SELECT (max({title})")
                        .customAggregate("second_statement", "comments", String.class,
                                "max({title}); DROP TABLE users; SELECT (max(1)")
                        .customAggregate("swallowed", "comments", String.class, "max({title}) -- the rest")
                        .customAggregate("open_string", "comments", String.class, "max({title}) || ')")
                        .customAggregate("open_call", "comments", String.class, "max({title}")
                        .customAggregate("fine", "comments", String.class,
                                "string_agg({title}, ') ; --' ORDER BY {title}) -- a note\n")).build())
                .resource(comment())
                .resource(user())
                .build())
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("'every_title': the custom aggregate's SQL closes a parenthesis at character 46 "
                        + "that it did not open, which would end the subquery over the related records before the "
                        + "condition that relates them; write one aggregate expression")
                .hasMessageContaining("'second_statement': the custom aggregate's SQL holds a ';' at character 13")
                .hasMessageContaining("'swallowed': the custom aggregate's SQL leaves the string, quoted name or "
                        + "comment at character 14 open")
                .hasMessageContaining("'open_string': the custom aggregate's SQL leaves the string, quoted name or "
                        + "comment at character 17 open")
                .hasMessageContaining("'open_call': the custom aggregate's SQL leaves 1 parenthesis(es) open")
                .hasMessageNotContaining("'fine'");
    }

    @Test
    void sqlThatAggregatesNothingIsAQueryExceptionNamingTheAggregateEvenWithNoRelatedRow() {
        assertThat(refusedRead(String.class, "lower({title})", "empty"))
                .hasMessageContaining("The SQL of custom aggregate 'odd' of post reads a column of the related "
                        + "records outside an aggregate function")
                .hasMessageContaining("[SQL state 42803]");
    }

    @Test
    void badSqlIsAQueryExceptionNamingTheAggregate() {
        assertThat(refusedRead(String.class, "no_such_aggregate({title})", "busy"))
                .hasMessageContaining("Could not read post: function no_such_aggregate(text) does not exist")
                .hasMessageContaining("Check the SQL of custom aggregate 'odd' of post")
                .hasMessageContaining("[SQL state 42883]");
        assertThat(refusedRead(String.class, "string_agg({title}, ', ' ORDERR BY {title})", "busy"))
                .hasMessageContaining("syntax error at or near \"ORDERR\"")
                .hasMessageContaining("Check the SQL of custom aggregate 'odd' of post")
                .hasMessageContaining("[SQL state 42601]");
    }

    @Test
    void aBadConditionInSqlIsNotBlamedOnTheCustomAggregatesOfTheRead() {
        assertThatThrownBy(() -> ashlar.read("post").where(sql("title IS NOTT NULL")).load("titles").list())
                .isInstanceOf(DatabaseException.class)
                .hasMessageContaining("syntax error at or near \"NOTT\"")
                .hasMessageNotContaining("custom aggregate");
    }

    @Test
    void aResultOfAnotherTypeThanDeclaredIsAQueryExceptionNamingTheAggregate() {
        assertThat(refusedRead(Long.class, "string_agg({title}, ',')", "busy"))
                .hasMessageContaining("'odd' is a text, which cannot be read as Long");
    }

    /** The failure of a read of one post loading 'odd', a custom aggregate of that SQL, over the same tables. */
    private QueryException refusedRead(Class<?> type, String sql, String title) {
        try (Ashlar one = Fixtures.ashlar(db, Domain.builder("one_custom")
                .resource(post(r -> r.customAggregate("odd", "comments", type, sql)).build())
                .resource(comment()).resource(user()).build())) {
            return catchThrowableOfType(QueryException.class,
                    () -> one.read("post").where(eq("title", title)).load("odd").list());
        }
    }
}
