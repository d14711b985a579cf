package dev.ashlar.integration;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.MigrationFile;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.tenant.TenantSchemas;
import dev.ashlar.plugins.checks.CheckConstraints;
import dev.ashlar.plugins.checks.ChecksPlugin;
import dev.ashlar.plugins.tenancy.Multitenancy;
import dev.ashlar.plugins.tenancy.TenancyPlugin;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.UnaryOperator;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.plugins.checks.Check.check;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The safe forms of tenant migrations: a tenant schema that exists gets them file by file like the main schema
 * (the concurrent build outside a transaction), while a new tenant schema gets every file inside the
 * transaction that creates it, indexes built plainly, so that it exists whole or not at all.
 */
@ExtendWith(PostgresExtension.class)
class LiveTenantTablesTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
    private static final Plugins PLUGINS = Plugins.none().with(new ChecksPlugin()).with(new TenancyPlugin());

    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        db.query("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tenant\\_%'")
                .forEach(row -> db.execute("DROP SCHEMA " + row.get("nspname") + " CASCADE"));
    }

    private static Domain notes(boolean required, UnaryOperator<ResourceBuilder> more) {
        return Domain.builder("notes").resource(more.apply(Resource.builder("note").table("notes")
                .integerPrimaryKey("id").attribute("title", TEXT, a -> a.allowNil(!required))
                .attribute("stars", INTEGER).with(Multitenancy.context())).build()).build();
    }

    private Codegen codegen(Domain domain) {
        return new Codegen(project, domain, PLUGINS, Renames.none(), CLOCK);
    }

    private void createTenant(String schema, boolean commit) throws SQLException {
        try (Connection connection = db.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            new TenantSchemas(Codegen.migrations(project, Scope.TENANT)).create(connection, schema);
            if (commit) {
                connection.commit();
            } else {
                connection.rollback();
            }
            connection.setAutoCommit(true);
        }
    }

    /** The state of the notes table of a tenant schema: its index, its check, its not null, its rows. */
    private String state(String schema) {
        return db.query("SELECT (SELECT string_agg(c.relname || ':' || i.indisvalid, ',') FROM pg_index i "
                + "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = t.oid AND NOT i.indisprimary) AS indexes, "
                + "(SELECT string_agg(conname || ':' || convalidated, ',' ORDER BY conname) FROM pg_constraint "
                + "WHERE conrelid = t.oid AND contype = 'c') AS checks, "
                + "(SELECT attnotnull FROM pg_attribute WHERE attrelid = t.oid AND attname = 'title') AS title_not_null "
                + "FROM pg_class t WHERE t.oid = to_regclass(? || '.notes')", schema).toString();
    }

    @Test
    void anExistingTenantGetsTheSafeFormsAndANewTenantGetsEveryFileInItsOwnTransaction() throws SQLException {
        codegen(notes(false, r -> r)).generate("create_notes");
        createTenant("tenant_a", true);
        db.execute("INSERT INTO tenant_a.notes (title, stars) SELECT 'note ' || i, i % 5 FROM generate_series(1, 500) i");

        Codegen.Result safe = codegen(notes(true, r -> r.identity("unique_title", "title")
                .with(CheckConstraints.of(check("stars_in_range").expression("stars >= 0").attributes("stars")))))
                .generate("safe_notes");

        assertThat(safe.files()).extracting(f -> MigrationFile.read(f).transactional()).containsExactly(true, false, true, true);
        assertThat(MigrationFile.read(safe.files().get(1)).up()).contains("CREATE UNIQUE INDEX CONCURRENTLY "
                + "\"notes_unique_title_index\" ON \"notes\" (\"title\");");
        new Migrator(db.dataSource(), Codegen.migrations(project, Scope.TENANT)).progress(line -> { })
                .forSchema("tenant_a").migrate();
        String migrated = "[{indexes=notes_unique_title_index:true, checks=notes_stars_in_range_check:true, "
                + "title_not_null=true}]";
        assertThat(state("tenant_a")).isEqualTo(migrated);
        assertThat(db.value("SELECT count(*) FROM tenant_a.notes")).isEqualTo(500L);

        createTenant("tenant_b", false);
        assertThat(db.value("SELECT count(*) FROM pg_namespace WHERE nspname = 'tenant_b'")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM public.ashlar_tenant_migrations WHERE schema_name = 'tenant_b'")).isEqualTo(0L);

        createTenant("tenant_b", true);
        assertThat(state("tenant_b")).isEqualTo(migrated);
        assertThat(db.value("SELECT count(*) FROM tenant_b.ashlar_schema_migrations")).isEqualTo(5L);
    }
}
