package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.in;
import static dev.ashlar.api.query.Filter.isNil;
import static dev.ashlar.api.query.Filter.notNil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the statement caches of Hibernate, jOOQ and Jdbi rest on, and JSON's null beside SQL's: one read shape is one
 * SQL text whatever its values, so the driver prepares it once on the server and runs it again by name; a JSON
 * attribute keeps a JSON {@code null} apart from a missing value.
 */
class StatementReuseTest extends BlogDatabaseTest {

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE scalar_sample");
    }

    @Test
    void aReadOfOneShapeRunWithManyValuesIsPreparedOnceOnTheServerAndReusedByName() {
        List<String> prepared = ashlar.transaction(tx -> {
            // One connection for every run: the driver prepares one SQL text on the server from its fifth run on.
            for (int i = 0; i < 12; i++) {
                tx.read("scalar_sample").where(eq("i", i)).list();
                tx.read("scalar_sample").where(in("i", List.of(i, i + 1, i + 2).subList(0, 1 + i % 3))).list();
            }
            return tx.sql("SELECT statement FROM pg_prepared_statements WHERE statement LIKE ?",
                    "%scalar_sample%").values(String.class);
        });

        // Two shapes, two statements: the values, and how many an in(...) list holds, change no SQL text.
        assertThat(prepared).hasSize(2);
        assertThat(prepared).anySatisfy(sql -> assertThat(sql).contains("\"i\" = $1"));
        assertThat(prepared).anySatisfy(sql -> assertThat(sql).contains("\"i\" = ANY($1)"));
    }

    @Test
    void aJsonNullIsStoredAndReadApartFromAMissingValueAndANullInsideAnObjectIsKept() {
        Map<String, Object> missing = new HashMap<>();
        missing.put("i", 1);
        missing.put("doc", null);
        Map<String, Object> inner = new HashMap<>();
        inner.put("k", null);
        ashlar.create("scalar_sample", missing);
        ashlar.create("scalar_sample", Map.of("i", 2, "doc", "null"));
        ashlar.create("scalar_sample", Map.of("i", 3, "doc", inner));

        assertThat(db.value("SELECT string_agg(i || ':' || coalesce(jsonb_typeof(doc), 'SQL NULL'), ' ' ORDER BY i) "
                + "FROM scalar_sample")).isEqualTo("1:SQL NULL 2:null 3:object");
        assertThat(db.value("SELECT doc -> 'k' = 'null'::jsonb FROM scalar_sample WHERE i = 3")).isEqualTo(true);
        Row jsonNull = ashlar.read("scalar_sample").where(eq("i", 2)).first().orElseThrow();
        assertThat(jsonNull.get("doc")).isEqualTo("null");
        assertThat(ashlar.read("scalar_sample").where(eq("i", 1)).first().orElseThrow().get("doc")).isNull();
        assertThat(ashlar.read("scalar_sample").where(isNil("doc")).list()).extracting(r -> r.get("i"))
                .containsExactly(1);
        assertThat(ashlar.read("scalar_sample").where(notNil("doc")).list()).extracting(r -> r.get("i"))
                .containsExactlyInAnyOrder(2, 3);
    }
}
