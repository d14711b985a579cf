package dev.ashlar.kernel.data;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.AggregateField;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Relation;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static dev.ashlar.api.typed.Kind.INTEGER;
import static dev.ashlar.api.typed.Kind.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** Aggregates declared through the typed API: one constant declares, loads, filters and sorts each. */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TypedAggregatesTest {

    record Article(Integer id, String title) {
        static final Table<Article> ARTICLES = Table.of("article", Article.class);
        static final Field<Article, Integer> ID = ARTICLES.integerPrimaryKey("id");
        static final TextField<Article> TITLE = ARTICLES.attribute("title", TEXT);
        static final Relation<Article, Remark> REMARKS = ARTICLES.hasMany("remarks", Remark.REMARKS);
        static final AggregateField<Article, Long> COUNT_OF_REMARKS = ARTICLES.count("count_of_remarks", REMARKS);
        static final AggregateField<Article, Long> GOOD_REMARKS = ARTICLES.count("good_remarks", REMARKS,
                Remark.RATING.gte(4));
        static final AggregateField<Article, Number> TOTAL_RATING = ARTICLES.sum("total_rating", REMARKS,
                Remark.RATING);
        static final AggregateField<Article, String> LATEST_BODY = ARTICLES.first("latest_body", REMARKS,
                Remark.BODY, Remark.ID.desc());
        static final AggregateField<Article, List<Integer>> RATINGS = ARTICLES.list("ratings", REMARKS,
                Remark.RATING, Remark.ID.asc());
        static final AggregateField<Article, Number> TOTAL_OR_ZERO = ARTICLES.sum("total_or_zero", REMARKS,
                Remark.RATING).withDefault(0);
        static final AggregateField<Article, List<String>> TITLES_VIA_REMARKS = ARTICLES.list("titles_via_remarks",
                REMARKS.then(Remark.ARTICLE), TITLE).withUniq();
        static final AggregateField<Article, Long> PATHS_BACK = ARTICLES.count("paths_back",
                REMARKS.then(Remark.ARTICLE));
        static final AggregateField<Article, String> BODIES = ARTICLES.customAggregate("bodies", REMARKS,
                String.class, "string_agg({body}, ? ORDER BY {rating} DESC)", " / ").withDefault("-");
        static final Resource RESOURCE = ARTICLES.builder().table("articles")
                .add(ID, TITLE, REMARKS, COUNT_OF_REMARKS, GOOD_REMARKS, TOTAL_RATING, LATEST_BODY, RATINGS,
                        TOTAL_OR_ZERO, TITLES_VIA_REMARKS, PATHS_BACK, BODIES).build();
    }

    record Remark(Integer id, String body, Integer rating, Integer articleId) {
        static final Table<Remark> REMARKS = Table.of("remark", Remark.class);
        static final Field<Remark, Integer> ID = REMARKS.integerPrimaryKey("id");
        static final TextField<Remark> BODY = REMARKS.attribute("body", TEXT);
        static final Field<Remark, Integer> RATING = REMARKS.attribute("rating", INTEGER);
        static final Relation<Remark, Article> ARTICLE = REMARKS.belongsTo("article", Article.ARTICLES);
        static final Resource RESOURCE = REMARKS.builder().table("remarks").add(ID, BODY, RATING, ARTICLE).build();
    }

    /** An article with loaded aggregates. */
    record ArticleView(Integer id, String title, Long countOfRemarks, Long totalRating, String latestBody,
                       List<Integer> ratings) {
    }

    static final Domain DOMAIN = Domain.builder("typed_aggregates").resources(Article.RESOURCE, Remark.RESOURCE)
            .build();

    private Ashlar ashlar;

    @BeforeAll
    void start(TestDatabase db) {
        ashlar = Fixtures.ashlar(db, DOMAIN);
        Article busy = ashlar.create(Article.ARTICLES, new Article(null, "busy"));
        Article quiet = ashlar.create(Article.ARTICLES, new Article(null, "quiet"));
        ashlar.create(Article.ARTICLES, new Article(null, "empty"));
        ashlar.create(Remark.REMARKS, new Remark(null, "first", 5, busy.id()));
        ashlar.create(Remark.REMARKS, new Remark(null, "second", 2, busy.id()));
        ashlar.create(Remark.REMARKS, new Remark(null, "only", 3, quiet.id()));
    }

    @AfterAll
    void stop() {
        ashlar.close();
    }

    @Test
    void aCursorByAnAggregateTheReadDoesNotLoadIsRefusedNamingIt() {
        var read = ashlar.read(Article.ARTICLES).sort(Article.COUNT_OF_REMARKS.desc()).limit(1);
        Article first = read.list().get(0);

        assertThatThrownBy(() -> read.after(first)).isInstanceOf(dev.ashlar.api.error.QueryException.class)
                .hasMessageContaining("does not load 'count_of_remarks'").hasMessageContaining("load it too");
    }

    @Test
    void aTypedAggregateLoadsOntoAViewRecord() {
        List<ArticleView> views = ashlar.read(Article.ARTICLES).sort(Article.ID.asc())
                .load(Article.COUNT_OF_REMARKS).load(Article.TOTAL_RATING).load(Article.LATEST_BODY)
                .load(Article.RATINGS).list(ArticleView.class);

        assertThat(views).extracting(ArticleView::countOfRemarks).containsExactly(2L, 1L, 0L);
        assertThat(views).extracting(ArticleView::totalRating).containsExactly(7L, 3L, null);
        assertThat(views).extracting(ArticleView::latestBody).containsExactly("second", "only", null);
        assertThat(views).extracting(ArticleView::ratings).containsExactly(List.of(5, 2), List.of(3), List.of());
    }

    @Test
    void aTypedAggregateGoesOverAPathAndTakesOptions() {
        assertThat(ashlar.read(Article.ARTICLES).sort(Article.ID.asc()).load(Article.TOTAL_OR_ZERO).untyped().list())
                .extracting(row -> row.get("total_or_zero")).containsExactly(7L, 3L, 0L);
        assertThat(ashlar.read(Article.ARTICLES).sort(Article.ID.asc()).load(Article.PATHS_BACK)
                .load(Article.TITLES_VIA_REMARKS).untyped().list())
                .extracting(row -> row.get("paths_back"), row -> row.get("titles_via_remarks"))
                .containsExactly(tuple(2L, List.of("busy")), tuple(1L, List.of("quiet")), tuple(0L, List.of()));
        assertThat(ashlar.read(Article.ARTICLES).where(Article.TOTAL_OR_ZERO.eq(0)).list())
                .extracting(Article::title).containsExactly("empty");
    }

    /** An article with a count and a calculation its read gives. */
    record ArticleScore(Integer id, String title, Long goodOnes, Long score) {
    }

    @Test
    void aTypedReadGivesAnAggregateAndACalculationTheResourceDoesNotDeclare() {
        AggregateField<Article, Long> goodOnes = Article.ARTICLES.count("good_ones", Article.REMARKS,
                Remark.RATING.gte(3));
        var score = Article.ARTICLES.calculate("score", Long.class, "count_of_remarks * 10");

        List<ArticleScore> scores = ashlar.read(Article.ARTICLES).aggregate(goodOnes).calculate(score)
                .where(goodOnes.gt(0L)).sort(score.desc()).list(ArticleScore.class);

        assertThat(scores).extracting(ArticleScore::title, ArticleScore::goodOnes, ArticleScore::score)
                .containsExactly(tuple("busy", 1L, 20L), tuple("quiet", 1L, 10L));
    }

    /** An article with its remarks' bodies, as its custom aggregate writes them. */
    record ArticleBodies(Integer id, String title, String bodies) {
    }

    @Test
    void aTypedCustomAggregateLoadsFiltersAndSorts() {
        assertThat(ashlar.read(Article.ARTICLES).sort(Article.BODIES.asc()).load(Article.BODIES)
                .list(ArticleBodies.class)).extracting(ArticleBodies::title, ArticleBodies::bodies)
                .containsExactly(tuple("empty", "-"), tuple("busy", "first / second"), tuple("quiet", "only"));
        assertThat(ashlar.read(Article.ARTICLES).where(Article.BODIES.eq("first / second")).list())
                .extracting(Article::title).containsExactly("busy");
    }

    /** An article with its count of remarks, loaded on a remark. */
    record ArticleCount(Integer id, String title, Long countOfRemarks) {
    }

    /** A remark with its article loaded. */
    record RemarkView(Integer id, String body, ArticleCount article) {
    }

    @Test
    void aTypedRelationshipLoadLoadsAnAggregateOfTheRecordsItReaches() {
        List<RemarkView> remarks = ashlar.read(Remark.REMARKS).sort(Remark.ID.asc())
                .load(Remark.ARTICLE, a -> a.load(Article.COUNT_OF_REMARKS)).list(RemarkView.class);

        assertThat(remarks).extracting(RemarkView::body, r -> r.article().title(), r -> r.article().countOfRemarks())
                .containsExactly(tuple("first", "busy", 2L), tuple("second", "busy", 2L), tuple("only", "quiet", 1L));
    }

    @Test
    void aTypedAggregateFiltersAndSorts() {
        assertThat(ashlar.read(Article.ARTICLES).where(Article.COUNT_OF_REMARKS.gt(0L))
                .sort(Article.COUNT_OF_REMARKS.asc()).list()).extracting(Article::title)
                .containsExactly("quiet", "busy");
        assertThat(ashlar.read(Article.ARTICLES).where(Article.GOOD_REMARKS.eq(0L)).sort(Article.ID.asc()).list())
                .extracting(Article::title).containsExactly("quiet", "empty");
        assertThat(ashlar.read(Article.ARTICLES).sort(Article.TOTAL_RATING.desc().nullsLast()).list())
                .extracting(Article::title).containsExactly("busy", "quiet", "empty");
    }
}
