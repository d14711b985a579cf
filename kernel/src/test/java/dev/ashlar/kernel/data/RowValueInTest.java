package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;
import dev.ashlar.api.typed.Condition;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.TypedRead;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
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

    enum State { HELD, SENT }

    private static final Resource PARCEL = Resource.builder("parcel").table("row_parcels").integerPrimaryKey("id")
            .attribute("state", Type.enumOf(State.class)).attribute("zone", Type.enumOf("n", "s"))
            .attribute("day", Type.DATE).build();

    private static final Domain DOMAIN = Domain.builder("rows").resources(Line.RESOURCE, PARCEL).build();

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
    void aJavaEnumATextEnumAndADateAreComparedAsTheirColumnsTypesAndAnUnknownLabelIsRefusedNamingTheField() {
        db.execute("TRUNCATE row_parcels RESTART IDENTITY");
        db.execute("INSERT INTO row_parcels (state, zone, day) VALUES ('HELD', 'n', '2026-12-01'), "
                + "('SENT', 'n', '2026-12-01'), ('SENT', 's', '2026-12-02'), ('HELD', 's', '2026-12-02')");
        List<String> fields = List.of("state", "zone", "day");

        List<Row> kept = ashlar.read("parcel").where(rowIn(fields, List.of(
                List.of(State.SENT, "n", LocalDate.of(2026, 12, 1)), List.of("HELD", "s", LocalDate.of(2026, 12, 2)),
                List.of(State.HELD, "n", LocalDate.of(2026, 12, 2))))).list();

        assertThat(ids(kept)).containsExactly(2, 4);
        assertThatThrownBy(() -> ashlar.read("parcel").where(rowIn(fields, List.of(List.of("LOST", "n",
                LocalDate.of(2026, 12, 1))))).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("state");
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

    @Test
    void underSchemaTenancyATenantsRowInReadsUpdatesAndDestroysOnlyItsOwnSchemasRows() {
        db.execute("DROP SCHEMA IF EXISTS rows_a CASCADE; DROP SCHEMA IF EXISTS rows_b CASCADE; "
                + "CREATE SCHEMA rows_a; CREATE SCHEMA rows_b; "
                + "CREATE TABLE rows_a.row_lines (LIKE public.row_lines INCLUDING ALL); "
                + "CREATE TABLE rows_b.row_lines (LIKE public.row_lines INCLUDING ALL); "
                + "INSERT INTO rows_a.row_lines (customer_id, code, quantity) VALUES (1, 'a', 1), (2, 'b', 1); "
                + "INSERT INTO rows_b.row_lines (customer_id, code, quantity) VALUES (1, 'a', 5), (3, 'c', 5)");
        List<List<?>> rows = List.of(List.of(1, "a"), List.of(3, "c"));

        try (Ashlar tenants = Fixtures.ashlar(db, DOMAIN, OneResourceTenancy.schemas("line"))) {
            Ashlar attacker = tenants.withTenant("rows_a");
            assertThat(attacker.read("line").where(rowIn(List.of("customer_id", "code"), rows)).values("quantity",
                    Integer.class)).containsExactly(1);
            assertThat(attacker.read(Line.LINES).where(Condition.rowIn(List.of(Line.CUSTOMER, Line.CODE), rows))
                    .count()).isEqualTo(1L);
            attacker.read("line").where(rowIn(List.of("customer_id", "code"), rows)).updateAll(Map.of("quantity", 9));
            assertThat(attacker.read("line").where(rowIn(List.of("customer_id", "code"), List.of(List.of(3, "c"))))
                    .destroyAll()).isZero();
        }

        assertThat(db.value("SELECT string_agg(customer_id || code || quantity, ',' ORDER BY id) FROM rows_b.row_lines"))
                .isEqualTo("1a5,3c5");
        assertThat(db.value("SELECT string_agg(customer_id || code || quantity, ',' ORDER BY id) FROM rows_a.row_lines"))
                .isEqualTo("1a9,2b1");
    }

    @Test
    void underColumnTenancyATenantsRowInReadsUpdatesAndDestroysOnlyTheRowsHoldingItsName() {
        Resource shared = Resource.builder("shared_line").table("row_shared_lines").integerPrimaryKey("id")
                .attribute("tenant", Type.TEXT).attribute("customer_id", Type.INTEGER).attribute("code", Type.TEXT)
                .attribute("quantity", Type.INTEGER).build();
        Domain domain = Domain.builder("shared_rows").resources(shared).build();
        List<List<?>> rows = List.of(List.of(1, "a"), List.of(3, "c"));

        try (Ashlar tenants = Fixtures.ashlar(db, domain, OneResourceTenancy.column("shared_line", "tenant", false))) {
            db.execute("INSERT INTO row_shared_lines (tenant, customer_id, code, quantity) VALUES ('acme', 1, 'a', 1), "
                    + "('acme', 2, 'b', 1), ('globex', 1, 'a', 5), ('globex', 3, 'c', 5)");
            Ashlar attacker = tenants.withTenant("acme");
            assertThat(attacker.read("shared_line").where(rowIn(List.of("customer_id", "code"), rows))
                    .values("quantity", Integer.class)).containsExactly(1);
            assertThat(attacker.read("shared_line").where(rowIn(List.of("tenant", "code"), List.of(
                    List.of("globex", "a"), List.of("globex", "c")))).count()).isZero();
            attacker.read("shared_line").where(rowIn(List.of("customer_id", "code"), rows))
                    .updateAll(Map.of("quantity", 9));
            assertThat(attacker.read("shared_line").where(rowIn(List.of("customer_id", "code"),
                    List.of(List.of(3, "c")))).destroyAll()).isZero();
        }

        assertThat(db.value("SELECT string_agg(tenant || customer_id || code || quantity, ',' ORDER BY id) "
                + "FROM row_shared_lines")).isEqualTo("acme1a9,acme2b1,globex1a5,globex3c5");
    }
}
