package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Sort;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.lt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reads of one resource combined by UNION, INTERSECT and EXCEPT, each with its own filter, sort and limit. */
class CombinationTest extends BlogDatabaseTest {

    @BeforeEach
    void fivePosts() {
        db.execute("TRUNCATE posts RESTART IDENTITY");
        ashlar.createAll("post", List.of(Map.of("title", "a", "rating", 1), Map.of("title", "b", "rating", 2),
                Map.of("title", "c", "rating", 3), Map.of("title", "d", "rating", 4), Map.of("title", "e", "rating", 5)));
    }

    private static List<String> titles(List<Row> rows) {
        return rows.stream().map(row -> row.getString("title")).toList();
    }

    @Test
    void aUnionKeepsEachRowOnceAndUnionAllKeepsDuplicates() {
        List<Row> union = ashlar.read("post").where(lt("rating", 3)).union(ashlar.read("post").where(lt("rating", 4)))
                .sort(Sort.asc("title")).list();
        List<Row> all = ashlar.read("post").where(lt("rating", 3)).unionAll(ashlar.read("post").where(lt("rating", 4)))
                .sort(Sort.asc("title")).list();

        assertThat(titles(union)).containsExactly("a", "b", "c");
        assertThat(titles(all)).containsExactly("a", "a", "b", "b", "c");
    }

    @Test
    void eachReadKeepsItsOwnSortAndLimitAndTheWholeIsSortedAndPaged() {
        List<Row> rows = ashlar.read("post").sort(Sort.desc("rating")).limit(2)            // e, d
                .union(ashlar.read("post").sort(Sort.asc("rating")).limit(1))                // a
                .union(ashlar.read("post").where(eq("title", "c")))                          // c
                .sort(Sort.desc("title")).offset(1).limit(2).list();

        assertThat(titles(rows)).containsExactly("d", "c");
    }

    @Test
    void intersectAndExceptKeepTheRowsInBothOrOnlyInTheFirst() {
        List<Row> both = ashlar.read("post").where(gt("rating", 1)).intersect(ashlar.read("post").where(lt("rating", 4)))
                .sort(Sort.asc("title")).list();
        List<Row> only = ashlar.read("post").except(ashlar.read("post").where(gt("rating", 2)))
                .sort(Sort.asc("title")).list();
        List<Post> chained = ashlar.read("post").where(lt("rating", 3))
                .union(ashlar.read("post").where(gt("rating", 4)))
                .except(ashlar.read("post").where(eq("title", "a")))
                .sort(Sort.asc("title")).list(Post.class);

        assertThat(titles(both)).containsExactly("b", "c");
        assertThat(titles(only)).containsExactly("a", "b");
        assertThat(chained).extracting(Post::title).containsExactly("b", "e");
    }

    @Test
    void eachOperatorAppliesToEveryRowSoFarThoughIntersectBindsMoreTightlyInSql() {
        List<Row> rows = ashlar.read("post").where(lt("rating", 3))                  // a, b
                .union(ashlar.read("post").where(eq("title", "e")))                  // a, b, e
                .intersect(ashlar.read("post").where(gt("rating", 1)))               // b, e
                .except(ashlar.read("post").where(eq("title", "e")))                 // b
                .sort(Sort.asc("title")).list();

        assertThat(titles(rows)).containsExactly("b");
    }

    @Test
    void aCombinedReadThatCannotReturnTheSameColumnsIsRefusedSayingWhy() {
        assertThatThrownBy(() -> ashlar.read("post").select("title").union(ashlar.read("post")).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("cannot have select(...)");
        assertThatThrownBy(() -> ashlar.read("post").union(ashlar.read("comment")))
                .isInstanceOf(QueryException.class).hasMessageContaining("cannot be combined with a read of comment");
        assertThatThrownBy(() -> ashlar.read("post").union(ashlar.read("post")).sort(Sort.asc("author.name")).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("sorted by their attributes only");
    }

    record Post(Integer id, String title) {
    }
}
