package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.gte;
import static dev.ashlar.api.query.Filter.in;
import static dev.ashlar.api.query.Filter.like;
import static dev.ashlar.api.query.Filter.notNil;
import static dev.ashlar.api.query.Filter.or;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static dev.ashlar.kernel.data.GroupedReadTest.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A grouped read's values over some of each group's rows ({@code filterWhere}: SQL's {@code FILTER (WHERE ...)}) and
 * its subtotals ({@code rollup()}, {@code cube()}, {@code grouping(as)}: {@code GROUP BY ROLLUP/CUBE}, {@code
 * GROUPING(...)}), under a tenant column and a soft delete, from the side of a tenant asking for another's rows.
 */
class GroupedFilterAndSubtotalsTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("subtotals").resource(Resource.builder("book").table("subtotal_books")
                    .integerPrimaryKey("id")
                    .attribute("author", TEXT)
                    .attribute("published_in", INTEGER)
                    .attribute("language", TEXT)
                    .attribute("pages", INTEGER)
                    .attribute("tenant", TEXT)
                    .attribute("deleted_at", TIMESTAMPTZ).softDelete("deleted_at")
                    .build())
            .build();

    GroupedFilterAndSubtotalsTest() {
        super(DOMAIN, OneResourceTenancy.column("book", "tenant", true));
    }

    @BeforeAll
    void seed() {
        book("acme", "orwell", 1945, "en", 100);
        book("acme", "orwell", 1948, "en", 300);
        book("acme", "coelho", 1988, "pt", 200);
        book("acme", "coelho", 1988, "de", 150);
        book("acme", null, 1990, "en", 50);
        destroyed(book("acme", "orwell", 1948, "en", 900));
        book("globex", "orwell", 1945, "en", 5000);
        book("globex", "coelho", 1988, "pt", 7000);
    }

    private Row book(String tenant, String author, int year, String language, int pages) {
        Map<String, Object> values = new HashMap<>();
        values.put("author", author);
        values.put("published_in", year);
        values.put("language", language);
        values.put("pages", pages);
        return ashlar.withTenant(tenant).create("book", values);
    }

    private void destroyed(Row book) {
        ashlar.withTenant("acme").destroy(book);
    }

    @Test
    void eachValueCountsOrSumsOnlyTheRowsItsFilterKeepsInOneStatement() {
        List<Row> rows = ashlar.withTenant("acme").read("book").where(notNil("author")).groupBy("author")
                .count("books")
                .count("english").filterWhere(eq("language", "en"))
                .sum("pages", "long_pages").filterWhere(gt("pages", 120))
                .max("published_in", "latest_long").filterWhere(gte("pages", 150)).filterWhere(eq("language", "pt"))
                .sort(Sort.asc("author")).list();

        assertThat(lines(rows)).containsExactly(
                "author=coelho books=2 english=0 long_pages=350 latest_long=1988",
                "author=orwell books=2 english=2 long_pages=300 latest_long=null");
        assertThat(rows.get(0).get("english")).isEqualTo(0L);
    }

    @Test
    void aFilteredValueTakesInListsOrAndRefsToOtherFieldsAndHavingAndSortsSeeIt() {
        List<Row> rows = ashlar.withTenant("acme").read("book").groupBy("language")
                .count("books").count("picked").filterWhere(or(in("author", List.of("coelho")), gt("pages", 250)))
                .having(gte("picked", 1)).sort(Sort.desc("picked"), Sort.asc("language")).list();

        assertThat(lines(rows)).containsExactly("language=de books=1 picked=1", "language=en books=3 picked=1",
                "language=pt books=1 picked=1");
    }

    @Test
    void aFilterNamingAnotherTenantOrTheSoftDeletedRowsFindsNothingOfThem() {
        // acme asks for globex's rows and for the rows its soft delete hides: the filter only narrows acme's visible rows.
        List<Row> rows = ashlar.withTenant("acme").read("book").groupBy("author")
                .count("theirs").filterWhere(eq("tenant", "globex"))
                .sum("pages", "their_pages").filterWhere(eq("tenant", "globex"))
                .count("deleted").filterWhere(notNil("deleted_at"))
                .sort(Sort.asc("author").nullsLast()).list();

        assertThat(lines(rows)).containsExactly("author=coelho theirs=0 their_pages=null deleted=0",
                "author=orwell theirs=0 their_pages=null deleted=0", "author=null theirs=0 their_pages=null deleted=0");
        assertThat(lines(ashlar.withTenant("globex").read("book").groupBy("author").sum("pages", "english_pages")
                .filterWhere(eq("language", "en")).sort(Sort.asc("author")).list()))
                .containsExactly("author=coelho english_pages=null", "author=orwell english_pages=5000");
    }

    @Test
    void rollupAddsASubtotalPerLeadingFieldAndAGrandTotalTheGroupingValueTellsFromAStoredNull() {
        List<Row> rows = ashlar.withTenant("acme").read("book").groupBy("author", "published_in")
                .count("books").sum("pages", "pages").rollup().grouping("level")
                .sort(Sort.asc("level"), Sort.asc("author").nullsLast(), Sort.asc("published_in")).list();

        assertThat(lines(rows)).containsExactly(
                "author=coelho published_in=1988 books=2 pages=350 level=0",
                "author=orwell published_in=1945 books=1 pages=100 level=0",
                "author=orwell published_in=1948 books=1 pages=300 level=0",
                "author=null published_in=1990 books=1 pages=50 level=0",
                "author=coelho published_in=null books=2 pages=350 level=1",
                "author=orwell published_in=null books=2 pages=400 level=1",
                "author=null published_in=null books=1 pages=50 level=1",
                "author=null published_in=null books=5 pages=800 level=3");
    }

    @Test
    void cubeAddsASubtotalForEveryFieldLeftOutAndHavingKeepsOnlyTheTotals() {
        List<Row> rows = ashlar.withTenant("acme").read("book").where(notNil("author"))
                .groupBy("author", "language").count("books").cube().grouping("level")
                .having(gt("level", 0)).sort(Sort.asc("level"), Sort.asc("author"), Sort.asc("language")).list();

        assertThat(lines(rows)).containsExactly(
                "author=coelho language=null books=2 level=1",
                "author=orwell language=null books=2 level=1",
                "author=null language=de books=1 level=2",
                "author=null language=en books=2 level=2",
                "author=null language=pt books=1 level=2",
                "author=null language=null books=4 level=3");
    }

    @Test
    void aTenantsSubtotalsAndGrandTotalCountOnlyItsOwnVisibleRows() {
        assertThat(lines(ashlar.withTenant("globex").read("book").groupBy("author").sum("pages", "pages").rollup()
                .grouping("level").having(eq("level", 1)).list())).containsExactly("author=null pages=12000 level=1");
        assertThat(lines(ashlar.withTenant("acme").read("book").groupBy("language").count("books")
                .filterWhere(notNil("author")).rollup().grouping("level").having(eq("level", 1)).list()))
                .containsExactly("language=null books=4 level=1");
    }

    @Test
    void rollupRowsAreSortedLimitedOffsetAndKeptByHavingLikeAnyGroup() {
        List<Row> rows = ashlar.withTenant("acme").read("book").where(notNil("author")).groupBy("author", "language")
                .count("books").rollup().grouping("level").having(gte("books", 2))
                .sort(Sort.desc("level"), Sort.asc("author").nullsFirst()).offset(1).limit(2).list();

        assertThat(lines(rows)).containsExactly("author=coelho language=null books=2 level=1",
                "author=orwell language=null books=2 level=1");
    }

    @Test
    void withNoRowRollupGivesOnlyTheGrandTotalAndAPlainGroupingNone() {
        assertThat(lines(ashlar.withTenant("initech").read("book").groupBy("author").count("books")
                .sum("pages", "pages").rollup().grouping("level").list()))
                .containsExactly("author=null books=0 pages=null level=1");
        assertThat(ashlar.withTenant("initech").read("book").groupBy("author").count("books").list()).isEmpty();
    }

    @Test
    void aFilteredValueBindsTextThatLooksLikeSql() {
        assertThat(lines(ashlar.withTenant("acme").read("book").where(eq("author", "orwell")).groupBy("author")
                .count("n").filterWhere(eq("language", "en' OR TRUE --")).list())).containsExactly("author=orwell n=0");
        assertThat(db.value("SELECT count(*) FROM subtotal_books")).isEqualTo(8L);
    }

    @Test
    void aGroupingNamedLikeAGroupedFieldOrAValueIsRefusedButAnUngroupedAttributesNameIsFree() {
        assertThatThrownBy(() -> ashlar.read("book").groupBy("author").count("n").rollup().grouping("author").list())
                .isInstanceOf(QueryException.class).hasMessageContaining("'author'")
                .hasMessageContaining("already a grouped field");
        assertThat(lines(ashlar.withTenant("acme").read("book").where(eq("author", "orwell")).groupBy("author")
                .count("n").rollup().grouping("pages").sort(Sort.asc("pages")).list()))
                .containsExactly("author=orwell n=2 pages=0", "author=null n=2 pages=1");
    }

    @Test
    void mistakesAreRefusedNamingTheClauseTheFieldAndTheFix() {
        assertThatThrownBy(() -> ashlar.read("book").groupBy("author").filterWhere(eq("language", "en")))
                .isInstanceOf(QueryException.class).hasMessageContaining("filterWhere(...)")
                .hasMessageContaining("count(\"published\")");
        assertThatThrownBy(() -> ashlar.read("book").groupBy("author").count("n").filterWhere(like("language", "e%"))
                .list()).isInstanceOf(QueryException.class).hasMessageContaining("filterWhere(...)")
                .hasMessageContaining("like");
        assertThatThrownBy(() -> ashlar.read("book").groupBy("author").count("n").filterWhere(eq("langauge", "en"))
                .list()).isInstanceOf(AshlarException.class).hasMessageContaining("'langauge'")
                .hasMessageContaining("did you mean 'language'");
        assertThatThrownBy(() -> ashlar.read("book").groupBy("author").count("n").filterWhere(gt("pages", "many"))
                .list()).isInstanceOf(QueryException.class).hasMessageContaining("'pages'")
                .hasMessageContaining("many");
        assertThatThrownBy(() -> ashlar.read("book").groupBy("author").count("author").rollup().grouping("n").list())
                .isInstanceOf(QueryException.class).hasMessageContaining("is already a grouped field");
        assertThatThrownBy(() -> ashlar.read("book").groupBy("author").count("n").grouping("n").list())
                .isInstanceOf(QueryException.class).hasMessageContaining("'n'");
    }
}
