package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Condition;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.ListField;
import dev.ashlar.api.typed.Table;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.sql;
import static dev.ashlar.api.resource.Type.DATE;
import static dev.ashlar.api.resource.Type.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A list given for one {@code ?} of a filter's SQL is bound as one PostgreSQL array of its elements' type
 * ({@code Filter.sql("tags && ?", List.of("a", "b"))}, jOOQ's and Ebean's array binds), by name and typed, under a
 * tenant column: the other tenant's matching rows are never read.
 */
class SqlListBindTest extends DomainDatabaseTest {
    record Note(Integer id, String tenant, List<String> tags, List<Integer> scores) {
        static final Table<Note> NOTES = Table.of("note", Note.class);
        static final Field<Note, Integer> ID = NOTES.integerPrimaryKey("id");
        static final Field<Note, String> TENANT = NOTES.attribute("tenant", Kind.TEXT);
        static final ListField<Note, String> TAGS = NOTES.attribute("tags", Kind.arrayOf(Kind.TEXT));
        static final ListField<Note, Integer> SCORES = NOTES.attribute("scores", Kind.arrayOf(Kind.INTEGER));
    }

    private static final Resource NOTE = Note.NOTES.builder().table("sqllist_notes")
            .add(Note.ID, Note.TENANT, Note.TAGS, Note.SCORES).attribute("day", DATE).attribute("data", JSON).build();

    SqlListBindTest() {
        super(Domain.builder("sqllist").resource(NOTE).build(), OneResourceTenancy.column("note", "tenant", true));
    }

    @BeforeAll
    void seed() {
        note("acme", List.of("java", "sql"), List.of(1, 2), LocalDate.of(2025, 1, 1));
        note("acme", List.of("go"), List.of(3), LocalDate.of(2025, 2, 1));
        note("acme", List.of(), List.of(), LocalDate.of(2025, 3, 1));
        note("globex", List.of("java", "sql"), List.of(1, 2), LocalDate.of(2025, 1, 1));
    }

    private void note(String tenant, List<String> tags, List<Integer> scores, LocalDate day) {
        Map<String, Object> values = new HashMap<>();
        values.put("tags", tags);
        values.put("scores", scores);
        values.put("day", day);
        ashlar.withTenant(tenant).create("note", values);
    }

    private List<Object> acme(Filter filter) {
        return ashlar.withTenant("acme").read("note").where(filter).sort(Sort.asc("id")).list().stream()
                .map(r -> r.get("id")).toList();
    }

    private List<Object> byHand(String where) {
        return db.query("SELECT id FROM sqllist_notes WHERE tenant = 'acme' AND " + where + " ORDER BY id").stream()
                .map(r -> r.get("id")).toList();
    }

    @Test
    void aListBindsOneMarkAsAnArrayOfItsElementsType() {
        assertThat(acme(sql("tags && ?", List.of("sql", "go")))).containsExactly(1, 2)
                .isEqualTo(byHand("tags && ARRAY['sql', 'go']"));
        assertThat(acme(sql("scores @> ?", List.of(2, 1)))).containsExactly(1);
        assertThat(acme(sql("day = ANY(?)", List.of(LocalDate.of(2025, 2, 1), LocalDate.of(2025, 3, 1)))))
                .containsExactly(2, 3).isEqualTo(byHand("day IN ('2025-02-01', '2025-03-01')"));
        assertThat(acme(sql("cardinality(tags) = ? AND tags <@ ?", 1, List.of("go", "rust")))).containsExactly(2);
    }

    @Test
    void theTypedConditionBindsAListTheSameWay() {
        List<Note> notes = ashlar.withTenant("acme").read(Note.NOTES)
                .where(Condition.sql(Note.NOTES, "tags && ?", List.of("java"))).list();

        assertThat(notes).extracting(Note::id).containsExactly(1);
        assertThat(notes.get(0).tags()).containsExactly("java", "sql");
    }

    @Test
    void anEmptyListOrOneOfNullsTakesTheArrayTypeOfItsPlaceOrOfACast() {
        assertThat(acme(sql("tags && ?", List.of()))).isEmpty();
        assertThat(acme(sql("tags <@ ?", List.of()))).containsExactly(3).isEqualTo(byHand("tags <@ '{}'"));
        assertThat(acme(sql("cardinality(?::text[]) = 0", List.of()))).containsExactly(1, 2, 3);
        assertThat(acme(sql("tags && ?", Arrays.asList(null, null)))).isEmpty();
        assertThat(acme(sql("tags && ?", Arrays.asList("go", null)))).containsExactly(2);
    }

    @Test
    void theOtherTenantsRowsAreNotReadThoughTheListMatchesThem() {
        List<Row> acme = ashlar.withTenant("acme").read("note").where(sql("tags @> ?", List.of("java", "sql"))).list();
        List<Row> globex = ashlar.withTenant("globex").read("note").where(sql("tags @> ?", List.of("java", "sql")))
                .list();

        assertThat(acme).extracting(r -> r.get("tenant")).containsExactly("acme");
        assertThat(globex).extracting(r -> r.get("tenant")).containsExactly("globex");
        assertThat(ashlar.withTenant("globex").read("note").where(sql("tags && ?", List.of("go"))).count()).isZero();
    }

    @Test
    void aListOfMixedTypesIsRefusedNamingTheResource() {
        assertThatThrownBy(() -> acme(sql("scores && ?", List.of(1, 2L))))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("Value 1 of sql(\"scores && ?\", ...) on note")
                .hasMessageContaining("mixing").hasMessageContaining("give values of one type");
    }

    @Test
    void aNestedListOrAMapInsideIsRefused() {
        assertThatThrownBy(() -> acme(sql("tags && ?", List.of(List.of("a")))))
                .isInstanceOf(QueryException.class).hasMessageContaining("on note")
                .hasMessageContaining("one dimension");
        assertThatThrownBy(() -> acme(sql("tags && ?", List.of(Map.of("a", 1)))))
                .isInstanceOf(QueryException.class).hasMessageContaining("on note")
                .hasMessageContaining("one dimension");
    }

    @Test
    void aListWhoseMarkIsCastToJsonIsRefusedAsAmbiguous() {
        assertThatThrownBy(() -> acme(sql("data @> ?::jsonb", List.of("a", "b"))))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("Value 1 of sql(\"data @> ?::jsonb\", ...) on note")
                .hasMessageContaining("cast to JSON").hasMessageContaining("give the JSON as its text");
        // Empty, the list's literal {} would be read as an empty JSON object, which every object contains.
        assertThatThrownBy(() -> acme(sql("data @> CAST(? AS jsonb)", List.of())))
                .isInstanceOf(QueryException.class).hasMessageContaining("cast to JSON");
        assertThatThrownBy(() -> acme(sql("data @> ? :: JSON", List.of())))
                .isInstanceOf(QueryException.class).hasMessageContaining("cast to JSON");
        assertThat(acme(sql("cardinality(?::jsonb[]) = 1", List.of("{\"a\": 1}")))).containsExactly(1, 2, 3);
        assertThat(acme(sql("cardinality(? :: jsonb []) = 0", List.of()))).containsExactly(1, 2, 3);
    }
}
