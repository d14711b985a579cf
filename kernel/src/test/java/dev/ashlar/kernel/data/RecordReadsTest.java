package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.ashlar.kernel.data.RelationshipDomain.comments;
import static dev.ashlar.kernel.data.RelationshipDomain.post;
import static dev.ashlar.kernel.data.RelationshipDomain.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Reads whose result is records map the result set straight onto them, with no row in between: each record is the
 * one its row would map onto, in the row's order, with the same checks.
 */
class RecordReadsTest extends DomainDatabaseTest {

    record Comment(Integer id, String body, Integer rating) {
    }

    /** Some of the fields, in another order than the table's, one of them of another type than stored. */
    record Rated(Optional<Integer> rating, long id) {
    }

    record Missing(Integer id, String subtitle) {
    }

    record CommentView(long id, Integer rating) {
    }

    /** A key of another type than stored, and a field as an Optional, beside records loaded straight. */
    record PostView(long id, Optional<String> title, List<CommentView> comments) {
    }

    record AuthorView(Integer id, String name) {
    }

    record MissingView(Integer id, String subtitle, List<CommentView> comments) {
    }

    RecordReadsTest() {
        super(RelationshipDomain.DOMAIN);
    }

    @BeforeAll
    void seed() {
        Row ada = user(ashlar, "Ada");
        Row first = post(ashlar, ada, "first");
        post(ashlar, ada, "quiet");
        Row third = post(ashlar, ada, "third");
        comments(ashlar, first, ada, 5, 3, 4);
        comments(ashlar, third, ada, 1);
        ashlar.create("comment", java.util.Map.of("body", "unrated", "post_id", third.get("id")));
    }

    private static <R extends Record> List<R> mappedOneByOne(List<Row> rows, Class<R> type) {
        return rows.stream().map(row -> row.as(type)).toList();
    }

    @Test
    void aPageBeforeACursorComesAsRecordsInTheAskedOrderAsItsRowsDo() {
        var read = ashlar.read("comment").sort(Sort.asc("id")).before(4).limit(2);

        assertThat(read.list(Comment.class)).extracting(Comment::id).containsExactly(2, 3);
        assertThat(read.list(Comment.class)).isEqualTo(mappedOneByOne(read.list(), Comment.class));
    }

    @Test
    void recordsTakingSomeFieldsInAnotherOrderAndTypeAreTheRowsMappedOneByOne() {
        var read = ashlar.read("comment").sort(Sort.asc("id"));

        List<Rated> rated = read.list(Rated.class);

        assertThat(rated).isEqualTo(mappedOneByOne(read.list(), Rated.class));
        assertThat(rated).containsExactly(new Rated(Optional.of(5), 1), new Rated(Optional.of(3), 2),
                new Rated(Optional.of(4), 3), new Rated(Optional.of(1), 4), new Rated(Optional.empty(), 5));
    }

    @Test
    void aRecordWithAComponentNoFieldMatchesIsRefusedNamingItWhileAReadOfNoRowsGivesNone() {
        assertThatThrownBy(() -> ashlar.read("comment").list(Missing.class)).isInstanceOf(QueryException.class)
                .hasMessageContaining("component 'subtitle' matches no field");
        assertThat(ashlar.read("comment").where(Filter.eq("rating", 99)).list(Missing.class)).isEmpty();
    }

    @Test
    void parentsWithRecordsLoadedStraightAreEachRowMappedAloneAParentWithoutAnyHoldingNone() {
        var read = ashlar.read("post").sort(Sort.asc("id")).load("comments", c -> c.sort(Sort.asc("id")));

        List<PostView> posts = read.list(PostView.class);

        assertThat(posts).isEqualTo(mappedOneByOne(read.list(), PostView.class));
        assertThat(posts).extracting(PostView::title).containsExactly(Optional.of("first"), Optional.of("quiet"),
                Optional.of("third"));
        assertThat(posts.get(0).comments()).extracting(CommentView::rating).containsExactly(5, 3, 4);
        assertThat(posts.get(1).comments()).isEmpty();
        assertThat(posts.get(2).comments()).containsExactly(new CommentView(4, 1), new CommentView(5, null));
    }

    @Test
    void aViewWithAComponentNoFieldMatchesIsRefusedNamingTheField() {
        assertThatThrownBy(() -> ashlar.read("post").load("comments").list(MissingView.class))
                .isInstanceOf(QueryException.class).hasMessageContaining("'subtitle'");
    }
}
