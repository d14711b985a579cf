package dev.ashlar.integration;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.migrate.MigrationFile;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.plugins.checks.CheckConstraints;
import dev.ashlar.plugins.checks.ChecksPlugin;
import dev.ashlar.plugins.indexes.CustomIndexes;
import dev.ashlar.plugins.indexes.IndexesPlugin;
import dev.ashlar.plugins.references.References;
import dev.ashlar.plugins.references.ReferencesPlugin;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.Catalog;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.UnaryOperator;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static dev.ashlar.api.resource.Type.UUID;
import static dev.ashlar.plugins.checks.Check.check;
import static dev.ashlar.plugins.indexes.CustomIndexes.index;
import static dev.ashlar.plugins.references.Reference.reference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Migrations of tables that already hold rows keep their writes going: keys and checks are added NOT VALID and
 * validated in a later transaction, a column is made not null through a check, indexes are built concurrently, and
 * a column that cannot be filled is refused. Each pattern is proved on a populated table, in the catalog, against a
 * violating row, and up and down.
 */
@ExtendWith(PostgresExtension.class)
class LiveTableMigrationsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
    private static final Plugins PLUGINS = Plugins.none().with(new ReferencesPlugin()).with(new ChecksPlugin())
            .with(new IndexesPlugin());
    private static final int ROWS = 2_000;

    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    /** Customers, and orders that belong to a customer (without a key until a test asks for one). */
    private static Domain shop(UnaryOperator<ResourceBuilder> customer, UnaryOperator<ResourceBuilder> order) {
        return shop(customer, order, false);
    }

    private static Domain shop(UnaryOperator<ResourceBuilder> customer, UnaryOperator<ResourceBuilder> order,
                               boolean amountRequired) {
        return Domain.builder("shop")
                .resource(customer.apply(Resource.builder("customer").table("customers").integerPrimaryKey("id")
                        .attribute("email", TEXT)).build())
                .resource(order.apply(Resource.builder("order").table("orders").integerPrimaryKey("id")
                        .attribute("amount", INTEGER, a -> a.allowNil(!amountRequired))
                        .belongsTo("customer", "customer")).build())
                .build();
    }

    private static ResourceBuilder withoutKey(ResourceBuilder order) {
        return order.with(References.of(reference("customer").ignore()));
    }

    private Codegen codegen(Domain domain) {
        return new Codegen(project, domain, PLUGINS, Renames.none(), CLOCK);
    }

    private Migrator migrator() {
        return new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).progress(line -> { });
    }

    /** The shop with rows: customers 1-100, orders spread over them with a positive amount. */
    private void populatedShop() {
        codegen(shop(c -> c, LiveTableMigrationsTest::withoutKey)).generate("create_shop");
        migrator().migrate();
        db.execute("INSERT INTO customers (email) SELECT 'c' || i || '@example.com' FROM generate_series(1, 100) i");
        db.execute("INSERT INTO orders (amount, customer_id) SELECT 1 + i % 50, 1 + i % 100 FROM generate_series(1, "
                + ROWS + ") i");
    }

    private List<Object> applied() {
        return db.query("SELECT name FROM public.ashlar_schema_migrations ORDER BY version").stream()
                .map(row -> row.get("name")).toList();
    }

    /** Whether the constraint is validated; null when there is none. */
    private Object validated(String constraint) {
        return db.query("SELECT convalidated FROM pg_constraint WHERE conname = ?", constraint).stream()
                .map(row -> row.get("convalidated")).findFirst().orElse(null);
    }

    private static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String up(Path file) {
        return MigrationFile.read(file).up();
    }

    /** Customers keyed by id or by code, and orders whose foreign key follows the customers' primary key. */
    private static Domain customersKeyedBy(boolean code) {
        return Domain.builder("shop")
                .resource(Resource.builder("customer").table("customers")
                        .attribute("id", INTEGER, a -> {
                            a.generated();
                            if (!code) {
                                a.primaryKey();
                            }
                        })
                        .attribute("code", INTEGER, a -> {
                            if (code) {
                                a.primaryKey();
                            }
                        }).attribute("email", TEXT).build())
                .resource(Resource.builder("order").table("orders").integerPrimaryKey("id")
                        .attribute("amount", INTEGER).belongsTo("customer", "customer").build())
                .build();
    }

    private Object constraintDef(String constraint) {
        return db.value("SELECT pg_get_constraintdef(oid) || ' ' || convalidated FROM pg_constraint WHERE conname = ?",
                constraint);
    }

    @Test
    void aForeignKeyToATableWhosePrimaryKeyIsSwappedInFollowsTheNewKeyAndBackOnRollback() {
        codegen(customersKeyedBy(false)).generate("create_shop");
        migrator().migrate();
        db.execute("INSERT INTO customers (code, email) SELECT i, 'c' || i || '@example.com' "
                + "FROM generate_series(1, 100) i");
        db.execute("INSERT INTO orders (amount, customer_id) SELECT 1 + i % 50, 1 + i % 100 FROM generate_series(1, "
                + ROWS + ") i");

        Codegen.Result rekeyed = codegen(customersKeyedBy(true)).generate("key_customers_by_code");
        migrator().migrate();

        assertThat(String.join("\n", rekeyed.files().stream().map(LiveTableMigrationsTest::up).toList()))
                .contains("PRIMARY KEY USING INDEX \"customers_pkey_next\"");
        assertThat(constraintDef("customers_pkey")).isEqualTo("PRIMARY KEY (code) true");
        assertThat(constraintDef("orders_customer_id_fkey"))
                .isEqualTo("FOREIGN KEY (customer_id) REFERENCES customers(code) true");
        assertThat(db.value("SELECT count(*) FROM orders")).isEqualTo((long) ROWS);

        migrator().rollback(rekeyed.files().size());

        assertThat(constraintDef("customers_pkey")).isEqualTo("PRIMARY KEY (id) true");
        assertThat(constraintDef("orders_customer_id_fkey"))
                .isEqualTo("FOREIGN KEY (customer_id) REFERENCES customers(id) true");
        assertThat(applied()).containsExactly("create_shop");
    }

    @Test
    void aKeyAndACheckOnAPopulatedTableAreAddedNotValidThenValidatedInALaterTransaction() {
        populatedShop();

        Codegen.Result result = codegen(shop(c -> c, o -> o.with(CheckConstraints.of(
                check("positive_amount").expression("amount > 0").attributes("amount"))))).generate("add_keys");

        assertThat(result.files()).hasSize(2);
        assertThat(up(result.files().get(0)))
                .contains("ADD CONSTRAINT \"orders_customer_id_fkey\" FOREIGN KEY (\"customer_id\") REFERENCES "
                        + "\"public\".\"customers\" (\"id\") NOT VALID;")
                .contains("ADD CONSTRAINT \"orders_positive_amount_check\" CHECK (amount > 0) NOT VALID;")
                .doesNotContain("VALIDATE");
        assertThat(up(result.files().get(1))).isEqualTo("-- validate check orders_positive_amount_check on "
                + "public.orders\nALTER TABLE \"public\".\"orders\" VALIDATE CONSTRAINT \"orders_positive_amount_check\";"
                + "\n\n-- validate foreign_key orders_customer_id_fkey on public.orders\nALTER TABLE \"public\".\"orders\" "
                + "VALIDATE CONSTRAINT \"orders_customer_id_fkey\";");
        assertThat(MigrationFile.read(result.files().get(1)).transactional()).isTrue();

        migrator().migrate();

        assertThat(validated("orders_customer_id_fkey")).isEqualTo(true);
        assertThat(validated("orders_positive_amount_check")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM orders")).isEqualTo((long) ROWS);
        assertThatThrownBy(() -> db.execute("INSERT INTO orders (amount, customer_id) VALUES (1, 999)"))
                .hasMessageContaining("orders_customer_id_fkey");

        migrator().rollback(2);
        assertThat(db.value("SELECT count(*) FROM pg_constraint WHERE conrelid = 'orders'::regclass AND contype "
                + "IN ('f', 'c')")).isEqualTo(0L);
        assertThat(applied()).containsExactly("create_shop");
        migrator().migrate();
        assertThat(validated("orders_customer_id_fkey")).isEqualTo(true);
    }

    @Test
    void aRowThatBreaksTheCheckFailsItsValidationWithAQueryThatFindsItLeavingTheConstraintNotValidUntilFixed() {
        populatedShop();
        db.execute("UPDATE orders SET amount = -5 WHERE id = 7");
        codegen(shop(c -> c, o -> withoutKey(o).with(CheckConstraints.of(
                check("positive_amount").expression("amount > 0").attributes("amount"))))).generate("add_check");

        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("add_check_2.sql")
                .hasMessageContaining("VALIDATE CONSTRAINT \"orders_positive_amount_check\"")
                .hasMessageContaining("is violated by some row")
                .hasMessageContaining("Nothing of this file was applied.")
                .hasMessageContaining("Rows of public.orders break check orders_positive_amount_check: change or remove "
                        + "them, then migrate again.")
                .satisfies(e -> assertThat(db.query(finder(e))).extracting(row -> row.get("id")).containsExactly(7));

        // The first file holds: new rows must obey the check; the old ones are not yet vouched for.
        assertThat(applied()).containsExactly("create_shop", "add_check");
        assertThat(validated("orders_positive_amount_check")).isEqualTo(false);
        assertThatThrownBy(() -> db.execute("INSERT INTO orders (amount, customer_id) VALUES (-1, 1)"))
                .hasMessageContaining("orders_positive_amount_check");
        assertThat(db.value("SELECT amount FROM orders WHERE id = 7")).isEqualTo(-5);

        db.execute("UPDATE orders SET amount = 5 WHERE id = 7");
        migrator().migrate();
        assertThat(validated("orders_positive_amount_check")).isEqualTo(true);
        assertThat(applied()).containsExactly("create_shop", "add_check", "add_check_2");
    }

    @Test
    void aRowThatBreaksTheKeyFailsItsValidationWithAQueryThatFindsItAndRollingBackTheFirstFileRemovesTheKey() {
        populatedShop();
        db.execute("UPDATE orders SET customer_id = 999 WHERE id = 3");
        codegen(shop(c -> c, o -> o)).generate("add_key");

        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("VALIDATE CONSTRAINT \"orders_customer_id_fkey\"")
                .hasMessageContaining("violates foreign key constraint \"orders_customer_id_fkey\"")
                .hasMessageContaining("SQL state 23503")
                .hasMessageContaining("Rows of public.orders refer to rows that do not exist through foreign key "
                        + "orders_customer_id_fkey")
                .satisfies(e -> assertThat(db.query(finder(e))).extracting(row -> row.get("id")).containsExactly(3));
        assertThat(validated("orders_customer_id_fkey")).isEqualTo(false);

        migrator().rollback(1);
        assertThat(validated("orders_customer_id_fkey")).isNull();
        assertThat(applied()).containsExactly("create_shop");
        assertThat(db.value("SELECT count(*) FROM orders")).isEqualTo((long) ROWS);
    }

    @Test
    void aColumnOfAPopulatedTableIsMadeNotNullThroughAValidatedCheckThatIsDroppedAfterwards() {
        populatedShop();

        Codegen.Result result = codegen(shop(c -> c, LiveTableMigrationsTest::withoutKey, true))
                .generate("require_amount");

        assertThat(result.files()).hasSize(2);
        assertThat(up(result.files().get(0))).contains("ALTER TABLE \"public\".\"orders\" ADD CONSTRAINT "
                + "\"orders_amount_not_null\" CHECK (\"amount\" IS NOT NULL) NOT VALID;").doesNotContain("SET NOT NULL");
        assertThat(up(result.files().get(1))).endsWith(
                "ALTER TABLE \"public\".\"orders\" VALIDATE CONSTRAINT \"orders_amount_not_null\";\n\n"
                + "-- set not null public.orders.amount (from its validated check, then drop the check)\n"
                + "ALTER TABLE \"public\".\"orders\" ALTER COLUMN \"amount\" SET NOT NULL;\n"
                + "ALTER TABLE \"public\".\"orders\" DROP CONSTRAINT \"orders_amount_not_null\";");

        migrator().migrate();

        assertThat(notNull("amount")).isEqualTo(true);
        assertThat(validated("orders_amount_not_null")).isNull();
        assertThat(db.value("SELECT count(*) FROM orders WHERE amount IS NOT NULL")).isEqualTo((long) ROWS);

        migrator().rollback(2);
        assertThat(notNull("amount")).isEqualTo(false);
        assertThat(validated("orders_amount_not_null")).isNull();
        migrator().migrate();
        assertThat(notNull("amount")).isEqualTo(true);
    }

    @Test
    void aNullInTheColumnFailsTheValidationAndLeavesTheColumnNullableWithTheCheckNotValid() {
        populatedShop();
        db.execute("UPDATE orders SET amount = NULL WHERE id = 11");
        codegen(shop(c -> c, LiveTableMigrationsTest::withoutKey, true)).generate("require");

        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("check constraint \"orders_amount_not_null\" of relation \"orders\" is violated")
                .hasMessageContaining("Nothing of this file was applied.");

        assertThat(notNull("amount")).isEqualTo(false);
        assertThat(validated("orders_amount_not_null")).isEqualTo(false);
        assertThatThrownBy(() -> db.execute("INSERT INTO orders (amount, customer_id) VALUES (NULL, 1)"))
                .hasMessageContaining("orders_amount_not_null");
        db.execute("UPDATE orders SET amount = 0 WHERE id = 11");
        migrator().migrate();
        assertThat(notNull("amount")).isEqualTo(true);
    }

    /** The query the error of a failed validation gives for finding the rows that break the constraint. */
    private static String finder(Throwable failure) {
        String message = failure.getMessage();
        int start = message.indexOf("Find them with: ");
        assertThat(start).as("the message gives a query that finds the rows: %s", message).isNotNegative();
        return message.substring(start + "Find them with: ".length(), message.indexOf(';', start));
    }

    private Object notNull(String column) {
        return db.value("SELECT attnotnull FROM pg_attribute WHERE attrelid = 'orders'::regclass AND attname = ?",
                column);
    }

    @Test
    void aReplacedCheckAndKeyAreDroppedInTheTransactionThatAddsThemAgainSoTheyAreNeverMissingWhileAnIndexIsBuilt() {
        populatedShop();
        UnaryOperator<ResourceBuilder> before = o -> o.with(CheckConstraints.of(
                check("positive_amount").expression("amount > 0").attributes("amount")));
        codegen(shop(c -> c, before)).generate("add_check_and_key");
        migrator().migrate();

        Codegen.Result replaced = codegen(shop(c -> c, o -> o
                .with(References.of(reference("customer").onDelete(dev.ashlar.plugins.references.OnDelete.DELETE)))
                .with(CheckConstraints.of(check("positive_amount").expression("amount >= 1").attributes("amount")))
                .with(CustomIndexes.of(index("amount"))))).generate("replace_check_and_key");

        List<String> ups = replaced.files().stream().map(LiveTableMigrationsTest::up).toList();
        assertThat(ups).anyMatch(up -> up.contains("CREATE INDEX CONCURRENTLY \"orders_amount_index\""));
        for (String constraint : List.of("orders_positive_amount_check", "orders_customer_id_fkey")) {
            int dropped = indexOf(ups, "DROP CONSTRAINT \"" + constraint + "\"");
            assertThat(dropped).as(constraint).isEqualTo(indexOf(ups, "ADD CONSTRAINT \"" + constraint + "\""));
            assertThat(MigrationFile.read(replaced.files().get(dropped)).transactional()).isTrue();
            assertThat(ups.get(dropped)).contains("NOT VALID");
        }
        migrator().migrate();

        assertThat(validated("orders_positive_amount_check")).isEqualTo(true);
        assertThat(validated("orders_customer_id_fkey")).isEqualTo(true);
        assertThat(db.value("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = "
                + "'orders_customer_id_fkey'")).asString().contains("ON DELETE CASCADE");
        assertThat(db.value("SELECT count(*) FROM orders")).isEqualTo((long) ROWS);

        migrator().rollback(replaced.files().size());
        assertThat(db.value("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = "
                + "'orders_positive_amount_check'")).isEqualTo("CHECK ((amount > 0))");
        assertThat(db.value("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = "
                + "'orders_customer_id_fkey'")).asString().doesNotContain("CASCADE");
    }

    /** The index of the first file whose up section contains the text. */
    private static int indexOf(List<String> ups, String text) {
        for (int i = 0; i < ups.size(); i++) {
            if (ups.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no file contains " + text + " in " + ups);
    }

    @Test
    void indexesOnPopulatedTablesAreBuiltConcurrentlyInAFileWithoutATransaction() {
        populatedShop();

        Codegen.Result result = codegen(shop(c -> c.identity("unique_email", "email"),
                o -> o.with(References.of(reference("customer").index(true)))
                        .with(CustomIndexes.of(index("amount"))))).generate("add_indexes");

        String concurrent = String.join("\n", result.files().stream().map(LiveTableMigrationsTest::text)
                .filter(t -> t.contains("transaction:false")).toList());
        assertThat(concurrent)
                .contains("CREATE UNIQUE INDEX CONCURRENTLY \"customers_unique_email_index\" ON \"public\".\"customers\" "
                        + "(\"email\");")
                .contains("CREATE INDEX CONCURRENTLY \"orders_customer_id_index\" ON \"public\".\"orders\" "
                        + "(\"customer_id\");")
                .contains("CREATE INDEX CONCURRENTLY \"orders_amount_index\" ON \"public\".\"orders\" (\"amount\");")
                .contains("DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"customers_unique_email_index\";");

        migrator().migrate();

        assertThat(db.query("SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                + "WHERE c.relnamespace = 'public'::regnamespace AND c.relname LIKE '%\\_index' ORDER BY 1").toString()).isEqualTo(
                "[{relname=customers_unique_email_index, indisvalid=true}, {relname=orders_amount_index, indisvalid=true}, "
                + "{relname=orders_customer_id_index, indisvalid=true}]");
        migrator().rollback(result.files().size());
        assertThat(db.value("SELECT count(*) FROM pg_indexes WHERE schemaname = 'public' AND indexname LIKE '%\\_index'")).isEqualTo(0L);
        assertThat(applied()).containsExactly("create_shop");
    }

    @Test
    void aDuplicateMakesTheConcurrentBuildFailWithoutLeavingAnInvalidIndexAndARerunBuildsIt() {
        populatedShop();
        db.execute("UPDATE customers SET email = 'same@example.com' WHERE id IN (4, 5)");
        codegen(shop(c -> c.identity("unique_email", "email"), LiveTableMigrationsTest::withoutKey))
                .generate("unique_email");

        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("CREATE UNIQUE INDEX CONCURRENTLY \"customers_unique_email_index\"")
                .hasMessageContaining("SQL state 23505")
                .satisfies(e -> assertThat(e.getSuppressed()).isEmpty());
        assertThat(db.value("SELECT count(*) FROM pg_class WHERE relname = 'customers_unique_email_index'")).isEqualTo(0L);

        // What a migrator killed during the build leaves: an invalid index under the name.
        assertThatThrownBy(() -> db.execute("CREATE UNIQUE INDEX CONCURRENTLY customers_unique_email_index "
                + "ON customers (email)")).hasMessageContaining("could not create unique index");
        assertThat(db.value("SELECT indisvalid FROM pg_index WHERE indexrelid = 'customers_unique_email_index'::regclass"))
                .isEqualTo(false);
        db.execute("UPDATE customers SET email = 'other@example.com' WHERE id = 5");
        migrator().migrate();

        assertThat(db.value("SELECT indisvalid FROM pg_index WHERE indexrelid = 'customers_unique_email_index'::regclass"))
                .isEqualTo(true);
        assertThatThrownBy(() -> db.execute("INSERT INTO customers (email) VALUES ('same@example.com')"))
                .hasMessageContaining("customers_unique_email_index");
    }

    @Test
    void withConcurrentIndexesTurnedOffAnIndexOnAPopulatedTableIsBuiltInTheMigrationsTransaction() {
        populatedShop();

        Codegen.Result result = codegen(shop(c -> c.identity("unique_email", "email"),
                LiveTableMigrationsTest::withoutKey)).concurrentIndexes(false).generate("unique_email");

        assertThat(result.files()).hasSize(1);
        assertThat(up(result.files().get(0))).contains("CREATE UNIQUE INDEX \"customers_unique_email_index\"");
        // The linter's comment above it may say CONCURRENTLY; the statements do not.
        assertThat(up(result.files().get(0)).lines().filter(line -> !line.startsWith("--")))
                .noneMatch(line -> line.contains("CONCURRENTLY"));
        assertThat(MigrationFile.read(result.files().get(0)).transactional()).isTrue();
        migrator().migrate();
        assertThat(db.value("SELECT indisvalid FROM pg_index WHERE indexrelid = 'customers_unique_email_index'::regclass"))
                .isEqualTo(true);
    }

    @Test
    void aTableCreatedInTheSameMigrationGetsItsKeysChecksAndIndexesInlineInOneFile() {
        Codegen.Result result = codegen(shop(c -> c.identity("unique_email", "email"),
                o -> o.with(CheckConstraints.of(check("positive_amount").expression("amount > 0").attributes("amount"))),
                true))
                .generate("create_shop");

        assertThat(result.files()).hasSize(1);
        assertThat(text(result.files().get(0))).doesNotContain("NOT VALID").doesNotContain("VALIDATE")
                .doesNotContain("CONCURRENTLY").doesNotContain("not_null");
        migrator().migrate();
        assertThat(validated("orders_customer_id_fkey")).isEqualTo(true);
        assertThat(notNull("amount")).isEqualTo(true);
    }

    @Test
    void aRequiredColumnWithoutDefaultAddedToAnExistingTableIsRefusedNamingTheResourceAndAttribute() {
        populatedShop();
        Codegen codegen = codegen(shop(c -> c.attribute("name", TEXT, a -> a.notNull()),
                LiveTableMigrationsTest::withoutKey));

        assertThatThrownBy(() -> codegen.generate("add_name")).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("resource 'customer', 'name'")
                .hasMessageContaining("NOT NULL without a default to table public.customers")
                .hasMessageContaining("Give the attribute a default, or allow nil, backfill it");
        assertThatThrownBy(codegen::check).isInstanceOf(DefinitionException.class);
        assertThat(Codegen.migrations(project, Scope.MAIN)).isDirectoryNotContaining("glob:**add_name*");

        Codegen.Result withDefault = codegen(shop(c -> c.attribute("name", TEXT, a -> a.notNull().defaultValue("")),
                LiveTableMigrationsTest::withoutKey)).generate("add_name");
        migrator().migrate();
        assertThat(withDefault.files()).hasSize(1);
        assertThat(db.value("SELECT count(*) FROM customers WHERE name = ''")).isEqualTo(100L);
    }

    @Test
    void aColumnAddedWithAVolatileDefaultIsFilledInBatchesAndOneWithNowIsStoredOnceNeitherRewritingTheTable() {
        populatedShop();
        Object before = relfilenode();

        Codegen.Result stamped = codegen(shop(c -> c.attribute("seen_at", TIMESTAMPTZ, a -> a.notNull()
                .defaultSql("now()")), LiveTableMigrationsTest::withoutKey)).generate("add_seen_at");
        migrator().migrate();
        assertThat(stamped.rewrites()).isEmpty();
        assertThat(relfilenode()).isEqualTo(before);

        Codegen.Result tokens = codegen(shop(c -> c.attribute("seen_at", TIMESTAMPTZ, a -> a.notNull()
                .defaultSql("now()")).attribute("token", UUID, a -> a.notNull().defaultSql("gen_random_uuid()")),
                LiveTableMigrationsTest::withoutKey)).generate("add_token");
        migrator().migrate();

        assertThat(tokens.rewrites()).isEmpty();
        assertThat(tokens.files().stream().map(LiveTableMigrationsTest::up).reduce("", String::concat))
                .contains("ADD COLUMN \"token\" uuid;", "SET \"token\" = DEFAULT").doesNotContain("rewrites table");
        assertThat(relfilenode()).isEqualTo(before);
        assertThat(db.value("SELECT count(DISTINCT token) FROM customers")).isEqualTo(100L);
        assertThat(db.value("SELECT attnotnull FROM pg_attribute WHERE attrelid = 'customers'::regclass "
                + "AND attname = 'token'")).isEqualTo(true);
    }

    @Test
    void aRenamedTableKeepsItsKeysChecksAndIndexesRenamedInPlaceWithoutRebuildingThemAndEqualsATableMadeUnderTheName() {
        UnaryOperator<ResourceBuilder> constrained = o -> o.identity("unique_amount", "amount")
                .with(References.of(reference("customer").index(true)))
                .with(CheckConstraints.of(check("positive_amount").expression("amount > 0").attributes("amount")))
                .with(CustomIndexes.of(index("amount", "customer_id")));
        codegen(shop(c -> c, constrained)).generate("create_shop");
        migrator().migrate();
        db.execute("INSERT INTO customers (email) SELECT 'c' || i FROM generate_series(1, 100) i");
        db.execute("INSERT INTO orders (amount, customer_id) SELECT i, 1 + i % 100 FROM generate_series(1, " + ROWS
                + ") i");
        List<Object> before = db.query("SELECT oid FROM pg_class WHERE relkind = 'i' AND relnamespace = "
                + "'public'::regnamespace UNION ALL SELECT oid FROM pg_constraint WHERE conrelid = 'orders'::regclass "
                + "ORDER BY 1").stream().map(row -> row.get("oid")).toList();

        Codegen.Result renamed = new Codegen(project, shop(c -> c, o -> constrained.apply(o.table("purchases"))),
                PLUGINS, Renames.hints(List.of("orders=purchases")), CLOCK).generate("rename_orders");
        migrator().migrate();

        assertThat(renamed.files()).hasSize(1);
        assertThat(up(renamed.files().get(0))).doesNotContain("CREATE").doesNotContain("ADD CONSTRAINT")
                .contains("ALTER INDEX \"public\".\"orders_unique_amount_index\" RENAME TO "
                        + "\"purchases_unique_amount_index\";")
                .contains("RENAME CONSTRAINT \"orders_positive_amount_check\" TO \"purchases_positive_amount_check\";");
        // The same indexes and constraints under new names: none was dropped and built again.
        assertThat(db.query("SELECT oid FROM pg_class WHERE relkind = 'i' AND relnamespace = 'public'::regnamespace "
                + "UNION ALL SELECT oid FROM pg_constraint WHERE conrelid = 'purchases'::regclass ORDER BY 1").stream()
                .map(row -> row.get("oid")).toList()).isEqualTo(before);
        assertThatThrownBy(() -> db.execute("INSERT INTO purchases (amount, customer_id) VALUES (1, 1)"))
                .hasMessageContaining("purchases_unique_amount_index");
        List<String> catalog = Catalog.of(db, "public");

        migrator().rollback(1);
        assertThat(db.value("SELECT count(*) FROM pg_constraint WHERE conname LIKE 'orders\\_%'")).isEqualTo(3L);
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        new Codegen(project.resolve("straight"), shop(c -> c, o -> constrained.apply(o.table("purchases"))), PLUGINS,
                Renames.none(), CLOCK).generate("create_shop");
        new Migrator(db.dataSource(), Codegen.migrations(project.resolve("straight"), Scope.MAIN)).migrate();
        assertThat(Catalog.of(db, "public")).isEqualTo(catalog);
    }

    @Test
    void aKeyToARenamedTableFollowsItWithoutBeingDroppedAndAddedAgain() {
        codegen(shop(c -> c, o -> o)).generate("create_shop");
        migrator().migrate();
        db.execute("INSERT INTO customers (email) VALUES ('a@example.com')");
        db.execute("INSERT INTO orders (amount, customer_id) VALUES (1, 1)");
        Object key = db.value("SELECT oid FROM pg_constraint WHERE conname = 'orders_customer_id_fkey'");

        Codegen.Result renamed = new Codegen(project, shop(c -> c.table("clients"), o -> o), PLUGINS,
                Renames.hints(List.of("customers=clients")), CLOCK).generate("rename_customers");
        migrator().migrate();

        assertThat(renamed.files()).hasSize(1);
        assertThat(up(renamed.files().get(0))).doesNotContain("orders_customer_id_fkey");
        assertThat(new Codegen(project, shop(c -> c.table("clients"), o -> o), PLUGINS, Renames.none(), CLOCK)
                .generate("again").files()).as("the snapshots record the key to the new name").isEmpty();
        assertThat(db.query("SELECT oid, confrelid::regclass::text AS parent, convalidated FROM pg_constraint "
                + "WHERE conname = 'orders_customer_id_fkey'").toString())
                .isEqualTo("[{oid=" + key + ", parent=clients, convalidated=true}]");
        assertThatThrownBy(() -> db.execute("INSERT INTO orders (amount, customer_id) VALUES (1, 99)"))
                .hasMessageContaining("orders_customer_id_fkey");
        List<String> catalog = Catalog.of(db, "public");

        migrator().rollback(1);
        assertThat(db.value("SELECT confrelid::regclass::text FROM pg_constraint WHERE conname = "
                + "'orders_customer_id_fkey'")).isEqualTo("customers");
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        new Codegen(project.resolve("straight"), shop(c -> c.table("clients"), o -> o), PLUGINS, Renames.none(), CLOCK)
                .generate("create_shop");
        new Migrator(db.dataSource(), Codegen.migrations(project.resolve("straight"), Scope.MAIN)).migrate();
        assertThat(Catalog.of(db, "public")).isEqualTo(catalog);
    }

    private Object relfilenode() {
        return db.value("SELECT relfilenode FROM pg_class WHERE oid = 'public.customers'::regclass");
    }
}
