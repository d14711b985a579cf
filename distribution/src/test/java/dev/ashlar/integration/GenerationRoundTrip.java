package dev.ashlar.integration;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.plugins.checks.ChecksPlugin;
import dev.ashlar.plugins.indexes.IndexesPlugin;
import dev.ashlar.plugins.references.ReferencesPlugin;
import dev.ashlar.plugins.tenancy.TenancyPlugin;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.Catalog;
import dev.ashlar.testing.TestDatabase;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A project generated with every schema plugin installed, whose migrations are proved both ways on a database that
 * holds rows: each applies, generating again finds nothing to do, rolling it back leaves the catalog (columns,
 * constraints with their deferral and validity, indexes, enum types and their labels, sequences) as it was, and
 * applying it again gives the same catalog as the first time.
 */
final class GenerationRoundTrip {
    static final Plugins PLUGINS = Plugins.none().with(new ReferencesPlugin()).with(new ChecksPlugin())
            .with(new IndexesPlugin()).with(new TenancyPlugin());

    private final Path project;
    private final TestDatabase db;
    private final List<String> schemas;
    private String tenantSchema;
    private int generation;

    /** The project folder, its database and the schemas whose catalog the round trip compares. */
    GenerationRoundTrip(Path project, TestDatabase db, String... schemas) {
        this.project = project;
        this.db = db;
        this.schemas = new ArrayList<>(List.of(schemas));
    }

    Codegen codegen(Domain domain, String... hints) {
        // Hints are checked against the resources first, as the command line does.
        return codegen(domain, Renames.hints(List.of(hints))).checkRenameHints(List.of(hints));
    }

    /** A generation deciding renames as {@code renames} does, e.g. by answering questions. */
    Codegen codegen(Domain domain, Renames renames) {
        // A minute apart, so that each generation's files and snapshots sort after the last.
        Clock clock = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z").plusSeconds(60L * generation++), ZoneOffset.UTC);
        return new Codegen(project, domain, PLUGINS, renames, clock);
    }

    /**
     * Also proves the tenant migrations on the given tenant schema, which the catalog then covers too: applied after
     * the main schema's and rolled back before them, as {@code migrate --tenants} and {@code rollback --tenants} do.
     */
    GenerationRoundTrip withTenant(String schema) {
        db.execute("CREATE SCHEMA IF NOT EXISTS " + Identifiers.quote(schema));
        this.tenantSchema = schema;
        if (!schemas.contains(schema)) {
            schemas.add(schema);
        }
        return this;
    }

    Migrator tenantMigrator() {
        return new Migrator(db.dataSource(), Codegen.migrations(project, Scope.TENANT)).progress(line -> { })
                .forSchema(tenantSchema);
    }

    /** Applies the pending main migrations, then those of the tenant schema if there is one. */
    void migrate() {
        migrator().migrate();
        if (tenantSchema != null) {
            tenantMigrator().migrate();
        }
    }

    private void rollback(List<Path> files) {
        long tenantFiles = files.stream().filter(f -> f.startsWith(Codegen.migrations(project, Scope.TENANT))).count();
        if (tenantFiles > 0) {
            tenantMigrator().rollback((int) tenantFiles);
        }
        if (files.size() > tenantFiles) {
            migrator().rollback((int) (files.size() - tenantFiles));
        }
    }

    Migrator migrator() {
        return new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).progress(line -> { });
    }

    /** The catalog of the project's schemas, without the migrator's own tables. */
    List<String> catalog() {
        List<String> lines = new ArrayList<>();
        for (String schema : schemas) {
            lines.addAll(Catalog.of(db, schema));
        }
        lines.addAll(db.query("""
                SELECT 'enum ' || n.nspname || '.' || t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS line
                  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
                 WHERE n.nspname = ANY (?::text[]) GROUP BY n.nspname, t.typname
                UNION ALL
                SELECT 'sequence ' || n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = ANY (?::text[]) AND c.relkind = 'S'
                UNION ALL
                SELECT 'constraint state ' || k.conname || ' deferrable=' || k.condeferrable || ' deferred=' || k.condeferred
                       || ' valid=' || k.convalidated FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace
                 WHERE n.nspname = ANY (?::text[])
                UNION ALL
                SELECT 'index state ' || c.relname || ' valid=' || i.indisvalid FROM pg_index i
                  JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = ANY (?::text[])
                ORDER BY 1
                """, schemaArray(), schemaArray(), schemaArray(), schemaArray())
                .stream().map(row -> (String) row.get("line")).toList());
        lines.removeIf(line -> line.contains("ashlar_"));
        return lines;
    }

    private String schemaArray() {
        return "{" + String.join(",", schemas.stream().map(s -> "\"" + s + "\"").toList()) + "}";
    }

    /** Generates the migration to the domain and proves it both ways; see the class comment. */
    Codegen.Result roundTrip(Domain domain, String name, String... hints) {
        return roundTrip(codegen(domain, hints), domain, name);
    }

    /** As {@link #roundTrip(Domain, String, String...)}, deciding renames as {@code renames} does. */
    Codegen.Result roundTrip(Domain domain, String name, Renames renames) {
        return roundTrip(codegen(domain, renames), domain, name);
    }

    private Codegen.Result roundTrip(Codegen codegen, Domain domain, String name) {
        List<String> before = catalog();
        Codegen.Result result = codegen.generate(name);
        migrate();
        List<String> after = catalog();

        assertThat(result.files()).as("files of " + name).isNotEmpty();
        assertThat(codegen(domain).check().steps()).as("a second generation after " + name).isEmpty();
        rollback(result.files());
        assertThat(catalog()).as("the catalog once " + name + " is rolled back").isEqualTo(before);
        migrate();
        assertThat(catalog()).as("the catalog once " + name + " is applied again").isEqualTo(after);
        return result;
    }

    static Domain domain(ResourceBuilder... resources) {
        return Domain.builder("shop").resources(Arrays.stream(resources).map(ResourceBuilder::build)
                .toArray(Resource[]::new)).build();
    }

    static ResourceBuilder resource(String name, String table) {
        return Resource.builder(name).table(table);
    }
}
