package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Condition;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.kernel.TypedRead;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.not;
import static dev.ashlar.api.query.Filter.rowIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A row-value {@code IN} ({@code rowIn(fields, rows)}; jOOQ's {@code row(a, b).in(...)}, restated on PostgreSQL):
 * the fields taken together are one of the rows, typed and by name, in reads, counts and writes by filter, with
 * PostgreSQL's own null semantics and every value bound.
 */
class RowValueInTest extends DomainDatabaseTest {
    record Line(Integer id, Integer customerId, String code, Integer quantity) {
        static final Table<Line> LINES = Table.of("line", Line.class);
        static final Field<Line, Integer> ID = LINES.integerPrimaryKey("id");
        static final Field<Line, Integer> CUSTOMER = LINES.attribute("customer_id", Kind.INTEGER);
        static final TextField<Line> CODE = LINES.attribute("code", Kind.TEXT);
        static final Field<Line, Integer> QUANTITY = LINES.attribute("quantity", Kind.INTEGER);
        static final Resource RESOURCE = LINES.builder().table("row_lines").add(ID, CUSTOMER, CODE, QUANTITY).build();
    }

    private static final Domain DOMAIN = Domain.builder("rows").resource(Line.RESOURCE).build();

    RowValueInTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void populated() {
        db.execute("TRUNCATE row_lines RESTART IDENTITY");
        // (1,a) (1,b) (2,a) (2,b) (3,a) (3,b), then (4,null) and (null,a).
        db.execute("INSERT INTO row_lines (customer_id, code, quantity) SELECT c, k, 1 FROM generate_series(1, 3) c, "
                + "unnest(ARRAY['a', 'b']) k ORDER BY c, k");
        db.execute("INSERT INTO row_lines (customer_id, code, quantity) VALUES (4, NULL, 1), (NULL, 'a', 1)");
    }

    private static List<Object> ids(List<Row> rows) {
        return rows.stream().map(r -> r.get("id")).sorted().toList();
    }

    private List<Object> byHand(String where) {
        return db.query("SELECT id FROM row_lines WHERE " + where + " ORDER BY id").stream().map(r -> r.get("id"))
                .toList();
    }

    @Test
    void theRecordsWhoseFieldsTogetherAreOneOfTheRowsAreKeptByNameAndTyped() {
        List<List<?>> rows = List.of(List.of(1, "b"), List.of(2, "a"), List.of(3, "c"));

        List<Row> byName = ashlar.read("line").where(rowIn(List.of("customer_id", "code"), rows)).list();
        TypedRead<Line> typed = ashlar.read(Line.LINES).where(Condition.rowIn(List.of(Line.CUSTOMER, Line.CODE), rows));

        assertThat(ids(byName)).containsExactly(2, 3).isEqualTo(byHand("(customer_id, code) IN ((1, 'b'), (2, 'a'), "
                + "(3, 'c'))"));
        assertThat(typed.list()).extracting(Line::id).containsExactly(2, 3);
        assertThat(typed.count()).isEqualTo(2L);
        assertThat(ashlar.read("line").where(rowIn(List.of("code", "customer_id"), List.of(List.of("b", 1)))).count())
                .isEqualTo(1L);
    }

    @Test
    void nullsCompareAsPostgresComparesRowsAndUnderNotToo() {
        List<List<?>> rows = List.of(Arrays.asList(4, null), Arrays.asList(null, "a"), List.of(1, "a"));
        Filter filter = rowIn(List.of("customer_id", "code"), rows);
        String literal = "(customer_id, code) IN ((4, NULL), (NULL, 'a'), (1, 'a'))";

        assertThat(ids(ashlar.read("line").where(filter).list())).isEqualTo(byHand(literal)).containsExactly(1);
        assertThat(ids(ashlar.read("line").where(not(filter)).list())).isEqualTo(byHand("NOT " + literal))
                .containsExactly(2, 4, 6);
    }

    @Test
    void aHundredThousandRowsAreOneStatementWithEveryValueBoundAsOneArrayPerField() {
        List<List<?>> rows = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            rows.add(List.of(i % 3 == 0 ? 2 : 1000 + i, i % 2 == 0 ? "b" : "z" + i));
        }

        assertThat(ids(ashlar.read("line").where(rowIn(List.of("customer_id", "code"), rows)).list()))
                .containsExactly(4);
    }

    @Test
    void updateAllAndDestroyAllByFilterReachTheRecordsOfTheRows() {
        Filter rows = rowIn(List.of("customer_id", "code"), List.of(List.of(1, "a"), List.of(3, "b")));

        List<Row> updated = ashlar.read("line").where(rows).updateAll(Map.of("quantity", 9));
        int destroyed = ashlar.read("line").where(rowIn(List.of("customer_id", "code"), List.of(List.of(2, "b"))))
                .destroyAll();

        assertThat(ids(updated)).containsExactly(1, 6);
        assertThat(byHand("quantity = 9")).containsExactly(1, 6);
        assertThat(destroyed).isEqualTo(1);
        assertThat(byHand("customer_id = 2")).containsExactly(3);
    }

    @Test
    void aRowOfAnotherArityOrAValueOfTheWrongTypeIsRefusedNamingTheField() {
        assertThatThrownBy(() -> rowIn(List.of("customer_id", "code"), List.of(List.of(1, "a"), List.of(2))))
                .isInstanceOf(QueryException.class).hasMessageContaining("Row 2 of rowIn([customer_id, code], ...) "
                        + "has 1 value [2], but the fields are 2");
        assertThatThrownBy(() -> ashlar.read("line").where(rowIn(List.of("customer_id", "code"),
                List.of(List.of("one", "a")))).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("line.customer_id");
        assertThatThrownBy(() -> ashlar.read("line").where(rowIn(List.of("customer_id", "sku"),
                List.of(List.of(1, "a")))).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("sku");
        assertThatThrownBy(() -> rowIn(List.of("code", "code"), List.of()))
                .isInstanceOf(QueryException.class).hasMessageContaining("names a field twice");
        assertThat(db.value("SELECT count(*) FROM row_lines")).isEqualTo(8L);
    }
}
