package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Sort;
import dev.ashlar.kernel.Read;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.gt;
import static org.assertj.core.api.Assertions.assertThat;

/** Counts, writes, pages and groups that filter or sort by a calculation read with the arguments given to it. */
class CalculationArgumentWritesTest extends DomainDatabaseTest {

    CalculationArgumentWritesTest() {
        super(CalculationArgumentsTest.DOMAIN);
    }

    @BeforeEach
    void guests() {
        db.execute("TRUNCATE arg_guests, arg_visits RESTART IDENTITY CASCADE");
        for (Object[] guest : List.of(new Object[] {"Ada", 36}, new Object[] {"Bob", 20}, new Object[] {"Cy", 28})) {
            ashlar.create("guest", Map.of("first_name", guest[0], "last_name", "L", "age", guest[1]));
        }
    }

    private Read olderThan50In(int years) {
        return ashlar.read("guest").where(gt("older", 50)).arguments("older", Map.of("years", years));
    }

    @Test
    void existsReadsTheArgumentsOfTheCalculationItFiltersBy() {
        assertThat(olderThan50In(20).exists()).isTrue();
        assertThat(olderThan50In(0).exists()).isFalse();
    }

    @Test
    void updateAllAndDestroyAllTouchOnlyTheRowsTheCalculationWithItsArgumentsSelects() {
        assertThat(olderThan50In(20).updateAll(Map.of("last_name", "Old"))).extracting(row -> row.get("first_name"))
                .containsExactly("Ada");
        assertThat(olderThan50In(25).destroyAll()).isEqualTo(2);

        assertThat(db.query("SELECT first_name, last_name FROM arg_guests")).extracting(row -> row.get("first_name")
                + " " + row.get("last_name")).containsExactly("Bob L");
    }

    @Test
    void keysetPagesSortedByACalculationWithArgumentsNeitherRepeatNorSkipRows() {
        Read read = ashlar.read("guest").sort(Sort.desc("older")).load("older", Map.of("years", 100)).limit(2);

        List<Row> first = read.list();
        List<Row> second = read.after(read.cursor(first.get(1))).list();

        assertThat(first).extracting(row -> row.get("older")).containsExactly(136, 128);
        assertThat(second).extracting(row -> row.get("older")).containsExactly(120);
        assertThat(read.before(read.cursor(second.get(0))).list()).extracting(row -> row.get("first_name"))
                .containsExactly("Ada", "Cy");
    }

    @Test
    void aGroupedReadGroupsByTheCalculationWithItsArguments() {
        List<Row> groups = ashlar.read("guest").arguments("older", Map.of("years", 1000)).groupBy("older")
                .count("n").sort(Sort.asc("older")).list();

        assertThat(groups).extracting(row -> row.get("older")).containsExactly(1020, 1028, 1036);
    }
}
