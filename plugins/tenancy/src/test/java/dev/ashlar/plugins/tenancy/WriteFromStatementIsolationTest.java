package dev.ashlar.plugins.tenancy;

import com.zaxxer.hikari.HikariDataSource;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writes from a statement written by hand ({@code read(...).from(sql).updateAll/destroyAll},
 * {@code createAll(resource, sql(...))}) from the attacker's side under the tenancy plugin: tenant {@code t_b}'s
 * statement names every tenant's rows, or {@code t_a}'s alone, in a schema per tenant and under a tenant column with
 * row-level security, as the tables' owner and as an ordinary role the policy holds. Rows are checked in SQL.
 */
@ExtendWith(PostgresExtension.class)
class WriteFromStatementIsolationTest {
    static final String A = "t_a";
    static final String B = "t_b";

    static final Resource TENANT = Resource.builder("tenant").table("tenants")
            .attribute("id", TEXT, a -> a.primaryKey())
            .with(ManageTenant.template("t_", "id"))
            .build();
    static final Domain DOMAIN = Domain.builder("write_from_statement_isolation").resources(TENANT,
            item("item", "wfsi_items", false), item("stock", "wfsi_stocks", true)).build();

    private static Resource item(String name, String table, boolean column) {
        ResourceBuilder builder = Resource.builder(name).table(table).integerPrimaryKey("id")
                .attribute("slug", TEXT, a -> a.notNull()).attribute("qty", INTEGER);
        return (column ? builder.attribute("org_id", TEXT, a -> a.notNull())
                .with(Multitenancy.attribute("org_id").rowLevelSecurity(true))
                : builder.with(Multitenancy.context())).build();
    }

    /**
     * One strategy's resource, raw SQL reading a tenant's rows, a statement over every tenant's rows and one over
     * {@code t_a}'s alone, each claiming them to be the reader's where a column says whose a row is, and one naming
     * the table alone (the tenant's table in a schema per tenant; every tenant's under a column).
     */
    record Strategy(String name, String resource, String rows, String everyRow, String onlyA, String unqualified) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final Strategy CONTEXT = new Strategy("schema", "item",
            "SELECT string_agg(slug || ':' || qty, ',' ORDER BY slug) FROM %s.wfsi_items",
            "SELECT * FROM t_a.wfsi_items UNION ALL SELECT * FROM t_b.wfsi_items", "SELECT * FROM t_a.wfsi_items",
            "SELECT * FROM wfsi_items");
    static final Strategy ATTRIBUTE = new Strategy("column+rls", "stock",
            "SELECT string_agg(slug || ':' || qty, ',' ORDER BY slug) FROM wfsi_stocks WHERE org_id = '%s'",
            "SELECT id, slug, qty, 't_b' AS org_id FROM wfsi_stocks",
            "SELECT id, slug, qty, 't_b' AS org_id FROM wfsi_stocks WHERE org_id = 't_a'", "SELECT * FROM wfsi_stocks");

    static Stream<Arguments> matrix() {
        return Stream.of(Arguments.of(CONTEXT, false), Arguments.of(CONTEXT, true),
                Arguments.of(ATTRIBUTE, false), Arguments.of(ATTRIBUTE, true));
    }

    @TempDir
    Path project;
    TestDatabase db;
    Ashlar owner;
    HikariDataSource ordinaryPool;
    Ashlar ordinary;

    /** Each tenant holds "shared"; only t_a holds "only-a" (created after, so its key is one t_b does not hold). */
    @BeforeEach
    void twoTenants(TestDatabase db) {
        this.db = db;
        owner = TwoTenants.created(db, project, DOMAIN);
        for (Strategy strategy : List.of(CONTEXT, ATTRIBUTE)) {
            for (String tenant : List.of(A, B)) {
                owner.withTenant(tenant).create(strategy.resource, Map.of("slug", "shared", "qty", 1));
            }
            owner.withTenant(A).create(strategy.resource, Map.of("slug", "only-a", "qty", 1));
        }
        ordinaryPool = OrdinaryRole.pool(db, "ashlar_write_from_statement", List.of("public", A, B));
        ordinary = Ashlar.builder().dataSource(ordinaryPool).domain(DOMAIN).install(new TenancyPlugin()).build();
    }

    @AfterEach
    void close() {
        ordinary.close();
        ordinaryPool.close();
        owner.close();
    }

    private Ashlar as(boolean ordinaryRole, String tenant) {
        return (ordinaryRole ? ordinary : owner).withTenant(tenant);
    }

    private Object rows(Strategy strategy, String tenant) {
        return db.value(strategy.rows.formatted(tenant));
    }

    @ParameterizedTest(name = "{0}, ordinary role: {1}")
    @MethodSource("matrix")
    void tenantBsUpdateFromAStatementOverEveryTenantsRowsChangesOnlyItsOwn(Strategy strategy, boolean ordinaryRole) {
        as(ordinaryRole, B).read(strategy.resource).from(strategy.everyRow).updateCount(Map.of("qty", 7));

        assertThat(rows(strategy, A)).isEqualTo("only-a:1,shared:1");
        assertThat(rows(strategy, B)).isEqualTo("shared:7");
    }

    @ParameterizedTest(name = "{0}, ordinary role: {1}")
    @MethodSource("matrix")
    void tenantBsDestroyFromAStatementNamingOnlyAsRowsDestroysNoneOfThem(Strategy strategy, boolean ordinaryRole) {
        as(ordinaryRole, B).read(strategy.resource).from(strategy.onlyA).destroyAll();

        assertThat(rows(strategy, A)).isEqualTo("only-a:1,shared:1");
    }

    @ParameterizedTest(name = "{0}, ordinary role: {1}")
    @MethodSource("matrix")
    void tenantBsCreateFromAReadOfTheWholeTableCopiesItsOwnRowsIntoBOnly(Strategy strategy, boolean ordinaryRole) {
        Ashlar b = as(ordinaryRole, B);

        b.createAll(strategy.resource, b.read(strategy.resource).from(strategy.unqualified).select("slug"),
                Map.of("slug", "slug"));

        assertThat(rows(strategy, A)).isEqualTo("only-a:1,shared:1");
        assertThat(db.value(strategy.rows.replace("slug || ':' || qty", "slug").formatted(B))).isEqualTo("shared,shared");
    }
}
