package dev.ashlar.integration;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.plugins.checks.CheckConstraints;
import dev.ashlar.plugins.checks.ChecksPlugin;
import dev.ashlar.plugins.indexes.CustomIndexes;
import dev.ashlar.plugins.indexes.CustomStatements;
import dev.ashlar.plugins.indexes.IndexesPlugin;
import dev.ashlar.plugins.references.References;
import dev.ashlar.plugins.references.ReferencesPlugin;
import dev.ashlar.plugins.tenancy.ManageTenant;
import dev.ashlar.plugins.tenancy.Multitenancy;
import dev.ashlar.plugins.tenancy.TenancyPlugin;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import dev.ashlar.testing.kit.ProjectFolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.JSON;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static dev.ashlar.plugins.checks.Check.check;
import static dev.ashlar.plugins.indexes.CustomIndexes.index;
import static dev.ashlar.plugins.indexes.CustomStatements.statement;
import static dev.ashlar.plugins.references.OnDelete.DELETE;
import static dev.ashlar.plugins.references.OnUpdate.UPDATE;
import static dev.ashlar.plugins.references.Reference.reference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The AshPostgres guide's resources, section by section, in one domain with every schema plugin installed, taken
 * from definition through codegen and migrate to the catalog, and to what the constraints do to data.
 */
@ExtendWith(PostgresExtension.class)
class AshPostgresGuideParityTest {
    static final Plugins PLUGINS = Plugins.none().with(new ReferencesPlugin()).with(new ChecksPlugin())
            .with(new IndexesPlugin()).with(new TenancyPlugin());

    static final Domain GUIDE = Domain.builder("my_app").resources(
            Resource.builder("user").table("users").integerPrimaryKey("id")
                    .attribute("first_name", TEXT).attribute("last_name", TEXT).attribute("email", TEXT)
                    .attribute("status", TEXT).attribute("created_at", TIMESTAMPTZ).attribute("user_id", INTEGER)
                    .attribute("settings", JSON)
                    .with(CustomIndexes.of(
                            index("first_name", "last_name"),
                            index("email").unique().name("users_email_index").where("email IS NOT NULL"),
                            index("status", "created_at").concurrently().include("user_id"),
                            index("settings").using("gin")))
                    .build(),
            Resource.builder("tweet").table("tweets").integerPrimaryKey("id")
                    .attribute("text", TEXT)
                    .belongsTo("author", "user")
                    .build(),
            Resource.builder("post").table("posts").integerPrimaryKey("id").attribute("title", TEXT).build(),
            Resource.builder("comment").table("comments").integerPrimaryKey("id")
                    .belongsTo("post", "post")
                    .belongsTo("user", "user")
                    .with(References.of(
                            reference("post"),
                            reference("user").onDelete(DELETE).onUpdate(UPDATE).name("comments_to_users_fkey")
                                    .deferrable(true).initiallyDeferred(false)))
                    .build(),
            Resource.builder("order").table("orders").integerPrimaryKey("id")
                    .attribute("amount", INTEGER)
                    .attribute("status", TEXT)
                    .with(CheckConstraints.of(
                            check("positive_amount").expression("amount > 0").name("positive_amount_check")
                                    .attributes("amount").message("Amount must be positive"),
                            check("status_valid").expression("status IN ('pending', 'active', 'completed')")))
                    .build(),
            Resource.builder("tenant").table("tenants")
                    .attribute("id", TEXT, a -> a.primaryKey())
                    .with(ManageTenant.template("tenant_", "id"))
                    .build(),
            Resource.builder("note").table("notes").integerPrimaryKey("id")
                    .attribute("text", TEXT)
                    .timestamps()
                    .with(Multitenancy.context())
                    .with(CustomStatements.of(
                            statement("trigger_set_timestamp").global(true)
                                    .up("""
                                        CREATE FUNCTION public.trigger_set_timestamp() RETURNS trigger AS $$
                                        BEGIN NEW.updated_at = clock_timestamp(); RETURN NEW; END $$ LANGUAGE plpgsql
                                        """)
                                    .down("DROP FUNCTION public.trigger_set_timestamp()"),
                            statement("update_updated_at")
                                    .up("""
                                        CREATE TRIGGER update_updated_at
                                        BEFORE UPDATE ON notes
                                        FOR EACH ROW
                                        EXECUTE FUNCTION public.trigger_set_timestamp();
                                        """)
                                    .down("DROP TRIGGER update_updated_at ON notes")))
                    .build())
            .build();

    @TempDir
    Path dir;
    TestDatabase db;
    Ashlar ashlar;

    @BeforeEach
    void migrated(TestDatabase database) {
        db = database;
        db.execute("DROP SCHEMA IF EXISTS tenant_acme CASCADE");
        new ProjectFolder(dir, db, PLUGINS).migrate(GUIDE, "create_my_app");
        Ashlar.Builder builder = Ashlar.builder().dataSource(db.dataSource()).domain(GUIDE)
                .tenantMigrations(Codegen.migrations(dir, Scope.TENANT));
        PLUGINS.all().forEach(builder::install);
        ashlar = builder.build();
    }

    @AfterEach
    void close() {
        ashlar.close();
        db.execute("DROP SCHEMA IF EXISTS tenant_acme CASCADE");
    }

    private List<Object> column(String sql) {
        return db.query(sql).stream().map(row -> row.values().iterator().next()).toList();
    }

    @Test
    void basicConfigurationAndReferencesBecomeTheTablesAndKeysTheGuideDescribes() {
        assertThat(column("SELECT format_type(atttypid, atttypmod) || ' ' || attidentity::text FROM pg_attribute "
                + "WHERE attrelid = 'public.tweets'::regclass AND attname = 'id'")).containsExactly("integer d");
        assertThat(column("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'tweets_author_id_fkey'"))
                .containsExactly("FOREIGN KEY (author_id) REFERENCES users(id)");
        assertThat(db.query("SELECT confdeltype::text AS del, confupdtype::text AS upd, condeferrable, condeferred "
                + "FROM pg_constraint WHERE conname = 'comments_to_users_fkey'")).containsExactly(
                Map.of("del", "c", "upd", "c", "condeferrable", true, "condeferred", false));
        assertThat(column("SELECT confdeltype::text FROM pg_constraint WHERE conname = 'comments_post_id_fkey'"))
                .containsExactly("a");

        db.execute("INSERT INTO users (id) VALUES (1); INSERT INTO posts (id) VALUES (1);"
                + "INSERT INTO comments (post_id, user_id) VALUES (1, 1); UPDATE users SET id = 2");
        assertThat(column("SELECT user_id FROM comments")).containsExactly(2);
        db.execute("DELETE FROM users");
        assertThat(db.value("SELECT count(*) FROM comments")).isEqualTo(0L);
    }

    @Test
    void checkConstraintsHoldInTheCatalogAndTheirMessageIsTheFieldError() {
        assertThat(column("SELECT conname || ': ' || pg_get_constraintdef(oid) FROM pg_constraint "
                + "WHERE conrelid = 'public.orders'::regclass AND contype = 'c' ORDER BY conname")).containsExactly(
                "orders_status_valid_check: CHECK ((status = ANY (ARRAY['pending'::text, 'active'::text, "
                        + "'completed'::text])))",
                "positive_amount_check: CHECK ((amount > 0))");

        assertThatThrownBy(() -> ashlar.create("order", Map.of("amount", 0, "status", "active")))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field, FieldError::message)
                        .containsExactly(tuple("amount", "Amount must be positive")));
        assertThatThrownBy(() -> ashlar.create("order", Map.of("amount", 1, "status", "lost")))
                .isInstanceOf(InvalidDataException.class);
        assertThat(ashlar.create("order", Map.of("amount", 1, "status", "active")).get("amount")).isEqualTo(1);
    }

    @Test
    void customIndexesHaveEveryOptionOfTheGuideInTheCatalog() {
        assertThat(column("SELECT indexdef FROM pg_indexes WHERE tablename = 'users' AND indexname <> 'users_pkey' "
                + "ORDER BY indexname")).containsExactly(
                "CREATE UNIQUE INDEX users_email_index ON public.users USING btree (email) WHERE (email IS NOT NULL)",
                "CREATE INDEX users_first_name_last_name_index ON public.users USING btree (first_name, last_name)",
                "CREATE INDEX users_settings_index ON public.users USING gin (settings)",
                "CREATE INDEX users_status_created_at_index ON public.users USING btree (status, created_at) "
                        + "INCLUDE (user_id)");
        assertThat(db.value("SELECT bool_and(indisvalid) FROM pg_index WHERE indrelid = 'public.users'::regclass"))
                .isEqualTo(true);

        ashlar.create("user", Map.of("email", "ada@example.org"));
        ashlar.create("user", Map.of("first_name", "no email"));
        ashlar.create("user", Map.of("first_name", "no email either"));
        assertThatThrownBy(() -> ashlar.create("user", Map.of("email", "ada@example.org")))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field).containsExactly("email"));
    }

    @Test
    void aTenantRecordCreatesItsSchemaWhereTheTenantTableAndItsStatementsLive() {
        assertThat(db.value("SELECT to_regclass('public.notes')")).isNull();
        assertThat(db.value("SELECT count(*) FROM pg_proc WHERE proname = 'trigger_set_timestamp' "
                + "AND pronamespace = 'public'::regnamespace")).isEqualTo(1L);

        ashlar.create("tenant", Map.of("id", "acme"));
        Ashlar acme = ashlar.withTenant("tenant_acme");
        Row note = acme.create("note", Map.of("text", "draft"));

        assertThat(column("SELECT tgname FROM pg_trigger WHERE tgrelid = 'tenant_acme.notes'::regclass"))
                .containsExactly("update_updated_at");
        db.execute("UPDATE tenant_acme.notes SET text = 'final'");
        assertThat(db.value("SELECT updated_at > inserted_at FROM tenant_acme.notes")).isEqualTo(true);
        assertThat(acme.read("note").list()).extracting(row -> row.get("text")).containsExactly("final");
        assertThat(note.get("id")).isNotNull();
        assertThat(column("SELECT schema_name FROM ashlar_tenant_migrations")).containsExactly("tenant_acme");
    }
}
