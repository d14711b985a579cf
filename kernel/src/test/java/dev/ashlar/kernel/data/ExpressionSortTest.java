package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Read;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.parent;
import static dev.ashlar.api.query.Filter.sql;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sorts by an expression rather than a field (Ash's {@code Ash.Sort.expr_sort}, a calculation given inline), and
 * AshPostgres's parent_sort test: a relationship with no attributes whose own sort compares each related post's title
 * with the name of the parent post's organization, {@code parent(organization.name)}.
 */
class ExpressionSortTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("expression_sort")
            .resource(Resource.builder("organization").table("organizations")
                    .integerPrimaryKey("id")
                    .attribute("name", TEXT)
                    .hasMany("posts", "post")
                    .build())
            .resource(Resource.builder("post").table("posts")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .attribute("score", INTEGER)
                    .belongsTo("organization", "organization")
                    .hasMany("comments", "comment")
                    .hasMany("recommendations", "post", r -> r.noAttributes()
                            .sort(Sort.descBy(eq("title", parent("organization.name"))), Sort.asc("id")))
                    .build())
            .resource(Resource.builder("comment").table("comments")
                    .integerPrimaryKey("id")
                    .attribute("body", TEXT)
                    .belongsTo("post", "post")
                    .build())
            .build();

    ExpressionSortTest() {
        super(DOMAIN);
    }

    private Object acme;
    private Object globex;

    @BeforeEach
    void posts() {
        db.execute("TRUNCATE comments, posts, organizations RESTART IDENTITY CASCADE");
        acme = ashlar.create("organization", Map.of("name", "acme")).get("id");
        globex = ashlar.create("organization", Map.of("name", "globex")).get("id");
        post("zeta", 3, acme);
        post("acme", 1, acme);
        post("globex", 2, globex);
        post(null, null, globex);
    }

    private void post(String title, Integer score, Object organization) {
        Map<String, Object> values = new HashMap<>();
        values.put("title", title);
        values.put("score", score);
        values.put("organization_id", organization);
        ashlar.create("post", values);
    }

    private static List<Object> titles(List<Row> rows) {
        return rows.stream().map(row -> row.get("title")).toList();
    }

    @Test
    void aReadSortsByAConditionPuttingItsMatchesFirstWhenDescending() {
        List<Row> rows = ashlar.read("post").sort(Sort.descBy(eq("title", "globex")), Sort.asc("id")).list();

        assertThat(titles(rows)).containsExactly("globex", "zeta", "acme", null);
    }

    @Test
    void aReadSortsByAnSqlExpressionWithItsNullsWhereAsked() {
        List<Row> first = ashlar.read("post").sort(Sort.ascBy(sql("length(title) * ?", 2)).nullsFirst(),
                Sort.asc("id")).list();
        List<Row> last = ashlar.read("post").sort(Sort.descBy(sql("length(title)")).nullsLast(), Sort.asc("id")).list();

        assertThat(titles(first)).containsExactly(null, "zeta", "acme", "globex");
        assertThat(titles(last)).containsExactly("globex", "zeta", "acme", null);
    }

    @Test
    void aSortExpressionFollowsRelationshipsInTheReadersScope() {
        ashlar.create("comment", Map.of("body", "hi", "post_id", 2));

        List<Row> byOrganization = ashlar.read("post").sort(Sort.descBy(eq("organization.name", "globex")),
                Sort.asc("id")).list();
        List<Row> byComments = ashlar.read("post").sort(Sort.descBy(exists("comments")), Sort.asc("id")).list();

        assertThat(titles(byOrganization)).containsExactly("globex", null, "zeta", "acme");
        assertThat(titles(byComments)).containsExactly("acme", "zeta", "globex", null);
    }

    @Test
    void aRelationshipsSortComparesWithItsParentsOrganizationName() {
        List<Row> rows = ashlar.read("post").where(gt("score", 0)).sort(Sort.asc("id")).load("recommendations")
                .list();

        assertThat(titles(rows)).containsExactly("zeta", "acme", "globex");
        assertThat(titles(rows.get(0).related("recommendations"))).containsExactly("acme", "zeta", "globex", null);
        assertThat(titles(rows.get(1).related("recommendations"))).containsExactly("acme", "zeta", "globex", null);
        assertThat(titles(rows.get(2).related("recommendations"))).containsExactly("globex", "zeta", "acme", null);
    }

    @Test
    void aLoadsOwnSortMayCompareWithTheParent() {
        List<Row> organizations = ashlar.read("organization").sort(Sort.asc("id"))
                .load("posts", p -> p.sort(Sort.descBy(eq("title", parent("name"))), Sort.desc("id"))).list();

        assertThat(titles(organizations.get(0).related("posts"))).containsExactly("acme", "zeta");
        assertThat(titles(organizations.get(1).related("posts"))).containsExactly("globex", null);
    }

    @Test
    void aReadsOwnSortRefusesAParentReference() {
        assertThatThrownBy(() -> ashlar.read("post").sort(Sort.descBy(eq("title", parent("title")))).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("parent");
    }

    @Test
    void aCursorOnAnExpressionSortHoldsWhetherTheConditionHoldsForTheRow() {
        Read read = ashlar.read("post").sort(Sort.descBy(eq("title", "globex")), Sort.asc("id"));
        Row first = read.first().orElseThrow();

        assertThat(read.cursor(first)).containsExactly(true, first.get("id"));
        assertThat(titles(read.after(read.cursor(first)).list())).containsExactly("zeta", "acme", null);
    }

    @Test
    void aSortKeyWithNeitherOrBothAFieldAndAnExpressionIsRefused() {
        assertThatThrownBy(() -> new Sort(null, Sort.Direction.ASC, Sort.Nulls.DEFAULT, false, null))
                .isInstanceOf(QueryException.class).hasMessageContaining("names a field or gives an expression");
        assertThatThrownBy(() -> new Sort("title", Sort.Direction.ASC, Sort.Nulls.DEFAULT, false, eq("id", 1)))
                .isInstanceOf(QueryException.class).hasMessageContaining("not both");
    }

    @Test
    void aRelationshipSortExpressionOverAFieldTheDestinationLacksIsRefusedAtStart() {
        Domain wrong = Domain.builder("expression_sort_wrong")
                .resource(Resource.builder("organization").table("organizations")
                        .integerPrimaryKey("id")
                        .attribute("name", TEXT)
                        .hasMany("posts", "post", r -> r.sort(Sort.descBy(eq("headline", parent("name")))))
                        .build())
                .resource(Resource.builder("post").table("posts")
                        .integerPrimaryKey("id")
                        .attribute("title", TEXT)
                        .belongsTo("organization", "organization")
                        .build())
                .build();

        assertThatThrownBy(() -> Fixtures.ashlar(db, wrong).close()).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("posts").hasMessageContaining("headline");
    }
}
