package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Sort;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * AshPostgres's {@code distinct_test}, case by case (the README's "AshPostgres mapping" says where each case is), on
 * {@link AshPostgresSuiteReads}: two posts titled "title" scored 1 and two "foo" scored 2 before each test.
 */
class AshPostgresSuiteDistinctTest extends AshPostgresSuiteReads {

    @BeforeEach
    void posts() {
        post("title", 1);
        post("title", 1);
        post("foo", 2);
        post("foo", 2);
    }

    private static List<String> titlesAndNegativeScores(List<Row> rows) {
        return rows.stream().map(r -> r.get("title") + ":" + r.get("negative_score")).toList();
    }

    /** "records returned are distinct on the provided field", "distinct pairs well with sort". */
    @Test
    void distinctOnATitleKeepsOneRowPerTitleInTheSortGiven() {
        assertThat(values(ashlar.read("post").distinct("title").sort(Sort.asc("title")).list(), "title"))
                .containsExactly("foo", "title");
        assertThat(values(ashlar.read("post").distinct("title").sort(Sort.desc("title")).list(), "title"))
                .containsExactly("title", "foo");
    }

    /** "distinct pairs well with sort that does not match the distinct (using a limit, #2)". */
    @Test
    void distinctSortedByAnotherFieldWithALimitKeepsOneRowPerTitleAndTheLimitCountsTheRowsKept() {
        List<Row> three = ashlar.read("post").distinct("title").sort(Sort.desc("id")).limit(3).list();
        List<Row> one = ashlar.read("post").distinct("title").sort(Sort.desc("id")).limit(1).list();

        assertThat(values(three, "title")).containsExactlyInAnyOrder("foo", "title");
        assertThat(three).extracting(r -> r.get("id").toString())
                .isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(one).hasSize(1);
        assertThat(one.get(0).get("id")).isEqualTo(three.get(0).get("id"));
    }

    /** "distinct used on it's own". */
    @Test
    void distinctWithoutASortKeepsOneRowPerTitle() {
        assertThat(values(ashlar.read("post").distinct("title").list(), "title"))
                .containsExactlyInAnyOrder("foo", "title");
    }

    /** "distinct can use calculations sort that does not match the distinct using a limit #2". */
    @Test
    void distinctOnACalculationKeepsOneRowPerValueSortedByItOrByAnotherField() {
        assertThat(titlesAndNegativeScores(ashlar.read("post").distinct("negative_score")
                .sort(Sort.asc("negative_score")).load("negative_score").list())).containsExactly("foo:-2", "title:-1");
        assertThat(titlesAndNegativeScores(ashlar.read("post").distinct("negative_score")
                .sort(Sort.desc("negative_score")).load("negative_score").list())).containsExactly("title:-1", "foo:-2");
        assertThat(titlesAndNegativeScores(ashlar.read("post").distinct("negative_score")
                .sort(Sort.asc("title")).load("negative_score").list())).containsExactly("foo:-2", "title:-1");
    }

    /** "distinct, join filters and sort can be combined", with an author whose posts the filter keeps. */
    @Test
    void distinctOnACalculationFilteredThroughABelongsToKeepsOnlyThatAuthorsPosts() {
        post("a", 2);
        post("a", 1);
        assertThat(ashlar.read("post").distinct("negative_score").where(eq("author.first_name", "a"))
                .sort(Sort.asc("negative_score")).list()).isEmpty();

        Row author = ashlar.create("author", Map.of("first_name", "a"));
        ashlar.create("post", Map.of("title", "by a", "score", 3, "author_id", author.get("id")));
        ashlar.create("post", Map.of("title", "also by a", "score", 3, "author_id", author.get("id")));
        ashlar.create("post", Map.of("title", "more by a", "score", 4, "author_id", author.get("id")));

        assertThat(ashlar.read("post").distinct("negative_score").where(eq("author.first_name", "a"))
                .sort(Sort.asc("negative_score")).load("negative_score").list())
                .extracting(r -> r.get("negative_score")).containsExactly(-4, -3);
    }

    /** "distinct sort is applied". */
    @Test
    void aDistinctSortChoosesEachGroupsRowWhileTheSortOrdersTheRowsKept() {
        post("a", 2);
        post("a", 1);

        assertThat(titlesAndNegativeScores(ashlar.read("post").distinct("negative_score")
                .distinctSort(Sort.asc("title")).sort(Sort.asc("negative_score")).load("negative_score").list()))
                .containsExactly("a:-2", "a:-1");
        assertThat(titlesAndNegativeScores(ashlar.read("post").distinct("negative_score")
                .distinctSort(Sort.desc("title")).sort(Sort.asc("negative_score")).load("negative_score").list()))
                .containsExactly("foo:-2", "title:-1");
    }

    /**
     * "distinct breaks with prepare build(sort: [:id]) - original issue reproduction": a relationship with no
     * attributes whose filter follows the products' orders to the customer gives a product ordered twice once.
     */
    @Test
    void aRelationshipFilteredThroughAHasManyGivesAProductOrderedTwiceOnce() {
        Row customer = ashlar.create("customer", Map.of("name", "Test Customer"));
        Row product = ashlar.create("product", Map.of("name", "Test Product"));
        Row other = ashlar.create("product", Map.of("name", "Other Product"));
        ashlar.create("order", Map.of("customer_id", customer.get("id"), "product_id", product.get("id")));
        ashlar.create("order", Map.of("customer_id", customer.get("id"), "product_id", product.get("id")));
        Row someoneElse = ashlar.create("customer", Map.of("name", "Someone Else"));
        ashlar.create("order", Map.of("customer_id", someoneElse.get("id"), "product_id", other.get("id")));

        Row loaded = ashlar.read("customer").where(eq("id", customer.get("id"))).load("purchased_products")
                .one().orElseThrow();

        assertThat(values(loaded.related("purchased_products"), "name")).containsExactly("Test Product");
        assertThat(ashlar.load(List.of(customer, someoneElse), "purchased_products"))
                .extracting(r -> values(r.related("purchased_products"), "name"))
                .containsExactly(List.of("Test Product"), List.of("Other Product"));
    }

    // Ashlar's own: a calculation loaded under another name, with arguments, as a distinct field, a distinct sort
    // and the field of values(...) and the other one-field reads.

    @Test
    void aCalculationLoadedUnderAnotherNameIsADistinctFieldAndADistinctSort() {
        List<Row> kept = ashlar.read("post").load("score_plus", "plus_ten", Map.of("by", 10)).distinct("plus_ten")
                .sort(Sort.asc("plus_ten")).list();
        List<Row> chosen = ashlar.read("post").load("score_plus", "plus_ten", Map.of("by", 10)).distinct("title")
                .distinctSort(Sort.desc("plus_ten")).sort(Sort.asc("title")).list();

        assertThat(kept).extracting(r -> r.get("title") + ":" + r.get("plus_ten")).containsExactly("title:11", "foo:12");
        assertThat(chosen).extracting(r -> r.get("title") + ":" + r.get("plus_ten")).containsExactly("foo:12", "title:11");
    }

    @Test
    void aCalculationTheReadGivesIsADistinctFieldAndTheFieldOfValues() {
        assertThat(ashlar.read("post").calculate("doubled", Integer.class, "score * ?", 2).distinct("doubled")
                .sort(Sort.desc("doubled")).values("doubled", Integer.class)).containsExactly(4, 2);
    }

    @Test
    void aCalculationLoadedUnderAnotherNameGivesItsValuesAndItsCountOfDifferentValues() {
        assertThat(ashlar.read("post").load("score_plus", "plus_ten", Map.of("by", 10)).sort(Sort.asc("plus_ten"))
                .values("plus_ten", Integer.class)).containsExactly(11, 11, 12, 12);
        assertThat(ashlar.read("post").load("score_plus", "plus_ten", Map.of("by", 10)).countDistinct("plus_ten"))
                .isEqualTo(2);
        assertThat(ashlar.read("post").load("score_plus", "plus_ten", Map.of("by", 10)).max("plus_ten"))
                .isEqualTo(12);
        assertThat(ashlar.read("post").load("score_plus", "plus_ten", Map.of("by", 10)).sum("plus_ten").longValue())
                .isEqualTo(46);
        assertThat(ashlar.read("post").load("score_plus", "plus_ten", Map.of("by", 10)).select("title", "plus_ten")
                .sort(Sort.desc("plus_ten"), Sort.asc("title")).list())
                .extracting(r -> r.get("title") + ":" + r.get("plus_ten") + ":" + r.has("score"))
                .containsExactly("foo:12:false", "foo:12:false", "title:11:false", "title:11:false");
    }

    @Test
    void aCalculationLoadedUnderAnotherNameGroupsRowsAndPagesByCursor() {
        assertThat(ashlar.read("post").load("score_plus", "plus_ten", Map.of("by", 10)).groupBy("plus_ten")
                .count("posts").sort(Sort.asc("plus_ten")).list())
                .extracting(r -> r.get("plus_ten") + ":" + r.get("posts")).containsExactly("11:2", "12:2");
        var read = ashlar.read("post").load("score_plus", "plus_ten", Map.of("by", 10))
                .sort(Sort.desc("plus_ten"), Sort.asc("id")).limit(2);
        List<Row> first = read.list();
        List<Row> next = read.after(read.cursor(first.get(1))).list();
        assertThat(first).extracting(r -> r.get("plus_ten")).containsExactly(12, 12);
        assertThat(next).extracting(r -> r.get("plus_ten")).containsExactly(11, 11);
    }
}
