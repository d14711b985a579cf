package dev.ashlar.plugins.relationships;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Aggregate;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.schema.SchemaBuilder;
import dev.ashlar.kernel.schema.Table;
import dev.ashlar.kernel.schema.TableDdl;
import dev.ashlar.spi.plugin.Join;
import dev.ashlar.spi.plugin.LoadContext;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Aggregates over manual relationships, at the first, last or a middle step of their path, as AshPostgres's
 * {@code manual_relationships_test.exs} declares them.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManualRelationshipAggregatesTest {
    /** The post's comments rated above 4: the guide's join, its loader unused here. */
    private static final ManualRelationship HIGHLY_RATED = new ManualRelationship() {
        @Override
        public Map<Object, List<Row>> load(List<Row> parents, LoadContext context) {
            return Map.of();
        }

        @Override
        public Optional<Join> join(Query source, Query destination) {
            return Optional.of(new Join("id", "post_id", gt("rating", 4)));
        }
    };

    private Ashlar ashlar;
    private TestDatabase db;

    static Domain domain() {
        return Domain.builder("manual_aggregates")
                .resource(Resource.builder("post").table("posts").integerPrimaryKey("id")
                        .attribute("title", TEXT)
                        .with(ManualRelationships.of(Manual.hasMany("highly_rated", "comment", HIGHLY_RATED)))
                        .count("count_of_highly_rated", "highly_rated")
                        .build())
                .resource(Resource.builder("comment").table("comments").integerPrimaryKey("id")
                        .attribute("rating", INTEGER)
                        .belongsTo("post", "post")
                        .count("count_of_highly_rated_on_post", "post.highly_rated")
                        .list("posts_with_highly_rated", "post.highly_rated.post", "title", Sort.asc("title"))
                        .build())
                .build();
    }

    @BeforeAll
    void start(TestDatabase database) {
        db = database;
        Domain domain = domain();
        for (Table table : new SchemaBuilder(domain, Plugins.none().with(new ManualRelationshipsPlugin())).build()
                .tables()) {
            db.execute(TableDdl.createTable(table));
            table.objects().forEach(object -> db.execute(object.up()));
        }
        ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(domain).build();
    }

    @AfterAll
    void stop() {
        ashlar.close();
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE comments, posts RESTART IDENTITY");
    }

    private Row comment(Row post, int rating) {
        return ashlar.create("comment", post == null ? Map.of("rating", rating)
                : Map.of("rating", rating, "post_id", post.get("id")));
    }

    @Test
    void anAggregateOverAManualRelationshipCountsWhatItsJoinRelates() {
        Row post = ashlar.create("post", Map.of("title", "title"));
        assertThat(ashlar.read("post").load("count_of_highly_rated").one().orElseThrow()
                .get("count_of_highly_rated")).isEqualTo(0L);
        assertThat(ashlar.read("post").where(eq("count_of_highly_rated", 1L)).list()).isEmpty();

        comment(null, 5);
        comment(post, 5);
        comment(post, 1);

        assertThat(ashlar.read("post").load("count_of_highly_rated").one().orElseThrow()
                .get("count_of_highly_rated")).isEqualTo(1L);
        assertThat(ashlar.read("post").where(eq("count_of_highly_rated", 1L)).list()).hasSize(1);
    }

    @Test
    void anAggregateWhosePathEndsInAManualRelationshipCountsForEachRecord() {
        Row post = ashlar.create("post", Map.of("title", "title"));
        Row low = comment(post, 1);
        assertThat(ashlar.read("comment").load("count_of_highly_rated_on_post").one().orElseThrow()
                .get("count_of_highly_rated_on_post")).isEqualTo(0L);
        assertThat(ashlar.read("comment").where(eq("count_of_highly_rated_on_post", 1L)).list()).isEmpty();

        comment(null, 5);
        comment(post, 5);

        assertThat(ashlar.read("comment").where(eq("count_of_highly_rated_on_post", 1L)).list())
                .extracting(row -> row.get("id")).containsExactlyInAnyOrder(low.get("id"), 3);
    }

    @Test
    void anAggregateWhosePathGoesThroughAManualRelationshipReachesTheRecordsBeyondIt() {
        Row post = ashlar.create("post", Map.of("title", "title"));
        Row low = comment(post, 1);
        assertThat(ashlar.read("comment").where(eq("id", low.get("id"))).load("posts_with_highly_rated").one()
                .orElseThrow().get("posts_with_highly_rated")).isEqualTo(List.of());

        comment(post, 5);

        assertThat(ashlar.read("comment").where(eq("id", low.get("id"))).load("posts_with_highly_rated").one()
                .orElseThrow().get("posts_with_highly_rated")).isEqualTo(List.of("title"));
    }

    @Test
    void aReadGivesAnAggregateOverAManualRelationshipToo() {
        Row post = ashlar.create("post", Map.of("title", "title"));
        comment(post, 5);
        comment(post, 6);

        assertThat(ashlar.read("post").aggregate(Aggregate.of("best", Aggregate.Kind.MAX, "highly_rated", "rating"))
                .one().orElseThrow().get("best")).isEqualTo(6);
    }

    @Test
    void anAggregateOverAManualRelationshipTheResourceDoesNotHaveIsRefusedNamingThoseItHas() {
        assertThatThrownBy(() -> Domain.builder("d")
                .resource(Resource.builder("post").table("posts").integerPrimaryKey("id")
                        .with(ManualRelationships.of(Manual.hasMany("highly_rated", "comment", HIGHLY_RATED)))
                        .count("n", "lowly_rated")
                        .build())
                .resource(Resource.builder("comment").table("comments").integerPrimaryKey("id")
                        .attribute("rating", INTEGER).belongsTo("post", "post").build())
                .build())
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("lowly_rated").hasMessageContaining("[highly_rated]");
    }
}
