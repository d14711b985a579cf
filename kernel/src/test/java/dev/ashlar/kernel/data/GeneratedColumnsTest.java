package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Values the database fills in, read back from the statement that writes the record (Hibernate's {@code @Generated}
 * and {@code @ColumnDefault}, Ebean's and jOOQ's generated columns): a default and a stored generated column.
 */
class GeneratedColumnsTest extends DomainDatabaseTest {

    GeneratedColumnsTest() {
        super(Domain.builder("generated_columns").resource(Resource.builder("line").table("lines")
                .integerPrimaryKey("id")
                .attribute("quantity", INTEGER, a -> a.notNull())
                .attribute("price", INTEGER, a -> a.notNull())
                .attribute("total", INTEGER,
                        a -> a.migrationType("integer GENERATED ALWAYS AS (quantity * price) STORED"))
                .attribute("state", TEXT, a -> a.notNull().defaultValue("open"))
                .build()).build());
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE lines");
    }

    @Test
    void aStoredGeneratedColumnAndADefaultAreReadBackByEveryWriteThatStoresTheRecord() {
        assertThat(db.value("SELECT attgenerated::text FROM pg_attribute WHERE attrelid = 'lines'::regclass "
                + "AND attname = 'total'")).isEqualTo("s");

        Row created = ashlar.create("line", Map.of("quantity", 3, "price", 5));
        List<Row> many = ashlar.createAll("line", List.of(Map.of("quantity", 2, "price", 7),
                Map.of("quantity", 4, "price", 1)));
        Row updated = ashlar.update(created, Map.of("quantity", 10));
        List<Row> upserted = ashlar.upsert("line", List.of(Map.of("id", many.get(0).get("id"), "quantity", 1,
                "price", 9)), Upsert.onPrimaryKey());

        assertThat(List.of(created.get("total"), many.get(0).get("total"), many.get(1).get("total"),
                updated.get("total"), upserted.get(0).get("total"))).containsExactly(15, 14, 4, 50, 9);
        assertThat(created.get("state")).isEqualTo("open");
        assertThat(many).extracting(row -> row.get("state")).containsExactly("open", "open");
        assertThat(db.query("SELECT total FROM lines ORDER BY id")).extracting(row -> row.get("total"))
                .containsExactly(50, 9, 4);
    }

    @Test
    void aValueGivenForAGeneratedColumnIsRefusedNamingTheFieldAndNothingIsWritten() {
        Row line = ashlar.create("line", Map.of("quantity", 3, "price", 5));

        assertThatThrownBy(() -> ashlar.create("line", Map.of("quantity", 1, "price", 1, "total", 99)))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> {
                    // PostgreSQL 13 reports it as a syntax error (42601) whose detail names the generated column
                    assertThat(e.sqlState().orElseThrow()).isIn("428C9", "42601");
                    assertThat(e.errors()).singleElement().satisfies(error -> {
                        assertThat(error.field()).isEqualTo("total");
                        assertThat(error.column()).isEqualTo("total");
                    });
                })
                .hasMessageContaining("total is computed by the database (GENERATED ALWAYS")
                .hasMessageContaining("leave it out of creates, updates and upserts");
        assertThatThrownBy(() -> ashlar.update(line, Map.of("total", 99)))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(error -> assertThat(error.field()).isEqualTo("total")));
        assertThat(db.query("SELECT quantity, total FROM lines")).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("quantity", 3).containsEntry("total", 15));
    }
}
