package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.JSON;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reads of a stored row asked for what it cannot give: an Ashlar error naming the resource and the field. */
class HostileValuesProbeTest extends DomainDatabaseTest {
    record Note(String title, int pages) { }

    HostileValuesProbeTest() {
        super(Domain.builder("probe").resource(Resource.builder("note").table("probe_notes").primaryKey("id")
                .attribute("title", TEXT).attribute("doc", JSON).build()).build());
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE probe_notes");
    }

    @Test
    void aPositionPastTheRowsFieldsIsAQueryExceptionNamingTheResourceAndThePositionsItHas() {
        Row row = ashlar.create("note", Map.of("title", "a"));

        for (int position : new int[] {-1, row.fields().size(), 999}) {
            assertThatThrownBy(() -> row.get(position)).isInstanceOfSatisfying(QueryException.class, e -> {
                assertThat(e.resource()).contains("note");
                assertThat(e.getMessage()).contains("has no field at position " + position)
                        .contains("positions 0 to " + (row.fields().size() - 1)).contains("get(name)");
            });
        }
        assertThat(row.get(row.fields().indexOf("title"))).isEqualTo("a");
    }

    @Test
    void textOrJsonThatCannotBeReadAsTheListOrRecordAskedForNamesTheResourceAndTheField() {
        Row row = ashlar.create("note", Map.of("title", "not json", "doc", Map.of("title", "t", "pages", "many")));

        assertThatThrownBy(() -> row.getList("title", String.class)).isInstanceOfSatisfying(QueryException.class, e -> {
            assertThat(e.resource()).contains("note");
            assertThat(e.field()).contains("title");
            assertThat(e.getMessage()).startsWith("Field 'title' of note cannot be read as List: The JSON not json");
        });
        assertThatThrownBy(() -> row.get("doc", Note.class)).isInstanceOfSatisfying(QueryException.class, e -> {
            assertThat(e.field()).contains("doc");
            assertThat(e.getMessage()).startsWith("Field 'doc' of note cannot be read as Note:").contains("pages");
        });
        assertThat(row.getJson("doc")).contains("\"pages\": \"many\"");
        assertThat(ashlar.read("note").list()).extracting(r -> r.getString("title")).isEqualTo(List.of("not json"));
    }
}
