package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.resource.Type.JSON;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The cases of AshPostgres's {@code calculation_test} that no other test of this project restates (see the README's
 * "AshPostgres mapping" for those that do).
 */
class AshPostgresSuiteCalculationTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("ash_suite_calculations")
            .resource(Resource.builder("author").table("authors")
                    .integerPrimaryKey("id")
                    .attribute("first_name", TEXT)
                    .build())
            .resource(Resource.builder("post").table("posts")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .belongsTo("author", "author")
                    .hasMany("comments", "comment")
                    .count("called_foo", "comments", eq("title", "foo"))
                    .count("called_bar", "comments", eq("title", "bar"))
                    .calculate("agg_map", JSON,
                            "jsonb_build_object('called_foo', called_foo, 'called_bar', called_bar)")
                    .calculate("author_first_name_calc", String.class,
                            "(SELECT a.first_name FROM authors a WHERE a.id = self.author_id)")
                    .build())
            .resource(Resource.builder("comment").table("comments")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .belongsTo("post", "post")
                    .build())
            .build();

    AshPostgresSuiteCalculationTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE comments, posts, authors RESTART IDENTITY CASCADE");
    }

    /** "maps can reference filtered aggregates". */
    @Test
    void aMapCalculationHoldsTheCountsOfTwoFilteredAggregates() {
        Row post = ashlar.create("post", Map.of("title", "match"));
        for (String title : List.of("foo", "foo", "bar")) {
            ashlar.create("comment", Map.of("title", title, "post_id", post.get("id")));
        }
        ashlar.create("post", Map.of("title", "none"));

        List<Row> rows = ashlar.read("post").load("agg_map").sort(Sort.asc("id")).list();

        assertThat(rows).extracting(r -> r.get("agg_map").toString().replace(" ", ""))
                .containsExactly("{\"called_bar\":1,\"called_foo\":2}", "{\"called_bar\":0,\"called_foo\":0}");
    }

    /** "calculations can refer to to_one path attributes in filters" and "... in sorts". */
    @Test
    void aCalculationOverTheAuthorsNameFiltersSortsAndLoadsPosts() {
        Row foo = ashlar.create("author", Map.of("first_name", "Foo"));
        Row bar = ashlar.create("author", Map.of("first_name", "Bar"));
        ashlar.create("post", Map.of("title", "by foo", "author_id", foo.get("id")));
        ashlar.create("post", Map.of("title", "by bar", "author_id", bar.get("id")));
        ashlar.create("post", Map.of("title", "by nobody"));

        assertThat(ashlar.read("post").where(eq("author_first_name_calc", "Foo")).load("author_first_name_calc").list())
                .extracting(r -> r.get("title"), r -> r.get("author_first_name_calc"))
                .containsExactly(tuple("by foo", "Foo"));
        assertThat(ashlar.read("post").sort(Sort.asc("author_first_name_calc")).list())
                .extracting(r -> r.get("title")).containsExactly("by bar", "by foo", "by nobody");
    }
}
