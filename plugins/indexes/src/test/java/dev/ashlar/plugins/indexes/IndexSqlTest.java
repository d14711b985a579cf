package dev.ashlar.plugins.indexes;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IndexSqlTest {
    @Test
    void endsStatementSqlWithASemicolonOutsideAnyTrailingComment() {
        assertThat(IndexSql.terminated("  DROP VIEW v \n")).isEqualTo("DROP VIEW v;");
        assertThat(IndexSql.terminated("DROP VIEW v;")).isEqualTo("DROP VIEW v;");
        assertThat(IndexSql.terminated("SELECT 1;\nDROP VIEW v -- the old one")).isEqualTo("SELECT 1;\nDROP VIEW v -- the old one\n;");
        assertThat(IndexSql.terminated("")).isEmpty();
    }

    @Test
    void namesAnExpressionIndexWithTheWordsOfItsFields() {
        CustomIndex index = CustomIndexes.index("lower(email)", "(price * quantity)", "title DESC").build();

        assertThat(index.nameOn("orders")).isEqualTo("orders_lower_email_price_quantity_title_desc_index");
        assertThat(CustomIndexes.index("email").name("by_email").build().nameOn("orders")).isEqualTo("by_email");
        assertThat(CustomIndexes.index("customerId", "LOWER(Code)").build().nameOn("orders"))
                .isEqualTo("orders_customerId_lower_code_index");
    }
}
