package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.Read;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.and;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.ilike;
import static dev.ashlar.api.query.Filter.isNil;
import static dev.ashlar.api.query.Filter.like;
import static dev.ashlar.api.query.Filter.not;
import static dev.ashlar.api.query.Filter.notNil;
import static dev.ashlar.api.resource.Type.DECIMAL;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** Calculations declared on a resource, used by name: loaded onto rows, filtered and sorted on, never written. */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeclaredCalculationsTest {

    static final Domain DOMAIN = Domain.builder("calculations")
            .resource(Resource.builder("person").table("calc_people")
                    .integerPrimaryKey("id")
                    .attribute("first_name", TEXT)
                    .attribute("last_name", TEXT)
                    .attribute("nickname", TEXT)
                    .hasMany("articles", "article", r -> r.destinationAttribute("author_id"))
                    .calculate("full_name", String.class, "first_name || ' ' || last_name")
                    .calculate("display_name", String.class, "coalesce(nickname, first_name)")
                    .calculate("greeting", String.class, "? || first_name || ?", "Hello, ", "!")
                    .calculate("name_length", Integer.class, "length(first_name)")
                    .build())
            .resource(Resource.builder("article").table("calc_articles")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .attribute("price", DECIMAL)
                    .attribute("quantity", INTEGER)
                    .belongsTo("author", "person")
                    .hasMany("remarks", "remark")
                    .count("remarks_by_ada", "remarks", eq("label", "ADA: catchy"))
                    .calculate("total", BigDecimal.class, "price * quantity")
                    .calculate("remark_count", Long.class,
                            "(SELECT count(*) FROM calc_remarks AS r WHERE r.article_id = self.id)")
                    .build())
            .resource(Resource.builder("remark").table("calc_remarks")
                    .integerPrimaryKey("id")
                    .attribute("writer", TEXT)
                    .attribute("title", TEXT)
                    .belongsTo("article", "article")
                    // "title" is an article's column too: the expression must read the remark's.
                    .calculate("label", String.class, "upper(writer) || ': ' || title")
                    .build())
            .build();

    /** A view of a person with loaded calculations as components. */
    record PersonView(Integer id, String firstName, String fullName, String displayName) {
    }

    private TestDatabase db;
    private Ashlar ashlar;

    @BeforeAll
    void start(TestDatabase db) {
        this.db = db;
        ashlar = Fixtures.ashlar(db, DOMAIN);
        Row ada = person("Ada", "Lovelace", null);
        Row bob = person("Bob", null, "bobby");
        person("Cy", "Young", "cy");
        Row engine = article(ada, "engine", "10.00", 2);
        article(ada, "notes", "5.00", null);
        Row song = article(bob, "song", "3.00", 3);
        remark(engine, "bob", "great");
        remark(engine, "cy", "fine");
        remark(song, "ada", "catchy");
    }

    private Row person(String first, String last, String nickname) {
        Map<String, Object> values = new java.util.HashMap<>();
        values.put("first_name", first);
        values.put("last_name", last);
        values.put("nickname", nickname);
        return ashlar.create("person", values);
    }

    private Row article(Row author, String title, String price, Integer quantity) {
        Map<String, Object> values = new java.util.HashMap<>(Map.of("title", title, "price", new BigDecimal(price),
                "author_id", author.get("id")));
        values.put("quantity", quantity);
        return ashlar.create("article", values);
    }

    private void remark(Row article, String writer, String title) {
        ashlar.create("remark", Map.of("writer", writer, "title", title, "article_id", article.get("id")));
    }

    @AfterAll
    void stop() {
        ashlar.close();
    }

    private Row person(String firstName) {
        return ashlar.read("person").where(eq("first_name", firstName)).load("full_name").load("display_name")
                .load("greeting").load("name_length").first().orElseThrow();
    }

    private List<String> names(Filter filter, Sort... sorts) {
        Read read = ashlar.read("person");
        return (filter == null ? read : read.where(filter)).sort(sorts).sort(Sort.asc("id")).list().stream()
                .map(p -> p.getString("first_name")).toList();
    }

    private List<String> titles(Filter filter, Sort... sorts) {
        Read read = ashlar.read("article");
        return (filter == null ? read : read.where(filter)).sort(sorts).sort(Sort.asc("id")).list().stream()
                .map(p -> p.getString("title")).toList();
    }

    @Test
    void loadsEachCalculationOntoTheRowsAsPostgresComputesIt() {
        Row ada = person("Ada");
        Row engine = ashlar.read("article").where(eq("title", "engine")).load("total").load("remark_count")
                .first().orElseThrow();

        assertThat(ada.get("full_name")).isEqualTo("Ada Lovelace");
        assertThat(ada.get("display_name")).isEqualTo("Ada");
        assertThat(ada.get("greeting")).isEqualTo("Hello, Ada!");
        assertThat(ada.get("name_length")).isEqualTo(3);
        assertThat(ada.getString("last_name")).isEqualTo("Lovelace");
        assertThat(engine.getBigDecimal("total")).isEqualByComparingTo("20");
        assertThat(engine.get("remark_count")).isEqualTo(2L);
    }

    @Test
    void aCalculationOverANullColumnIsWhatPostgresMakesOfIt() {
        Row bob = person("Bob");

        assertThat(bob.get("full_name")).isNull();
        assertThat(bob.get("display_name")).isEqualTo("bobby");
        assertThat(ashlar.read("article").where(eq("title", "notes")).load("total").first().orElseThrow()
                .get("total")).isNull();
    }

    @Test
    void aLoadedCalculationMapsOntoARecordComponentOfItsName() {
        List<PersonView> views = ashlar.read("person").load("full_name").load("display_name")
                .sort(Sort.asc("id")).list(PersonView.class);

        assertThat(views).extracting(PersonView::fullName).containsExactly("Ada Lovelace", null, "Cy Young");
        assertThat(views).extracting(PersonView::displayName).containsExactly("Ada", "bobby", "cy");
    }

    @Test
    void filtersByACalculationByName() {
        assertThat(names(eq("full_name", "Ada Lovelace"))).containsExactly("Ada");
        assertThat(names(like("full_name", "% Young"))).containsExactly("Cy");
        assertThat(names(ilike("full_name", "%LOVE%"))).containsExactly("Ada");
        assertThat(names(Filter.contains("full_name", "Love"))).containsExactly("Ada");
        assertThat(names(isNil("full_name"))).containsExactly("Bob");
        assertThat(names(Filter.in("display_name", List.of("bobby", "cy")))).containsExactly("Bob", "Cy");
        assertThat(names(gt("name_length", 2))).containsExactly("Ada", "Bob");
        assertThat(names(not(eq("greeting", "Hello, Bob!")))).containsExactly("Ada", "Cy");
        assertThat(titles(gt("total", new BigDecimal("9.50")))).containsExactly("engine");
        assertThat(titles(eq("remark_count", 0L))).containsExactly("notes");
    }

    @Test
    void sortsByACalculationByNameWithItsNullsWhereAsked() {
        assertThat(names(null, Sort.desc("display_name"))).containsExactly("Cy", "Bob", "Ada");
        assertThat(titles(null, Sort.desc("total").nullsLast())).containsExactly("engine", "song", "notes");
        assertThat(titles(null, Sort.asc("total").nullsFirst())).containsExactly("notes", "song", "engine");
    }

    @Test
    void filtersAndSortsByACalculationOfAToOneDestinationInsideExistsAndInAnAggregatesFilter() {
        assertThat(titles(eq("author.full_name", "Ada Lovelace"))).containsExactly("engine", "notes");
        assertThat(titles(null, Sort.desc("author.display_name"))).containsExactly("song", "engine", "notes");
        assertThat(titles(exists("remarks", eq("label", "ADA: catchy")))).containsExactly("song");
        assertThat(titles(exists("remarks", ilike("label", "% fine")))).containsExactly("engine");
        assertThat(names(exists("articles", exists("remarks", eq("label", "CY: fine"))))).containsExactly("Ada");
        assertThat(names(exists("articles", gt("total", 5)))).containsExactly("Ada", "Bob");
        assertThat(titles(gt("remarks_by_ada", 0))).containsExactly("song");
    }

    @Test
    void aRelationshipLoadFiltersAndSortsItsRecordsByTheirCalculations() {
        Row ada = ashlar.read("person").where(eq("first_name", "Ada"))
                .load("articles", a -> a.where(notNil("total")).sort(Sort.desc("remark_count"))).first()
                .orElseThrow();

        assertThat(ada.related("articles")).extracting(a -> a.getString("title")).containsExactly("engine");
    }

    @Test
    void aCalculationsValuesAreBoundInOrderWithTheQuerysOwnValues() {
        List<Row> rows = ashlar.read("person").load("greeting")
                .where(and(eq("first_name", "Cy"), eq("greeting", "Hello, Cy!"), eq("nickname", "cy")))
                .sort(Sort.asc("greeting")).limit(5).list();

        assertThat(rows).extracting(r -> r.get("greeting")).containsExactly("Hello, Cy!");
    }

    @Test
    void updateAllAndDestroyAllFilteredByACalculationTouchOnlyTheRowsItMatches() {
        person("Zed", "Zero", null);
        person("Zed", "Other", null);

        List<Row> updated = ashlar.read("person").where(eq("full_name", "Zed Zero"))
                .updateAll(Map.of("nickname", "zz"));
        ashlar.read("person").where(like("full_name", "Zed %")).sort(Sort.desc("full_name")).limit(1)
                .updateAll(Map.of("last_name", "Zulu"));

        assertThat(updated).extracting(r -> r.getString("last_name")).containsExactly("Zero");
        assertThat(db.query("SELECT last_name, nickname FROM calc_people WHERE first_name = 'Zed' ORDER BY id"))
                .extracting(r -> r.get("last_name") + "/" + r.get("nickname")).containsExactly("Zulu/zz", "Other/null");

        assertThat(ashlar.read("person").where(eq("display_name", "zz")).destroyAll()).isEqualTo(1);
        assertThat(db.query("SELECT last_name FROM calc_people WHERE first_name = 'Zed'"))
                .containsExactly(Map.of("last_name", "Other"));
        assertThat(ashlar.read("person").where(eq("full_name", "Zed Other")).destroyAll()).isEqualTo(1);
        assertThat(db.value("SELECT count(*) FROM calc_people")).isEqualTo(3L);
    }

    @Test
    void writingACalculationIsRefusedNamingIt() {
        Row ada = person("Ada");

        assertThatThrownBy(() -> ashlar.create("person", Map.of("first_name", "X", "full_name", "X Y")))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("'full_name' is a calculation of person").hasMessageContaining("written");
        assertThatThrownBy(() -> ashlar.update(ada, Map.of("display_name", "ada")))
                .isInstanceOf(QueryException.class).hasMessageContaining("'display_name' is a calculation");
        assertThatThrownBy(() -> ashlar.read("person").updateAll(Map.of("full_name", "X")))
                .isInstanceOf(QueryException.class).hasMessageContaining("'full_name' is a calculation");
        assertThat(ashlar.read("person").where(eq("first_name", "X")).exists()).isFalse();
        assertThat(person("Ada").get("display_name")).isEqualTo("Ada");
    }

    @Test
    void aKeysetCursorPagesForwardAndBackThroughASortByACalculation() {
        dev.ashlar.kernel.Read all = ashlar.read("person").sort(Sort.desc("full_name")).load("full_name");
        List<Object> whole = all.list().stream().map(row -> row.get("id")).toList();
        dev.ashlar.kernel.Read read = all.limit(1);
        List<Object> forward = new java.util.ArrayList<>();
        Row last = null;
        for (List<Row> page = read.list(); !page.isEmpty(); page = read.after(read.cursor(page.get(0))).list()) {
            forward.add(page.get(0).get("id"));
            last = page.get(0);
        }
        List<Object> back = new java.util.ArrayList<>(List.of(last.get("id")));
        for (List<Row> page = read.before(read.cursor(last)).list(); !page.isEmpty();
             page = read.before(read.cursor(page.get(0))).list()) {
            back.add(0, page.get(0).get("id"));
        }

        assertThat(whole).hasSizeGreaterThan(2);
        assertThat(forward).containsExactlyElementsOf(whole);
        assertThat(back).containsExactlyElementsOf(whole);
    }

    /** An article with its loaded calculations, loaded on its author. */
    record ArticleTotal(Integer id, String title, BigDecimal total, Long remarkCount) {
    }

    /** A person with the articles loaded on it. */
    record PersonArticles(Integer id, String firstName, List<ArticleTotal> articles) {
    }

    @Test
    void aRelationshipLoadLoadsTheCalculationsOfItsRecordsOntoEach() {
        List<PersonArticles> people = ashlar.read("person").where(eq("first_name", "Ada"))
                .load("articles", a -> a.sort(Sort.asc("id")).load("total").load("remark_count"))
                .list(PersonArticles.class);

        List<ArticleTotal> articles = people.get(0).articles();
        assertThat(articles).extracting(ArticleTotal::title, ArticleTotal::remarkCount)
                .containsExactly(tuple("engine", 2L), tuple("notes", 0L));
        assertThat(articles.get(0).total()).isEqualByComparingTo("20");
        assertThat(articles.get(1).total()).isNull();
    }

    @Test
    void calculationsLoadAtTheEndOfAPathAndThroughABelongsToWithTheLoadsOwnFilter() {
        Row ada = ashlar.read("person").where(eq("first_name", "Ada")).load("articles.remarks.label").first()
                .orElseThrow();
        assertThat(ada.related("articles").stream().flatMap(a -> a.related("remarks").stream())
                .map(r -> r.getString("label"))).containsExactlyInAnyOrder("BOB: great", "CY: fine");

        List<Row> remarks = ashlar.read("remark").sort(Sort.asc("id"))
                .load("article", a -> a.where(gt("total", 10)).load("total").load("remarks_by_ada")).list();
        assertThat(remarks).extracting(r -> r.relatedOne("article").map(a -> a.getString("title")).orElse(null))
                .containsExactly("engine", "engine", null);
        assertThat(remarks.get(0).relatedOne("article").orElseThrow().getBigDecimal("total"))
                .isEqualByComparingTo("20");
        assertThat(ashlar.read("remark").where(eq("writer", "ada")).load("article.remarks_by_ada").first()
                .orElseThrow().relatedOne("article").orElseThrow().get("remarks_by_ada")).isEqualTo(1L);
    }

    @Test
    void theDomainRefusesCalculationsThatClashHaveNoSqlOrCannotBeRead() {
        assertThatThrownBy(() -> Domain.builder("bad")
                .resource(Resource.builder("post").table("posts").integerPrimaryKey("id")
                        .attribute("title", TEXT)
                        .hasMany("comments", "comment")
                        .count("comment_count", "comments")
                        .calculate("title", String.class, "upper(title)")
                        .calculate("comments", String.class, "title")
                        .calculate("comment_count", Long.class, "1")
                        .calculate("shout", String.class, "upper(title)")
                        .calculate("shout", String.class, "lower(title)")
                        .calculate("x".repeat(64), String.class, "title")
                        .calculate("blank", String.class, " ")
                        .calculate("as_list", List.class, "ARRAY[title]")
                        .calculate("too_few", String.class, "title || ? || ?", "a")
                        .calculate("with_null", String.class, "title || ?", (Object) null)
                        .build())
                .resource(Resource.builder("comment").table("comments").integerPrimaryKey("id")
                        .belongsTo("post", "post")
                        .build())
                .build())
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("share one namespace")
                .satisfies(e -> assertThat(e.getMessage().split("share one namespace", -1)).hasSize(5))
                .hasMessageContaining("64 bytes long")
                .hasMessageContaining("needs an SQL expression")
                .hasMessageContaining("read as java.util.List; read it as String, Character, Integer")
                .hasMessageContaining("has 2 ? mark(s) and 1 value(s)")
                .hasMessageContaining("has 1 ? mark(s) and 1 value(s), none of which may be null");
    }
}
