package dev.ashlar.kernel.codegen;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.PartitionMethod;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.schema.Scope;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.function.UnaryOperator;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A partitioned table is created partitioned, and what later migrations add to it works on a partitioned table. */
class PartitionedTableCodegenTest extends FreshSchemaTest {
    private static Domain events(UnaryOperator<ResourceBuilder> more) {
        return Domain.builder("events").resource(more.apply(Resource.builder("event").table("events")
                .integerPrimaryKey("id")
                .attribute("region", TEXT, a -> a.notNull().primaryKey())
                .attribute("code", TEXT)
                .partitionBy(PartitionMethod.LIST, "region")).build()).build();
    }

    private void generateAndMigrate(Domain domain, String name) throws IOException {
        new Codegen(project, domain, Plugins.none(), Renames.none(), CLOCK)
                .generate(name);
        new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).migrate();
    }

    @Test
    void anIdentityAddedToAPopulatedPartitionedTableIsBuiltOnTheParentAndEveryPartition() throws IOException {
        generateAndMigrate(events(e -> e), "create_events");
        db.execute("CREATE TABLE events_eu PARTITION OF events FOR VALUES IN ('eu'); "
                + "CREATE TABLE events_us PARTITION OF events FOR VALUES IN ('us'); "
                + "INSERT INTO events (region, code) SELECT CASE WHEN g % 2 = 0 THEN 'eu' ELSE 'us' END, 'c' || g "
                + "FROM generate_series(1, 1000) AS g");

        new Codegen(project, events(e -> e.attribute("slot", INTEGER).identity("unique_code", "region", "code")),
                Plugins.none(), Renames.none(), java.time.Clock.offset(CLOCK, java.time.Duration.ofMinutes(1)))
                .generate("add_unique_code");
        new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).migrate();

        assertThat(db.value("SELECT partstrat::text FROM pg_partitioned_table "
                + "WHERE partrelid = 'public.events'::regclass")).isEqualTo("l");
        assertThat(db.query("SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                + "WHERE i.indisunique AND NOT i.indisprimary AND i.indrelid IN ('public.events'::regclass, "
                + "'public.events_eu'::regclass, 'public.events_us'::regclass) ORDER BY 1"))
                .extracting(row -> row.get("indisvalid")).containsExactly(true, true, true);
        assertThat(db.value("SELECT count(*) FROM events")).isEqualTo(1000L);
    }

    @Test
    void aNotNullColumnWithADefaultAndAReferenceColumnAddedToAPopulatedPartitionedTableReachItsPartitions() throws IOException {
        generateAndMigrate(events(e -> e), "create_events");
        db.execute("CREATE TABLE events_eu PARTITION OF events FOR VALUES IN ('eu'); "
                + "INSERT INTO events (region, code) VALUES ('eu', 'a'), ('eu', 'b')");
        Domain later = Domain.builder("events").resource(Resource.builder("venue").table("venues")
                        .integerPrimaryKey("id").build())
                .resource(Resource.builder("event").table("events")
                        .integerPrimaryKey("id")
                        .attribute("region", TEXT, a -> a.notNull().primaryKey())
                        .attribute("code", TEXT)
                        .attribute("kind", TEXT, a -> a.notNull().defaultValue("talk"))
                        .belongsTo("venue", "venue")
                        .partitionBy(PartitionMethod.LIST, "region").build())
                .build();

        new Codegen(project, later, Plugins.none(), Renames.none(),
                java.time.Clock.offset(CLOCK, java.time.Duration.ofMinutes(1))).generate("add_kind_and_venue");
        new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).migrate();

        assertThat(db.query("SELECT kind FROM events_eu")).extracting(row -> row.get("kind"))
                .containsExactly("talk", "talk");
        assertThat(db.value("SELECT attnotnull FROM pg_attribute WHERE attrelid = 'public.events_eu'::regclass "
                + "AND attname = 'kind'")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM pg_attribute WHERE attrelid = 'public.events_eu'::regclass "
                + "AND attname = 'venue_id'")).isEqualTo(1L);
    }

    @Test
    void aPartitionedTableThatWouldLoseOrChangeItsPartitioningIsRefusedBeforeAnythingIsWritten() throws IOException {
        generateAndMigrate(events(e -> e), "create_events");
        UnaryOperator<ResourceBuilder> unpartitioned = e -> e.table("events").integerPrimaryKey("id")
                .attribute("region", TEXT, a -> a.notNull().primaryKey()).attribute("code", TEXT)
                .identity("unique_code", "region", "code");

        assertThatThrownBy(() -> generate(unpartitioned)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("resource 'event'")
                .hasMessageContaining("table public.events exists PARTITION BY LIST (\"region\") and would be "
                        + "unpartitioned, which PostgreSQL cannot change in place")
                .hasMessageContaining("create the new one under another table name, copy the rows");
        assertThatThrownBy(() -> generate(e -> unpartitioned.apply(e).partitionBy(PartitionMethod.HASH, "region")))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("would be PARTITION BY HASH (\"region\")");
        assertThat(Codegen.migrations(project, Scope.MAIN).toFile().list()).hasSize(1);
    }

    private void partitionsWithRows() {
        db.execute("CREATE TABLE events_eu PARTITION OF events FOR VALUES IN ('eu'); "
                + "CREATE TABLE events_us PARTITION OF events FOR VALUES IN ('us'); "
                + "CREATE TABLE archived PARTITION OF events FOR VALUES IN ('old'); "
                + "INSERT INTO events (region, code) SELECT (ARRAY['eu', 'us', 'old'])[g % 3 + 1], 'c' || g "
                + "FROM generate_series(1, 300) AS g");
    }

    /** The partitions of the table and the names of their indexes, with the rows each holds. */
    private java.util.List<String> partitions(String table) {
        return db.query("SELECT c.relname || ' ' || (SELECT string_agg(ic.relname, ',' ORDER BY ic.relname) "
                + "FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid WHERE x.indrelid = c.oid) AS part "
                + "FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'public." + table
                + "'::regclass ORDER BY 1").stream().map(row -> (String) row.get("part")).toList();
    }

    @Test
    void aRenamedPartitionedTableRenamesThePartitionsNamedAfterItAndTheirIndexesKeepingTheRowsAndBackOnRollback()
            throws IOException {
        generateAndMigrate(events(e -> e), "create_events");
        partitionsWithRows();
        java.util.List<String> before = partitions("events");

        Migrator migrator = generateRenamed(e -> e.table("incidents"), "events=incidents");
        migrator.migrate();

        // A partition named otherwise keeps its name: it was not named after the table.
        assertThat(partitions("incidents")).containsExactly("archived archived_pkey",
                "incidents_eu incidents_eu_pkey", "incidents_us incidents_us_pkey");
        assertThat(db.value("SELECT count(*) FROM incidents_eu")).isEqualTo(100L);
        assertThat(db.value("SELECT count(*) FROM incidents")).isEqualTo(300L);

        migrator.rollback(1);
        assertThat(partitions("events")).isEqualTo(before);
        assertThat(db.value("SELECT count(*) FROM events")).isEqualTo(300L);
    }

    @Test
    void aPartitionedTableMovedToAnotherSchemaAndRenamedTakesItsPartitionsAlongAndBackOnRollback() throws IOException {
        db.execute("DROP SCHEMA IF EXISTS archive CASCADE");
        generateAndMigrate(events(e -> e), "create_events");
        partitionsWithRows();
        java.util.List<String> before = partitions("events");

        Migrator migrator = generateRenamed(e -> e.table("incidents").schema("archive"),
                "public.events=archive.incidents");
        migrator.migrate();

        assertThat(db.query("SELECT n.nspname || '.' || c.relname AS part FROM pg_inherits i "
                + "JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE i.inhparent = 'archive.incidents'::regclass ORDER BY 1")).extracting(row -> row.get("part"))
                .containsExactly("archive.archived", "archive.incidents_eu", "archive.incidents_us");
        assertThat(db.value("SELECT count(*) FROM archive.incidents_us")).isEqualTo(100L);

        migrator.rollback(1);
        assertThat(partitions("events")).isEqualTo(before);
        assertThat(db.value("SELECT count(*) FROM public.events_eu")).isEqualTo(100L);
    }

    @Test
    void aRenameThatWouldNameAPartitionOrItsIndexOver63BytesFailsNamingItAndChangesNothing() throws IOException {
        generateAndMigrate(events(e -> e), "create_events");
        partitionsWithRows();
        java.util.List<String> before = partitions("events");
        String longName = "incidents_recorded_by_the_regional_offices_every_day_01234";
        Migrator migrator = generateRenamed(e -> e.table(longName), "events=" + longName);

        assertThatThrownBy(migrator::migrate)
                .hasMessageContaining("Index public.events_eu_pkey of partition public.events_eu of table public."
                        + longName + " would be named " + longName + "_eu_pkey, which is 66 bytes long, and PostgreSQL "
                        + "cuts names at 63 bytes")
                .hasMessageContaining("Nothing was changed")
                .hasMessageContaining("a shorter table name, or rename the partitions in a migration before this one");
        assertThat(partitions("events")).isEqualTo(before);
        assertThat(db.value("SELECT count(*) FROM events")).isEqualTo(300L);
    }

    /** Generates the migration of the events table to {@code changed}, with the rename hint, and its migrator. */
    private Migrator generateRenamed(UnaryOperator<ResourceBuilder> changed, String hint) {
        new Codegen(project, events(changed), Plugins.none(), Renames.hints(java.util.List.of(hint)),
                java.time.Clock.offset(CLOCK, java.time.Duration.ofMinutes(1))).generate("rename");
        return new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN));
    }

    private void generate(UnaryOperator<ResourceBuilder> event) {
        new Codegen(project, Domain.builder("events").resource(event.apply(Resource.builder("event")).build()).build(),
                Plugins.none(), Renames.none(), java.time.Clock.offset(CLOCK, java.time.Duration.ofMinutes(1)))
                .generate("repartition");
    }
}
