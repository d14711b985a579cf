package dev.ashlar.plugins.tenancy;

import com.zaxxer.hikari.HikariDataSource;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.data.Merge;
import dev.ashlar.kernel.data.MergeResult;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.RequiresPostgres;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.incoming;
import static dev.ashlar.api.query.Filter.ne;
import static dev.ashlar.api.query.Filter.or;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code ashlar.merge(...)} from the attacker's side under the tenancy plugin: tenant {@code t_b} merges records that
 * name {@code t_a}'s slugs, with conditions that try to reach {@code t_a}'s rows, in a schema per tenant and under a
 * tenant column with row-level security, as the tables' owner and as an ordinary role the policy holds. Every test
 * asserts on the rows in the database.
 */
@ExtendWith(PostgresExtension.class)
@RequiresPostgres(value = 15, reason = "MERGE")
class MergeIsolationTest {
    static final String A = "t_a";
    static final String B = "t_b";

    static final Resource TENANT = Resource.builder("tenant").table("tenants")
            .attribute("id", TEXT, a -> a.primaryKey())
            .with(ManageTenant.template("t_", "id"))
            .build();
    static final Domain DOMAIN = Domain.builder("merge_isolation").resources(TENANT,
            item("item", "items", "part", false), part("part", "parts", "item", false),
            item("stock", "stocks", "piece", true), part("piece", "pieces", "stock", true)).build();

    private static ResourceBuilder scoped(ResourceBuilder builder, boolean column) {
        return column ? builder.attribute("org_id", TEXT, a -> a.notNull())
                .with(Multitenancy.attribute("org_id").rowLevelSecurity(true))
                : builder.with(Multitenancy.context());
    }

    private static Resource item(String name, String table, String part, boolean column) {
        return scoped(Resource.builder(name).table(table).integerPrimaryKey("id")
                .attribute("slug", TEXT, a -> a.notNull()).attribute("qty", INTEGER)
                .identity("unique_slug", "slug")
                .hasMany("parts", part, r -> r.destinationAttribute("item_id")), column).build();
    }

    private static Resource part(String name, String table, String item, boolean column) {
        return scoped(Resource.builder(name).table(table).integerPrimaryKey("id").attribute("label", TEXT)
                .belongsTo("item", item), column).build();
    }

    /** One strategy's resource and how raw SQL reads a tenant's rows of it. */
    record Strategy(String name, String resource, String table, String tenantWhere) {
        @Override
        public String toString() {
            return name;
        }

        String rows(String tenant) {
            return "SELECT string_agg(slug || ':' || qty, ',' ORDER BY slug) FROM " + table.formatted(tenant)
                    + tenantWhere.formatted(tenant);
        }
    }

    static final Strategy CONTEXT = new Strategy("schema", "item", "%s.items", "");
    static final Strategy ATTRIBUTE = new Strategy("column+rls", "stock", "stocks", " WHERE org_id = '%s'");

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

    @BeforeEach
    void twoTenantsWithTheSameSlugs(TestDatabase db) {
        this.db = db;
        owner = TwoTenants.created(db, project, DOMAIN);
        for (Strategy strategy : List.of(CONTEXT, ATTRIBUTE)) {
            for (String tenant : List.of(A, B)) {
                owner.withTenant(tenant).create(strategy.resource, Map.of("slug", "shared", "qty", 1));
            }
            owner.withTenant(A).create(strategy.resource, Map.of("slug", "only-a", "qty", 1));
        }
        ordinaryPool = OrdinaryRole.pool(db, "ashlar_merge_isolation", List.of("public", A, B));
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
        return db.value(strategy.rows(tenant));
    }

    @ParameterizedTest(name = "{0}, ordinary role: {1}")
    @MethodSource("matrix")
    void tenantBsMergeUpdatesOnlyItsOwnRowAndInsertsAsOwnTheSlugOnlyAHolds(Strategy strategy, boolean ordinaryRole) {
        Merge sync = Merge.on("slug").whenMatched(ne("qty", incoming("qty"))).update("qty")
                .whenNotMatched().insert();

        MergeResult result = as(ordinaryRole, B).merge(strategy.resource, List.of(Map.of("slug", "shared", "qty", 7),
                Map.of("slug", "only-a", "qty", 9)), sync);

        assertThat(result.merged()).isEqualTo(2);
        assertThat(rows(strategy, A)).isEqualTo("only-a:1,shared:1");
        assertThat(rows(strategy, B)).isEqualTo("only-a:9,shared:7");
    }

    @ParameterizedTest(name = "{0}, ordinary role: {1}")
    @MethodSource("matrix")
    void recordsGivingDifferentFieldsMergedInSeveralStatementsStayInTheMergingTenant(Strategy strategy,
                                                                                   boolean ordinaryRole) {
        Merge sync = Merge.on("slug").whenMatched().update().whenNotMatched().insert();

        MergeResult result = as(ordinaryRole, B).merge(strategy.resource, List.of(Map.of("slug", "shared", "qty", 7),
                Map.of("slug", "only-a"), Map.of("slug", "fresh", "qty", 3)), sync);

        assertThat(result.merged()).isEqualTo(3);
        assertThat(rows(strategy, A)).isEqualTo("only-a:1,shared:1");
        assertThat(rows(strategy, B)).isEqualTo("fresh:3,shared:7");
        assertThat(db.value("SELECT count(*) FROM " + strategy.table.formatted(B) + strategy.tenantWhere.formatted(B)
                + (strategy.tenantWhere.isEmpty() ? " WHERE" : " AND") + " slug = 'only-a' AND qty IS NULL"))
                .isEqualTo(1L);
    }

    @ParameterizedTest(name = "{0}, ordinary role: {1}")
    @MethodSource("matrix")
    void aMatchedConditionThatAcceptsEveryRowStillDeletesOnlyTheMergingTenantsRow(Strategy strategy,
                                                                               boolean ordinaryRole) {
        Merge wipe = Merge.on("slug").whenMatched(or(eq("qty", 1), ne("qty", 1))).delete();

        MergeResult result = as(ordinaryRole, B).merge(strategy.resource, List.of(Map.of("slug", "shared"),
                Map.of("slug", "only-a")), wipe);

        assertThat(result.merged()).isEqualTo(1);
        assertThat(rows(strategy, A)).isEqualTo("only-a:1,shared:1");
        assertThat(rows(strategy, B)).isNull();
    }

    @ParameterizedTest(name = "{0}, ordinary role: {1}")
    @MethodSource("matrix")
    void aConditionThroughARelationshipIsRefusedNamingItAndNothingIsWritten(Strategy strategy, boolean ordinaryRole) {
        Merge through = Merge.on("slug").whenMatched(exists("parts", eq("label", "x"))).delete();

        assertThatThrownBy(() -> as(ordinaryRole, B).merge(strategy.resource, List.of(Map.of("slug", "shared")),
                through)).isInstanceOf(QueryException.class)
                .hasMessageContaining("reaches through the relationship 'parts'");
        assertThatThrownBy(() -> as(ordinaryRole, B).merge(strategy.resource, List.of(Map.of("slug", "shared")),
                Merge.on("slug").whenMatched(eq("parts.label", "x")).delete())).isInstanceOf(QueryException.class)
                .hasMessageContaining("reaches through the relationship 'parts'");
        assertThat(rows(strategy, B)).isEqualTo("shared:1");
    }

    @ParameterizedTest(name = "ordinary role: {0}")
    @ValueSource(booleans = {false, true})
    void aRecordNamingAnotherTenantInTheTenantColumnIsRefusedAndNothingIsWritten(boolean ordinaryRole) {
        Strategy strategy = ATTRIBUTE;
        assertThatThrownBy(() -> as(ordinaryRole, B).merge(strategy.resource, List.of(Map.of("slug", "shared",
                "qty", 5, "org_id", A)), Merge.on("slug").whenMatched().update().whenNotMatched().insert()))
                .isInstanceOf(AshlarException.class);
        assertThat(rows(strategy, A)).isEqualTo("only-a:1,shared:1");
        assertThat(rows(strategy, B)).isEqualTo("shared:1");
    }
}
