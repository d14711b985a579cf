package dev.ashlar.kernel.codegen;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.plugin.TestPlugins;
import dev.ashlar.kernel.tenant.TenantMigrator;
import dev.ashlar.kernel.tenant.TenantReport;
import dev.ashlar.kernel.tenant.TenantSchemas;
import dev.ashlar.testing.Catalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.sql.Connection;
import java.util.List;
import java.util.function.UnaryOperator;

import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.UUID;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live-table forms of codegen (a primary key swapped in, an identity's index replaced under its name, a column
 * filled in committed batches) in tenant migrations: applied to tenant schemas that hold rows, to a tenant created
 * afterwards, and rolled back.
 */
class TenantLiveTableDdlTest extends FreshSchemaTest {
    private static final List<String> TENANTS = List.of("live_a", "live_b");
    private static final String CREATED = "live_new";
    private static final int ROWS = 2_500;

    private Codegen.Result generate(UnaryOperator<ResourceBuilder> post, String name) {
        Domain domain = Domain.builder("blog").resource(post.apply(Resource.builder("post").table("posts")).build())
                .build();
        return new Codegen(project, domain, Plugins.none().with(TestPlugins.everyTableInTenants()), Renames.none(),
                CLOCK).generate(name);
    }

    private TenantMigrator tenants() {
        return new TenantMigrator(db.dataSource(), project.resolve("tenant_migrations")).jobs(2);
    }

    /** The schema's catalog, its own name taken out so that two tenants compare. */
    private List<String> catalog(String schema) {
        return Catalog.of(db, schema).stream().map(line -> line.replace(schema + ".", "S.")).toList();
    }

    private void createTenant(String schema) throws Exception {
        try (Connection connection = db.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            new TenantSchemas(project.resolve("tenant_migrations")).create(connection, schema);
            connection.commit();
        }
    }

    @AfterEach
    void dropTenants() {
        db.execute("DROP SCHEMA IF EXISTS live_a CASCADE; DROP SCHEMA IF EXISTS live_b CASCADE; "
                + "DROP SCHEMA IF EXISTS live_new CASCADE; DROP TABLE IF EXISTS ashlar_tenant_migrations");
    }

    @Test
    void keySwapIdentitySwapAndBackfillMigrateTenantsWithRowsMatchANewTenantAndRollBack() throws Exception {
        dropTenants();
        db.execute("CREATE SCHEMA live_a; CREATE SCHEMA live_b");
        generate(p -> p.primaryKey("id").attribute("code", BIGINT).attribute("title", TEXT).attribute("lang", TEXT)
                .identity("unique_title", "title"), "create");
        assertThat(tenants().migrate(TENANTS.iterator(), TENANTS.size()).succeeded()).isTrue();
        for (String tenant : TENANTS) {
            db.execute("INSERT INTO " + tenant + ".posts (code, title, lang) SELECT g, 'post-' || g, 'en' "
                    + "FROM generate_series(1, " + ROWS + ") g");
        }
        List<String> before = catalog("live_a");

        Codegen.Result rekeyed = generate(p -> p.attribute("id", BIGINT, a -> a.generated())
                .attribute("code", BIGINT, a -> a.primaryKey()).attribute("title", TEXT).attribute("lang", TEXT)
                .identity("unique_title", "title"), "key_by_code");
        Codegen.Result widened = generate(p -> p.attribute("id", BIGINT, a -> a.generated())
                .attribute("code", BIGINT, a -> a.primaryKey()).attribute("title", TEXT).attribute("lang", TEXT)
                .identity("unique_title", "title", "lang"), "unique_title_per_lang");
        Codegen.Result tokened = generate(p -> p.attribute("id", BIGINT, a -> a.generated())
                .attribute("code", BIGINT, a -> a.primaryKey()).attribute("title", TEXT).attribute("lang", TEXT)
                .attribute("token", UUID, a -> a.notNull().defaultSql("gen_random_uuid()"))
                .identity("unique_title", "title", "lang"), "add_token");
        TenantReport report = tenants().migrate(TENANTS.iterator(), TENANTS.size());
        assertThat(report.failures()).isEmpty();
        createTenant(CREATED);

        List<String> after = catalog("live_a");
        assertThat(after).contains("constraint posts.posts_pkey PRIMARY KEY (code)",
                "index posts_unique_title_index CREATE UNIQUE INDEX posts_unique_title_index ON S.posts USING btree "
                        + "(title, lang)").anyMatch(line -> line.startsWith("column posts.token uuid not null"));
        assertThat(catalog("live_b")).isEqualTo(after);
        assertThat(catalog(CREATED)).isEqualTo(after);
        for (String tenant : TENANTS) {
            assertThat(db.value("SELECT count(DISTINCT token) FROM " + tenant + ".posts")).isEqualTo((long) ROWS);
            assertThat(db.value("SELECT count(*) FROM " + tenant + ".posts WHERE code = id")).isEqualTo((long) ROWS);
        }

        int files = rekeyed.files().size() + widened.files().size() + tokened.files().size();
        TenantReport back = tenants().rollback(List.of("live_a", "live_b", CREATED).iterator(), 3, files);
        assertThat(back.failures()).isEmpty();
        assertThat(catalog("live_a")).isEqualTo(before);
        assertThat(catalog("live_b")).isEqualTo(before);
        assertThat(catalog(CREATED)).isEqualTo(before);
        assertThat(db.value("SELECT count(*) FROM live_b.posts")).isEqualTo((long) ROWS);
    }

    @Test
    void namesThatNeedQuotingAndReachSixtyThreeBytesSwapInTenantsUnderShortenedTransientNames() throws Exception {
        String table = "Live Posts " + "x".repeat(47);
        String identity = "U" + "n".repeat(45);
        String index = "Live Posts_" + identity + "_index";
        assertThat(table.length()).isEqualTo(58);
        assertThat(index.length()).isEqualTo(63);
        dropTenants();
        db.execute("CREATE SCHEMA live_a");
        UnaryOperator<ResourceBuilder> keyedById = p -> p.primaryKey("id").attribute("code", BIGINT)
                .attribute("title", TEXT);
        UnaryOperator<ResourceBuilder> keyedByCode = p -> p.attribute("id", BIGINT, a -> a.generated())
                .attribute("code", BIGINT, a -> a.primaryKey()).attribute("title", TEXT)
                .attribute("token", UUID, a -> a.notNull().defaultSql("gen_random_uuid()"));
        UnaryOperator<ResourceBuilder> byTitle = p -> p.primaryKey("id").attribute("title", TEXT)
                .attribute("lang", TEXT).identity(identity, "title");
        UnaryOperator<ResourceBuilder> byTitleAndLang = p -> p.primaryKey("id").attribute("title", TEXT)
                .attribute("lang", TEXT).identity(identity, "title", "lang");
        generateTwo(table, keyedById, byTitle, "create");
        assertThat(tenants().migrate(List.of("live_a").iterator(), 1).failures()).isEmpty();
        db.execute("INSERT INTO live_a.\"" + table + "\" (code, title) SELECT g, 'post-' || g "
                + "FROM generate_series(1, " + ROWS + ") g; INSERT INTO live_a.\"Live Posts\" (title, lang) "
                + "SELECT 'post-' || g, 'en' FROM generate_series(1, " + ROWS + ") g");
        List<String> before = catalog("live_a");

        Codegen.Result changed = generateTwo(table, keyedByCode, byTitleAndLang, "key_by_code_and_widen");
        assertThat(tenants().migrate(List.of("live_a").iterator(), 1).failures()).isEmpty();
        createTenant(CREATED);

        List<String> after = catalog("live_a");
        assertThat(after).contains("constraint " + table + "." + table + "_pkey PRIMARY KEY (code)")
                .anyMatch(line -> line.startsWith("index " + index + " ") && line.endsWith("(title, lang)"));
        assertThat(catalog(CREATED)).isEqualTo(after);
        assertThat(db.value("SELECT count(DISTINCT token) FROM live_a.\"" + table + "\"")).isEqualTo((long) ROWS);

        assertThat(tenants().rollback(List.of("live_a", CREATED).iterator(), 2, changed.files().size()).failures())
                .isEmpty();
        assertThat(catalog("live_a")).isEqualTo(before);
        assertThat(catalog(CREATED)).isEqualTo(before);
    }

    @Test
    void aTenantCreatedAfterABackfillOfATableItsMigrationsSeededGetsTheColumnFilled() throws Exception {
        dropTenants();
        generate(p -> p.primaryKey("id").attribute("title", TEXT), "create");
        Files.writeString(project.resolve("tenant_migrations/20261127100010_seed_posts.sql"), "-- migrate:up\n"
                + "INSERT INTO posts (title) VALUES ('welcome'), ('rules');\n-- migrate:down\nDELETE FROM posts;\n");
        generate(p -> p.primaryKey("id").attribute("title", TEXT)
                .attribute("token", UUID, a -> a.notNull().defaultSql("gen_random_uuid()")), "add_token");
        db.execute("CREATE SCHEMA live_a");
        assertThat(tenants().migrate(List.of("live_a").iterator(), 1).failures()).isEmpty();

        createTenant(CREATED);

        assertThat(catalog(CREATED)).isEqualTo(catalog("live_a"))
                .anyMatch(line -> line.startsWith("column posts.token uuid not null"));
        assertThat(db.value("SELECT count(DISTINCT token) FROM live_new.posts")).isEqualTo(2L);
    }

    @Test
    void aNewUuidKeyIsFilledInEveryTenantsRowsBeforeItBecomesTheKey() throws Exception {
        dropTenants();
        db.execute("CREATE SCHEMA live_a; CREATE SCHEMA live_b");
        generate(p -> p.primaryKey("id").attribute("title", TEXT), "create");
        assertThat(tenants().migrate(TENANTS.iterator(), TENANTS.size()).failures()).isEmpty();
        for (String tenant : TENANTS) {
            db.execute("INSERT INTO " + tenant + ".posts (title) SELECT 'post-' || g FROM generate_series(1, " + ROWS
                    + ") g");
        }

        generate(p -> p.attribute("id", BIGINT).uuidPrimaryKey("guid").attribute("title", TEXT), "guid_key");
        assertThat(tenants().migrate(TENANTS.iterator(), TENANTS.size()).failures()).isEmpty();
        createTenant(CREATED);

        assertThat(catalog("live_a")).contains("constraint posts.posts_pkey PRIMARY KEY (guid)");
        assertThat(catalog(CREATED)).isEqualTo(catalog("live_a"));
        for (String tenant : TENANTS) {
            assertThat(db.value("SELECT count(DISTINCT guid) FROM " + tenant + ".posts")).isEqualTo((long) ROWS);
        }
    }

    /** The long-named table, and a table "Live Posts" beside it. */
    private Codegen.Result generateTwo(String table, UnaryOperator<ResourceBuilder> longOne,
                                       UnaryOperator<ResourceBuilder> shortOne, String name) {
        Domain domain = Domain.builder("blog")
                .resource(longOne.apply(Resource.builder("post").table(table)).build())
                .resource(shortOne.apply(Resource.builder("note").table("Live Posts")).build()).build();
        return new Codegen(project, domain, Plugins.none().with(TestPlugins.everyTableInTenants()), Renames.none(),
                CLOCK).generate(name);
    }
}
