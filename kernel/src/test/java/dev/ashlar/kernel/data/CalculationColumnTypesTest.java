package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.CalculationField;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Table;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.contains;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.resource.Type.INTERVAL;
import static dev.ashlar.api.resource.Type.JSON;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static dev.ashlar.api.resource.Type.arrayOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Calculations whose values are of a column type no plain Java class names (Ash's calculation types {@code {:array,
 * :string}}, {@code :map}, {@code :duration}): a list, JSON, an interval, read, filtered and sorted like an attribute.
 */
class CalculationColumnTypesTest extends DomainDatabaseTest {
    record Task(Long id, String title) {
        static final Table<Task> TASKS = Table.of("task", Task.class);
        static final CalculationField<Task, Duration> TOOK = TASKS.calculate("took", Kind.INTERVAL,
                "finished_at - started_at");
        static final CalculationField<Task, List<String>> SHOUT_TAGS = TASKS.calculate("shout_tags",
                Kind.arrayOf(Kind.TEXT), "ARRAY(SELECT upper(t) FROM unnest(tags) AS t ORDER BY t)");
    }

    record TaskView(String title, Duration took, List<String> shoutTags) {
    }

    static final Resource TASK = Resource.builder("task").table("tasks").primaryKey("id")
            .attribute("title", TEXT)
            .attribute("tags", arrayOf(TEXT))
            .attribute("started_at", TIMESTAMPTZ)
            .attribute("finished_at", TIMESTAMPTZ)
            .calculate("shout_tags", arrayOf(TEXT), "ARRAY(SELECT upper(t) FROM unnest(tags) AS t ORDER BY t)")
            .calculate("summary", JSON, "jsonb_build_object('title', title, 'tags', cardinality(tags))")
            .calculate("took", INTERVAL, "finished_at - started_at")
            .calculate("labelled", arrayOf(TEXT), "array_append(tags, ?::text)", "done")
            .build();
    static final Domain DOMAIN = Domain.builder("tasks").resources(TASK).build();

    static final Instant NOON = Instant.parse("2026-01-01T12:00:00Z");

    CalculationColumnTypesTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void tasks() {
        db.execute("TRUNCATE tasks");
        ashlar.create("task", Map.of("title", "quick", "tags", List.of("b", "a"), "started_at", NOON,
                "finished_at", NOON.plusSeconds(600)));
        ashlar.create("task", Map.of("title", "slow", "tags", List.of("c"), "started_at", NOON,
                "finished_at", NOON.plusSeconds(7200)));
    }

    @Test
    void aListCalculationIsLoadedAsAListAndFilteredByAnElement() {
        List<Row> rows = ashlar.read("task").where(contains("shout_tags", "A")).load("shout_tags").load("labelled")
                .list();

        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.get("shout_tags")).isEqualTo(List.of("A", "B"));
            assertThat(row.get("labelled")).isEqualTo(List.of("b", "a", "done"));
        });
    }

    @Test
    void aJsonCalculationIsLoadedAsItsText() {
        Row quick = ashlar.read("task").sort(Sort.asc("title")).load("summary").first().orElseThrow();

        assertThat(quick.getString("summary")).contains("\"title\": \"quick\"").contains("\"tags\": 2");
    }

    @Test
    void anIntervalCalculationIsLoadedAsADurationFilteredAndSorted() {
        List<Row> rows = ashlar.read("task").where(gt("took", Duration.ofMinutes(5)))
                .sort(Sort.desc("took")).load("took").list();

        assertThat(rows).extracting(row -> row.getString("title") + ":" + row.get("took"))
                .containsExactly("slow:PT2H", "quick:PT10M");
    }

    @Test
    void aCalculationWithoutAColumnTypeIsRefusedNamingIt() {
        assertThatThrownBy(() -> Domain.builder("bad").resources(Resource.builder("task").table("tasks")
                .primaryKey("id").calculate("nothing", (dev.ashlar.api.resource.Type) null, "1").build()).build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("nothing");
    }

    @Test
    void typedCalculationsOfAKindAreFilteredSortedAndReadOntoRecords() {
        List<TaskView> views = ashlar.read(Task.TASKS).where(Task.TOOK.gt(Duration.ofMinutes(1)))
                .sort(Task.TOOK.asc()).load(Task.TOOK).load(Task.SHOUT_TAGS).list(TaskView.class);

        assertThat(views).containsExactly(new TaskView("quick", Duration.ofMinutes(10), List.of("A", "B")),
                new TaskView("slow", Duration.ofHours(2), List.of("C")));
    }
}
