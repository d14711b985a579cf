package dev.ashlar.roundtrip;

import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.plugins.checks.ChecksPlugin;
import dev.ashlar.plugins.references.ReferencesPlugin;
import dev.ashlar.plugins.indexes.IndexesPlugin;
import dev.ashlar.plugins.tenancy.TenancyPlugin;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.Catalog;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bar for the migration engine's correctness. For many random pairs of domains A and B:
 * migrating an empty schema to A and then applying the generated A-to-B migration gives exactly
 * the catalog of migrating an empty schema straight to B; and the down migration returns exactly
 * to A's catalog. Replay a failure with {@code -Dashlar.roundtrip.seed=<seed>}.
 */
@ExtendWith(PostgresExtension.class)
class RoundTripPropertyTest {
    private static final long SEED = Long.getLong("ashlar.roundtrip.seed", 20261127L);
    private static final int PAIRS = Integer.getInteger("ashlar.roundtrip.pairs", 200);
    private static final Plugins PLUGINS = Plugins.none().with(new ReferencesPlugin()).with(new ChecksPlugin())
            .with(new IndexesPlugin()).with(new TenancyPlugin());
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path temporary;

    @TestFactory
    Stream<DynamicTest> migratingAThenAToBEqualsMigratingStraightToBAndDownReturnsToA(TestDatabase db) {
        Random random = new Random(SEED);
        DomainGenerator generator = new DomainGenerator(random, db.serverMajorVersion() >= 15);
        return IntStream.range(0, PAIRS).mapToObj(pair -> {
            List<DomainGenerator.Spec> a = generator.domain();
            DomainGenerator.Change change = generator.change(a);
            return DynamicTest.dynamicTest("pair " + pair + " (seed " + SEED + ")", () -> roundTrip(db, a, change, pair));
        });
    }

    private void roundTrip(TestDatabase db, List<DomainGenerator.Spec> specsA, DomainGenerator.Change change, int pair)
            throws IOException {
        Domain a = DomainGenerator.build(specsA);
        Domain b = DomainGenerator.build(change.specs());
        String context = "pair " + pair + " of seed " + SEED + "\nA:\n" + DomainGenerator.describe(a) + "B:\n"
                + DomainGenerator.describe(b) + "hints: " + change.hints();
        Path throughA = temporary.resolve("pair-" + pair + "-a");
        Path straight = temporary.resolve("pair-" + pair + "-b");

        reset(db);
        codegen(throughA, a, List.of()).generate("a");
        migrate(db, throughA);
        List<String> catalogA = catalog(db);
        Codegen.Result toB = codegen(throughA, b, change.hints()).generate("b");
        migrate(db, throughA);
        List<String> catalogAThenB = catalog(db);
        // Tenant files first: their tables may reference main tables, never the other way round.
        migrator(db, throughA, Scope.TENANT).rollback(files(toB, Scope.TENANT));
        migrator(db, throughA, Scope.MAIN).rollback(files(toB, Scope.MAIN));
        List<String> catalogBackToA = catalog(db);

        reset(db);
        codegen(straight, b, List.of()).generate("b");
        migrate(db, straight);
        List<String> catalogB = catalog(db);

        if (catalogB.stream().anyMatch(line -> line.startsWith("tenant "))) {
            PAIRS_WITH_TENANT_TABLES.incrementAndGet();
        }
        assertThat(catalogAThenB).as("A then A->B equals B straight, " + context).isEqualTo(catalogB);
        assertThat(catalogBackToA).as("down of A->B returns to A, " + context).isEqualTo(catalogA);
    }

    private static Codegen codegen(Path project, Domain domain, List<String> hints) {
        return new Codegen(project, domain, PLUGINS, Renames.hints(hints), CLOCK);
    }

    private static final java.util.concurrent.atomic.AtomicInteger PAIRS_WITH_TENANT_TABLES =
            new java.util.concurrent.atomic.AtomicInteger();

    /** Guards the generator: tenant migrations must really take part in the round trip. */
    @org.junit.jupiter.api.AfterAll
    static void tenantTablesTookPart() {
        assertThat(PAIRS_WITH_TENANT_TABLES.get()).as("pairs whose B has tenant tables").isGreaterThan(PAIRS / 10);
    }

    /** The schema that stands for every tenant's in the round trip. */
    private static final String TENANT_SCHEMA = "rt_tenant";

    private static Migrator migrator(TestDatabase db, Path project, Scope scope) {
        Migrator migrator = new Migrator(db.dataSource(), Codegen.migrations(project, scope)).progress(line -> { });
        return scope == Scope.MAIN ? migrator : migrator.forSchema(TENANT_SCHEMA);
    }

    private static void migrate(TestDatabase db, Path project) {
        migrator(db, project, Scope.MAIN).migrate();
        migrator(db, project, Scope.TENANT).migrate();
    }

    private static int files(Codegen.Result result, Scope scope) {
        Path folder = Codegen.migrations(Path.of("."), scope).getFileName();
        return (int) result.files().stream().filter(f -> f.getParent().getFileName().equals(folder)).count();
    }

    private static List<String> catalog(TestDatabase db) {
        List<String> lines = new java.util.ArrayList<>(Catalog.of(db, DomainGenerator.SCHEMA));
        Catalog.of(db, TENANT_SCHEMA).forEach(line -> lines.add("tenant " + line));
        return lines;
    }

    private static void reset(TestDatabase db) {
        db.execute("DROP SCHEMA IF EXISTS " + TENANT_SCHEMA + " CASCADE; DROP SCHEMA IF EXISTS " + DomainGenerator.SCHEMA
                + " CASCADE; CREATE SCHEMA " + DomainGenerator.SCHEMA + "; CREATE SCHEMA " + TENANT_SCHEMA
                + "; DROP TABLE IF EXISTS public.ashlar_schema_migrations");
    }
}
