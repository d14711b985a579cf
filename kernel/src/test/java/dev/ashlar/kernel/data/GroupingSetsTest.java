package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.notNil;
import static dev.ashlar.kernel.data.GroupedReadTest.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A grouped read's grouping sets named one by one ({@code groupingSets(...)}: SQL's {@code GROUP BY GROUPING SETS},
 * jOOQ's {@code groupingSets(...)}), sets that neither {@code ROLLUP} nor {@code CUBE} give, with {@code grouping(as)}
 * telling a rolled-up field from a stored null, under a tenant column and a soft delete, by name and typed.
 */
class GroupingSetsTest extends DomainDatabaseTest {
    record Book(Integer id, String author, Integer year, String language, Integer pages, String tenant,
                Instant removed) {
        static final Table<Book> BOOKS = Table.of("book", Book.class);
        static final Field<Book, Integer> ID = BOOKS.integerPrimaryKey("id");
        static final TextField<Book> AUTHOR = BOOKS.attribute("author", Kind.TEXT);
        static final Field<Book, Integer> YEAR = BOOKS.attribute("year", Kind.INTEGER);
        static final TextField<Book> LANGUAGE = BOOKS.attribute("language", Kind.TEXT);
        static final Field<Book, Integer> PAGES = BOOKS.attribute("pages", Kind.INTEGER);
        static final TextField<Book> TENANT = BOOKS.attribute("tenant", Kind.TEXT);
        static final Field<Book, Instant> REMOVED = BOOKS.attribute("removed", Kind.TIMESTAMPTZ);
        static final Resource RESOURCE = BOOKS.builder().table("grouping_set_books")
                .add(ID, AUTHOR, YEAR, LANGUAGE, PAGES, TENANT, REMOVED).softDelete("removed").build();
    }

    GroupingSetsTest() {
        super(Domain.builder("grouping_sets").resource(Book.RESOURCE).build(),
                OneResourceTenancy.column("book", "tenant", true));
    }

    @BeforeAll
    void seed() {
        book("acme", "orwell", 1945, "en", 100);
        book("acme", "orwell", 1948, "en", 300);
        book("acme", "coelho", 1988, "pt", 200);
        book("acme", "coelho", 1988, "de", 150);
        book("acme", null, 1990, "en", 50);
        ashlar.withTenant("acme").destroy(book("acme", "orwell", 1948, "en", 900));
        book("globex", "orwell", 1945, "en", 5000);
        book("globex", "coelho", 1988, "pt", 7000);
    }

    private Row book(String tenant, String author, int year, String language, int pages) {
        Map<String, Object> values = new HashMap<>();
        values.put("author", author);
        values.put("year", year);
        values.put("language", language);
        values.put("pages", pages);
        return ashlar.withTenant(tenant).create("book", values);
    }

    /** The totals per author and per language and the grand total, without the finest groups CUBE would add. */
    @Test
    void eachSetNamedGivesItsOwnGroupsAndNothingElse() {
        List<Row> rows = ashlar.withTenant("acme").read("book").where(notNil("author"))
                .groupBy("author", "language").count("books").sum("pages", "pages")
                .groupingSets(List.of(List.of("author"), List.of("language"), List.of())).grouping("level")
                .sort(Sort.asc("level"), Sort.asc("author"), Sort.asc("language")).list();

        assertThat(lines(rows)).containsExactly(
                "author=coelho language=null books=2 pages=350 level=1",
                "author=orwell language=null books=2 pages=400 level=1",
                "author=null language=de books=1 pages=150 level=2",
                "author=null language=en books=2 pages=400 level=2",
                "author=null language=pt books=1 pages=200 level=2",
                "author=null language=null books=4 pages=750 level=3");
    }

    /** A set may name the grouped fields in another order; grouping(...) tells a stored null author from a total. */
    @Test
    void aSetInAnotherOrderAndTheGroupingValueTellAStoredNullFromATotal() {
        List<Row> rows = ashlar.withTenant("acme").read("book").groupBy("author", "year").count("books")
                .groupingSets(List.of(List.of("year", "author"), List.of("year"))).grouping("level")
                .sort(Sort.asc("level"), Sort.asc("year")).list();

        assertThat(lines(rows)).containsExactly(
                "author=orwell year=1945 books=1 level=0",
                "author=orwell year=1948 books=1 level=0",
                "author=coelho year=1988 books=2 level=0",
                "author=null year=1990 books=1 level=0",
                "author=null year=1945 books=1 level=2",
                "author=null year=1948 books=1 level=2",
                "author=null year=1988 books=2 level=2",
                "author=null year=1990 books=1 level=2");
    }

    /** From the other tenant's side: its grand total sums only its own rows, and acme's never reach it. */
    @Test
    void aTenantsSetsAndGrandTotalCountOnlyItsOwnVisibleRows() {
        assertThat(lines(ashlar.withTenant("globex").read("book").groupBy("author").sum("pages", "pages")
                .groupingSets(List.of(List.of("author"), List.of())).grouping("level").having(eq("level", 1))
                .list())).containsExactly("author=null pages=12000 level=1");
        assertThat(lines(ashlar.withTenant("acme").read("book").groupBy("author").sum("pages", "pages")
                .groupingSets(List.of(List.of("author"), List.of())).grouping("level").having(eq("level", 1))
                .list())).containsExactly("author=null pages=800 level=1");
    }

    /** The typed form takes the table's fields. */
    @Test
    void typedGroupingSetsTakeTheTablesFields() {
        List<Row> rows = ashlar.withTenant("acme").read(Book.BOOKS).groupBy(Book.LANGUAGE, Book.YEAR)
                .sum(Book.PAGES, "pages")
                .groupingSets(List.of(List.of(Book.LANGUAGE), List.of(Book.YEAR, Book.LANGUAGE), List.of()))
                .grouping("level").sort(Sort.asc("level"), Sort.asc("language"), Sort.asc("year")).list();

        assertThat(lines(rows)).containsExactly(
                "language=de year=1988 pages=150 level=0",
                "language=en year=1945 pages=100 level=0",
                "language=en year=1948 pages=300 level=0",
                "language=en year=1990 pages=50 level=0",
                "language=pt year=1988 pages=200 level=0",
                "language=de year=null pages=150 level=1",
                "language=en year=null pages=450 level=1",
                "language=pt year=null pages=200 level=1",
                "language=null year=null pages=800 level=3");
    }

    /** Sets naming a field not grouped by, leaving a grouped field out of every set, or none at all, are refused. */
    @Test
    void setsThatNameAnUngroupedFieldLeaveAGroupedOneOutOrAreNoneAreRefused() {
        assertThatThrownBy(() -> ashlar.read("book").groupBy("author").count("books")
                .groupingSets(List.of(List.of("language")))).isInstanceOf(QueryException.class)
                .hasMessageContaining("'language', which it does not group by");
        assertThatThrownBy(() -> ashlar.read("book").groupBy("author", "language").count("books")
                .groupingSets(List.of(List.of("author"), List.of()))).isInstanceOf(QueryException.class)
                .hasMessageContaining("leaves 'language' out of every set");
        assertThatThrownBy(() -> ashlar.read("book").groupBy("author").count("books").groupingSets(List.of()))
                .isInstanceOf(QueryException.class).hasMessageContaining("names no set");
    }
}
