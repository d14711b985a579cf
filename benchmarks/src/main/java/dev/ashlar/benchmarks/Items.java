package dev.ashlar.benchmarks;

import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.UniqueKey;

import java.math.BigDecimal;

import static dev.ashlar.api.typed.Kind.INTEGER;
import static dev.ashlar.api.typed.Kind.TEXT;
import static dev.ashlar.api.typed.Kind.decimal;

/** The typed API's symbols for the benchmark's item resources, whose rows are {@link Item} records. */
final class Items {
    static final Table<Item> ITEMS = Table.of("item", Item.class);
    static final Field<Item, Long> ID = ITEMS.bigintPrimaryKey("id");
    static final Field<Item, Integer> CATEGORY = ITEMS.attribute("category", INTEGER);
    static final Field<Item, BigDecimal> PRICE = ITEMS.attribute("price", decimal(10, 2));

    static final Table<Item> BULK_ITEMS = Table.of("bulk_item", Item.class);
    static final UniqueKey<Item> UNIQUE_EMAIL = BULK_ITEMS.identity("unique_email",
            BULK_ITEMS.attribute("email", TEXT));

    private Items() {
    }
}
