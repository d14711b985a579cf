package dev.ashlar.plugins.checks;

import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.MigrationStep;
import dev.ashlar.testing.Catalog;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.ashlar.plugins.checks.Orders.POSITIVE_AMOUNT;
import static dev.ashlar.plugins.checks.Orders.STATUS_VALID;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static dev.ashlar.api.resource.Type.decimal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChecksMigrationTest extends ProjectTest {

    @Test
    void createsTheGuidesChecksUnderTheirNames() {
        project.migrate(Orders.with(POSITIVE_AMOUNT, STATUS_VALID), "create_orders");

        assertThat(project.definition("positive_amount_check")).isEqualTo("CHECK ((amount > 0))");
        assertThat(project.definition("orders_status_valid_check")).isEqualTo(
                "CHECK ((status = ANY (ARRAY['pending'::text, 'active'::text, 'completed'::text])))");
    }

    @Test
    void aChangedExpressionReplacesTheCheckAndDownRestoresThePreviousOneExactly() {
        project.migrate(Orders.with(POSITIVE_AMOUNT), "create_orders");
        List<String> before = Catalog.of(db, "public");

        Codegen.Result result = project.migrate(Orders.with(POSITIVE_AMOUNT.expression("amount >= 10")), "at_least_ten");

        assertThat(result.steps()).extracting(MigrationStep::describe).containsExactly(
                "drop check positive_amount_check on public.orders", "add check positive_amount_check on public.orders",
                "validate check positive_amount_check on public.orders");
        assertThat(project.definition("positive_amount_check")).isEqualTo("CHECK ((amount >= 10))");
        project.migrator().rollback(result.files().size());
        assertThat(Catalog.of(db, "public")).isEqualTo(before);
    }

    @Test
    void aRemovedCheckIsDroppedAndDownBringsItBack() {
        project.migrate(Orders.with(POSITIVE_AMOUNT, STATUS_VALID), "create_orders");
        List<String> before = Catalog.of(db, "public");

        Codegen.Result result = project.migrate(Orders.with(POSITIVE_AMOUNT), "any_status");

        assertThat(result.steps()).extracting(MigrationStep::describe)
                .containsExactly("drop check orders_status_valid_check on public.orders");
        assertThat(Catalog.of(db, "public")).noneMatch(line -> line.contains("status_valid"));
        project.migrator().rollback(1);
        assertThat(Catalog.of(db, "public")).isEqualTo(before);
    }

    @Test
    void aNewMessageChangesNothingInTheDatabase() {
        project.migrate(Orders.with(POSITIVE_AMOUNT), "create_orders");

        assertThat(project.generate(Orders.with(POSITIVE_AMOUNT.message("Must be more than nothing")), "same")
                .changed()).isFalse();
    }

    @Test
    void aTypeChangeOfACheckedAttributeRecreatesTheCheckFromItsOwnText() {
        Check positive = Check.check("positive").expression("amount > 0").attributes("amount");
        project.migrate(Orders.with(decimal(10, 2), positive), "decimal_amounts");

        Codegen.Result result = project.migrate(Orders.with(INTEGER, positive), "whole_amounts");

        assertThat(result.steps()).extracting(s -> s.describe().replaceAll(" \\(.*", "")).containsExactly(
                "drop check orders_positive_check on public.orders", "alter column public.orders.amount",
                "add check orders_positive_check on public.orders", "validate check orders_positive_check on public.orders");
        // Left in place, PostgreSQL would keep its numeric reading of it: ((amount)::numeric > (0)::numeric).
        assertThat(project.definition("orders_positive_check")).isEqualTo("CHECK ((amount > 0))");
    }

    @Test
    void anAttributeRenamedOverTheSameColumnLeavesItsCheckAlone() {
        Check positive = Check.check("positive").expression("amount > 0").attributes("amount");
        project.migrate(Orders.with(positive), "create_orders");
        Check renamed = Check.check("positive").expression("amount > 0").attributes("total");
        Resource order = Resource.builder("order").table("orders").integerPrimaryKey("id")
                .attribute("total", INTEGER, a -> a.column("amount")).attribute("status", TEXT)
                .with(CheckConstraints.of(renamed)).build();

        Codegen.Result result = project.generate(Domain.builder("shop").resource(order).build(), "rename_amount");

        assertThat(result.steps()).isEmpty();
        assertThat(project.definition("orders_positive_check")).isEqualTo("CHECK ((amount > 0))");
    }

    @Test
    void aRenamedCheckIsRenamedInPlaceWithoutDroppingItOrCheckingTheRowsAgain() throws Exception {
        project.migrate(Orders.with(POSITIVE_AMOUNT), "create_orders");
        db.execute("INSERT INTO orders (amount) VALUES (5)");
        List<String> before = Catalog.of(db, "public");

        Codegen.Result result = project.migrate(Orders.with(POSITIVE_AMOUNT.name("orders_amount_positive")), "rename");

        assertThat(result.steps()).extracting(MigrationStep::describe)
                .containsExactly("rename check positive_amount_check on public.orders to orders_amount_positive");
        assertThat(java.nio.file.Files.readString(result.files().get(0))).contains("ALTER TABLE \"public\".\"orders\" "
                + "RENAME CONSTRAINT \"positive_amount_check\" TO \"orders_amount_positive\";");
        assertThat(project.definition("orders_amount_positive")).isEqualTo("CHECK ((amount > 0))");
        assertThat(db.value("SELECT count(*) FROM pg_constraint WHERE conname = 'positive_amount_check'")).isEqualTo(0L);
        assertThatThrownBy(() -> db.execute("INSERT INTO orders (amount) VALUES (-1)"))
                .hasMessageContaining("orders_amount_positive");
        project.migrator().rollback(1);
        assertThat(Catalog.of(db, "public")).isEqualTo(before);
    }

    @Test
    void onAResourceWithABaseFilterTheCheckSparesTheRowsTheFilterLeavesOutUnlessItIgnoresTheFilter() {
        Check positive = Check.check("positive").expression("amount > 0").attributes("amount");
        project.migrate(softDeleted(positive), "create_orders");

        assertThat(project.definition("orders_positive_check"))
                .isEqualTo("CHECK (((amount > 0) OR (NOT (deleted_at IS NULL))))");
        db.execute("INSERT INTO orders (amount, deleted_at) VALUES (-5, now())");
        assertThatThrownBy(() -> db.execute("INSERT INTO orders (amount) VALUES (-5)"))
                .hasMessageContaining("orders_positive_check");
        List<String> filtered = Catalog.of(db, "public");

        db.execute("DELETE FROM orders");
        Codegen.Result everyRow = project.migrate(softDeleted(positive.ignoreBaseFilter()), "check_every_row");

        assertThat(everyRow.steps()).extracting(MigrationStep::describe).containsExactly(
                "drop check orders_positive_check on public.orders", "add check orders_positive_check on public.orders",
                "validate check orders_positive_check on public.orders");
        assertThat(project.definition("orders_positive_check")).isEqualTo("CHECK ((amount > 0))");
        assertThatThrownBy(() -> db.execute("INSERT INTO orders (amount, deleted_at) VALUES (-5, now())"))
                .hasMessageContaining("orders_positive_check");
        project.migrator().rollback(everyRow.files().size());
        assertThat(Catalog.of(db, "public")).isEqualTo(filtered);
    }

    private static Domain softDeleted(Check check) {
        Resource order = Resource.builder("order").table("orders").integerPrimaryKey("id")
                .attribute("amount", INTEGER).attribute("deleted_at", TIMESTAMPTZ)
                .baseFilter("deleted_at IS NULL", Filter.isNil("deleted_at"))
                .with(CheckConstraints.of(check)).build();
        return Domain.builder("shop").resource(order).build();
    }

    @Test
    void anExpressionEndingInALineCommentIsClosedOnTheNextLineOnANewAndOnAnExistingTable() {
        Check commented = Check.check("commented").expression("amount > 0 -- orders are never free");
        project.migrate(Orders.with(commented), "create_orders");
        assertThat(project.definition("orders_commented_check")).isEqualTo("CHECK ((amount > 0))");
        db.execute("INSERT INTO orders (amount, status) VALUES (5, 'x')");

        project.migrate(Orders.with(commented.expression("amount > 1 -- nor nearly")), "change");

        assertThat(project.definition("orders_commented_check")).isEqualTo("CHECK ((amount > 1))");
    }
}
