package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.contains;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.ilike;
import static dev.ashlar.api.query.Filter.in;
import static dev.ashlar.api.query.Filter.isNil;
import static dev.ashlar.api.query.Filter.lte;
import static dev.ashlar.api.query.Filter.ne;
import static dev.ashlar.api.query.Filter.notNil;
import static dev.ashlar.api.resource.Type.JSON;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Filters and sorts on a path inside a JSON attribute: {@code eq("bio.title", "Dr.")}, Ash's {@code bio[:title]}. */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JsonPathsTest {
    static final Domain DOMAIN = Domain.builder("json_paths")
            .resource(Resource.builder("json_author").table("json_authors")
                    .integerPrimaryKey("id")
                    .attribute("name", TEXT)
                    .attribute("bio", JSON)
                    .attribute("settings", JSON)
                    .attribute("stats", JSON)
                    .hasMany("books", "json_book", r -> r.destinationAttribute("author_id"))
                    .build())
            .resource(Resource.builder("json_book").table("json_books")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .belongsTo("author", "json_author")
                    .build())
            .build();

    private Ashlar ashlar;
    private TestDatabase db;

    @BeforeAll
    void start(TestDatabase db) {
        this.db = db;
        ashlar = Fixtures.ashlar(db, DOMAIN);
        Row ada = author("ada", "{\"title\": \"Dr.\", \"age\": 36, \"it's\": \"quoted\", \"a key\": \"spaced\", "
                + "\"tags\": [\"math\", \"poetry\"]}", "{\"theme\": {\"dark\": true}, \"levels\": [1, 2.5]}", "{\"visits\": 12}");
        Row bob = author("bob", "{\"title\": \"Prof.\", \"age\": 70, \"tags\": [\"mathematics\"]}", "{\"theme\": {\"dark\": false}}",
                "{\"visits\": 9}");
        author("cy", "{\"title\": null, \"age\": 5}", "{}", "{\"visits\": 100}");
        author("dee", "{}", null, null);
        ashlar.create("json_book", Map.of("title", "Notes", "author_id", ada.get("id")));
        ashlar.create("json_book", Map.of("title", "Lectures", "author_id", bob.get("id")));
    }

    private Row author(String name, String bio, String settings, String stats) {
        Map<String, Object> values = new HashMap<>();
        values.put("name", name);
        values.put("bio", bio);
        values.put("settings", settings);
        values.put("stats", stats);
        return ashlar.create("json_author", values);
    }

    @AfterAll
    void stop() {
        ashlar.close();
    }

    private List<String> names(Filter filter) {
        return ashlar.read("json_author").where(filter).sort(Sort.asc("name")).list().stream()
                .map(row -> row.getString("name")).toList();
    }

    @Test
    void findsRowsByTextAtAKeyOfAJsonAttribute() {
        assertThat(names(eq("bio.title", "Dr."))).containsExactly("ada");
    }

    @Test
    void comparesNumbersInsideJsonAsNumbersNotAsText() {
        // As text, "9" > "10" and "100" < "12": only a numeric comparison gives these.
        assertThat(names(gt("stats.visits", 10))).containsExactly("ada", "cy");
        assertThat(names(lte("stats.visits", 12))).containsExactly("ada", "bob");
    }

    @Test
    void comparesBooleansTwoKeysDeep() {
        assertThat(names(eq("settings.theme.dark", true))).containsExactly("ada");
        assertThat(names(eq("settings.theme.dark", false))).containsExactly("bob");
    }

    @Test
    void treatsAMissingKeyAndJsonNullAsNil() {
        assertThat(names(isNil("bio.title"))).containsExactly("cy", "dee");
        assertThat(names(eq("bio.title", null))).containsExactly("cy", "dee");
        assertThat(names(notNil("bio.title"))).containsExactly("ada", "bob");
        assertThat(names(isNil("settings.theme.dark"))).containsExactly("cy", "dee");
    }

    @Test
    void neverMatchesANilValueWithNe() {
        assertThat(names(ne("bio.title", "Dr."))).containsExactly("bob");
    }

    @Test
    void findsRowsWhoseValueAtAPathIsInAList() {
        assertThat(names(in("bio.title", List.of("Dr.", "Prof.")))).containsExactly("ada", "bob");
        assertThat(names(in("stats.visits", List.of(9, 100)))).containsExactly("bob", "cy");
    }

    @Test
    void matchesTextAtAPathWithLikeAndContains() {
        assertThat(names(ilike("bio.title", "dr%"))).containsExactly("ada");
        assertThat(names(contains("bio.title", "rof"))).containsExactly("bob");
    }

    /** AshPostgres's storage_types_test: {@code "email" in settings["dues_reminders"]} is membership, not text. */
    @Test
    void containsOnAJsonArrayAtAPathLooksForAnElementNotForText() {
        assertThat(names(contains("bio.tags", "math"))).containsExactly("ada");
        assertThat(names(contains("bio.tags", "mat"))).isEmpty();
        assertThat(names(contains("bio.tags", "\"math\""))).isEmpty();
        assertThat(names(contains("settings.levels", 2.5))).containsExactly("ada");
        assertThat(names(contains("settings.levels", 1))).containsExactly("ada");
        assertThat(names(contains("settings.levels", 3))).isEmpty();
        assertThat(names(contains("settings.theme", true))).isEmpty();
        assertThat(names(Filter.not(contains("bio.tags", "math")))).containsExactly("bob");
    }

    @Test
    void readsTheTextAtAPathAsTheTypeOfEachValueComparedWithIt() {
        // One filter shape, two value types: the cast is part of the cached statement's key.
        assertThat(names(gt("stats.visits", 10))).containsExactly("ada", "cy");
        assertThat(names(gt("stats.visits", "10"))).containsExactly("ada", "bob", "cy");
    }

    @Test
    void stepsIntoAJsonArrayByIndex() {
        assertThat(names(eq("bio.tags.0", "math"))).containsExactly("ada");
        assertThat(names(eq("bio.tags.1", "math"))).isEmpty();
    }

    @Test
    void bindsKeysThatSqlWouldHaveToQuote() {
        assertThat(names(eq("bio.it's", "quoted"))).containsExactly("ada");
        assertThat(names(eq("bio.a key", "spaced"))).containsExactly("ada");
        assertThat(names(eq("bio.x'}') OR TRUE --", "quoted"))).isEmpty();
    }

    @Test
    void sortsByNumbersInsideJsonByValueWithMissingOnesLast() {
        List<String> sorted = ashlar.read("json_author").sort(Sort.asc("stats.visits"), Sort.asc("name")).list()
                .stream().map(row -> row.getString("name")).toList();
        assertThat(sorted).containsExactly("bob", "ada", "cy", "dee");
    }

    @Test
    void sortsByTextInsideJsonWithJsonNullAmongTheMissing() {
        List<String> sorted = ashlar.read("json_author").sort(Sort.asc("bio.title").nullsFirst(), Sort.asc("name"))
                .list().stream().map(row -> row.getString("name")).toList();
        assertThat(sorted).containsExactly("cy", "dee", "ada", "bob");
    }

    @Test
    void followsARelationshipThenAPathInsideJson() {
        List<String> books = ashlar.read("json_book").where(eq("author.bio.title", "Dr.")).list().stream()
                .map(row -> row.getString("title")).toList();
        List<String> byVisits = ashlar.read("json_book").sort(Sort.desc("author.stats.visits")).list().stream()
                .map(row -> row.getString("title")).toList();
        List<String> authors = names(Filter.exists("books", eq("title", "Lectures")));

        assertThat(books).containsExactly("Notes");
        assertThat(byVisits).containsExactly("Notes", "Lectures");
        assertThat(authors).containsExactly("bob");
    }

    @Test
    void refusesAPathIntoAnAttributeThatIsNotJson() {
        assertThatThrownBy(() -> names(eq("name.first", "a")))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("'name.first' on json_author looks inside 'name'")
                .hasMessageContaining("only a JSON attribute has keys to follow");
    }

    @Test
    void refusesAnEmptyKey() {
        assertThatThrownBy(() -> names(eq("bio..title", "Dr.")))
                .isInstanceOf(QueryException.class).hasMessageContaining("'bio..title' on json_author has an empty key");
        assertThatThrownBy(() -> ashlar.read("json_author").sort(Sort.asc("bio.")).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("has an empty key");
    }

    @Test
    void refusesAValueOfATypeNoPathIsComparedAs() {
        assertThatThrownBy(() -> names(eq("bio.title", java.time.YearMonth.of(2024, 1))))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("json_author.bio.title, a path inside JSON: compare it with text, a number, "
                        + "a boolean, a date or time (LocalDate, LocalTime, LocalDateTime, Instant, OffsetDateTime), "
                        + "a UUID or a Duration, not a java.time.YearMonth");
        assertThatThrownBy(() -> names(in("bio.age", List.of(1, "2"))))
                .isInstanceOf(QueryException.class).hasMessageContaining("mix types");
    }

    @Test
    void setsANestedValueWithAnAtomicSqlChange() {
        Row cy = ashlar.read("json_author").where(eq("name", "cy")).first().orElseThrow();

        ashlar.update(cy, Map.of("bio", Atomic.sql("jsonb_set(bio, '{title}', to_jsonb(?::text))", "Prof.")));

        assertThat(db.value("SELECT bio->>'title' FROM json_authors WHERE name = 'cy'")).isEqualTo("Prof.");
        ashlar.update(cy, Map.of("bio", Atomic.sql("jsonb_set(bio, '{title}', 'null')")));
        assertThat(names(isNil("bio.title"))).containsExactly("cy", "dee");
    }
}
