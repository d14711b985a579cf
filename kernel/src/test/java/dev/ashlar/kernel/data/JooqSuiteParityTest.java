package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.typed.Condition;
import dev.ashlar.api.typed.Order;
import dev.ashlar.kernel.TypedRead;
import dev.ashlar.kernel.data.TypedBlog.Comment;
import dev.ashlar.kernel.data.TypedBlog.Post;
import dev.ashlar.kernel.data.TypedBlog.Status;
import dev.ashlar.kernel.data.TypedBlog.User;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.ashlar.api.query.Filter.and;
import static dev.ashlar.api.query.Filter.contains;
import static dev.ashlar.api.query.Filter.endsWith;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.escapeLike;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.gte;
import static dev.ashlar.api.query.Filter.in;
import static dev.ashlar.api.query.Filter.isNil;
import static dev.ashlar.api.query.Filter.like;
import static dev.ashlar.api.query.Filter.ne;
import static dev.ashlar.api.query.Filter.not;
import static dev.ashlar.api.query.Filter.notIn;
import static dev.ashlar.api.query.Filter.or;
import static dev.ashlar.api.query.Filter.sql;
import static dev.ashlar.api.query.Filter.startsWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The query side of jOOQ's open tests (jOOQ/jOOQ, {@code jOOQ/src/test}: {@code BasicTest}, {@code ConditionTest},
 * {@code PlainSQLTest}, {@code RecordMappingTest}; and the manual's examples of the DSL calls they render), restated
 * against the typed API, the string API and statements written by hand, each on PostgreSQL with the rows asserted.
 */
class JooqSuiteParityTest extends DomainDatabaseTest {
    private User ada;
    private User bob;

    JooqSuiteParityTest() {
        super(TypedBlog.DOMAIN);
    }

    @BeforeEach
    void seed() {
        db.execute("TRUNCATE post_tags, tags, comments, posts, users RESTART IDENTITY");
        ada = ashlar.create(User.USERS, new User(null, "ada@example.com", "Ada"));
        bob = ashlar.create(User.USERS, new User(null, "bob@example.com", "Bob"));
        post("100% sure", 5, ada);       // 1
        post("a_b", 2, bob);             // 2
        post("axb", null, bob);          // 3
        post("back\\slash", 3, ada);     // 4
        post("plain", 2, ada);           // 5
        ashlar.createAll(Comment.COMMENTS, List.of(new Comment(null, "yes", 4, 1, bob.id()),
                new Comment(null, "no", 1, 2, ada.id())));
    }

    private Post post(String title, Integer rating, User author) {
        return ashlar.create(Post.POSTS, new Post(null, title, rating, null, List.of(), null, null, author.id()));
    }

    private List<Integer> ids(TypedRead<Post> read) {
        return read.list().stream().map(Post::id).toList();
    }

    private List<Object> ids(dev.ashlar.kernel.Read read) {
        return read.list().stream().map(row -> row.get("id")).toList();
    }

    /** {@code ConditionTest} ({@code and}, {@code or}, {@code not} nested): the same rows typed and by name. */
    @Test
    void nestedAndOrNotSelectTheSameRowsTypedAndByName() {
        Condition<Post> typed = Post.RATING.gte(3).or(Post.TITLE.eq("plain")).and(Post.AUTHOR_ID.eq(ada.id()).not()
                .not());
        Filter strings = and(or(gte("rating", 3), eq("title", "plain")), not(not(eq("author_id", ada.id()))));

        assertThat(ids(ashlar.read(Post.POSTS).where(typed).sort(Post.ID.asc()))).containsExactly(1, 4, 5);
        assertThat(ids(ashlar.read("post").where(strings).sort(Sort.asc("id")))).containsExactly(1, 4, 5);
    }

    /**
     * {@code BasicTest}'s {@code notEqual}, {@code notIn} and {@code isDistinctFrom}: SQL's three-valued logic, a null
     * kept only when asked for, as jOOQ renders {@code IS DISTINCT FROM}.
     */
    @Test
    void notEqualAndNotInLeaveNullsOutAndDistinctFromKeepsThem() {
        assertThat(ids(ashlar.read(Post.POSTS).where(Post.RATING.ne(2)).sort(Post.ID.asc()))).containsExactly(1, 4);
        assertThat(ids(ashlar.read(Post.POSTS).where(Post.RATING.notIn(List.of(2, 5))).sort(Post.ID.asc())))
                .containsExactly(4);
        assertThat(ids(ashlar.read(Post.POSTS).where(Post.RATING.isDistinctFrom(2)).sort(Post.ID.asc())))
                .containsExactly(1, 3, 4);
        assertThat(ids(ashlar.read(Post.POSTS).where(Post.RATING.isNotDistinctFrom(null)).sort(Post.ID.asc())))
                .containsExactly(3);
        assertThat(ids(ashlar.read("post").where(Filter.distinctFrom("rating", 2)).sort(Sort.asc("id"))))
                .containsExactly(1, 3, 4);
        assertThat(ids(ashlar.read("post").where(Filter.notDistinctFrom("rating", 5)).sort(Sort.asc("id"))))
                .containsExactly(1);
    }

    /** The DSL's {@code sortAsc().nullsFirst()}/{@code nullsLast()}: nulls where asked, either direction. */
    @Test
    void nullsFirstAndNullsLastPutTheNullsWhereAskedInEitherDirection() {
        assertThat(ids(ashlar.read(Post.POSTS).sort(Post.RATING.asc().nullsFirst(), Post.ID.asc())))
                .containsExactly(3, 2, 5, 4, 1);
        assertThat(ids(ashlar.read(Post.POSTS).sort(Post.RATING.desc().nullsLast(), Post.ID.asc())))
                .containsExactly(1, 4, 2, 5, 3);
        assertThat(ids(ashlar.read("post").sort(Sort.desc("rating"), Sort.asc("id"))))
                .containsExactly(3, 1, 4, 2, 5);
    }

    /** {@code selectDistinct().on(...)} ({@code DISTINCT ON}): one row per author, the first by the sort. */
    @Test
    void distinctOnKeepsTheFirstRowOfEachGroupByTheSort() {
        List<Post> best = ashlar.read(Post.POSTS).distinct(Post.AUTHOR_ID)
                .distinctSort(Post.RATING.desc().nullsLast()).sort(Post.TITLE.asc()).list();

        assertThat(best).extracting(Post::title).containsExactly("100% sure", "a_b");
    }

    /** {@code limit(n).offset(m)} and {@code limit(n).withTies()}: a page, and ties with the last row kept. */
    @Test
    void limitOffsetPagesAndWithTiesKeepsRowsEqualToTheLast() {
        assertThat(ids(ashlar.read(Post.POSTS).sort(Post.ID.asc()).offset(1).limit(2))).containsExactly(2, 3);
        assertThat(ashlar.read(Post.POSTS).where(Post.RATING.notNil()).sort(Post.RATING.desc()).limit(3).withTies()
                .list()).extracting(Post::id).containsExactlyInAnyOrder(1, 4, 2, 5);
        assertThat(ashlar.read("post").where(Filter.notNil("rating")).sort(Sort.asc("rating")).limit(1).withTies()
                .list()).extracting(row -> row.get("id")).containsExactlyInAnyOrder(2, 5);
    }

    /**
     * {@code Field.contains}, {@code startsWith} and {@code like(pattern, escape)}: {@code %}, {@code _} and {@code \}
     * in a value match only themselves, and a pattern escapes them with {@code escapeLike}.
     */
    @Test
    void percentUnderscoreAndBackslashInAValueMatchOnlyThemselves() {
        assertThat(ids(ashlar.read(Post.POSTS).where(Post.TITLE.contains("%")))).containsExactly(1);
        assertThat(ids(ashlar.read(Post.POSTS).where(Post.TITLE.startsWith("a_")))).containsExactly(2);
        assertThat(ids(ashlar.read(Post.POSTS).where(Post.TITLE.contains("\\")))).containsExactly(4);
        assertThat(ids(ashlar.read("post").where(endsWith("title", "_b")))).containsExactly(2);
        assertThat(ids(ashlar.read("post").where(like("title", "a" + escapeLike("_") + "%")))).containsExactly(2);
        assertThat(ids(ashlar.read("post").where(like("title", "a_b")).sort(Sort.asc("id")))).containsExactly(2, 3);
        assertThat(ids(ashlar.read("post").where(startsWith("title", "100%")))).containsExactly(1);
    }

    /**
     * {@code Field.in(Collection)} past 32,767 values (jOOQ splits its {@code IN} list; PostgreSQL takes 65,535
     * binds at most): a list of 100,000 binds as one array, typed, by name, negated and by hand.
     */
    @Test
    void aHundredThousandValuesInOneInListBindAsOneArray() {
        List<Integer> many = new ArrayList<>(IntStream.rangeClosed(5, 100_004).boxed().toList());
        List<Long> notKept = many.stream().map(Integer::longValue).toList();

        assertThat(ids(ashlar.read(Post.POSTS).where(Post.ID.in(many)))).containsExactly(5);
        assertThat(ids(ashlar.read("post").where(in("id", many)))).containsExactly(5);
        assertThat(ashlar.read("post").where(notIn("id", notKept)).count()).isEqualTo(4);
        assertThat(ashlar.sql("SELECT count(*) FROM posts WHERE id = ANY(?)", many).value(Long.class)).isEqualTo(1);
    }

    /** {@code DSL.exists(select ...)} and {@code notExists}: rows with, or without, a related row matching. */
    @Test
    void existsAndNotExistsOfRelatedRows() {
        assertThat(ids(ashlar.read(Post.POSTS).where(Post.COMMENTS.any(Comment.RATING.gte(2))))).containsExactly(1);
        assertThat(ids(ashlar.read("post").where(not(exists("comments"))).sort(Sort.asc("id"))))
                .containsExactly(3, 4, 5);
        assertThat(ashlar.read(Post.POSTS).where(Post.RATING.gt(4)).exists()).isTrue();
        assertThat(ashlar.read(Post.POSTS).where(Post.RATING.gt(5)).exists()).isFalse();
    }

    /**
     * {@code DSL.choose().when(...)} / {@code decode()} ({@code CASE}) and {@code DSL.coalesce}: a computed field
     * read and sorted by, and a sort by an expression.
     */
    @Test
    void caseAndCoalesceComputeFieldsToReadAndSortBy() {
        record Banded(Integer id, String band, Integer rated) {
        }

        List<Banded> rows = ashlar.read("post")
                .compute("band", String.class, "CASE WHEN rating >= 3 THEN 'high' WHEN rating IS NULL THEN 'none' "
                        + "ELSE 'low' END")
                .compute("rated", Integer.class, "coalesce(rating, 0)")
                .sort(Sort.asc("rated"), Sort.asc("id")).list(Banded.class);
        List<Integer> byCoalesce = ids(ashlar.read(Post.POSTS).sort(Order.asc("rated"), Post.ID.desc())
                .compute("rated", Integer.class, "coalesce(rating, 10)"));

        assertThat(rows).containsExactly(new Banded(3, "none", 0), new Banded(2, "low", 2), new Banded(5, "low", 2),
                new Banded(4, "high", 3), new Banded(1, "high", 5));
        assertThat(byCoalesce).containsExactly(5, 2, 4, 1, 3);
        assertThat(ids(ashlar.read("post").sort(Sort.ascBy(sql("coalesce(rating, 10)")), Sort.desc("id"))))
                .containsExactly(5, 2, 4, 1, 3);
    }

    /**
     * {@code seek(...)} (keyset paging, {@code row(a, b).gt(x, y)}): pages after the last row's keys give every row
     * once, nulls included, sorted on a nullable key then the primary key.
     */
    @Test
    void keysetPagesAfterTheLastRowGiveEveryRowOnceNullsIncluded() {
        TypedRead<Post> read = ashlar.read(Post.POSTS).sort(Post.RATING.desc().nullsLast(), Post.ID.asc()).limit(2);
        List<Integer> seen = new ArrayList<>();
        List<Post> page = read.list();
        while (!page.isEmpty()) {
            page.forEach(post -> seen.add(post.id()));
            page = read.after(page.get(page.size() - 1)).list();
        }

        assertThat(seen).containsExactly(1, 4, 2, 5, 3);
        assertThat(ashlar.sql("SELECT id FROM posts WHERE (rating, id) > (?, ?) ORDER BY rating, id", 2, 2)
                .values(Integer.class)).containsExactly(5, 4, 1);
    }

    /**
     * {@code insertInto(...).onConflict(...).doUpdate()} / {@code doNothing()} with {@code returning()}: a taken key
     * updates the named field or keeps the stored row, and the rows written come back.
     */
    @Test
    void onConflictUpdatesOrKeepsTheStoredRowAndReturnsTheRowsWritten() {
        List<User> written = ashlar.upsert(User.USERS, List.of(new User(null, "ada@example.com", "Ada L."),
                new User(null, "cy@example.com", "Cy")), User.UNIQUE_EMAIL.update(User.NAME));
        List<User> kept = ashlar.upsert(User.USERS, List.of(new User(null, "bob@example.com", "Robert")),
                User.UNIQUE_EMAIL.doNothing());

        assertThat(written).extracting(User::name).containsExactly("Ada L.", "Cy");
        assertThat(written.get(0).id()).isEqualTo(ada.id());
        assertThat(kept).isEmpty();
        assertThat(ashlar.sql("SELECT name FROM users ORDER BY email").values(String.class))
                .containsExactly("Ada L.", "Bob", "Cy");
    }

    /**
     * {@code insertInto(...).returning()}, {@code update(...).returning()}, {@code deleteFrom(...).returning()}: the
     * rows each statement wrote, as stored.
     */
    @Test
    void insertsUpdatesAndDeletesReturnTheRowsAsStored() {
        List<Post> created = ashlar.createAll(Post.POSTS, List.of(new Post(null, "new", 1, null, null, null, null,
                null)));
        List<Post> updated = ashlar.read(Post.POSTS).where(Post.RATING.eq(2)).updateAll(Post.RATING.add(10));
        List<Post> deleted = ashlar.read(Post.POSTS).where(Post.RATING.isNil()).destroyAll(Returning.ROWS);

        assertThat(created).extracting(Post::id, Post::status).containsExactly(org.assertj.core.groups.Tuple
                .tuple(6, Status.DRAFT));
        assertThat(updated).extracting(Post::rating).containsExactly(12, 12);
        assertThat(deleted).extracting(Post::id).containsExactly(3);
        assertThat(ashlar.sql("INSERT INTO posts (title) VALUES (?) RETURNING id", "by hand").value(Integer.class))
                .isEqualTo(7);
    }

    /** {@code fetchOne()} over several rows ({@code TooManyRowsException}) and {@code fetchOptional()} over none. */
    @Test
    void oneRefusesSeveralRowsAndIsEmptyForNone() {
        assertThat(ashlar.read(Post.POSTS).where(Post.TITLE.eq("none")).one()).isEmpty();
        assertThatThrownBy(() -> ashlar.read(Post.POSTS).where(Post.RATING.eq(2)).one())
                .isInstanceOf(QueryException.class).hasMessageContaining("post");
        assertThatThrownBy(() -> ashlar.sql("SELECT id FROM posts").one()).isInstanceOf(QueryException.class)
                .hasMessageContaining("one() expects at most one");
    }

    /**
     * {@code PlainSQLTest} and {@code RecordMappingTest}'s {@code into(Class)}: plain SQL with bind values, a value
     * holding SQL text bound and never run, the rows mapped onto a record by column name.
     */
    @Test
    void plainSqlBindsEveryValueAndMapsRowsOntoRecords() {
        record Titled(Integer id, String title, Integer rating) {
        }

        List<Titled> rows = ashlar.sql("SELECT id, title, rating FROM posts WHERE title LIKE ? OR title = ? "
                + "ORDER BY id", "a%", "'; DROP TABLE posts; --").list(Titled.class);
        List<Row> grouped = ashlar.sql("SELECT author_id, count(*) AS posts FROM posts GROUP BY author_id "
                + "HAVING count(*) > ? ORDER BY posts DESC", 1).list();

        assertThat(rows).containsExactly(new Titled(2, "a_b", 2), new Titled(3, "axb", null));
        assertThat(grouped).extracting(row -> row.get("posts")).containsExactly(3L, 2L);
        assertThat(ashlar.read("post").where(contains("title", "'")).count()).isZero();
    }

    /** {@code ConditionTest}'s {@code ne} on a nullable column against {@code notEqual} with null: refused or nil. */
    @Test
    void aComparisonWithNullIsNilOrRefusedNeverSilentlyEmpty() {
        assertThat(ids(ashlar.read("post").where(eq("rating", null)))).containsExactly(3);
        assertThat(ids(ashlar.read("post").where(ne("rating", null))).size()).isEqualTo(4);
        assertThatThrownBy(() -> ashlar.read("post").where(Filter.gt("rating", null)).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("rating");
        assertThat(ids(ashlar.read("post").where(isNil("rating")))).containsExactly(3);
    }

    /**
     * {@code between(low).and(high)} and {@code groupBy(...).having(count().gt(1))}: both ends kept, and only the
     * groups past the condition.
     */
    @Test
    void betweenKeepsBothEndsAndHavingKeepsTheGroupsPastIt() {
        List<Row> authors = ashlar.read(Post.POSTS).groupBy(Post.AUTHOR_ID).count("posts")
                .having(Filter.gt("posts", 2)).list();

        assertThat(ids(ashlar.read(Post.POSTS).where(Post.RATING.between(2, 3)).sort(Post.ID.asc())))
                .containsExactly(2, 4, 5);
        assertThat(authors).extracting(row -> row.get("author_id"), row -> row.get("posts"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ada.id(), 3L));
    }

    /** {@code update(...).set(field, field.plus(1))} by key, and a bulk update's count ({@code execute()}). */
    @Test
    void anUpdateComputedByTheServerAndItsCount() {
        int changed = ashlar.read(Post.POSTS).where(Post.AUTHOR_ID.eq(ada.id())).updateCount(Post.RATING.add(1));

        assertThat(changed).isEqualTo(3);
        assertThat(ashlar.read(Post.POSTS).where(Post.AUTHOR_ID.eq(ada.id())).sort(Post.ID.asc()).values(Post.RATING))
                .containsExactly(6, 4, 3);
        assertThat(ashlar.read("post").where(eq("rating", 2)).updateCount(Map.of("title", "two"))).isEqualTo(1);
    }
}
