package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.kernel.Ashlar;
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

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.typed.Kind.JSON;
import static dev.ashlar.api.typed.Kind.TEXT;
import static dev.ashlar.api.typed.Kind.jsonOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Embedded records: a JSON attribute written from a Java record and read back onto it, Ash's embedded resources. */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JsonRecordsTest {
    record Bio(String title, int age) {
    }

    @SuppressWarnings("rawtypes")
    record Writer(Integer id, String name, Bio bio, Map extras, List past, String notes) {
        static final Table<Writer> WRITERS = Table.of("json_writer", Writer.class);
        static final Field<Writer, Integer> ID = WRITERS.integerPrimaryKey("id");
        static final TextField<Writer> NAME = WRITERS.attribute("name", TEXT);
        static final Field<Writer, Bio> BIO = WRITERS.attribute("bio", jsonOf(Bio.class));
        static final Field<Writer, Map> EXTRAS = WRITERS.attribute("extras", jsonOf(Map.class));
        static final Field<Writer, List> PAST = WRITERS.attribute("past", jsonOf(List.class));
        static final Field<Writer, String> NOTES = WRITERS.attribute("notes", JSON);
        static final Resource RESOURCE = WRITERS.builder().table("json_writers")
                .add(ID, NAME, BIO, EXTRAS, PAST, NOTES).build();
    }

    /** The string API's view of the same rows: components typed as the embedded values, the notes as text. */
    record Profile(Integer id, Bio bio, Map<String, Integer> extras, List<Bio> past, String notes) {
    }

    private Ashlar ashlar;
    private TestDatabase db;

    @BeforeAll
    void start(TestDatabase db) {
        this.db = db;
        ashlar = Fixtures.ashlar(db, Domain.builder("json_records").resource(Writer.RESOURCE).build());
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE json_writers RESTART IDENTITY");
    }

    @AfterAll
    void stop() {
        ashlar.close();
    }

    @Test
    void writesAnEmbeddedRecordAsAJsonObject() {
        ashlar.create(Writer.WRITERS, new Writer(null, "ada", new Bio("Dr.", 36), Map.of("books", 3),
                List.of(new Bio("Student", 18)), null));

        assertThat(db.value("SELECT bio = '{\"title\": \"Dr.\", \"age\": 36}'::jsonb FROM json_writers"))
                .isEqualTo(true);
        assertThat(db.value("SELECT past->0->>'title' FROM json_writers")).isEqualTo("Student");
        assertThat(db.value("SELECT extras->>'books' FROM json_writers")).isEqualTo("3");
    }

    @Test
    void readsStoredJsonBackOntoTheEmbeddedRecord() {
        db.execute("INSERT INTO json_writers (name, bio, extras, notes) VALUES ('bob', "
                + "'{\"title\": \"Prof.\", \"age\": 70, \"unknown\": 1}', '{\"books\": 12}', '{\"a\": 1}')");

        Writer bob = ashlar.read(Writer.WRITERS).list().get(0);

        assertThat(bob.bio()).isEqualTo(new Bio("Prof.", 70));
        assertThat((Object) bob.extras()).isEqualTo(Map.of("books", 12));
        assertThat((Object) bob.past()).isNull();
    }

    @Test
    void aStoredJsonNullReadsAsANullRecordAndJsonThatDoesNotFitNamesTheComponent() {
        db.execute("INSERT INTO json_writers (name, bio, extras) VALUES ('nil', 'null', '[1, 2]')");

        assertThat(ashlar.read("json_writer").where(eq("name", "nil")).list()).singleElement()
                .satisfies(row -> assertThat(row.as(BioOnly.class).bio()).isNull());
        assertThatThrownBy(() -> ashlar.read("json_writer").where(eq("name", "nil")).list(ExtrasOnly.class))
                .isInstanceOf(QueryException.class).hasMessageContaining("component 'extras'");
    }

    record BioOnly(String name, Bio bio) {
    }

    record ExtrasOnly(String name, Map<String, Object> extras) {
    }

    @Test
    void filtersAndSortsTypedFieldsOnAPathInsideJson() {
        ashlar.create(Writer.WRITERS, new Writer(null, "ada", new Bio("Dr.", 36), null, null, null));
        ashlar.create(Writer.WRITERS, new Writer(null, "bob", new Bio("Prof.", 70), null, null, null));

        List<String> doctors = ashlar.read(Writer.WRITERS).where(Writer.BIO.path("title").eq("Dr.")).list().stream()
                .map(Writer::name).toList();
        List<String> byAge = ashlar.read(Writer.WRITERS).sort(Writer.BIO.path("age").desc()).list().stream()
                .map(Writer::name).toList();
        List<String> same = ashlar.read(Writer.WRITERS).where(Writer.BIO.eq(new Bio("Prof.", 70))).list().stream()
                .map(Writer::name).toList();

        assertThat(doctors).containsExactly("ada");
        assertThat(byAge).containsExactly("bob", "ada");
        assertThat(same).containsExactly("bob");
    }

    @Test
    void aTypedPathLooksForAnElementOfAJsonArrayAndMatchesTextAtAPath() {
        ashlar.create(Writer.WRITERS, new Writer(null, "ada", new Bio("Dr.", 36), Map.of("reminders",
                List.of("email", "sms")), null, null));
        ashlar.create(Writer.WRITERS, new Writer(null, "bob", new Bio("Prof.", 70), Map.of("reminders",
                List.of("emails")), null, null));

        assertThat(ashlar.read(Writer.WRITERS).where(Writer.EXTRAS.path("reminders").contains("email")).list())
                .extracting(Writer::name).containsExactly("ada");
        assertThat(ashlar.read(Writer.WRITERS).where(Writer.BIO.path("title").ilike("pr%")).list())
                .extracting(Writer::name).containsExactly("bob");
        assertThat(ashlar.read(Writer.WRITERS).where(Writer.BIO.path("title").like("D%")).list())
                .extracting(Writer::name).containsExactly("ada");
    }

    @Test
    void mapsJsonOntoRecordsMapsAndGenericListsThroughTheStringApi() {
        db.execute("INSERT INTO json_writers (name, bio, extras, past, notes) VALUES ('cy', "
                + "'{\"title\": \"Ms.\", \"age\": 5}', '{\"books\": 1}', '[{\"title\": \"Kid\", \"age\": 1}]', "
                + "'{\"kept\": \"as text\"}')");

        Row row = ashlar.read("json_writer").where(eq("name", "cy")).first().orElseThrow();
        Profile profile = row.as(Profile.class);

        assertThat(profile.bio()).isEqualTo(new Bio("Ms.", 5));
        assertThat(profile.extras()).isEqualTo(Map.of("books", 1));
        assertThat(profile.past()).containsExactly(new Bio("Kid", 1));
        assertThat(profile.notes()).isEqualTo("{\"kept\": \"as text\"}");
        assertThat(row.get("bio", Bio.class)).isEqualTo(new Bio("Ms.", 5));
        assertThat(row.getJson("bio")).isEqualTo("{\"age\": 5, \"title\": \"Ms.\"}");
    }

    @Test
    void refusesJsonThatDoesNotFitTheRecordNamingIt() {
        db.execute("INSERT INTO json_writers (name, bio) VALUES ('dee', '{\"title\": \"Dr.\", \"age\": \"old\"}')");

        assertThatThrownBy(() -> ashlar.read(Writer.WRITERS).list())
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("cannot be read as " + Bio.class.getTypeName());
    }

    @Test
    void refusesAPathInsideAFieldThatIsNotJson() {
        assertThatThrownBy(() -> Writer.NAME.path("first"))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("path(...) follows keys inside a JSON field");
        assertThatThrownBy(() -> Writer.BIO.path("a.b"))
                .isInstanceOf(QueryException.class).hasMessageContaining("neither empty nor dotted");
    }
}
