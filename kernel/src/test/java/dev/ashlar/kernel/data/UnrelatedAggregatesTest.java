package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Aggregate;
import dev.ashlar.api.resource.Aggregate.Kind;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.and;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.lt;
import static dev.ashlar.api.query.Filter.or;
import static dev.ashlar.api.query.Filter.parent;
import static dev.ashlar.api.resource.Type.BOOLEAN;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Aggregates and {@code exists} over a resource no relationship leads to (Ash's unrelated aggregates, AshPostgres's
 * {@code unrelated_aggregates_test.exs}): a user's profiles and reports are those whose name is the user's.
 */
class UnrelatedAggregatesTest extends DomainDatabaseTest {
    static final Filter SAME_NAME = eq("name", parent("name"));

    static final Domain DOMAIN = Domain.builder("unrelated_aggregates")
            .resource(Resource.builder("user").table("ua_users")
                    .integerPrimaryKey("id")
                    .attribute("name", TEXT)
                    .attribute("age", INTEGER)
                    .count("matching_name_profiles_count", "@profile", SAME_NAME)
                    .count("total_active_profiles", "@profile", eq("active", true))
                    .first("latest_authored_report", "@report", "title", Sort.desc("inserted_at"))
                    .aggregate("latest_authored_report", a -> a.withFilter(eq("author_name", parent("name"))))
                    .sum("total_report_score", "@report", "score", eq("author_name", parent("name")))
                    .exists("has_matching_name_profile", "@profile", SAME_NAME)
                    .list("matching_profile_names", "@profile", "name", Sort.asc("age"))
                    .aggregate("matching_profile_names", a -> a.withFilter(SAME_NAME))
                    .max("max_age_same_name", "@profile", "age", SAME_NAME)
                    .min("min_age_same_name", "@profile", "age", SAME_NAME)
                    .avg("avg_age_same_name", "@profile", "age", SAME_NAME)
                    .calculate("profiles_summary", String.class,
                            "'Found ' || matching_name_profiles_count || ' profiles'")
                    .build())
            .resource(Resource.builder("profile").table("ua_profiles")
                    .integerPrimaryKey("id")
                    .attribute("name", TEXT)
                    .attribute("age", INTEGER)
                    .attribute("active", BOOLEAN)
                    .attribute("hidden", BOOLEAN, a -> a.defaultValue(false))
                    .baseFilter("hidden = false", Filter.eq("hidden", false))
                    .build())
            .resource(Resource.builder("report").table("ua_reports")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .attribute("author_name", TEXT)
                    .attribute("score", INTEGER)
                    .attribute("inserted_at", TIMESTAMPTZ)
                    .build())
            .build();

    UnrelatedAggregatesTest() {
        super(DOMAIN);
    }

    private Row john;
    private Row jane;

    @BeforeEach
    void data() {
        ashlar.sql("TRUNCATE ua_users, ua_profiles, ua_reports RESTART IDENTITY").execute();
        john = user("John", 27);
        jane = user("Jane", 28);
        profile("John", 25, true);
        profile("John", 30, true);
        profile("Jane", 28, true);
        profile("Bob", 35, false);
        OffsetDateTime base = OffsetDateTime.parse("2024-01-01T12:00:00Z");
        report("John's First Report", "John", 85, base);
        report("John's Latest Report", "John", 92, base.plusHours(1));
        report("Jane's Report", "Jane", 78, base);
    }

    private Row user(String name, int age) {
        return ashlar.create("user", Map.of("name", name, "age", age));
    }

    private void profile(String name, int age, boolean active) {
        ashlar.create("profile", Map.of("name", name, "age", age, "active", active));
    }

    private void report(String title, String author, int score, OffsetDateTime at) {
        ashlar.create("report", Map.of("title", title, "author_name", author, "score", score, "inserted_at", at));
    }

    private Row read(Row user, String... loads) {
        var read = ashlar.read("user").where(eq("id", user.get("id")));
        for (String load : loads) {
            read = read.load(load);
        }
        return read.first().orElseThrow();
    }

    @Test
    void countsTheOtherResourcesRecordsThatItsFilterRelatesThroughParent() {
        Row johnRead = read(john, "matching_name_profiles_count", "total_active_profiles");
        Row janeRead = read(jane, "matching_name_profiles_count", "total_active_profiles");

        assertThat(johnRead.get("matching_name_profiles_count")).isEqualTo(2L);
        assertThat(janeRead.get("matching_name_profiles_count")).isEqualTo(1L);
        assertThat(johnRead.get("total_active_profiles")).as("without parent: every active profile").isEqualTo(3L);
        assertThat(janeRead.get("total_active_profiles")).isEqualTo(3L);
    }

    @Test
    void everyKindComputesOverTheUnrelatedRecords() {
        Row row = read(john, "latest_authored_report", "total_report_score", "has_matching_name_profile",
                "matching_profile_names", "max_age_same_name", "min_age_same_name", "avg_age_same_name");

        assertThat(row.get("latest_authored_report")).isEqualTo("John's Latest Report");
        assertThat(row.get("total_report_score")).isEqualTo(177L);
        assertThat(row.get("has_matching_name_profile")).isEqualTo(true);
        assertThat(row.get("matching_profile_names")).isEqualTo(List.of("John", "John"));
        assertThat(row.get("max_age_same_name")).isEqualTo(30);
        assertThat(row.get("min_age_same_name")).isEqualTo(25);
        assertThat((BigDecimal) row.get("avg_age_same_name")).isEqualByComparingTo("27.5");
        assertThat(read(jane, "total_report_score").get("total_report_score")).isEqualTo(78L);
    }

    @Test
    void aCalculationNamesAnUnrelatedAggregate() {
        assertThat(read(jane, "profiles_summary").get("profiles_summary")).isEqualTo("Found 1 profiles");
    }

    @Test
    void aUserWithNoMatchingRecordsCountsZeroAndAnEmptyReadStaysEmpty() {
        Row unique = user("Unique", 40);

        assertThat(read(unique, "matching_name_profiles_count", "has_matching_name_profile"))
                .satisfies(r -> assertThat(r.get("matching_name_profiles_count")).isEqualTo(0L))
                .satisfies(r -> assertThat(r.get("has_matching_name_profile")).isEqualTo(false));
        assertThat(ashlar.read("user").where(eq("name", "NonExistent")).load("matching_name_profiles_count").list())
                .isEmpty();
    }

    @Test
    void filtersAndSortsByAnUnrelatedAggregate() {
        user("Unique", 40);

        assertThat(ashlar.read("user").where(gt("matching_name_profiles_count", 1)).list())
                .extracting(r -> r.get("name")).containsExactly("John");
        assertThat(ashlar.read("user").sort(Sort.desc("matching_name_profiles_count"), Sort.asc("name")).list())
                .extracting(r -> r.get("name")).containsExactly("John", "Jane", "Unique");
    }

    @Test
    void aReadGivesAnUnrelatedAggregateWithParentInAndAndOr() {
        Row user = user("ComplexTest", 25);
        profile("ComplexTest", 25, true);
        profile("ComplexTest", 30, true);
        profile("ComplexTest", 20, true);
        profile("Other", 25, true);

        Row row = ashlar.read("user").where(eq("id", user.get("id")))
                .aggregate(Aggregate.of("same_name_and_age", Kind.COUNT, "@profile")
                        .withFilter(and(SAME_NAME, eq("age", parent("age")))))
                .aggregate(Aggregate.of("name_or_age", Kind.COUNT, "@profile")
                        .withFilter(or(SAME_NAME, eq("age", parent("age")))))
                .aggregate(Aggregate.of("older", Kind.COUNT, "@profile")
                        .withFilter(and(SAME_NAME, gt("age", parent("age")))))
                .aggregate(Aggregate.of("other_ages", Kind.COUNT, "@profile")
                        .withFilter(and(SAME_NAME, or(lt("age", parent("age")), gt("age", parent("age"))))))
                .first().orElseThrow();

        assertThat(row.get("same_name_and_age")).isEqualTo(1L);
        assertThat(row.get("name_or_age")).as("John's 25 too").isEqualTo(5L);
        assertThat(row.get("older")).isEqualTo(1L);
        assertThat(row.get("other_ages")).isEqualTo(2L);
    }

    @Test
    void existsAndCountOverAnUnrelatedResourceCompareWithTheParent() {
        Row nobody = user("NoMatch", 50);

        List<Object> ids = ashlar.read("user").where(exists("@profile", SAME_NAME)).list().stream()
                .map(r -> r.get("id")).toList();

        assertThat(ids).contains(john.get("id"), jane.get("id")).doesNotContain(nobody.get("id"));
        assertThat(ashlar.read("user").where(Filter.not(exists("@report", eq("author_name", parent("name")))))
                .list()).extracting(r -> r.get("name")).containsExactly("NoMatch");
        assertThat(ashlar.read("user").where(Filter.count("@profile", SAME_NAME, Filter.Operator.GTE, 2)).list())
                .as("a count filter").extracting(r -> r.get("name")).containsExactly("John");
    }

    @Test
    void theOtherResourcesBaseFilterHoldsInsideTheAggregate() {
        ashlar.sql("INSERT INTO ua_profiles (name, age, active, hidden) VALUES ('John', 99, true, true)").execute();

        Row row = read(john, "matching_name_profiles_count", "max_age_same_name");

        assertThat(row.get("matching_name_profiles_count")).isEqualTo(2L);
        assertThat(row.get("max_age_same_name")).isEqualTo(30);
        assertThat(ashlar.read("user").where(exists("@profile", eq("age", 99))).list()).isEmpty();
    }

    @Test
    void refusesAnUnrelatedAggregateOverAResourceTheDomainDoesNotHave() {
        assertThatThrownBy(() -> Domain.builder("d")
                .resource(Resource.builder("user").integerPrimaryKey("id").attribute("name", TEXT)
                        .count("profiles", "@profle").build())
                .resource(Resource.builder("profile").integerPrimaryKey("id").build())
                .build())
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("profiles").hasMessageContaining("'profle'").hasMessageContaining("profile");
    }

    @Test
    void refusesAnUnrelatedAggregateOfAFieldTheOtherResourceDoesNotHave() {
        assertThatThrownBy(() -> Domain.builder("d")
                .resource(Resource.builder("user").integerPrimaryKey("id").attribute("name", TEXT)
                        .sum("total", "@profile", "scor").build())
                .resource(Resource.builder("profile").integerPrimaryKey("id").attribute("score", INTEGER).build())
                .build())
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("total").hasMessageContaining("scor");
    }

    @Test
    void refusesAReadsExistsAndAggregateOverAMissingResourceNamingIt() {
        assertThatThrownBy(() -> ashlar.read("user").where(exists("@nobody")).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("nobody").hasMessageContaining("profile");
        assertThatThrownBy(() -> ashlar.read("user").aggregate(Aggregate.of("n", Kind.COUNT, "@nobody")).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("nobody");
        assertThatThrownBy(() -> ashlar.read("user").where(exists("@profile", eq("nam", parent("name")))).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("nam");
    }

    @Test
    void anUnrelatedAggregateStaysOutOfWritesAndLoads() {
        Map<String, Object> values = new HashMap<>();
        values.put("name", "X");
        values.put("matching_name_profiles_count", 3);
        assertThatThrownBy(() -> ashlar.create("user", values)).hasMessageContaining("matching_name_profiles_count");
        assertThatThrownBy(() -> ashlar.read("user").load("@profile").list())
                .isInstanceOf(QueryException.class).hasMessageContaining("@profile")
                .hasMessageContaining("noAttributes()");
    }
}
