package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Aggregate;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.in;
import static dev.ashlar.api.query.Filter.or;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * AshPostgres's {@code sort_test}, case by case (the README's "AshPostgres mapping" says where each case is), on
 * {@link AshPostgresSuiteReads}, asserted on the rows read.
 */
class AshPostgresSuiteSortTest extends AshPostgresSuiteReads {

    private static List<String> titlesAndScores(List<Row> rows) {
        return rows.stream().map(r -> r.get("title") + ":" + r.get("score")).toList();
    }

    /** "multi-column sorts work", "multicolumn sort works with a select statement". */
    @Test
    void multiColumnSortsOrderByEachKeyInTurnWithAnAggregateLoadedOrSomeFieldsSelected() {
        post("bbb", 0);
        post("aaa", 1);
        post("aaa", 0);

        assertThat(titlesAndScores(ashlar.read("post").load("count_of_comments")
                .sort(Sort.asc("title"), Sort.asc("score")).list())).containsExactly("aaa:0", "aaa:1", "bbb:0");
        assertThat(titlesAndScores(ashlar.read("post").select("title", "score")
                .sort(Sort.asc("title"), Sort.asc("score")).list())).containsExactly("aaa:0", "aaa:1", "bbb:0");
    }

    /** "multi-column sorts work on inclusion". */
    @Test
    void aLoadSortedByTwoKeysWithALimitAndASelectKeepsEachParentsFirstRecord() {
        Row first = post("aaa", 0);
        post("aaa", 1);
        post("bbb", 0);
        ashlar.create("comment", Map.of("title", "aaa", "likes", 2, "post_id", first.get("id")));
        ashlar.create("comment", Map.of("title", "bbb", "likes", 1, "post_id", first.get("id")));
        ashlar.create("comment", Map.of("title", "aaa", "likes", 1, "post_id", first.get("id")));

        List<Row> posts = ashlar.read("post").load("count_of_comments")
                .load("comments", c -> c.sort(Sort.asc("title"), Sort.asc("likes")).select("title", "likes").limit(1))
                .sort(Sort.asc("title"), Sort.asc("score")).list();

        assertThat(posts).extracting(p -> p.get("title") + ":" + p.get("score") + ":" + p.get("count_of_comments"))
                .containsExactly("aaa:0:3", "aaa:1:0", "bbb:0:0");
        assertThat(posts.get(0).related("comments")).extracting(c -> c.get("title") + ":" + c.get("likes"))
                .containsExactly("aaa:1");
        assertThat(posts.get(1).related("comments")).isEmpty();
    }

    /** "sorting when joining to a many to many relationship sorts properly". */
    @Test
    void aFilterThroughAManyToManyKeepsTheSortAndGivesEachRowOnce() {
        Row aaa = post("aaa", 0);
        Row bbb = post("bbb", 1);
        Row ccc = post("ccc", 0);
        link(aaa, ccc);
        link(bbb, bbb);
        link(ccc, aaa);
        link(ccc, bbb);

        assertThat(values(ashlar.read("post").where(in("linked_posts.title", List.of("aaa", "bbb", "ccc")))
                .sort(Sort.asc("title")).list(), "title")).containsExactly("aaa", "bbb", "ccc");
        assertThat(values(ashlar.read("post").where(or(in("linked_posts.title", List.of("aaa", "bbb", "ccc")),
                eq("title", "aaa"))).sort(Sort.desc("title")).list(), "title")).containsExactly("ccc", "bbb", "aaa");
        assertThat(values(ashlar.read("post").where(or(in("linked_posts.title", List.of("aaa", "bbb", "ccc")),
                eq("post_links.source_id", bbb.get("id")))).sort(Sort.desc("title")).list(), "title"))
                .containsExactly("ccc", "bbb", "aaa");
    }

    /** "calculations can be sorted on w/o loading aggregates they reference". */
    @Test
    void aCalculationOverAnAggregateSortsWithoutLoadingTheAggregate() {
        Row few = post("few", 1);
        Row many = post("many", 1);
        comment("a", few);
        comment("b", many);
        comment("c", many);

        List<Row> posts = ashlar.read("post").load("count_of_comments").sort(Sort.desc("c_times_p")).list();

        assertThat(values(posts, "title")).containsExactly("many", "few");
        assertThat(posts).extracting(r -> r.get("count_of_comments")).containsExactly(2L, 1L);
    }

    /** "calculations can sort on expressions": a many-to-many loaded in the order of its join records' state. */
    @Test
    void aManyToManyLoadsInTheOrderOfAFieldOfItsJoinRecords() {
        Row source = post("source", 0);
        Row first = post("first", 0);
        Row second = post("second", 0);
        ashlar.create("post_link", Map.of("source_id", source.get("id"), "dest_id", second.get("id"), "state", "b"));
        ashlar.create("post_link", Map.of("source_id", source.get("id"), "dest_id", first.get("id"), "state", "a"));

        Row loaded = ashlar.read("post").where(eq("id", source.get("id"))).load("linked_posts_by_state").one()
                .orElseThrow();

        assertThat(values(loaded.related("linked_posts_by_state"), "title")).containsExactly("first", "second");
    }

    /**
     * "sorting on relationship attributes work": loaded views beside a sort by title; a sort by an attribute of a
     * to-many relationship is refused (each post has many times), and a sort by an aggregate of it says which.
     */
    @Test
    void aSortByAToManyAttributeIsRefusedAndAnAggregateOfItSorts() {
        Row aaa = post("aaa", 0);
        Row bbb = post("bbb", 0);
        ashlar.create("post_view", Map.of("browser", "firefox", "post_id", aaa.get("id"),
                "time", Instant.parse("2025-01-01T00:00:00Z")));
        ashlar.create("post_view", Map.of("browser", "chrome", "post_id", bbb.get("id"),
                "time", Instant.parse("2025-01-02T00:00:00Z")));

        List<Row> byTitle = ashlar.read("post").load("views").sort(Sort.asc("title")).list();
        List<Row> byLastView = ashlar.read("post").load("views")
                .aggregate(Aggregate.of("last_view", Aggregate.Kind.MAX, "views", "time"))
                .sort(Sort.desc("last_view"), Sort.asc("title")).list();

        assertThat(byTitle).extracting(p -> p.get("title") + ":" + values(p.related("views"), "browser"))
                .containsExactly("aaa:[firefox]", "bbb:[chrome]");
        assertThat(byLastView).extracting(p -> p.get("title") + ":" + values(p.related("views"), "browser"))
                .containsExactly("bbb:[chrome]", "aaa:[firefox]");
        assertThatThrownBy(() -> ashlar.read("post").sort(Sort.desc("views.time")).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("views");
    }

    /** "sorting with filtered relationship": a tag's latest post of five. */
    @Test
    void aManyToManyLoadSortedDescendingWithALimitGivesTheLatestRecord() {
        Row tag = ashlar.create("tag", Map.of());
        for (String day : List.of("03", "05", "01", "10", "02")) {
            Row post = ashlar.create("post", Map.of("created_at", Instant.parse("2025-01-" + day + "T00:00:00Z")));
            ashlar.create("post_tag", Map.of("post_id", post.get("id"), "tag_id", tag.get("id")));
        }

        Row loaded = ashlar.read("tag").load("posts", p -> p.sort(Sort.desc("created_at")).limit(1)).one()
                .orElseThrow();

        assertThat(loaded.related("posts")).singleElement()
                .satisfies(p -> assertThat(p.getInstant("created_at")).isEqualTo("2025-01-10T00:00:00Z"));
    }

    /** "keyset pagination with loaded aggregate and relationship sort works". */
    @Test
    void keysetPagesSortedByARelatedFieldCarryALoadedAggregate() {
        Row zara = ashlar.create("author", Map.of("first_name", "Zara"));
        Row alice = ashlar.create("author", Map.of("first_name", "Alice"));
        Row byZara = post("Post by Zara", zara);
        Row byAlice = post("Post by Alice", alice);
        comment("Comment 1", byZara);
        comment("Comment 2", byZara);
        comment("Comment 3", byAlice);

        var read = ashlar.read("post").load("count_of_comments").load("author").sort(Sort.asc("author.first_name"));
        List<Row> page = read.limit(10).list();
        List<Row> afterFirst = read.after(read.cursor(page.get(0))).limit(10).list();

        assertThat(page).extracting(p -> p.get("title") + ":" + p.get("count_of_comments"))
                .containsExactly("Post by Alice:1", "Post by Zara:2");
        assertThat(afterFirst).extracting(p -> p.get("title") + ":" + p.get("count_of_comments"))
                .containsExactly("Post by Zara:2");
        assertThat(values(read.after("Alice", byAlice.get("id")).list(), "title")).containsExactly("Post by Zara");
    }

    private void message(Row channel, String content, String sentAt, String readAt) {
        Map<String, Object> values = new HashMap<>(Map.of("channel_id", channel.get("id"),
                "content", content, "sent_at", Instant.parse(sentAt)));
        if (readAt != null) {
            values.put("read_at", Instant.parse(readAt));
        }
        ashlar.create("channel_member", values);
    }

    /**
     * "sorting by single calculated field through has_one relationship works", "... different single ...", "sorting
     * by multiple calculated fields through different has_one relationships": each chat once, in either order.
     */
    @Test
    void sortsByOneOrTwoSortedHasOnesGiveEachChatOnceOrderedByItsFirstRecord() {
        Row busy = ashlar.create("channel", Map.of());
        Row quiet = ashlar.create("channel", Map.of());
        message(busy, "First", "2025-01-01T10:00:00Z", null);
        message(busy, "Second", "2025-01-02T10:00:00Z", "2025-01-02T11:00:00Z");
        message(busy, "Third", "2025-01-03T10:00:00Z", null);
        message(quiet, "Only", "2025-01-02T12:00:00Z", "2025-01-04T10:00:00Z");

        List<Row> byUnread = ashlar.read("channel").sort(Sort.desc("last_unread_message.sent_at").nullsLast()).list();
        List<Row> byRead = ashlar.read("channel").sort(Sort.desc("last_message.read_at").nullsLast()).list();
        List<Row> byBoth = ashlar.read("channel").sort(Sort.desc("last_unread_message.sent_at").nullsLast(),
                Sort.desc("last_message.read_at")).list();

        assertThat(byUnread).extracting(r -> r.get("id")).containsExactly(busy.get("id"), quiet.get("id"));
        assertThat(byRead).extracting(r -> r.get("id")).containsExactly(quiet.get("id"), busy.get("id"));
        assertThat(byBoth).extracting(r -> r.get("id")).containsExactly(busy.get("id"), quiet.get("id"));
    }

    /** "next page returns the remaining rows when sorting by created_at desc" (microseconds apart). */
    @Test
    void keysetPagesOverTimestampsThatDifferOnlyInMicroseconds() {
        Instant base = Instant.parse("2026-05-25T05:34:24Z");
        List<Row> posts = List.of(10, 20, 30).stream().map(usec -> ashlar.create("post",
                Map.of("title", "post-" + usec, "created_at", base.plusNanos(usec * 1000L)))).toList();

        var read = ashlar.read("post").sort(Sort.desc("created_at"));
        List<Row> first = read.limit(2).list();
        List<Row> next = read.after(read.cursor(first.get(1))).limit(2).list();

        assertThat(first).extracting(r -> r.get("id")).containsExactly(posts.get(2).get("id"), posts.get(1).get("id"));
        assertThat(next).extracting(r -> r.get("id")).containsExactly(posts.get(0).get("id"));
    }
}
