package dev.ashlar.kernel.codegen;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.resource.CustomExtension;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.schema.Scope;
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

import static dev.ashlar.api.resource.Type.INTEGER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Versioned extensions of the application's own (AshPostgres's {@code CustomExtension} in {@code installed_extensions}). */
@ExtendWith(PostgresExtension.class)
class CustomExtensionsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T11:00:00Z"), ZoneOffset.UTC);

    /** Version 1 adds {@code app_double}, version 2 {@code app_triple}. */
    record Functions(int latestVersion) implements CustomExtension {
        @Override
        public String name() {
            return "app_functions";
        }

        @Override
        public String install(int fromVersion) {
            StringBuilder sql = new StringBuilder();
            if (fromVersion < 1) {
                sql.append("CREATE FUNCTION public.app_double(x integer) RETURNS integer LANGUAGE sql IMMUTABLE "
                        + "AS 'SELECT x * 2';\n");
            }
            if (fromVersion < 2 && latestVersion >= 2) {
                sql.append("CREATE FUNCTION public.app_triple(x integer) RETURNS integer LANGUAGE sql IMMUTABLE "
                        + "AS 'SELECT x * 3';\n");
            }
            return sql.toString();
        }

        @Override
        public String uninstall(int toVersion) {
            StringBuilder sql = new StringBuilder();
            if (latestVersion >= 2 && toVersion < 2) {
                sql.append("DROP FUNCTION public.app_triple(integer);\n");
            }
            if (toVersion < 1) {
                sql.append("DROP FUNCTION public.app_double(integer);\n");
            }
            return sql.toString();
        }
    }

    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    private static Domain domain(CustomExtension... extensions) {
        return Domain.builder("shop").customExtensions(extensions)
                .resource(Resource.builder("item").table("items").primaryKey("id")
                        .attribute("score", INTEGER, a -> a.migrationDefault("app_double(21)")).build())
                .build();
    }

    private Codegen.Result generate(Domain domain, String name) {
        return new Codegen(project, domain, Plugins.none(), Renames.none(), CLOCK).generate(name);
    }

    private Migrator migrator() {
        return new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).progress(line -> { });
    }

    private List<Object> functions() {
        return db.query("SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace ORDER BY 1").stream()
                .map(r -> r.get("proname")).toList();
    }

    @Test
    void installsBeforeTheTablesRecordsItsVersionAndUninstallsOnRollback() throws IOException {
        Codegen.Result created = generate(domain(new Functions(1)), "create");
        migrator().migrate();

        String file = Files.readString(created.files().get(0));
        assertThat(file.indexOf("CREATE FUNCTION public.app_double")).isPositive()
                .isLessThan(file.indexOf("CREATE TABLE"));
        assertThat(functions()).containsExactly("app_double");
        db.execute("INSERT INTO items DEFAULT VALUES");
        assertThat(db.value("SELECT score FROM items")).isEqualTo(42);
        assertThat(Files.readString(Files.list(project.resolve("resource_snapshots/_extensions")).findFirst()
                .orElseThrow())).containsSubsequence("\"custom_extensions\"", "\"name\" : \"app_functions\"",
                "\"version\" : 1");
        assertThat(new Codegen(project, domain(new Functions(1)), Plugins.none(), Renames.none(), CLOCK).check()
                .steps()).isEmpty();

        migrator().rollback(1);
        assertThat(functions()).isEmpty();
    }

    @Test
    void aNewerVersionInstallsFromTheVersionTheSnapshotsRecordAndRollsBackToIt() throws IOException {
        generate(domain(new Functions(1)), "create");
        migrator().migrate();

        Codegen.Result upgraded = generate(domain(new Functions(2)), "upgrade_functions");
        migrator().migrate();

        String file = Files.readString(upgraded.files().get(0));
        assertThat(file).contains("app_triple").doesNotContain("CREATE FUNCTION public.app_double")
                .contains("app_functions from version 1 to 2");
        assertThat(functions()).containsExactly("app_double", "app_triple");
        assertThat(db.value("SELECT app_triple(2)")).isEqualTo(6);

        migrator().rollback(1);
        assertThat(functions()).containsExactly("app_double");
    }

    @Test
    void anExtensionNoLongerListedStaysInstalledAndTheSnapshotsForgetIt() {
        generate(domain(new Functions(1)), "create");
        migrator().migrate();

        Codegen.Result forgotten = generate(Domain.builder("shop")
                .resource(Resource.builder("item").table("items").primaryKey("id")
                        .attribute("score", INTEGER, a -> a.migrationDefault("app_double(21)")).build())
                .build(), "forget_functions");
        migrator().migrate();

        assertThat(forgotten.changed()).isTrue();
        assertThat(functions()).containsExactly("app_double");
        assertThat(generate(domain(new Functions(1)), "again").files()).isNotEmpty();
    }

    @Test
    void anOlderVersionThanTheSnapshotsRecordIsRefusedNamingTheExtension() {
        generate(domain(new Functions(2)), "create");

        assertThatThrownBy(() -> generate(domain(new Functions(1)), "downgrade"))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("app_functions")
                .hasMessageContaining("latestVersion() 1")
                .hasMessageContaining("version 2");
    }

    @Test
    void aBadNameAVersionBelowOneAndANameGivenTwiceAreRefusedWhenTheDomainIsBuilt() {
        CustomExtension badName = new CustomExtension() {
            public String name() {
                return "app functions";
            }

            public int latestVersion() {
                return 1;
            }

            public String install(int fromVersion) {
                return "";
            }

            public String uninstall(int toVersion) {
                return "";
            }
        };
        assertThatThrownBy(() -> domain(badName)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("'app functions'").hasMessageContaining("letters, digits");
        assertThatThrownBy(() -> domain(new Functions(0))).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("app_functions").hasMessageContaining("latestVersion()");
        assertThatThrownBy(() -> domain(new Functions(1), new Functions(2))).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("app_functions").hasMessageContaining("twice");
        assertThatThrownBy(() -> Domain.builder("shop").extensions("app_functions").customExtensions(new Functions(1))
                .build()).isInstanceOf(DefinitionException.class).hasMessageContaining("app_functions");
    }

    @Test
    void anInstallHoldingAMigrateMarkerLineIsRefusedNamingTheExtensionAndNothingIsWritten() throws IOException {
        CustomExtension marked = new CustomExtension() {
            public String name() {
                return "app_functions";
            }

            public int latestVersion() {
                return 1;
            }

            public String install(int fromVersion) {
                return "-- migrate:down\n" + new Functions(1).install(fromVersion);
            }

            public String uninstall(int toVersion) {
                return new Functions(1).uninstall(toVersion);
            }
        };

        assertThatThrownBy(() -> generate(domain(marked), "create")).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("install custom extension app_functions at version 1")
                .hasMessageContaining("'-- migrate:'")
                .hasMessageContaining("uninstall(...) SQL of custom extension 'app_functions'");
        Path migrations = Codegen.migrations(project, Scope.MAIN);
        assertThat(Files.exists(migrations) ? Files.list(migrations).count() : 0L).isZero();
        assertThat(functions()).isEmpty();
    }
}
