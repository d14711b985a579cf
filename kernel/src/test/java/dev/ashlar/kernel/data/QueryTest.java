package dev.ashlar.kernel.data;

import dev.ashlar.kernel.Read;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.and;
import static dev.ashlar.api.query.Filter.contains;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.gte;
import static dev.ashlar.api.query.Filter.ilike;
import static dev.ashlar.api.query.Filter.in;
import static dev.ashlar.api.query.Filter.isNil;
import static dev.ashlar.api.query.Filter.like;
import static dev.ashlar.api.query.Filter.lt;
import static dev.ashlar.api.query.Filter.lte;
import static dev.ashlar.api.query.Filter.ne;
import static dev.ashlar.api.query.Filter.not;
import static dev.ashlar.api.query.Filter.notNil;
import static dev.ashlar.api.query.Filter.or;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reads against ten posts: titles P1..P10, rating = n (null for n = 5 and 10), tags by parity. */
class QueryTest extends BlogDatabaseTest {

    record PostView(int id, String title, Integer rating, Fixtures.Status status, List<String> tags,
                    Instant insertedAt) {
    }

    @BeforeAll
    void seed() {
        List<Map<String, Object>> posts = new ArrayList<>();
        for (int n = 1; n <= 10; n++) {
            Map<String, Object> post = new HashMap<>();
            post.put("title", "P" + n);
            post.put("rating", n % 5 == 0 ? null : n);
            post.put("tags", n % 2 == 0 ? List.of("even") : List.of("odd", "x" + n));
            post.put("status", n <= 3 ? "PUBLISHED" : "DRAFT");
            posts.add(post);
        }
        ashlar.createAll("post", posts);
    }


    private List<String> titles(Filter filter) {
        return ashlar.read("post").where(filter).sort(Sort.asc("id")).list().stream()
                .map(row -> row.getString("title")).toList();
    }

    @Test
    void filtersWithEveryComparisonOperator() {
        assertThat(titles(eq("rating", 3))).containsExactly("P3");
        assertThat(titles(ne("rating", 3))).containsExactly("P1", "P2", "P4", "P6", "P7", "P8", "P9");
        assertThat(titles(gt("rating", 7))).containsExactly("P8", "P9");
        assertThat(titles(gte("rating", 8))).containsExactly("P8", "P9");
        assertThat(titles(lt("rating", 2))).containsExactly("P1");
        assertThat(titles(lte("rating", 2))).containsExactly("P1", "P2");
    }

    @Test
    void filtersByInNilLikeAndArrayContains() {
        assertThat(titles(in("title", List.of("P2", "P4", "nope")))).containsExactly("P2", "P4");
        assertThat(titles(in("title", List.of()))).isEmpty();
        assertThat(titles(isNil("rating"))).containsExactly("P5", "P10");
        assertThat(titles(eq("rating", null))).containsExactly("P5", "P10");
        assertThat(titles(notNil("rating"))).hasSize(8);
        assertThat(titles(like("title", "P1%"))).containsExactly("P1", "P10");
        assertThat(titles(ilike("title", "p1_"))).containsExactly("P10");
        assertThat(titles(contains("tags", "x7"))).containsExactly("P7");
    }

    @Test
    void neAndNotOfEqKeepNoRowWhoseFieldIsNullAsSqlDoesWhileNeOfNullKeepsEveryRowWithAValue() {
        List<String> rated = List.of("P1", "P2", "P4", "P6", "P7", "P8", "P9");

        assertThat(titles(ne("rating", 3))).isEqualTo(rated);
        assertThat(titles(not(eq("rating", 3)))).isEqualTo(rated);
        assertThat(titles(or(ne("rating", 3), isNil("rating")))).hasSize(9).contains("P5", "P10");
        assertThat(titles(ne("rating", null))).isEqualTo(titles(notNil("rating"))).hasSize(8);
        assertThat(titles(not(eq("rating", null)))).hasSize(8);
        assertThat(titles(not(in("rating", List.of())))).as("an empty in keeps no row, its negation every row")
                .hasSize(10);
    }

    @Test
    void combinesFiltersWithAndOrNot() {
        assertThat(titles(and(eq("status", Fixtures.Status.PUBLISHED), or(eq("rating", 1), eq("rating", 3)))))
                .containsExactly("P1", "P3");
        assertThat(titles(not(or(lt("rating", 9), isNil("rating"))))).containsExactly("P9");
        assertThat(titles(and())).hasSize(10);
        assertThat(titles(or())).isEmpty();
    }

    @Test
    void sortsWithNullsFirstOrLast() {
        Read read = ashlar.read("post").where(lte("id", 6)).select("rating");

        assertThat(read.sort(Sort.asc("rating").nullsFirst()).list()).extracting(r -> r.get("rating"))
                .containsExactly(null, 1, 2, 3, 4, 6);
        assertThat(read.sort(Sort.desc("rating").nullsLast()).list()).extracting(r -> r.get("rating"))
                .containsExactly(6, 4, 3, 2, 1, null);
        assertThat(read.sort(Sort.desc("rating")).list()).extracting(r -> r.get("rating"))
                .containsExactly(null, 6, 4, 3, 2, 1);
    }

    @Test
    void pagesWithLimitAndOffset() {
        Read page = ashlar.read("post").sort(Sort.asc("id")).limit(3).offset(3);

        assertThat(page.list()).extracting(row -> row.getString("title")).containsExactly("P4", "P5", "P6");
        assertThat(page.count()).isEqualTo(3);
    }

    @Test
    void pagesWithAKeysetCursorForwardAndBackward() {
        Read byTags = ashlar.read("post").sort(Sort.desc("status"), Sort.asc("id")).limit(4);
        List<Row> first = byTags.list();

        List<Row> second = byTags.after(byTags.cursor(first.get(3))).list();
        List<Row> back = byTags.before(byTags.cursor(second.get(0))).list();

        assertThat(first).extracting(r -> r.getString("title")).containsExactly("P1", "P2", "P3", "P4");
        assertThat(second).extracting(r -> r.getString("title")).containsExactly("P5", "P6", "P7", "P8");
        assertThat(back).extracting(r -> r.getString("title")).containsExactly("P1", "P2", "P3", "P4");
    }

    @Test
    void pagesByANullableKeyReachEveryRowWhereverItsNullsAreSortedForwardAndBackward() {
        for (Sort rating : List.of(Sort.asc("rating"), Sort.desc("rating"), Sort.asc("rating").nullsFirst(),
                Sort.desc("rating").nullsLast(), Sort.asc("rating").nullsLast(), Sort.desc("rating").nullsFirst())) {
            Read read = ashlar.read("post").sort(rating, Sort.asc("id"));
            List<String> all = read.list().stream().map(row -> row.getString("title")).toList();
            Read pages = read.limit(3);

            List<String> forward = new ArrayList<>();
            List<Row> page = pages.list();
            while (!page.isEmpty()) {
                page.forEach(row -> forward.add(row.getString("title")));
                page = pages.after(pages.cursor(page.get(page.size() - 1))).list();
            }
            List<String> backward = new ArrayList<>();
            Row last = read.list().get(all.size() - 1);
            backward.add(0, last.getString("title"));
            page = pages.before(pages.cursor(last)).list();
            while (!page.isEmpty()) {
                backward.addAll(0, page.stream().map(row -> row.getString("title")).toList());
                page = pages.before(pages.cursor(page.get(0))).list();
            }

            assertThat(all).as(rating.toString()).hasSize(10);
            assertThat(forward).as(rating + " forward").isEqualTo(all);
            assertThat(backward).as(rating + " backward").isEqualTo(all);
        }
    }

    @Test
    void pagesByASortKeyThatRowsShareReachEveryRowOnceForwardAndBackward() {
        Read byStatus = ashlar.read("post").sort(Sort.asc("status")).limit(3);
        List<String> forward = new ArrayList<>();
        List<Row> page = byStatus.list();
        List<Row> last = page;
        while (!page.isEmpty()) {
            page.forEach(row -> forward.add(row.getString("title")));
            last = page;
            page = byStatus.after(byStatus.cursor(page.get(page.size() - 1))).list();
        }
        List<String> backward = new ArrayList<>();
        page = last;
        while (!page.isEmpty()) {
            backward.addAll(0, page.stream().map(row -> row.getString("title")).toList());
            page = byStatus.before(byStatus.cursor(page.get(0))).list();
        }

        assertThat(forward).as("drafts by id, then the published").containsExactly("P4", "P5", "P6", "P7", "P8",
                "P9", "P10", "P1", "P2", "P3");
        assertThat(backward).isEqualTo(forward);
        assertThat(byStatus.cursor(byStatus.list().get(0))).containsExactly("DRAFT", 4);
        assertThat(byStatus.offset(3).list()).extracting(row -> row.getString("title"))
                .containsExactly("P7", "P8", "P9");
        assertThat(ashlar.read("post").sort(Sort.asc("status")).after("DRAFT").list()).as("a cursor of the sort "
                + "keys alone").extracting(row -> row.getString("title")).containsExactlyInAnyOrder("P1", "P2", "P3");
    }

    @Test
    void comparesWithValuesPastTheColumnsBoundsAsTheServerDoesInsteadOfRefusingThem() {
        assertThat(titles(lt("rating", 3_000_000_000L))).hasSize(8);
        assertThat(titles(gt("rating", 3_000_000_000L))).isEmpty();
        assertThat(titles(eq("rating", 3_000_000_000L))).isEmpty();
        assertThat(titles(ne("rating", java.math.BigInteger.TEN.pow(30)))).hasSize(8);
        assertThat(titles(in("rating", List.of(1, 3_000_000_000L)))).containsExactly("P1");
        assertThat(titles(gt("rating", 8.5))).containsExactly("P9");
        assertThat(titles(ne("title", "P".repeat(21)))).hasSize(10);
        assertThat(titles(lt("title", "Q".repeat(21)))).hasSize(10);
        assertThat(titles(in("title", List.of("P1", "P".repeat(21))))).containsExactly("P1");

        assertThatThrownBy(() -> titles(eq("rating", "high"))).isInstanceOfSatisfying(AshlarException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_QUERY))
                .hasMessageContaining("Filter on post.rating: the value must be an integer");
        assertThatThrownBy(() -> titles(eq("status", "LOST"))).isInstanceOf(AshlarException.class)
                .hasMessageContaining("must be one of");
    }

    @Test
    void loadsOnlySelectedFieldsAndTheKey() {
        Row row = ashlar.read("post").select("title").where(eq("title", "P2")).first().orElseThrow();

        assertThat(row.fields()).containsExactly("id", "title");
    }

    @Test
    void countsAndTellsWhetherAnyRowMatches() {
        assertThat(ashlar.read("post").where(contains("tags", "even")).count()).isEqualTo(5);
        assertThat(ashlar.read("post").where(eq("title", "P9")).exists()).isTrue();
        assertThat(ashlar.read("post").where(eq("title", "P99")).exists()).isFalse();
    }

    @Test
    void mapsRowsOntoJavaRecordsByComponentName() {
        List<PostView> views = ashlar.read("post").where(lte("id", 2)).sort(Sort.asc("id")).list(PostView.class);

        assertThat(views).extracting(PostView::title).containsExactly("P1", "P2");
        assertThat(views.get(0).status()).isEqualTo(Fixtures.Status.PUBLISHED);
        assertThat(views.get(0).tags()).containsExactly("odd", "x1");
        assertThat(views.get(1).insertedAt()).isBefore(Instant.now().plusSeconds(5));
    }

    @Test
    void refusesFiltersAndCursorsThatCannotApplyToTheAttribute() {
        List<Read> malformed = List.of(
                ashlar.read("post").where(in("tags", List.of("a"))),
                ashlar.read("post").where(contains("rating", 1)),
                ashlar.read("post").where(like("rating", "1%")),
                ashlar.read("post").where(gt("rating", null)),
                ashlar.read("post").sort(Sort.asc("rating"), Sort.asc("id")).after(1));

        for (Read read : malformed) {
            assertThatThrownBy(read::list).as(read.query().toString()).isInstanceOfSatisfying(AshlarException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_QUERY));
        }
        // A cursor holding null is a place in the order like any other: past it come only the rows it sorts before.
        assertThat(ashlar.read("post").sort(Sort.asc("rating")).after((Object) null).list()).isEmpty();
        assertThat(ashlar.read("post").sort(Sort.asc("rating").nullsFirst()).after((Object) null).count())
                .isEqualTo(8);
    }

    @Test
    void containsOnTextFindsTheTextAnywhereWithNoPatternCharacters() {
        assertThat(titles(contains("title", "1"))).containsExactly("P1", "P10");
        assertThat(titles(contains("title", "p1"))).as("case-sensitive").isEmpty();
        assertThat(titles(contains("title", "_"))).as("no LIKE pattern: _ is itself").isEmpty();
    }

    @Test
    void readsTheFirstRowAsARecordOrNothing() {
        assertThat(ashlar.read("post").where(eq("title", "P4")).first(PostView.class))
                .hasValueSatisfying(view -> assertThat(view.rating()).isEqualTo(4));
        assertThat(ashlar.read("post").where(eq("title", "P44")).first(PostView.class)).isEmpty();
        assertThat(ashlar.read("post").limit(0).first()).as("a limit of 0 selects no row").isEmpty();
        assertThat(ashlar.read("post").limit(0).one()).isEmpty();
    }

    @Test
    void aComputedFieldNamedPastWhatPostgresqlKeepsIsAnInvalidQueryNamingIt() {
        assertThatThrownBy(() -> ashlar.read("post").compute("x".repeat(70), Long.class, "1").list())
                .isInstanceOfSatisfying(AshlarException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_QUERY);
                    assertThat(e.field()).hasValue("x".repeat(70));
                })
                .hasMessageContaining("computed field 'xxx", "is 70 bytes long");
    }

    @Test
    void oneReadsTheOnlyRowAFilterSelectsNothingWhenNoneAndRefusesMoreThanOne() {
        assertThat(ashlar.read("post").where(eq("title", "P4")).one()).hasValueSatisfying(row ->
                assertThat(row.getInteger("rating")).isEqualTo(4));
        assertThat(ashlar.read("post").where(eq("title", "P4")).one(PostView.class)).hasValueSatisfying(view ->
                assertThat(view.id()).isEqualTo(4));
        assertThat(ashlar.read("post").where(eq("title", "P44")).one()).isEmpty();
        assertThat(ashlar.read("post").where(isNil("rating")).limit(1).one()).as("a limit of one selects one")
                .isPresent();

        assertThatThrownBy(() -> ashlar.read("post").where(isNil("rating")).one())
                .isInstanceOfSatisfying(AshlarException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_QUERY);
                    assertThat(e.resource()).hasValue("post");
                })
                .hasMessageContaining("at most one post", "narrow the filter", "first()");
    }

    @Test
    void filtersByNotInAndBetweenAsSqlDoes() {
        assertThat(titles(Filter.notIn("rating", List.of(1, 2, 3, 4, 6, 7)))).as("NOT IN keeps no null")
                .containsExactly("P8", "P9");
        assertThat(titles(Filter.notIn("rating", List.of()))).hasSize(10);
        assertThat(titles(Filter.between("rating", 3, 6))).containsExactly("P3", "P4", "P6");
        assertThat(titles(Filter.between("rating", 6, 3))).isEmpty();
        assertThat(titles(Filter.startsWith("title", "P1"))).containsExactly("P1", "P10");
        assertThat(titles(Filter.endsWith("title", "0"))).containsExactly("P10");
    }

    @Test
    void sharesLockedRowsInsideATransaction() {
        long locked = ashlar.transaction(tx -> (long) tx.read("post").where(lte("id", 3))
                .lock(dev.ashlar.api.query.Lock.FOR_SHARE).list().size());

        assertThat(locked).isEqualTo(3);
    }

    @Test
    void updatesAndDestroysEveryRowAQuerySelects() {
        ashlar.createAll("post", List.of(Map.of("title", "tmp-a"), Map.of("title", "tmp-b"), Map.of("title", "tmp-c")));

        List<Row> updated = ashlar.read("post").where(like("title", "tmp-%")).sort(Sort.asc("title")).limit(2)
                .updateAll(Map.of("body", "bulk"));
        long bulk = ashlar.read("post").where(eq("body", "bulk")).count();
        int destroyed = ashlar.read("post").where(like("title", "tmp-%")).destroyAll();

        assertThat(updated).extracting(r -> r.getString("title")).containsExactlyInAnyOrder("tmp-a", "tmp-b");
        assertThat(bulk).isEqualTo(2);
        assertThat(destroyed).isEqualTo(3);
        assertThat(ashlar.read("post").count()).isEqualTo(10);
    }
}
