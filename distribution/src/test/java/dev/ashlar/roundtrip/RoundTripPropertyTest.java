package dev.ashlar.roundtrip;

import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.plugins.checks.ChecksPlugin;
import dev.ashlar.plugins.references.ReferencesPlugin;
import dev.ashlar.plugins.indexes.IndexesPlugin;
import dev.ashlar.plugins.tenancy.TenancyPlugin;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bar for the migration engine's correctness, on databases that hold data. For many random pairs of
 * domains A and B: migrate an empty database to A and fill every table with random rows that satisfy A's
 * constraints; then the generated A-to-B migration either succeeds, keeping every row and every value B's
 * column can hold, or fails naming the file and statement and leaves A's catalog, rows and history as they
 * were, and then succeeds once A's tables are emptied (only data may make it fail); either way it gives
 * exactly the catalog of migrating an empty database straight to B, and the down migration returns to A's
 * catalog and history, and to A's rows when no step was destructive. Replay a failure with
 * {@code -Dashlar.roundtrip.seed=<seed>}.
 */
@ExtendWith(PostgresExtension.class)
class RoundTripPropertyTest {
    private static final long SEED = Long.getLong("ashlar.roundtrip.seed", 20261127L);
    private static final int PAIRS = Integer.getInteger("ashlar.roundtrip.pairs", 200);
    private static final Plugins PLUGINS = Plugins.none().with(new ReferencesPlugin()).with(new ChecksPlugin())
            .with(new IndexesPlugin()).with(new TenancyPlugin());
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final AtomicInteger PAIRS_WITH_TENANT_TABLES = new AtomicInteger();
    private static final AtomicInteger MIGRATED = new AtomicInteger();
    private static final Map<String, Integer> REFUSED = new TreeMap<>();

    @TempDir
    Path temporary;

    /** The catalog, every row and the history of both schemas: what a failed migration must leave alone. */
    private record State(List<String> catalog, TableData.Rows rows, List<Object> history) {
        static State of(TestDatabase db) {
            return new State(RoundTripCatalog.of(db), TableData.read(db), RoundTripPropertyTest.history(db));
        }
    }

    @TestFactory
    Stream<DynamicTest> aToBKeepsEveryRowOrChangesNothingAndEqualsBStraightAndDownReturnsToA(TestDatabase db) {
        Random random = new Random(SEED);
        DomainGenerator generator = new DomainGenerator(random, db.serverMajorVersion() >= 15);
        return IntStream.range(0, PAIRS).mapToObj(pair -> {
            List<DomainGenerator.Spec> a = generator.domain();
            DomainGenerator.Change change = generator.change(a);
            return DynamicTest.dynamicTest("pair " + pair + " (seed " + SEED + ")", () -> roundTrip(db, a, change, pair));
        });
    }

    private void roundTrip(TestDatabase db, List<DomainGenerator.Spec> specsA, DomainGenerator.Change change, int pair) {
        // Extensions only join between A and B: one no longer listed stays installed, by design.
        List<String> extensionsA = pair % 3 == 0 ? List.of("pg_trgm") : List.of();
        List<String> extensionsB = pair % 2 == 0 ? Stream.concat(extensionsA.stream(), Stream.of("citext")).toList()
                : extensionsA;
        Domain a = DomainGenerator.build(specsA, extensionsA);
        Domain b = DomainGenerator.build(change.specs(), extensionsB);
        String context = "pair " + pair + " of seed " + SEED + "\nA:\n" + DomainGenerator.describe(a) + "B:\n"
                + DomainGenerator.describe(b) + "hints: " + change.hints();
        Path throughA = temporary.resolve("pair-" + pair + "-a");

        reset(db);
        codegen(throughA, a, List.of()).generate("a");
        migrate(db, throughA);
        TableData.fill(db, a, specsA, new Random(SEED * 31 + pair));
        State stateA = State.of(db);
        Codegen.Result toB = codegen(throughA, b, change.hints()).generate("b");
        MigrationException failure = tryMigrate(db, throughA);
        if (failure != null) {
            try {
                assertFailedCleanly(db, throughA, stateA, !toB.destructive().isEmpty(), failure, context);
            } catch (MigrationException e) {
                throw new AssertionError("rolling back after a failed A->B failed (" + failure.getMessage() + "): "
                        + e.getMessage() + "\n" + context, e);
            }
            // Only the rows may make A->B fail: on A's empty tables it must succeed, and the rest must hold.
            truncate(db);
            stateA = State.of(db);
            migrate(db, throughA);
        } else {
            MIGRATED.incrementAndGet();
        }
        State stateB = State.of(db);
        KeptValues.assertKept(db, stateA.rows(), stateB.rows(), specsA, change.specs(), change.hints(), a, b,
                context);
        rollBack(db, throughA, stateA.history(), !toB.destructive().isEmpty());
        State back = State.of(db);

        reset(db);
        Path straight = temporary.resolve("pair-" + pair + "-b");
        codegen(straight, b, List.of()).generate("b");
        migrate(db, straight);
        List<String> catalogB = RoundTripCatalog.of(db);

        if (catalogB.stream().anyMatch(line -> line.startsWith("tenant "))) {
            PAIRS_WITH_TENANT_TABLES.incrementAndGet();
        }
        assertThat(stateB.catalog()).as("A then A->B equals B straight, " + context).isEqualTo(catalogB);
        assertThat(back.catalog()).as("down of A->B returns to A's catalog, " + context).isEqualTo(stateA.catalog());
        assertThat(back.history()).as("down of A->B returns to A's history, " + context).isEqualTo(stateA.history());
        if (toB.destructive().isEmpty()) {
            assertThat(back.rows()).as("down of a non-destructive A->B returns to A's rows, " + context)
                    .isEqualTo(stateA.rows());
        }
    }

    /**
     * The failing file left nothing. A generation may write several files (main, then tenant, and one per
     * transaction:false run) that apply one by one: those applied before the failing one are rolled back here,
     * and A's rows can then come back only if none of them was destructive.
     */
    private static void assertFailedCleanly(TestDatabase db, Path project, State before, boolean destructive,
                                            MigrationException failure, String context) {
        assertThat(failure.file()).as("the failure names its file, " + context).isPresent();
        assertThat(failure.statement()).as("the failure names its statement, " + context).isPresent();
        assertThat(failure.getMessage()).contains(failure.file().orElseThrow()).contains("statement");
        synchronized (REFUSED) {
            REFUSED.merge(failure.sqlState().orElse("none"), 1, Integer::sum);
        }
        boolean earlierFilesApplied = !history(db).equals(before.history());
        rollBack(db, project, before.history(), destructive);
        State after = State.of(db);
        String why = "a failed A->B leaves A as it was: " + failure.getMessage() + "\n" + context;
        assertThat(after.catalog()).as(why).isEqualTo(before.catalog());
        assertThat(after.history()).as(why).isEqualTo(before.history());
        if (!earlierFilesApplied || !destructive) {
            assertThat(after.rows()).as(why).isEqualTo(before.rows());
        }
    }

    private static MigrationException tryMigrate(TestDatabase db, Path project) {
        try {
            migrate(db, project);
            return null;
        } catch (MigrationException e) {
            return e;
        }
    }

    /**
     * A down that cannot put back what a destructive step removed (a required column without default) runs on
     * empty tables instead: the catalog must still come back.
     */
    private static void rollBack(TestDatabase db, Path project, List<Object> historyA, boolean destructive) {
        try {
            rollBackSince(db, project, historyA);
        } catch (MigrationException e) {
            if (!destructive) {
                throw e;
            }
            truncate(db);
            rollBackSince(db, project, historyA);
        }
    }

    private static void truncate(TestDatabase db) {
        TableData.read(db).tables().keySet().forEach(table -> db.execute("TRUNCATE " + table + " CASCADE"));
    }

    /** Rolls back the files applied since {@code before}: tenant files first, as their tables may reference main ones. */
    private static void rollBackSince(TestDatabase db, Path project, List<Object> before) {
        List<Object> now = history(db);
        long tenant = tenantCount(now) - tenantCount(before);
        long main = now.size() - before.size() - tenant;
        if (tenant > 0) {
            migrator(db, project, Scope.TENANT).rollback((int) tenant);
        }
        if (main > 0) {
            migrator(db, project, Scope.MAIN).rollback((int) main);
        }
    }

    private static long tenantCount(List<Object> history) {
        return history.stream().filter(v -> v.toString().startsWith("tenant ")).count();
    }

    private static Codegen codegen(Path project, Domain domain, List<String> hints) {
        return new Codegen(project, domain, PLUGINS, Renames.hints(hints), CLOCK);
    }

    /** Guards the generator: tenant migrations and populated migrations must really take part. */
    @AfterAll
    static void tenantTablesAndDataTookPart() {
        System.err.println("round trip with data: " + MIGRATED.get() + " of " + PAIRS + " pairs migrated A->B, "
                + "refused by SQL state: " + REFUSED);
        assertThat(PAIRS_WITH_TENANT_TABLES.get()).as("pairs whose B has tenant tables").isGreaterThan(PAIRS / 10);
        assertThat(MIGRATED.get()).as("pairs that migrated A->B with data").isGreaterThan(PAIRS / 3);
    }

    private static Migrator migrator(TestDatabase db, Path project, Scope scope) {
        Migrator migrator = new Migrator(db.dataSource(), Codegen.migrations(project, scope)).progress(line -> { });
        return scope == Scope.MAIN ? migrator : migrator.forSchema(RoundTripCatalog.TENANT_SCHEMA);
    }

    private static void migrate(TestDatabase db, Path project) {
        migrator(db, project, Scope.MAIN).migrate();
        migrator(db, project, Scope.TENANT).migrate();
    }

    private static List<Object> history(TestDatabase db) {
        List<Object> versions = new java.util.ArrayList<>(db.query("SELECT version FROM public.ashlar_schema_migrations "
                + "ORDER BY version").stream().map(r -> r.get("version")).toList());
        if (db.value("SELECT to_regclass(?)::text", RoundTripCatalog.TENANT_SCHEMA + ".ashlar_schema_migrations") != null) {
            db.query("SELECT version FROM " + RoundTripCatalog.TENANT_SCHEMA + ".ashlar_schema_migrations ORDER BY version")
                    .forEach(r -> versions.add("tenant " + r.get("version")));
        }
        return versions;
    }

    /** The main schemas are left for the migrations to create: a table in a named schema must not need it made first. */
    private static void reset(TestDatabase db) {
        db.execute("DROP SCHEMA IF EXISTS " + RoundTripCatalog.TENANT_SCHEMA + " CASCADE; DROP SCHEMA IF EXISTS "
                + DomainGenerator.SCHEMA + ", " + DomainGenerator.OTHER_SCHEMA + " CASCADE; CREATE SCHEMA "
                + RoundTripCatalog.TENANT_SCHEMA
                + "; DROP TABLE IF EXISTS public.ashlar_schema_migrations, public.ashlar_migration_progress;"
                + " DROP EXTENSION IF EXISTS pg_trgm, citext");
    }
}
