package dev.ashlar.kernel.codegen;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.IdentityOptions;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.CalculationField;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.api.typed.UniqueKey;
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

/**
 * Identity options end to end: generated index, field errors, upserts, changes and their rollback; and identities over
 * a calculation (AshPostgres's {@code identity :unique_email, [:lower_email]}), a unique index on its expression.
 */
@ExtendWith(PostgresExtension.class)
class IdentityOptionsTest {
    record Account(Long id, String email) {
        static final Table<Account> ACCOUNTS = Table.of("account", Account.class);
        static final Field<Account, Long> ID = ACCOUNTS.bigintPrimaryKey("id");
        static final TextField<Account> EMAIL = ACCOUNTS.attribute("email", Kind.TEXT);
        static final CalculationField<Account, String> LOWER_EMAIL = ACCOUNTS.calculate("lower_email", String.class,
                "lower(email)");
        static final UniqueKey<Account> UNIQUE_EMAIL = ACCOUNTS.identity("unique_email", LOWER_EMAIL);
    }

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

    private static Domain byLowerEmail(String expression) {
        return Domain.builder("shop").resource(Resource.builder("account").table("accounts").bigintPrimaryKey("id")
                .attribute("email", TEXT).calculate("lower_email", String.class, expression)
                .identity("unique_email", List.of("lower_email"), i -> i.message("is in use")).build()).build();
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

    @Test
    void anIdentityOverACalculationIsAUniqueIndexOnItsExpressionAndATakenValueIsItsFieldError() {
        Domain domain = byLowerEmail("lower(email)");
        generateAndMigrate(domain);

        assertThat(indexes()).containsExactly("CREATE UNIQUE INDEX accounts_unique_email_index ON public.accounts "
                + "USING btree (lower(email))");
        try (Ashlar ashlar = ashlar(domain)) {
            ashlar.create("account", Map.of("email", "Ada@Example.org"));
            assertThatThrownBy(() -> ashlar.create("account", Map.of("email", "ada@example.ORG")))
                    .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors())
                            .singleElement().satisfies(f -> {
                                assertThat(f.field()).isEqualTo("lower_email");
                                assertThat(f.message()).isEqualTo("is in use");
                                assertThat(f.constraint()).isEqualTo("accounts_unique_email_index");
                            }));
            ashlar.create("account", Map.of("email", "grace@example.org"));

            assertThat(ashlar.get("account", Map.of("lower_email", "ada@example.org")).getString("email"))
                    .isEqualTo("Ada@Example.org");
        }
        assertThat(db.query("SELECT email FROM accounts ORDER BY id")).extracting(r -> r.get("email"))
                .containsExactly("Ada@Example.org", "grace@example.org");
    }

    @Test
    void theTypedIdentityNamesTheCalculationFieldAndGetsAndUpsertsByIt() {
        Domain domain = Domain.builder("shop").resource(Account.ACCOUNTS.builder().table("accounts")
                .add(Account.ID, Account.EMAIL, Account.LOWER_EMAIL, Account.UNIQUE_EMAIL).build()).build();
        generateAndMigrate(domain);

        assertThat(indexes()).containsExactly("CREATE UNIQUE INDEX accounts_unique_email_index ON public.accounts "
                + "USING btree (lower(email))");
        try (Ashlar ashlar = ashlar(domain)) {
            ashlar.create(Account.ACCOUNTS, new Account(null, "Ada@Example.org"));
            assertThatThrownBy(() -> ashlar.create(Account.ACCOUNTS, new Account(null, "ADA@example.org")))
                    .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors())
                            .extracting(f -> f.field() + " " + f.message())
                            .containsExactly("lower_email has already been taken"));

            assertThat(ashlar.get(Account.ACCOUNTS, Map.of("lower_email", "ada@example.org")).email())
                    .isEqualTo("Ada@Example.org");
            // The upsert's conflict target is the expression, which infers the identity's index.
            assertThat(ashlar.upsert(Account.ACCOUNTS, new Account(null, "ada@example.org"),
                    Account.UNIQUE_EMAIL.updateAll())).isEqualTo(new Account(1L, "ada@example.org"));
        }
        assertThat(db.query("SELECT email FROM accounts")).extracting(r -> r.get("email"))
                .containsExactly("ada@example.org");
    }

    @Test
    void changingTheCalculationRebuildsTheIndexOnTheNewExpressionAndRollbackRestoresIt() {
        generateAndMigrate(byLowerEmail("lower(email)"));
        db.execute("INSERT INTO accounts (email) VALUES ('Ada@Example.org'), ('grace@example.org ')");

        Codegen.Result rebuilt = generateAndMigrate(byLowerEmail("lower(btrim(email))"));

        assertThat(indexes()).containsExactly("CREATE UNIQUE INDEX accounts_unique_email_index ON public.accounts "
                + "USING btree (lower(btrim(email)))");
        assertThatThrownBy(() -> db.execute("INSERT INTO accounts (email) VALUES (' ADA@example.org ')"))
                .hasMessageContaining("accounts_unique_email_index");
        migrator().rollback(rebuilt.files().size());
        assertThat(indexes()).containsExactly("CREATE UNIQUE INDEX accounts_unique_email_index ON public.accounts "
                + "USING btree (lower(email))");
        db.execute("INSERT INTO accounts (email) VALUES (' ADA@example.org ')");

        // Rows that the new expression makes equal stop the rebuild, named by the server's detail.
        assertThatThrownBy(() -> migrator().migrate())
                .hasMessageContaining("Key (lower(btrim(email)))=(ada@example.org) is duplicated")
                .hasMessageContaining("change or remove the duplicates, then migrate again");
        assertThat(db.query("SELECT email FROM accounts ORDER BY id")).extracting(r -> r.get("email"))
                .containsExactly("Ada@Example.org", "grace@example.org ", " ADA@example.org ");
    }

    @Test
    void removingTheIdentityDropsItsIndexAndKeepsTheCalculation() {
        generateAndMigrate(byLowerEmail("lower(email)"));
        Domain without = Domain.builder("shop").resource(Resource.builder("account").table("accounts")
                .bigintPrimaryKey("id").attribute("email", TEXT).calculate("lower_email", String.class,
                        "lower(email)").build()).build();

        generateAndMigrate(without);

        assertThat(indexes()).isEmpty();
        db.execute("INSERT INTO accounts (email) VALUES ('ada@example.org'), ('ADA@example.org')");
        try (Ashlar ashlar = ashlar(without)) {
            assertThat(ashlar.read("account").where(dev.ashlar.api.query.Filter.eq("lower_email", "ada@example.org"))
                    .list()).hasSize(2);
        }
    }

    @Test
    void anIdentityOverACalculationThatBindsValuesOrReadsAnotherIsRefusedNamingTheFix() {
        Resource bound = Resource.builder("account").table("accounts").bigintPrimaryKey("id").attribute("email", TEXT)
                .calculate("tagged", String.class, "email || ?", "!")
                .calculate("lower_email", String.class, "lower(email)")
                .calculate("shouted", String.class, "upper(lower_email)")
                .identity("unique_tagged", "tagged").identity("unique_shouted", "shouted")
                .identity("unique_nothing", "nothing").build();

        assertThatThrownBy(() -> Domain.builder("shop").resource(bound).build())
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems())
                        .extracting(p -> p.field() + ": " + p.message())
                        .anySatisfy(m -> assertThat(m).startsWith("unique_tagged: names calculation 'tagged', "
                                + "whose SQL binds values with ?; an identity's calculation is indexed"))
                        .anySatisfy(m -> assertThat(m).startsWith("unique_shouted: names calculation 'shouted', which "
                                + "reads 'lower_email', an aggregate or calculation"))
                        .anySatisfy(m -> assertThat(m).startsWith("unique_nothing: lists attribute 'nothing', which "
                                + "the resource does not have; it has [id, email] and the calculations [tagged, "
                                + "lower_email, shouted]")));
    }
}
