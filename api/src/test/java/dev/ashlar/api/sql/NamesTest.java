package dev.ashlar.api.sql;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class NamesTest {

    @Test
    void theNotNullCheckIsNamedAfterTableAndColumn() {
        assertThat(Names.notNullCheck("orders", "amount")).isEqualTo("orders_amount_not_null");
    }

    @Test
    void aNotNullCheckNameOverSixtyThreeBytesIsCutWithAHashThatKeepsTwoColumnsApart() {
        String table = "a_table_with_a_rather_long_name_for_its_orders";
        String first = Names.notNullCheck(table, "amount_in_euros_after_tax");
        String second = Names.notNullCheck(table, "amount_in_euros_before_tax");

        assertThat(first.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(Identifiers.MAX_BYTES);
        assertThat(first).startsWith("a_table_with_a_rather_long_name").endsWith("_not_null").isNotEqualTo(second);
        assertThat(Identifiers.problem(first)).isNull();
        assertThat(Names.notNullCheck("täble_" + "ü".repeat(40), "c").getBytes(StandardCharsets.UTF_8))
                .hasSizeLessThanOrEqualTo(Identifiers.MAX_BYTES);
    }
}
