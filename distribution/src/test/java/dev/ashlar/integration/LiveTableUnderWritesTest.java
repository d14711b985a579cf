package dev.ashlar.integration;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.plugins.checks.CheckConstraints;
import dev.ashlar.plugins.checks.ChecksPlugin;
import dev.ashlar.plugins.indexes.CustomIndexes;
import dev.ashlar.plugins.indexes.IndexesPlugin;
import dev.ashlar.plugins.references.References;
import dev.ashlar.plugins.references.ReferencesPlugin;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.plugins.checks.Check.check;
import static dev.ashlar.plugins.indexes.CustomIndexes.index;
import static dev.ashlar.plugins.references.Reference.reference;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A migration that adds a foreign key, a check, a required column and indexes to a table of 100,000 rows while
 * other sessions keep inserting and updating it: no write waits long, none fails, no row is lost, and the catalog
 * ends with every constraint validated and every index valid.
 */
@ExtendWith(PostgresExtension.class)
class LiveTableUnderWritesTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);
    private static final Plugins PLUGINS = Plugins.none().with(new ReferencesPlugin()).with(new ChecksPlugin())
            .with(new IndexesPlugin());
    private static final int ROWS = 100_000;
    private static final int WRITERS = 2;

    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void populatedShop(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        // Takes 10 ms for an amount of 1000: checking the 200 old rows that hold one takes two seconds, so a check
        // validated under a lock that stops writes would stop them that long.
        db.execute("CREATE FUNCTION public.plausible(amount integer) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS "
                + "$$ BEGIN IF amount = 1000 THEN PERFORM pg_sleep(0.01); END IF; RETURN amount > 0; END $$");
        generate(shop(o -> o.with(References.of(reference("customer").ignore())), false), "create_shop");
        migrator().migrate();
        db.execute("INSERT INTO customers (email) SELECT 'c' || i || '@example.com' FROM generate_series(1, 100) i");
        db.execute("INSERT INTO orders (amount, customer_id) SELECT CASE WHEN i % 500 = 0 THEN 1000 ELSE 1 + i % 50 END, "
                + "1 + i % 100 FROM generate_series(1, " + ROWS + ") i");
    }

    private static Domain shop(UnaryOperator<ResourceBuilder> order, boolean amountRequired) {
        return Domain.builder("shop")
                .resource(Resource.builder("customer").table("customers").integerPrimaryKey("id")
                        .attribute("email", TEXT).build())
                .resource(order.apply(Resource.builder("order").table("orders").integerPrimaryKey("id")
                        .attribute("amount", INTEGER, a -> a.allowNil(!amountRequired))
                        .belongsTo("customer", "customer")).build())
                .build();
    }

    private void generate(Domain domain, String name) {
        new Codegen(project, domain, PLUGINS, Renames.none(), CLOCK).generate(name);
    }

    private Migrator migrator() {
        return new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).progress(line -> { });
    }

    @Test
    void writesGoOnWithinAFractionOfASecondAndNoRowIsLostWhileKeysChecksAndIndexesAreAdded() throws Exception {
        generate(shop(o -> o.with(References.of(reference("customer").index(true)))
                .with(CheckConstraints.of(check("plausible_amount").expression("public.plausible(amount)")))
                .with(CustomIndexes.of(index("amount"))), true), "constrain_orders");
        AtomicBoolean migrating = new AtomicBoolean(true);
        AtomicInteger inserted = new AtomicInteger();
        AtomicInteger duringMigration = new AtomicInteger();
        AtomicLong longestNanos = new AtomicLong();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            writers.add(CompletableFuture.runAsync(() -> write(writer, migrating, inserted, duringMigration,
                    longestNanos, failures)));
        }

        long start = System.nanoTime();
        migrator().migrate();
        long migrationMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        migrating.set(false);
        for (CompletableFuture<Void> writer : writers) {
            writer.get(30, TimeUnit.SECONDS);
        }

        long longestMillis = TimeUnit.NANOSECONDS.toMillis(longestNanos.get());
        assertThat(failures).isEmpty();
        assertThat(migrationMillis).as("the validation of the slow check takes its two seconds").isGreaterThan(2_000);
        assertThat(duringMigration.get()).as("writes made while the migration ran").isGreaterThan(100);
        assertThat(longestMillis).as("the longest write (of %s while the migration ran for %s ms)",
                duringMigration.get(), migrationMillis).isLessThan(750);
        assertThat(db.value("SELECT count(*) FROM orders")).isEqualTo((long) ROWS + inserted.get());
        assertThat(db.query("SELECT conname, convalidated FROM pg_constraint WHERE conrelid = 'orders'::regclass "
                + "AND contype IN ('c', 'f') ORDER BY 1").toString()).isEqualTo("[{conname=orders_customer_id_fkey, "
                + "convalidated=true}, {conname=orders_plausible_amount_check, convalidated=true}]");
        assertThat(db.value("SELECT attnotnull FROM pg_attribute WHERE attrelid = 'orders'::regclass "
                + "AND attname = 'amount'")).isEqualTo(true);
        assertThat(db.query("SELECT c.relname, i.indisvalid, i.indisready FROM pg_index i JOIN pg_class c "
                + "ON c.oid = i.indexrelid WHERE i.indrelid = 'orders'::regclass ORDER BY 1").toString()).isEqualTo(
                "[{relname=orders_amount_index, indisvalid=true, indisready=true}, {relname=orders_customer_id_index, "
                + "indisvalid=true, indisready=true}, {relname=orders_pkey, indisvalid=true, indisready=true}]");
    }

    /** Inserts an order and updates an old one, one statement at a time, timing each, until the migration ends. */
    private void write(int writer, AtomicBoolean migrating, AtomicInteger inserted, AtomicInteger duringMigration,
                       AtomicLong longestNanos, List<Throwable> failures) {
        try (Connection connection = db.dataSource().getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO orders (amount, customer_id) "
                     + "VALUES (?, ?)");
             PreparedStatement update = connection.prepareStatement("UPDATE orders SET amount = amount % 50 + 1 "
                     + "WHERE id = ?")) {
            for (int i = 0; migrating.get(); i++) {
                insert.setInt(1, 1 + i % 50);
                insert.setInt(2, 1 + (i + writer) % 100);
                long insertNanos = timed(insert);
                update.setInt(1, 1 + (i * 7919 + writer) % ROWS);
                long writeNanos = Math.max(insertNanos, timed(update));
                inserted.incrementAndGet();
                longestNanos.accumulateAndGet(writeNanos, Math::max);
                if (migrating.get()) {
                    duringMigration.incrementAndGet();
                }
            }
        } catch (Exception e) {
            failures.add(e);
        }
    }

    private static long timed(PreparedStatement statement) throws SQLException {
        long start = System.nanoTime();
        statement.executeUpdate();
        return System.nanoTime() - start;
    }
}
