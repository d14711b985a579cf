package dev.ashlar.kernel.codegen;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.IdentityOptions;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.data.Upsert;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.RequiresPostgres;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Identity options end to end: generated index, field errors, upserts, changes and their rollback. */
@ExtendWith(PostgresExtension.class)
class IdentityOptionsTest {
    @TempDir
    Path project;
    TestDatabase db;
    private int generation;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    private static Domain accounts(Consumer<IdentityOptions> options) {
        return Domain.builder("shop").resource(Resource.builder("account").table("accounts").bigintPrimaryKey("id")
                .attribute("email", TEXT).attribute("name", TEXT).attribute("deleted_at", TIMESTAMPTZ)
                .identity("unique_email", List.of("email"), options).build()).build();
    }

    private Codegen.Result generateAndMigrate(Domain domain) {
        Clock clock = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z").plusSeconds(60L * generation++), ZoneOffset.UTC);
        Codegen.Result result = new Codegen(project, domain, Plugins.none(), Renames.none(), clock).generate("step");
        migrator().migrate();
        return result;
    }

    private Migrator migrator() {
        return new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN));
    }

    private List<Object> indexes() {
        return db.query("SELECT indexdef FROM pg_indexes WHERE tablename = 'accounts' AND indexname <> 'accounts_pkey'")
                .stream().map(r -> r.get("indexdef")).toList();
    }

    private Ashlar ashlar(Domain domain) {
        return Ashlar.builder().dataSource(db.dataSource()).domain(domain).build();
    }

    @Test
    void aPartialIdentityAllowsTheSameValueOnRowsOutsideItsPredicateAndUpsertsOnIt() {
        Domain domain = accounts(i -> i.where("deleted_at IS NULL").message("is in use"));
        generateAndMigrate(domain);

        assertThat(indexes()).containsExactly("CREATE UNIQUE INDEX accounts_unique_email_index ON public.accounts "
                + "USING btree (email) WHERE (deleted_at IS NULL)");
        try (Ashlar ashlar = ashlar(domain)) {
            ashlar.create("account", Map.of("email", "a@x.org", "name", "old", "deleted_at", Instant.EPOCH));
            ashlar.create("account", Map.of("email", "a@x.org", "name", "live"));
            assertThatThrownBy(() -> ashlar.create("account", Map.of("email", "a@x.org", "name", "again")))
                    .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors())
                            .singleElement().satisfies(f -> {
                                assertThat(f.field()).isEqualTo("email");
                                assertThat(f.message()).isEqualTo("is in use");
                            }));

            ashlar.upsert("account", List.of(Map.of("email", "a@x.org", "name", "upserted")), Upsert.on("unique_email"));
        }
        assertThat(db.query("SELECT name FROM accounts ORDER BY id")).extracting(r -> r.get("name"))
                .containsExactly("old", "upserted");
    }

    @Test
    void changingAndRemovingTheOptionsReplacesTheIndexAndRollsBack() {
        generateAndMigrate(accounts(i -> { }));
        db.execute("INSERT INTO accounts (email, deleted_at) VALUES ('a@x.org', now()), ('b@x.org', NULL)");
        Codegen.Result replaced = generateAndMigrate(accounts(i -> i.where("deleted_at IS NULL")
                .indexName("accounts_live_email")));

        assertThat(indexes()).containsExactly("CREATE UNIQUE INDEX accounts_live_email ON public.accounts "
                + "USING btree (email) WHERE (deleted_at IS NULL)");

        // On a table that exists the new index is built concurrently, in a file of its own: roll back both.
        migrator().rollback(replaced.files().size());
        assertThat(indexes()).containsExactly("CREATE UNIQUE INDEX accounts_unique_email_index ON public.accounts "
                + "USING btree (email)");
        migrator().migrate();
        generateAndMigrate(accounts(IdentityOptions::skipIndex));
        assertThat(indexes()).isEmpty();
    }

    @Test
    void aNewIndexNameRenamesTheIndexInPlaceWithoutRebuildingItAndRollbackRestoresTheName() throws Exception {
        generateAndMigrate(accounts(i -> { }));
        db.execute("INSERT INTO accounts (email) VALUES ('a@x.org'), ('b@x.org')");
        Object built = db.value("SELECT 'accounts_unique_email_index'::regclass::oid");

        Codegen.Result renamed = generateAndMigrate(accounts(i -> i.indexName("accounts_email_key")));

        assertThat(renamed.steps()).extracting(s -> s.describe())
                .containsExactly("rename identity accounts_unique_email_index on public.accounts to accounts_email_key");
        assertThat(renamed.files()).hasSize(1);
        assertThat(java.nio.file.Files.readString(renamed.files().get(0)))
                .contains("ALTER INDEX \"public\".\"accounts_unique_email_index\" RENAME TO \"accounts_email_key\";")
                .doesNotContain("transaction:false").doesNotContain("CREATE UNIQUE INDEX");
        assertThat(indexes()).containsExactly("CREATE UNIQUE INDEX accounts_email_key ON public.accounts "
                + "USING btree (email)");
        assertThat(db.value("SELECT 'accounts_email_key'::regclass::oid")).isEqualTo(built);
        assertThatThrownBy(() -> db.execute("INSERT INTO accounts (email) VALUES ('a@x.org')"))
                .hasMessageContaining("accounts_email_key");

        migrator().rollback(1);
        assertThat(indexes()).containsExactly("CREATE UNIQUE INDEX accounts_unique_email_index ON public.accounts "
                + "USING btree (email)");
        assertThat(db.value("SELECT 'accounts_unique_email_index'::regclass::oid")).isEqualTo(built);
        assertThat(db.value("SELECT count(*) FROM accounts")).isEqualTo(2L);
    }

    @Test
    void aSkippedIndexCreatesNothingButItsViolationsAndUpsertsStillWork() {
        Domain domain = accounts(i -> i.skipIndex().indexName("accounts_email_owned_elsewhere").message("is taken"));
        generateAndMigrate(domain);
        assertThat(indexes()).isEmpty();
        db.execute("CREATE UNIQUE INDEX accounts_email_owned_elsewhere ON accounts (email)");

        try (Ashlar ashlar = ashlar(domain)) {
            ashlar.create("account", Map.of("email", "a@x.org", "name", "first"));
            assertThatThrownBy(() -> ashlar.create("account", Map.of("email", "a@x.org")))
                    .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors())
                            .extracting(f -> f.field() + " " + f.message()).containsExactly("email is taken"));
            ashlar.upsert("account", List.of(Map.of("email", "a@x.org", "name", "second")), Upsert.on("unique_email"));
        }
        assertThat(db.query("SELECT name FROM accounts")).extracting(r -> r.get("name")).containsExactly("second");
    }

    @Test
    @RequiresPostgres(value = 15, reason = "NULLS NOT DISTINCT")
    void nullsNotDistinctRefusesASecondNullAndTheFileSaysItNeedsFifteen() throws Exception {
        Domain domain = accounts(i -> i.nullsDistinct(false));
        Codegen.Result result = generateAndMigrate(domain);

        assertThat(indexes()).containsExactly("CREATE UNIQUE INDEX accounts_unique_email_index ON public.accounts "
                + "USING btree (email) NULLS NOT DISTINCT");
        assertThat(java.nio.file.Files.readString(result.files().get(0))).contains("-- requires: postgresql 15");
        try (Ashlar ashlar = ashlar(domain)) {
            Map<String, Object> noEmail = new HashMap<>();
            noEmail.put("name", "n");
            ashlar.create("account", noEmail);
            assertThatThrownBy(() -> ashlar.create("account", noEmail)).isInstanceOf(InvalidDataException.class);
        }
    }

    @Test
    void anEmptyPredicateOrAnOverlongIndexNameIsRefusedNamingTheIdentity() {
        assertThatThrownBy(() -> accounts(i -> i.where(" ")))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("unique_email")
                .hasMessageContaining("where(...)");
        assertThatThrownBy(() -> accounts(i -> i.indexName("x".repeat(64))))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("unique_email")
                .hasMessageContaining("indexName");
    }

    @Test
    void aRenamedIdentityRenamesItsIndexInPlaceOnAPopulatedTable() {
        generateAndMigrate(accounts(i -> { }));
        db.execute("INSERT INTO accounts (email) VALUES ('a@x.org')");
        Object built = db.value("SELECT 'accounts_unique_email_index'::regclass::oid");

        Codegen.Result renamed = generateAndMigrate(Domain.builder("shop").resource(Resource.builder("account")
                .table("accounts").bigintPrimaryKey("id").attribute("email", TEXT).attribute("name", TEXT)
                .attribute("deleted_at", TIMESTAMPTZ).identity("email_taken", List.of("email"), i -> { }).build()).build());

        assertThat(renamed.steps()).extracting(s -> s.describe()).containsExactly(
                "rename identity accounts_unique_email_index on public.accounts to accounts_email_taken_index");
        assertThat(db.value("SELECT 'accounts_email_taken_index'::regclass::oid")).isEqualTo(built);
    }
}
