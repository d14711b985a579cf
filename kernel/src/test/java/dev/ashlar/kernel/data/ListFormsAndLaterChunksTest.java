package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static dev.ashlar.api.resource.Type.BINARY;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.arrayOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * On a populated table: a filter's list reaches the server as {@code = ANY($1)} up to 100 values and as
 * {@code IN (SELECT unnest($1))} past them, as the server's own record of the statement shows; and a bulk create whose
 * records fill several statements, failing in a later one, names that record and stores nothing of the call.
 */
class ListFormsAndLaterChunksTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("list_forms").resource(Resource.builder("item")
                    .table("list_form_items")
                    .integerPrimaryKey("id")
                    .attribute("code", INTEGER)
                    .attribute("label", TEXT)
                    .attribute("tags", arrayOf(BINARY))
                    .identity("unique_label", "label")
                    .build())
            .build();

    ListFormsAndLaterChunksTest() {
        super(DOMAIN);
    }

    /** 3,000 items, code 0 to 2,999, labelled by their code. */
    @BeforeEach
    void items() {
        db.execute("TRUNCATE list_form_items RESTART IDENTITY; INSERT INTO list_form_items (code, label, tags) "
                + "SELECT g, 'stored ' || g, NULL FROM generate_series(0, 2999) g");
    }

    /**
     * The statement of an item read, as the server's pg_stat_activity holds it, read while its cursor is open (its
     * transaction idle between fetches).
     */
    private String statementOnTheServer(List<Integer> codes, List<Object> seen) {
        try (Stream<Row> rows = ashlar.read("item").where(Filter.in("code", codes)).fetchSize(10).stream()) {
            rows.limit(1).forEach(row -> seen.add(row.get("code")));
            return (String) db.value("SELECT query FROM pg_stat_activity WHERE datname = current_database() "
                    + "AND pid <> pg_backend_pid() AND state = 'idle in transaction' "
                    + "AND query LIKE 'SELECT %list_form_items%'");
        }
    }

    @Test
    void aListOfAHundredValuesIsBoundAsAnyAndALongerOneAsAnUnnestedSubquery() {
        List<Integer> hundred = IntStream.range(0, 100).map(i -> i * 7).boxed().toList();
        List<Integer> hundredAndOne = IntStream.range(0, 101).map(i -> i * 7).boxed().toList();
        List<Object> seen = new ArrayList<>();

        String shortForm = statementOnTheServer(hundred, seen);
        String longForm = statementOnTheServer(hundredAndOne, seen);

        assertThat(shortForm).contains("\"code\" = ANY($1").doesNotContain("unnest");
        assertThat(longForm).contains("\"code\" IN (SELECT unnest($1").doesNotContain("ANY(");
        assertThat(seen).allSatisfy(code -> assertThat((Integer) code % 7).isZero());
        assertThat(ashlar.read("item").where(Filter.in("code", hundred)).count()).isEqualTo(100);
        assertThat(ashlar.read("item").where(Filter.in("code", hundredAndOne)).count()).isEqualTo(101);
    }

    /**
     * The INSERT statements a call runs on the items, counted by a statement trigger that fires before each of them
     * (the failing one too) and draws from a sequence, which a rolled-back transaction does not take back.
     */
    private void countInsertStatements() {
        db.execute("DROP SEQUENCE IF EXISTS list_form_inserts; CREATE SEQUENCE list_form_inserts; "
                + "CREATE OR REPLACE FUNCTION list_form_insert_counted() RETURNS trigger LANGUAGE plpgsql AS "
                + "$$ BEGIN PERFORM nextval('list_form_inserts'); RETURN NULL; END $$; "
                + "DROP TRIGGER IF EXISTS list_form_insert_counted ON list_form_items; "
                + "CREATE TRIGGER list_form_insert_counted BEFORE INSERT ON list_form_items "
                + "FOR EACH STATEMENT EXECUTE FUNCTION list_form_insert_counted()");
    }

    private long insertStatements() {
        return (Long) db.value("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM list_form_inserts");
    }

    @Test
    void aBulkCreateFailingInItsThirdStatementNamesTheRecordAndStoresNothingOfTheCall() {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 1; i <= 2_500; i++) {
            // A bytea array attribute is written as VALUES, 1,000 records a statement: record 2,300 is in the third.
            records.add(Map.of("code", 10_000 + i, "label", i == 2_300 ? "stored 42" : "new " + i,
                    "tags", List.of(new byte[]{(byte) i})));
        }
        countInsertStatements();

        assertThatThrownBy(() -> ashlar.createAll("item", records))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors())
                        .anySatisfy(error -> {
                            assertThat(error.field()).isEqualTo("label");
                            assertThat(error.message()).endsWith("(record 2300 of 2500)");
                        }));
        assertThat(insertStatements()).as("the call ran three INSERT statements, the third failing").isEqualTo(3L);
        assertThat(db.value("SELECT count(*) FROM list_form_items")).isEqualTo(3_000L);
        assertThat(db.value("SELECT count(*) FROM list_form_items WHERE tags IS NOT NULL OR code >= 10000"))
                .isEqualTo(0L);
    }
}
