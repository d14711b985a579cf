package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.Read;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

import static dev.ashlar.api.query.Filter.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Keyset cursors made from the values a page saw, from the other tenant's side, under a tenant column and tenant
 * schemas: a listed row carries its sort keys' values, but a row listed in tenant A gives no cursor to a read of tenant
 * B, and A's cursor values — also of a row deleted since — page B only through B's rows.
 */
class KeysetUnderWritesTenancyTest extends DomainDatabaseTest {
    private static final Comparator<Row> BY_PARITY = Comparator.<Row>comparingInt(row -> -parity(row))
            .thenComparingInt(row -> (Integer) row.get("id"));

    KeysetUnderWritesTenancyTest() {
        super(TaskBoard.DOMAIN, TaskBoard.tenancy());
    }

    @BeforeEach
    void tasks() {
        db.execute("TRUNCATE board_tasks");
        for (int i = 1; i <= 8; i++) {
            TaskBoard.task(ashlar, "acme", "acme " + i, i);
            TaskBoard.task(ashlar, "globex", "globex " + i, i);
        }
    }

    private static int parity(Row row) {
        return (Integer) row.get("priority") % 2;
    }

    private static Read byParity(Read read) {
        return read.sort(Sort.descBy(sql("priority % ?", 2))).limit(3);
    }

    private static List<Object> ids(List<Row> rows) {
        return rows.stream().map(row -> row.get("id")).toList();
    }

    /** The rows of the tenant's whole read that sort after the row, as the cursor's values say. */
    private static List<Object> after(Read read, Row row) {
        return ids(read.limit(100).list().stream().filter(other -> BY_PARITY.compare(other, row) > 0).toList());
    }

    @Test
    void aRowListedInATenantColumnGivesNoCursorInAnotherTenantThoughItCarriesItsSeenValues() {
        refusesTheOtherTenantsRowAndPagesItsCursorOnlyThroughTheReadersRows(ashlar, tenant -> tenant);
    }

    @Test
    void aRowListedInATenantSchemaGivesNoCursorInAnotherTenantThoughItCarriesItsSeenValues() {
        for (String tenant : List.of("keyset_a", "keyset_b")) {
            db.execute("DROP SCHEMA IF EXISTS " + tenant + " CASCADE; CREATE SCHEMA " + tenant + "; CREATE TABLE "
                    + tenant + ".board_tasks (LIKE public.board_tasks INCLUDING ALL)");
            db.execute("INSERT INTO " + tenant + ".board_tasks (title, priority, tenant) SELECT '" + tenant
                    + " ' || i, i, '" + tenant + "' FROM generate_series(1, 8) AS i");
        }
        try (Ashlar schemas = Fixtures.ashlar(db, TaskBoard.DOMAIN, OneResourceTenancy.schemas("task"))) {
            refusesTheOtherTenantsRowAndPagesItsCursorOnlyThroughTheReadersRows(schemas,
                    tenant -> tenant.equals("acme") ? "keyset_a" : "keyset_b");
        }
    }

    private void refusesTheOtherTenantsRowAndPagesItsCursorOnlyThroughTheReadersRows(Ashlar ashlar,
                                                                                     Function<String, String> named) {
        String acme = named.apply("acme");
        String globex = named.apply("globex");
        Read acmeRead = byParity(ashlar.withTenant(acme).read("task"));
        Read globexRead = byParity(ashlar.withTenant(globex).read("task"));
        Row acmeRow = acmeRead.list().get(2);
        List<Object> acmeAfter = after(acmeRead, acmeRow);
        List<Object> globexAfter = after(globexRead, acmeRow);
        db.execute("DELETE FROM " + (acme.equals("acme") ? "" : acme + ".") + "board_tasks WHERE id = "
                + acmeRow.get("id"));

        Object[] acmeCursor = acmeRead.cursor(acmeRow);

        assertThatThrownBy(() -> globexRead.cursor(acmeRow)).isInstanceOf(QueryException.class)
                .hasMessageContaining("belongs to tenant");
        assertThat(ids(acmeRead.limit(100).after(acmeCursor).list())).isEqualTo(acmeAfter).isNotEmpty();
        List<Row> globexPage = globexRead.limit(100).after(acmeCursor).list();
        assertThat(globexPage).extracting(row -> row.get("tenant")).containsOnly(globex);
        assertThat(ids(globexPage)).isEqualTo(globexAfter);
        assertThat(ids(globexRead.limit(100).list())).hasSize(8);
    }
}
