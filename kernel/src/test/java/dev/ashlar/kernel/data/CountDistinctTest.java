package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Counts of the different values related records hold (Ash's count aggregate with {@code uniq?: true}). */
class CountDistinctTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("count_distinct")
            .resource(Resource.builder("post").table("posts")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .hasMany("comments", "comment")
                    .count("count_of_comments", "comments")
                    .countDistinct("count_of_titles", "comments", "title")
                    .countDistinct("count_of_titles_not_b", "comments", "title", dev.ashlar.api.query.Filter.ne(
                            "title", "b"))
                    .build())
            .resource(Resource.builder("comment").table("comments")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .belongsTo("post", "post")
                    .build())
            .build();

    CountDistinctTest() {
        super(DOMAIN);
    }

    private void comment(Row post, String title) {
        Map<String, Object> values = new HashMap<>();
        values.put("title", title);
        values.put("post_id", post.get("id"));
        ashlar.create("comment", values);
    }

    @Test
    void countsTheDifferentNonNullValuesOfTheRelatedRecords() {
        Row busy = ashlar.create("post", Map.of("title", "busy"));
        for (String title : new String[]{"a", "a", "b", null}) {
            comment(busy, title);
        }
        ashlar.create("post", Map.of("title", "empty"));

        List<Row> posts = ashlar.read("post").load("count_of_comments").load("count_of_titles")
                .load("count_of_titles_not_b").sort(Sort.asc("id")).list();

        assertThat(posts).extracting(p -> p.get("count_of_comments")).containsExactly(4L, 0L);
        assertThat(posts).extracting(p -> p.get("count_of_titles")).containsExactly(2L, 0L);
        assertThat(posts).extracting(p -> p.get("count_of_titles_not_b")).containsExactly(1L, 0L);
        assertThat(ashlar.read("post").where(gt("count_of_titles", 1)).list())
                .extracting(p -> p.getString("title")).containsExactly("busy");
        assertThat(ashlar.read("post").where(eq("count_of_titles", 0)).count()).isEqualTo(1);
    }

    @Test
    void aCountDistinctOfAnAttributeTheDestinationLacksIsRefusedNamingIt() {
        assertThatThrownBy(() -> Domain.builder("bad")
                .resource(Resource.builder("post").table("posts").integerPrimaryKey("id")
                        .hasMany("comments", "comment")
                        .countDistinct("count_of_nothing", "comments", "nope")
                        .build())
                .resource(Resource.builder("comment").table("comments").integerPrimaryKey("id")
                        .belongsTo("post", "post").build())
                .build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("count_of_nothing")
                .hasMessageContaining("'nope'");
    }
}
