package dev.ashlar.kernel.codegen;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.spi.plugin.SchemaContributor;
import dev.ashlar.spi.schema.ObjectKind;
import dev.ashlar.spi.schema.SchemaContext;
import dev.ashlar.spi.schema.SchemaObject;
import dev.ashlar.spi.schema.SchemaObject.ServerRequirement;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.Catalog;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Assumptions;
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
import java.util.Map;

import static dev.ashlar.api.resource.Type.CITEXT;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.UUID;
import static dev.ashlar.api.resource.Type.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Extensions a domain lists, the types that need them, and the oldest server a domain must run on. */
@ExtendWith(PostgresExtension.class)
class ExtensionsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T11:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public; "
                + "DROP EXTENSION IF EXISTS citext, pg_trgm, \"uuid-ossp\" CASCADE");
    }

    private static Resource user() {
        return Resource.builder("user").table("users").uuidPrimaryKey("id")
                .attribute("email", CITEXT, a -> a.notNull()).identity("unique_email", "email")
                .attribute("token", UUID, a -> a.notNull().migrationDefault("uuid_generate_v4()")).build();
    }

    private Codegen codegen(Domain domain) {
        return new Codegen(project, domain, Plugins.none(), Renames.none(), CLOCK);
    }

    private Migrator migrator() {
        return new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN));
    }

    private List<Object> installed() {
        return db.query("SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY 1").stream()
                .map(r -> r.get("extname")).toList();
    }

    private boolean available(String extension) {
        return !db.query("SELECT 1 FROM pg_available_extensions WHERE name = ?", extension).isEmpty();
    }

    @Test
    void extensionsAreInstalledBeforeTheTablesThatNeedThemAndRecordedInTheSnapshots() throws IOException {
        Domain domain = Domain.builder("accounts").extensions("citext", "pg_trgm", "uuid-ossp").resource(user()).build();

        Codegen.Result created = codegen(domain).generate("create");
        migrator().migrate();

        String file = Files.readString(created.files().get(0));
        assertThat(file.indexOf("CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\";"))
                .isPositive().isLessThan(file.indexOf("CREATE TABLE"));
        assertThat(installed()).containsExactly("citext", "pg_trgm", "uuid-ossp");
        assertThat(Catalog.of(db, "public")).contains("column users.email citext not null",
                "column users.token uuid not null default uuid_generate_v4()");
        assertThat(Files.readString(Files.list(project.resolve("resource_snapshots/_extensions")).findFirst()
                .orElseThrow())).contains("\"citext\"", "\"pg_trgm\"", "\"uuid-ossp\"");
        assertThat(codegen(domain).check().steps()).isEmpty();

        migrator().rollback(1);
        assertThat(installed()).isEmpty();
    }

    @Test
    void citextComparesAndStaysUniqueWithoutCaseThroughTheDataLayer() {
        Domain domain = Domain.builder("accounts").extensions("citext", "uuid-ossp").resource(user()).build();
        codegen(domain).generate("create");
        migrator().migrate();

        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(domain).build()) {
            Row ada = ashlar.create("user", Map.of("email", "Ada@Example.org"));

            assertThat(ashlar.read("user").where(Filter.eq("email", "ada@EXAMPLE.org")).list())
                    .extracting(r -> r.get("id")).containsExactly(ada.get("id"));
            assertThatThrownBy(() -> ashlar.create("user", Map.of("email", "ADA@example.org")))
                    .isInstanceOf(InvalidDataException.class).hasMessageContaining("email");
            assertThat(ashlar.read("user").where(Filter.in("email", List.of("ADA@EXAMPLE.ORG"))).count()).isEqualTo(1);
            assertThat(ashlar.read("user").where(Filter.contains("email", "a@EXAMPLE")).count()).isEqualTo(1);
            assertThat(ashlar.read("user").where(Filter.contains("email", "%")).count()).isZero();
        }
    }

    @Test
    void anExtensionNoLongerListedStaysInstalledAndLeavesTheSnapshots() throws IOException {
        Resource note = Resource.builder("note").table("notes").primaryKey("id").attribute("body", TEXT).build();
        codegen(Domain.builder("notes").extensions("citext", "pg_trgm").resource(note).build()).generate("create");
        migrator().migrate();

        Codegen.Result forgotten = codegen(Domain.builder("notes").extensions("citext").resource(note).build())
                .generate("forget");
        migrator().migrate();

        assertThat(forgotten.steps()).extracting(s -> s.describe()).containsExactly("stop recording extension pg_trgm");
        assertThat(Files.readString(forgotten.files().get(0))).doesNotContain("DROP EXTENSION");
        assertThat(installed()).containsExactly("citext", "pg_trgm");
        assertThat(codegen(Domain.builder("notes").extensions("citext").resource(note).build()).check().steps()).isEmpty();
        migrator().rollback(1);
        assertThat(installed()).containsExactly("citext", "pg_trgm");
    }

    @Test
    void aVectorColumnStoresAndReadsEmbeddingsWherePgvectorIsInstalled() {
        Assumptions.assumeTrue(available("vector"), "pgvector is not installed on this PostgreSQL server");
        db.execute("DROP EXTENSION IF EXISTS vector CASCADE");
        Resource doc = Resource.builder("doc").table("docs").primaryKey("id").attribute("embedding", vector(3)).build();
        Domain domain = Domain.builder("search").extensions("vector").resource(doc).build();
        codegen(domain).generate("create");
        migrator().migrate();

        assertThat(Catalog.of(db, "public")).contains("column docs.embedding vector(3)");
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(domain).build()) {
            Row row = ashlar.create("doc", Map.of("embedding", new float[] {1f, 2.5f, -3f}));
            assertThat((float[]) ashlar.get("doc", row.get("id")).get("embedding")).containsExactly(1f, 2.5f, -3f);
            assertThatThrownBy(() -> ashlar.create("doc", Map.of("embedding", new float[] {1f})))
                    .isInstanceOf(InvalidDataException.class).hasMessageContaining("must have 3 dimensions");
        }
    }

    /** A plugin whose object needs PostgreSQL 15, as a unique index with NULLS NOT DISTINCT does. */
    private static final class NeedsFifteen implements AshlarPlugin, SchemaContributor {
        @Override
        public String id() {
            return "needs-fifteen";
        }

        @Override
        public List<SchemaObject> schemaObjects(SchemaContext context) {
            String name = context.resource().table() + "_code_key";
            return List.of(SchemaObject.builder(name, ObjectKind.INDEX)
                    .up("CREATE UNIQUE INDEX " + name + " ON " + context.tableSql() + " (body) NULLS NOT DISTINCT;")
                    .down("DROP INDEX " + name + ";")
                    .requires(new ServerRequirement(15, "NULLS NOT DISTINCT")).build());
        }
    }

    @Test
    void aMinimumPostgresVersionRefusesAtCodegenAFeatureThatNeedsANewerServer() {
        Resource note = Resource.builder("note").table("notes").primaryKey("id").attribute("body", TEXT).build();
        Plugins plugins = Plugins.none().with(new NeedsFifteen());

        assertThatThrownBy(() -> new Codegen(project, Domain.builder("notes").minimumPostgresVersion(13).resource(note)
                .build(), plugins, Renames.none(), CLOCK).generate("create"))
                .isInstanceOf(DefinitionException.class)
                .hasMessage("Domain 'notes': resource 'note', 'notes_code_key': uses NULLS NOT DISTINCT, which needs "
                        + "PostgreSQL 15, but the domain must run on PostgreSQL 13 (minimumPostgresVersion); remove the "
                        + "feature or raise minimumPostgresVersion to 15");
        assertThat(project.resolve("migrations")).doesNotExist();
        assertThat(new Codegen(project, Domain.builder("notes").minimumPostgresVersion(15).resource(note).build(),
                plugins, Renames.none(), CLOCK).generate("create").files()).hasSize(1);
    }
}
