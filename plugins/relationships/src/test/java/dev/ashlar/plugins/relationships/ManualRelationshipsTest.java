package dev.ashlar.plugins.relationships;

import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.schema.TableDdl;
import dev.ashlar.kernel.schema.SchemaBuilder;
import dev.ashlar.kernel.schema.Table;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.PluginException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.ashlar.api.query.Filter.Operator.GTE;
import static dev.ashlar.api.query.Filter.count;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.and;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.in;
import static dev.ashlar.api.query.Filter.ne;
import static dev.ashlar.api.query.Filter.parent;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManualRelationshipsTest {
    private final HighlyRatedComments highlyRated = new HighlyRatedComments();
    /** A manual relationship with a loader only: every comment, newest first, and no join. */
    private final ManualRelationship everyComment = (posts, context) -> context.reader()
            .read(Query.of("comment").withFilter(in("post_id", posts.stream().map(p -> p.get("id")).toList()))
                    .withSorts(List.of(Sort.desc("id"))))
            .stream().collect(Collectors.groupingBy(c -> c.get("post_id")));
    /** Loaders a user may get wrong: an answer of null, keys as text, and keys of another integer width (fine). */
    private final ManualRelationship answersNull = (posts, context) -> null;
    private final ManualRelationship answersNullRows = (posts, context) ->
            java.util.Collections.singletonMap(posts.get(0).get("id"), null);
    private final ManualRelationship keyedByText = (posts, context) -> grouped(posts, context,
            c -> String.valueOf(c.get("post_id")));
    private final ManualRelationship keyedByLong = (posts, context) -> grouped(posts, context,
            c -> ((Number) c.get("post_id")).longValue());
    /** The other comments of the same post: a join by its filter alone, naming the comment with parent(...). */
    private final ManualRelationship siblings = joinedBy(dev.ashlar.spi.plugin.Join.byFilter(
            and(eq("post_id", parent("post_id")), ne("id", parent("id")))));
    /** The comments of the same post rated higher: a join by attributes whose filter names the comment. */
    private final ManualRelationship betterSiblings = joinedBy(new dev.ashlar.spi.plugin.Join("post_id", "post_id",
            gt("rating", parent("rating"))));
    private Ashlar ashlar;

    /** A relationship whose loader answers nothing: these tests use its join only. */
    private static ManualRelationship joinedBy(dev.ashlar.spi.plugin.Join join) {
        return new ManualRelationship() {
            @Override
            public Map<Object, List<Row>> load(List<Row> parents, dev.ashlar.spi.plugin.LoadContext context) {
                return Map.of();
            }

            @Override
            public java.util.Optional<dev.ashlar.spi.plugin.Join> join(Query source, Query destination) {
                return java.util.Optional.of(join);
            }
        };
    }

    private static Map<Object, List<Row>> grouped(List<Row> posts, dev.ashlar.spi.plugin.LoadContext context,
                                                  java.util.function.Function<Row, Object> key) {
        return context.reader().read(Query.of("comment")
                .withFilter(in("post_id", posts.stream().map(p -> p.get("id")).toList())))
                .stream().collect(Collectors.groupingBy(key));
    }

    private Domain domain() {
        return Domain.builder("blog")
                .resource(Resource.builder("user").table("users").integerPrimaryKey("id").attribute("name", TEXT).build())
                .resource(Resource.builder("post").table("posts").integerPrimaryKey("id")
                        .attribute("title", TEXT)
                        .hasMany("comments", "comment")
                        .with(ManualRelationships.of(
                                Manual.hasMany("highly_rated_comments", "comment", highlyRated),
                                Manual.hasMany("every_comment", "comment", everyComment),
                                Manual.hasMany("answers_null", "comment", answersNull),
                                Manual.hasMany("answers_null_rows", "comment", answersNullRows),
                                Manual.hasMany("keyed_by_text", "comment", keyedByText),
                                Manual.hasMany("keyed_by_long", "comment", keyedByLong)))
                        .build())
                .resource(Resource.builder("comment").table("comments").integerPrimaryKey("id")
                        .attribute("rating", INTEGER)
                        .belongsTo("post", "post")
                        .belongsTo("author", "user")
                        .with(ManualRelationships.of(
                                Manual.hasMany("siblings", "comment", siblings),
                                Manual.hasMany("better_siblings", "comment", betterSiblings)))
                        .build())
                .build();
    }

    @BeforeAll
    void start(TestDatabase db) {
        Domain domain = domain();
        for (Table table : new SchemaBuilder(domain, Plugins.none().with(new ManualRelationshipsPlugin())).build().tables()) {
            db.execute(TableDdl.createTable(table));
            table.objects().forEach(object -> db.execute(object.up()));
        }
        ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(domain).build();
        Row ada = ashlar.create("user", Map.of("name", "Ada"));
        Row loved = ashlar.create("post", Map.of("title", "loved"));
        Row panned = ashlar.create("post", Map.of("title", "panned"));
        ashlar.create("post", Map.of("title", "silent"));
        for (int rating : new int[]{5, 5, 3}) {
            ashlar.create("comment", Map.of("rating", rating, "post_id", loved.get("id"), "author_id", ada.get("id")));
        }
        ashlar.create("comment", Map.of("rating", 2, "post_id", panned.get("id"), "author_id", ada.get("id")));
    }

    @AfterAll
    void stop() {
        ashlar.close();
    }

    @Test
    void loadsTheGuidesRelationshipWithOneLoaderCallForEveryParent() {
        highlyRated.calls.clear();

        List<Row> posts = ashlar.read("post").sort(Sort.asc("id")).load("highly_rated_comments.author").list();

        assertThat(highlyRated.calls).hasSize(1);
        assertThat(highlyRated.calls.get(0)).hasSize(3);
        assertThat(posts).extracting(p -> p.related("highly_rated_comments").size()).containsExactly(2, 0, 0);
        assertThat(posts.get(0).related("highly_rated_comments"))
                .allSatisfy(c -> assertThat(c.getInteger("rating")).isGreaterThan(4))
                .allSatisfy(c -> assertThat(c.relatedOne("author")).map(a -> a.getString("name")).contains("Ada"));
    }

    @Test
    void aJoinByItsFilterAloneOrNamingTheParentRelatesRecordsInFiltersAndCounts() {
        assertThat(ratings(exists("siblings"))).containsExactly(3, 5, 5);
        assertThat(ratings(count("siblings", gt("rating", 4), GTE, 2))).containsExactly(3);
        assertThat(ratings(exists("better_siblings"))).containsExactly(3);
        assertThat(ratings(Filter.not(exists("better_siblings")))).containsExactly(2, 5, 5);
        assertThat(ashlar.read("comment").sort(Sort.desc("siblings").byCount(), Sort.asc("rating")).list())
                .extracting(c -> c.getInteger("rating")).containsExactly(3, 5, 5, 2);
    }

    private List<Integer> ratings(Filter filter) {
        return ashlar.read("comment").where(filter).sort(Sort.asc("rating")).list().stream()
                .map(c -> c.getInteger("rating")).toList();
    }

    @Test
    void callsTheLoaderOncePerLevelWhenNested() {
        highlyRated.calls.clear();

        List<Row> comments = ashlar.read("comment").load("post.highly_rated_comments").list();

        assertThat(highlyRated.calls).hasSize(1);
        assertThat(highlyRated.calls.get(0)).extracting(p -> p.getString("title"))
                .containsExactlyInAnyOrder("loved", "panned");
        assertThat(comments).allSatisfy(c -> assertThat(c.relatedOne("post")).isPresent());
    }

    @Test
    void givesTheLoaderTheTenantOfTheRead() {
        highlyRated.tenants.clear();

        ashlar.read("post").tenant("acme").load("highly_rated_comments").list();

        assertThat(highlyRated.tenants).containsExactly("acme");
    }

    @Test
    void filtersAndSortsThroughTheGuidesJoin() {
        assertThat(titles(ashlar.read("post").where(exists("highly_rated_comments")).sort(Sort.asc("id"))))
                .containsExactly("loved");
        assertThat(titles(ashlar.read("post").where(eq("highly_rated_comments.rating", 3)))).isEmpty();
        assertThat(titles(ashlar.read("post").where(count("highly_rated_comments", GTE, 2)))).containsExactly("loved");
        assertThat(titles(ashlar.read("post").sort(Sort.desc("highly_rated_comments").byCount(), Sort.desc("id"))))
                .containsExactly("loved", "silent", "panned");
    }

    @Test
    void loadsARelationshipWithoutAJoin() {
        List<Row> posts = ashlar.read("post").where(eq("title", "loved")).load("every_comment").list();

        assertThat(posts.get(0).related("every_comment")).extracting(c -> c.getInteger("rating"))
                .containsExactly(3, 5, 5);
    }

    @Test
    void aLoaderAnsweringNullOrKeysOfAnotherTypeIsRefusedNamingTheRelationshipInsteadOfLeavingEveryPostEmpty() {
        assertThatThrownBy(() -> ashlar.read("post").load("answers_null").list())
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("The loader of relationship 'answers_null' of post returned null: return a map "
                        + "from each parent's 'id'");
        assertThatThrownBy(() -> ashlar.read("post").load("answers_null_rows").list())
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("'answers_null_rows' of post answered null rows for ")
                .hasMessageContaining("give an empty list, or leave the key out");
        assertThatThrownBy(() -> ashlar.read("post").load("keyed_by_text").list())
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("The loader of relationship 'keyed_by_text' of post keyed its answer by ")
                .hasMessageContaining("(a String), which no parent's 'id' (a Integer) can equal")
                .hasMessageContaining("parent.get(\"id\")");

        List<Row> posts = ashlar.read("post").where(eq("title", "loved")).load("keyed_by_long").list();
        assertThat(posts.get(0).related("keyed_by_long")).as("a bigint key still matches an integer id").hasSize(3);
    }

    @Test
    void saysAJoinIsNeededToFilterByARelationshipWithoutOne() {
        assertThatThrownBy(() -> ashlar.read("post").where(exists("every_comment")).list())
                .isInstanceOf(AshlarException.class)
                .hasMessageContaining("'every_comment'").hasMessageContaining("no join")
                .hasMessageContaining("join(...)");
    }

    @Test
    void aLoadOfAManualRelationshipRefusesASelectAsItsLoaderDecidesTheRows() {
        assertThatThrownBy(() -> ashlar.read("post").load("highly_rated_comments", c -> c.select("body")).list())
                .isInstanceOf(AshlarException.class)
                .hasMessageContaining("Relationship 'highly_rated_comments' of post is manual")
                .hasMessageContaining("takes no filter, sort, limit, offset, select, aggregate or calculation");
    }

    private static List<String> titles(dev.ashlar.kernel.Read read) {
        return read.list().stream().map(p -> p.getString("title")).toList();
    }
}
