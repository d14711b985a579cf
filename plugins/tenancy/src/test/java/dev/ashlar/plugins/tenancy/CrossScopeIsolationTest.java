package dev.ashlar.plugins.tenancy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Isolation from the attacker's side where a read starts outside the tenant: tenant {@code t_b}'s handle reads a
 * main-schema resource (a board) and reaches tenant rows through it — a tenant column's and a tenant schema's — by
 * loads, path filters, {@code exists}, aggregates and sorts; and the owner's pool of one connection is handed from a
 * tenant's transaction to the next borrower. Runs as the tables' owner, a superuser, so no row-level security
 * hides a query that forgets its tenant: every test asserts on the rows.
 */
@ExtendWith(PostgresExtension.class)
class CrossScopeIsolationTest {
    static final String A = "t_a";
    static final String B = "t_b";

    static final Resource BOARD = Resource.builder("board").table("boards").integerPrimaryKey("id")
            .attribute("name", TEXT)
            .hasMany("notes", "note")
            .hasMany("posts", "post")
            .count("note_count", "notes")
            .count("post_count", "posts")
            .build();
    static final Resource NOTE = Resource.builder("note").table("notes").integerPrimaryKey("id")
            .attribute("org_id", TEXT, a -> a.notNull())
            .attribute("title", TEXT)
            .belongsTo("board", "board")
            .with(Multitenancy.attribute("org_id").global(true))
            .build();
    static final Resource POST = Resource.builder("post").table("posts").integerPrimaryKey("id")
            .attribute("title", TEXT)
            .belongsTo("board", "board")
            .with(Multitenancy.context())
            .build();
    static final Domain DOMAIN = Domain.builder("cross_scope").resources(TwoTenants.TENANT, BOARD, NOTE, POST)
            .build();

    @TempDir
    Path project;
    TestDatabase db;
    HikariDataSource pool;
    Ashlar owner;
    Object board;

    @BeforeEach
    void oneBoardWithRowsOfTwoTenants(TestDatabase db) {
        this.db = db;
        TwoTenants.created(db, project, DOMAIN).close();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl());
        // One connection: each action borrows the connection the action before it returned.
        config.setMaximumPoolSize(1);
        pool = new HikariDataSource(config);
        owner = Ashlar.builder().dataSource(pool).domain(DOMAIN).install(new TenancyPlugin())
                .tenantMigrations(Codegen.migrations(project, Scope.TENANT)).build();
        board = owner.create("board", Map.of("name", "shared")).get("id");
        for (String tenant : List.of(A, B)) {
            owner.withTenant(tenant).create("note", Map.of("title", tenant + "-note", "board_id", board));
            owner.withTenant(tenant).create("post", Map.of("title", tenant + "-post", "board_id", board));
        }
    }

    @AfterEach
    void close() {
        owner.close();
        pool.close();
    }

    @Test
    void aTenantsReadOfAMainResourceReachesOnlyThatTenantsRowsOfATenantColumn() {
        Ashlar b = owner.withTenant(B);

        assertThat(b.read("board").load("notes").list()).flatExtracting(r -> r.related("notes"))
                .extracting(r -> r.getString("title")).containsExactly("t_b-note");
        assertThat(b.read("board").load("note_count").first().orElseThrow().get("note_count")).isEqualTo(1L);
        assertThat(b.read("board").where(exists("notes", eq("title", "t_a-note"))).count()).isZero();
        assertThat(b.read("board").where(eq("notes.title", "t_a-note")).count()).isZero();
        assertThat(b.read("board").where(eq("note_count", 1L)).count()).isEqualTo(1L);
        assertThat(b.read("board").sort(Sort.desc("notes").byCount()).load("notes").list())
                .flatExtracting(r -> r.related("notes")).extracting(r -> r.getString("title"))
                .containsExactly("t_b-note");
        assertThat(b.load(owner.read("board").list(), "notes")).flatExtracting(r -> r.related("notes"))
                .extracting(r -> r.getString("title")).containsExactly("t_b-note");
        assertThat(b.read("note").load("board.notes").list()).flatExtracting(r -> r.relatedOne("board")
                .orElseThrow().related("notes")).extracting(r -> r.getString("title")).containsExactly("t_b-note");
        assertTenantAUntouched();
    }

    @Test
    void aTenantsReadOfAMainResourceReachesOnlyThatTenantsSchema() {
        Ashlar b = owner.withTenant(B);

        assertThat(b.read("board").load("posts").list()).flatExtracting(r -> r.related("posts"))
                .extracting(r -> r.getString("title")).containsExactly("t_b-post");
        assertThat(b.read("board").load("post_count").first().orElseThrow().get("post_count")).isEqualTo(1L);
        assertThat(b.read("board").where(exists("posts", eq("title", "t_a-post"))).count()).isZero();
        assertThat(b.read("board").where(eq("posts.title", "t_a-post")).count()).isZero();
        assertThat(b.read("post").load("board.posts").list()).flatExtracting(r -> r.relatedOne("board")
                .orElseThrow().related("posts")).extracting(r -> r.getString("title")).containsExactly("t_b-post");
        List<Runnable> withoutTenant = List.of(() -> owner.read("board").load("posts").list(),
                () -> owner.read("board").load("post_count").list(),
                () -> owner.read("board").where(exists("posts", eq("title", "t_a-post"))).count(),
                () -> owner.read("board").where(eq("posts.title", "t_a-post")).updateCount(Map.of("name", "x")));
        for (Runnable read : withoutTenant) {
            assertThatThrownBy(read::run).isInstanceOf(AshlarException.class)
                    .hasMessageContaining("Resource 'post' is multitenant: every read must name a tenant")
                    .hasMessageContaining("of board reaches post through a relationship");
        }
        assertTenantAUntouched();
    }

    @Test
    void aTenantsBulkWritesOfAMainResourceFilteredThroughTenantRowsChangeOnlyWhatThatTenantSees() {
        Ashlar b = owner.withTenant(B);

        int changed = b.read("board").where(eq("notes.title", "t_a-note")).updateCount(Map.of("name", "b was here"));
        int changedThroughPosts = b.read("board").where(exists("posts", eq("title", "t_a-post")))
                .updateCount(Map.of("name", "b was here"));

        assertThat(changed + changedThroughPosts).isZero();
        assertThat(db.value("SELECT name FROM boards")).isEqualTo("shared");
        assertTenantAUntouched();
    }

    @Test
    void theNextBorrowerOfAConnectionATenantsTransactionUsedFindsNoTenantSearchPathOrSetting() {
        List<Object> seen = new ArrayList<>();
        owner.withTenant(A).inTransaction(tx -> {
            tx.read("post").where(Filter.sql("title IS NOT NULL")).list();
            tx.read("note").list();
        });
        seen.add(owner.read("board").compute("seen", String.class, "SELECT current_setting('search_path') || '/' "
                + "|| coalesce(to_regclass('posts')::text, 'none')").first().orElseThrow().get("seen"));
        seen.add(owner.sql("SELECT coalesce(to_regclass('posts')::text, 'none')").value(String.class));
        owner.create("tenant", Map.of("id", "c"));
        seen.add(owner.sql("SELECT current_setting('search_path') || '/' || coalesce(to_regclass('posts')::text, "
                + "'none')").value(String.class));

        assertThat(seen).containsExactly("\"$user\", public/none", "none", "\"$user\", public/none");
    }

    @Test
    void rawSqlAfterATenantsActionInOneTransactionNamesNoTableOfThatTenant() {
        List<Object> seen = owner.transaction(tx -> {
            tx.withTenant(A).read("post").where(Filter.sql("title IS NOT NULL")).list();
            List<Object> out = new ArrayList<>();
            out.add(tx.sql("SELECT coalesce(to_regclass('posts')::text, 'none')").value(String.class));
            tx.withTenant(A).create("post", Map.of("title", "t_a-second"));
            out.add(tx.withTenant(B).read("post").compute("seen", String.class,
                    "SELECT string_agg(title, ',') FROM posts").first().orElseThrow().get("seen"));
            return out;
        });

        assertThat(seen).containsExactly("none", "t_b-post");
    }

    @Test
    void namesThatLookSchemaQualifiedAreFieldsValuesOrTablesOfTheResourceNeverAnotherSchemasTable() {
        Ashlar b = owner.withTenant(B);

        assertThat(b.read("post").where(eq("title", "t_a.posts")).count()).isZero();
        assertThat(b.read("post").where(Filter.in("title", List.of("t_a-post", "\"t_a\".\"posts\""))).count())
                .isZero();
        List<Runnable> refused = List.of(
                () -> b.read("post").where(eq("t_a.posts.title", "t_a-post")).list(),
                () -> b.read("post").sort(Sort.asc("t_a.title")).list(),
                () -> b.read("post").select("t_a.posts.title").list(),
                () -> b.read("post").load("t_a.posts").list(),
                () -> b.read("post").table("t_a.posts").list(),
                () -> b.read("post").table("posts\" UNION SELECT * FROM t_a.\"posts").list(),
                () -> b.read("post").groupBy("t_a.title").list(),
                () -> b.read("post").updateAll(Map.of("t_a.posts.title", "taken")));
        for (Runnable attempt : refused) {
            assertThatThrownBy(attempt::run).isInstanceOf(AshlarException.class);
        }
        assertTenantAUntouched();
    }

    @Test
    void actionsTakenInATransactionWhileAnotherTenantsReadStreamsSeeOnlyTheirOwnScope() {
        List<Object> seen = new ArrayList<>();
        // In a transaction, the actions the stream's consumer takes share the stream's connection.
        owner.transaction(tx -> tx.withTenant(A).read("post").where(Filter.sql("title IS NOT NULL")).forEach(row -> {
            seen.add(row.getString("title"));
            seen.add(tx.read("board").compute("seen", String.class, "SELECT coalesce(to_regclass('posts')::text, "
                    + "'none')").first().orElseThrow().get("seen"));
            seen.add(tx.withTenant(B).read("post").compute("seen", String.class,
                    "SELECT string_agg(title, ',') FROM posts").first().orElseThrow().get("seen"));
            seen.add(tx.withTenant(B).read("note").list().stream().map(r -> r.getString("title")).toList());
        }));

        assertThat(seen).containsExactly("t_a-post", "none", "t_b-post", List.of("t_b-note"));
    }

    /** Tenant a's rows, exactly as seeded: one note and one post. */
    private void assertTenantAUntouched() {
        assertThat(db.query("SELECT title FROM notes WHERE org_id = 't_a'")).extracting(r -> r.get("title"))
                .containsExactly("t_a-note");
        assertThat(db.query("SELECT title FROM t_a.posts")).extracting(r -> r.get("title"))
                .containsExactly("t_a-post");
    }
}
