package dev.ashlar.plugins.indexes;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.schema.Scope;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;


import static dev.ashlar.plugins.indexes.CustomStatements.statement;
import static org.assertj.core.api.Assertions.assertThat;

/** A global statement of a tenant resource runs once, in the main migrations; the others run in each tenant schema. */
class GlobalStatementTest extends ProjectTest {

    private static Resource withStatements(boolean global) {
        return CustomIndexMigrationTest.users().with(CustomStatements.of(
                statement("shared_function").global(global)
                        .up("CREATE FUNCTION public.shared_answer() RETURNS integer LANGUAGE sql AS 'SELECT 42'")
                        .down("DROP FUNCTION public.shared_answer()"),
                statement("tenant_view").up("CREATE VIEW user_emails AS SELECT email FROM users")
                        .down("DROP VIEW user_emails"))).build();
    }

    /** Tenant schemas outlive a test (only public is emptied): each test starts without those of the others. */
    @BeforeEach
    void dropTenantSchemas() {
        db.execute("DROP SCHEMA IF EXISTS first_a, first_b, second_a, third_a, third_b CASCADE");
    }

    private Codegen.Result generate(String name, Resource users) {
        return new Codegen(directory, Domain.builder("app").resource(users).build(),
                Plugins.none().with(new IndexesPlugin()).with(new TenantIndexTest.EveryTableInTenants()),
                Renames.none(), Clock.systemUTC()).generate(name);
    }

    private Migrator main() {
        return new Migrator(db.dataSource(), Codegen.migrations(directory, Scope.MAIN)).progress(line -> { });
    }

    private Migrator tenant(String schema) {
        return new Migrator(db.dataSource(), Codegen.migrations(directory, Scope.TENANT)).progress(line -> { })
                .forSchema(schema);
    }

    private static String texts(Scope scope, Path directory) {
        try (Stream<Path> files = Files.list(Codegen.migrations(directory, scope))) {
            return String.join("\n", files.sorted().map(Project::text).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Object> functions() {
        return db.query("SELECT n.nspname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                + "WHERE p.proname = 'shared_answer' ORDER BY 1").stream().map(row -> row.get("nspname")).toList();
    }

    private List<Object> views() {
        return db.query("SELECT schemaname FROM pg_views WHERE viewname = 'user_emails' ORDER BY 1").stream()
                .map(row -> row.get("schemaname")).toList();
    }

    @Test
    void aGlobalStatementRunsOnceInTheMainMigrationsAndTenantSchemasCreatedLaterDoNotRunIt() {
        generate("create_users", withStatements(true));
        db.execute("CREATE SCHEMA first_a");

        main().migrate();
        tenant("first_a").migrate();
        db.execute("CREATE SCHEMA first_b");
        tenant("first_b").migrate();

        assertThat(texts(Scope.MAIN, directory)).containsOnlyOnce("CREATE FUNCTION public.shared_answer()")
                .doesNotContain("CREATE VIEW");
        assertThat(texts(Scope.TENANT, directory)).doesNotContain("shared_answer").contains("CREATE VIEW user_emails");
        assertThat(functions()).containsExactly("public");
        assertThat(db.value("SELECT public.shared_answer()")).isEqualTo(42);
        assertThat(views()).containsExactly("first_a", "first_b");
    }

    @Test
    void removingAGlobalStatementDropsItFromMainAndItsDownCreatesItAgain() {
        generate("create_users", withStatements(true));
        db.execute("CREATE SCHEMA second_a");
        main().migrate();
        tenant("second_a").migrate();

        Codegen.Result removal = generate("drop_function", CustomIndexMigrationTest.users().with(CustomStatements.of(
                statement("tenant_view").up("CREATE VIEW user_emails AS SELECT email FROM users")
                        .down("DROP VIEW user_emails"))).build());
        main().migrate();
        tenant("second_a").migrate();

        assertThat(removal.files()).hasSize(1);
        assertThat(removal.files().get(0)).startsWith(Codegen.migrations(directory, Scope.MAIN));
        assertThat(functions()).isEmpty();
        main().rollback(1);
        assertThat(functions()).containsExactly("public");
    }

    @Test
    void turningGlobalOffMovesTheStatementFromMainIntoEachTenantSchemaAndBackOnRollback() {
        db.execute("CREATE SCHEMA third_a; CREATE SCHEMA third_b");
        generate("create_users", withStatements(true));
        main().migrate();
        tenant("third_a").migrate();
        tenant("third_b").migrate();

        generate("per_tenant", CustomIndexMigrationTest.users().with(CustomStatements.of(statement("shared_function")
                .up("CREATE FUNCTION shared_answer() RETURNS integer LANGUAGE sql AS 'SELECT 42'")
                .down("DROP FUNCTION shared_answer()"))).build());
        main().migrate();
        tenant("third_a").migrate();
        tenant("third_b").migrate();

        assertThat(functions()).containsExactly("third_a", "third_b");
        assertThat(views()).isEmpty();
        tenant("third_a").rollback(1);
        tenant("third_b").rollback(1);
        main().rollback(1);
        assertThat(functions()).containsExactly("public");
        assertThat(views()).containsExactly("third_a", "third_b");
    }
}
