package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.ListField;
import dev.ashlar.api.typed.Table;
import dev.ashlar.kernel.inspect.DatabaseInspector;
import dev.ashlar.kernel.inspect.InspectedTable;
import dev.ashlar.kernel.snapshot.SnapshotJson;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.in;
import static dev.ashlar.api.query.Filter.isNil;
import static dev.ashlar.api.query.Filter.notNil;
import static dev.ashlar.api.query.Filter.lt;
import static dev.ashlar.api.query.Filter.sql;
import static dev.ashlar.api.typed.Kind.INTERVAL;
import static dev.ashlar.api.typed.Kind.arrayOf;
import static dev.ashlar.kernel.data.MigratedDomain.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** INTERVAL attributes: interval columns, values given and read as Durations to the microsecond. */
class IntervalTest extends MigratedDomainTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-02T12:00:00Z"), ZoneOffset.UTC);
    private static final Duration FINE = Duration.ofHours(49).plusMinutes(3).plusSeconds(4).plusNanos(123_456_000);
    private static final Duration BEHIND = Duration.ofSeconds(-90).minusNanos(1_000);

    record Task(Integer id, Duration delay, Duration timeout, List<Duration> laps) {
        static final Table<Task> TASKS = Table.of("task", Task.class);
        static final Field<Task, Integer> ID = TASKS.integerPrimaryKey("id");
        static final Field<Task, Duration> DELAY = TASKS.attribute("delay", INTERVAL);
        static final Field<Task, Duration> TIMEOUT = TASKS.attribute("timeout", INTERVAL,
                a -> a.notNull().defaultValue(Duration.ofMinutes(5)));
        static final ListField<Task, Duration> LAPS = TASKS.attribute("laps", arrayOf(INTERVAL));
        static final Resource RESOURCE = TASKS.builder().table("tasks").add(ID, DELAY, TIMEOUT, LAPS).build();
    }

    private static final Domain DOMAIN = Domain.builder("jobs").resource(Task.RESOURCE).build();

    IntervalTest() {
        super(DOMAIN, CLOCK, "create_tasks");
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE tasks");
    }

    @Test
    void codegenMakesIntervalColumnsWithTheDefaultAsAnIntervalLiteral() throws IOException {
        assertThat(Files.readString(migrated.created.files().get(0))).contains("interval", "interval[]",
                "DEFAULT '0:05:00.000000'");
        assertThat(db.query("SELECT column_name, data_type, column_default FROM information_schema.columns "
                + "WHERE table_name = 'tasks' AND column_name <> 'id' ORDER BY ordinal_position"))
                .extracting(r -> r.get("column_name") + " " + r.get("data_type") + " " + r.get("column_default"))
                .containsExactly("delay interval null", "timeout interval '00:05:00'::interval", "laps ARRAY null");
        assertThat(migrated.codegen().check().steps()).isEmpty();
    }

    @Test
    void roundTripsDurationsToTheMicrosecondNegativeLargeAndNull() {
        Duration large = Duration.ofDays(200_000).plusNanos(999_999_000);
        Row fine = ashlar.create("task", values("delay", FINE, "laps", List.of(BEHIND, Duration.ZERO)));
        Row behind = ashlar.create("task", values("delay", BEHIND, "timeout", large));
        Row none = ashlar.create("task", values("delay", null));

        assertThat(ashlar.get("task", fine.get("id")).get("delay")).isEqualTo(FINE);
        assertThat(ashlar.get("task", fine.get("id")).get("laps")).isEqualTo(List.of(BEHIND, Duration.ZERO));
        assertThat(ashlar.get("task", behind.get("id")).get("delay")).isEqualTo(BEHIND);
        assertThat(ashlar.get("task", behind.get("id")).get("timeout")).isEqualTo(large);
        assertThat(ashlar.get("task", none.get("id")).get("delay")).isNull();
        assertThat(ashlar.get("task", none.get("id")).get("timeout")).isEqualTo(Duration.ofMinutes(5));
        assertThat(db.value("SELECT extract(epoch FROM delay)::text FROM tasks WHERE id = ?", behind.get("id")))
                .isEqualTo("-90.000001");

        Row updated = ashlar.update(fine, Map.of("delay", Duration.ofMillis(1)));
        assertThat(ashlar.get("task", updated.get("id")).get("delay")).isEqualTo(Duration.ofMillis(1));
        List<Row> many = ashlar.createAll("task", List.of(values("delay", FINE, "laps", List.of(FINE)),
                values("delay", BEHIND)));
        assertThat(many).extracting(r -> ashlar.get("task", r.get("id")).get("delay")).containsExactly(FINE, BEHIND);
        assertThat(ashlar.get("task", many.get(0).get("id")).get("laps")).isEqualTo(List.of(FINE));
    }

    @Test
    void readsIntervalsWrittenInSqlWithDaysAndMixedSigns() {
        db.execute("INSERT INTO tasks (delay) VALUES ('1 day 02:00:00'), ('-1 days +01:00:00'), ('36 hours')");

        assertThat(ashlar.read("task").sort(Sort.asc("delay")).list()).extracting(r -> r.get("delay"))
                .containsExactly(Duration.ofHours(-23), Duration.ofHours(26), Duration.ofHours(36));
    }

    @Test
    void anIntervalHoldingMonthsFailsTheReadNamingTheResourceAndAttribute() {
        db.execute("INSERT INTO tasks (delay) VALUES ('1 mon 2 days')");

        assertThatThrownBy(() -> ashlar.read("task").list()).isInstanceOf(QueryException.class)
                .hasMessageContaining("The interval '1 mon 2 days' of task.delay holds months or years")
                .hasMessageContaining("a Duration cannot hold exactly");
    }

    @Test
    void aValueThatIsNoDurationOrFinerThanAMicrosecondIsRefusedNamingTheAttribute() {
        assertThatThrownBy(() -> ashlar.create("task", values("delay", Duration.ofNanos(1_500))))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("delay")
                .hasMessageContaining("finer than the microseconds an interval keeps");
        assertThatThrownBy(() -> ashlar.create("task", values("delay", "5 minutes")))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("delay")
                .hasMessageContaining("must be a Duration");
        assertThatThrownBy(() -> ashlar.create("task", values("delay", Duration.ofHours(3_000_000_000L))))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("out of range for interval");
        assertThat(db.value("SELECT count(*) FROM tasks")).isEqualTo(0L);
    }

    @Test
    void theMostNegativeDurationIsRefusedAsOutOfRangeInEveryWriteFilterAndStatementWhileTheLongestStoredOneRoundTrips() {
        Duration longest = Duration.ofHours(Integer.MAX_VALUE).plusMinutes(59).plusSeconds(59).plusNanos(999_999_000);
        Row stored = ashlar.create("task", values("delay", longest.negated(), "laps", List.of(longest)));
        Duration lowest = Duration.ofSeconds(Long.MIN_VALUE);   // Duration.abs() and negated() of it overflow
        List<org.assertj.core.api.ThrowableAssert.ThrowingCallable> uses = List.of(
                () -> ashlar.create("task", values("delay", lowest)),
                () -> ashlar.createAll("task", List.of(values("delay", Duration.ZERO), values("laps", List.of(lowest)))),
                () -> ashlar.update(stored, Map.of("delay", lowest)),
                () -> ashlar.read("task").updateAll(Map.of("delay", lowest)),
                () -> ashlar.read("task").where(eq("delay", lowest)).count(),
                () -> ashlar.read("task").where(in("delay", List.of(Duration.ZERO, lowest))).count(),
                () -> ashlar.sql("SELECT ?::interval", lowest).list(),
                () -> ashlar.create("task", values("delay", Duration.ofHours(-Integer.MAX_VALUE - 1L))));

        for (org.assertj.core.api.ThrowableAssert.ThrowingCallable use : uses) {
            assertThatThrownBy(use).isInstanceOfAny(InvalidDataException.class, QueryException.class)
                    .hasMessageContaining("out of range for interval").hasMessageContaining("2147483647 hours");
        }
        assertThat(ashlar.get("task", stored.get("id")).get("delay")).isEqualTo(longest.negated());
        assertThat(ashlar.get("task", stored.get("id")).get("laps")).isEqualTo(List.of(longest));
        assertThat(db.value("SELECT string_agg(delay::text, ',') FROM tasks")).isEqualTo("-2147483647:59:59.999999");
    }

    @Test
    void filtersAndSortsCompareDurations() {
        for (Duration delay : List.of(FINE, BEHIND, Duration.ofMinutes(1))) {
            ashlar.create("task", values("delay", delay));
        }
        ashlar.create("task", values("delay", null));

        assertThat(ashlar.read("task").where(eq("delay", FINE)).count()).isEqualTo(1);
        assertThat(ashlar.read("task").where(lt("delay", Duration.ZERO)).list()).extracting(r -> r.get("delay"))
                .containsExactly(BEHIND);
        assertThat(ashlar.read("task").where(gt("delay", Duration.ofSeconds(59))).count()).isEqualTo(2);
        assertThat(ashlar.read("task").where(in("delay", List.of(BEHIND, Duration.ofMinutes(1)))).count())
                .isEqualTo(2);
        assertThat(ashlar.read("task").where(isNil("delay")).count()).isEqualTo(1);
        assertThat(ashlar.read("task").where(notNil("delay")).sort(Sort.desc("delay")).list())
                .extracting(r -> r.get("delay")).containsExactly(FINE, Duration.ofMinutes(1), BEHIND);
        assertThat(ashlar.read("task").max("delay")).isEqualTo(FINE);
    }

    /** AshPostgres's duration_expr_test: {@code created_at > ago(duration)}, datetime_add with a negative one. */
    @Test
    void aDurationInSqlWrittenByHandIsAnIntervalInDateArithmetic() {
        ashlar.create("task", values("delay", Duration.ofMinutes(1)));
        ashlar.create("task", values("delay", Duration.ofDays(3)));

        assertThat(ashlar.read("task").where(sql("now() - delay > now() - ?", Duration.ofHours(1))).list())
                .extracting(r -> r.get("delay")).containsExactly(Duration.ofMinutes(1));
        assertThat(ashlar.read("task").where(sql("timestamptz '2026-12-02 12:00Z' + delay < ? + ?",
                Instant.parse("2026-12-02T12:00:00Z"), Duration.ofDays(-1).plusDays(2))).count()).isEqualTo(1);
        assertThat(ashlar.sql("SELECT (timestamptz '2026-12-02 12:00Z' - ?) AS at", Duration.ofDays(30))
                .value(Instant.class)).isEqualTo(Instant.parse("2026-11-02T12:00:00Z"));
    }

    /** AshPostgres's duration_operator_test: {@code created_at + ^Duration.new!(month: 1, day: 2) > ^now}. */
    @Test
    void aPeriodInSqlWrittenByHandIsAnIntervalOfCalendarMonthsAndDays() {
        ashlar.create("task", values("delay", Duration.ofMinutes(1)));

        assertThat(ashlar.sql("SELECT (timestamptz '2026-01-31 12:00Z' + ?) AS at", Period.ofMonths(1).plusDays(2))
                .value(Instant.class)).isEqualTo(Instant.parse("2026-03-02T12:00:00Z"));
        assertThat(ashlar.sql("SELECT (date '2026-03-31' - ?)::date AS at", Period.of(1, -1, 3))
                .value(java.time.LocalDate.class)).isEqualTo(java.time.LocalDate.parse("2025-04-27"));
        assertThat(ashlar.read("task").where(sql("timestamptz '2026-12-02 12:00Z' + delay < ? + ?",
                Instant.parse("2026-11-02T12:00:00Z"), Period.ofMonths(1))).count()).isEqualTo(0);
        assertThat(ashlar.read("task").where(sql("timestamptz '2026-12-02 12:00Z' + delay > ? + ?",
                Instant.parse("2026-11-02T12:00:00Z"), Period.ofMonths(1))).count()).isEqualTo(1);
        assertThat(ashlar.read("task").compute("p", Period.class, "interval '1 year 2 mons 3 days'").first()
                .orElseThrow().get("p")).isEqualTo(Period.of(1, 2, 3));
        assertThatThrownBy(() -> ashlar.read("task").compute("p", Period.class, "interval '2 days 01:00'").list())
                .isInstanceOf(QueryException.class).hasMessageContaining("'p'")
                .hasMessageContaining("read it as a Duration");
    }

    /**
     * AshPostgres's postgrex_types_test: an interval selected by hand loads as a duration, and one of calendar months
     * and days keeps them apart, as the interval stores them.
     */
    @Test
    void anIntervalSelectedByHandIsADurationOrAPeriodAsItHoldsTimeOrCalendarParts() {
        assertThat(ashlar.sql("SELECT interval '36 hours' AS took").value(Duration.class))
                .isEqualTo(Duration.ofHours(36));
        Period calendar = ashlar.sql("SELECT interval '1 year 2 months 2 days' AS took").value(Period.class);
        assertThat(calendar).isEqualTo(Period.of(1, 2, 2));
        assertThat(calendar.toTotalMonths()).isEqualTo(14);
        assertThat(ashlar.sql("SELECT interval '2 days' AS took").value(Period.class)).isEqualTo(Period.ofDays(2));
        assertThat(ashlar.sql("SELECT interval '-3 mons' AS took").one().orElseThrow().get("took"))
                .isEqualTo(Period.ofMonths(-3));
        Row exact = ashlar.sql("SELECT interval '36 hours' AS took").one().orElseThrow();
        assertThatThrownBy(() -> exact.get("took", Period.class)).isInstanceOf(QueryException.class)
                .hasMessageContaining("took");
    }

    @Test
    void anIntervalSelectedByHandHoldingMonthsAndATimeOfDayIsRefusedNamingTheColumnAndHowToSplitIt() {
        assertThatThrownBy(() -> ashlar.sql("SELECT interval '1 month 2 hours' AS took").list())
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("The interval '1 mon 02:00:00' of 'took' holds months or years and a time of day")
                .hasMessageContaining("date_trunc('day', took) AS calendar");
    }

    @Test
    void theTypedApiReadsDurationComponentsIntoARecord() {
        Task created = ashlar.create(Task.TASKS, new Task(null, FINE, Duration.ofSeconds(1), List.of(BEHIND)));

        List<Task> read = ashlar.read(Task.TASKS).where(Task.DELAY.eq(FINE)).list();

        assertThat(read).containsExactly(created);
        assertThat(read.get(0).laps()).containsExactly(BEHIND);
    }

    @Test
    void inspectMapsIntervalColumnsToInterval() {
        InspectedTable tasks = new DatabaseInspector(db.dataSource(), "public").tables().stream()
                .filter(t -> t.name().equals("tasks")).findFirst().orElseThrow();

        assertThat(tasks.columns()).filteredOn(c -> !c.name().equals("id"))
                .extracting(c -> c.name() + " " + c.type())
                .containsExactly("delay INTERVAL", "timeout INTERVAL", "laps " + Type.arrayOf(Type.INTERVAL));
    }

    @Test
    void theSnapshotKeepsIntervalColumnsAndTheirDefaultThroughItsJson() throws IOException {
        Path snapshot = migrated.snapshot("tasks");
        String json = Files.readString(snapshot);

        var table = SnapshotJson.read(json, migrated.project.relativize(snapshot).toString()).table();

        assertThat(table.columns()).extracting(c -> c.name() + " " + c.type() + " " + c.defaultSql())
                .containsExactly("id integer null", "delay interval null", "timeout interval '0:05:00.000000'",
                        "laps interval[] null");
        assertThat(SnapshotJson.write(table, false)).isEqualTo(json);
    }
}
