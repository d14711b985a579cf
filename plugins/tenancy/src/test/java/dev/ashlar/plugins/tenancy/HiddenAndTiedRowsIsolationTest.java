package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.Read;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.isNil;
import static dev.ashlar.api.query.Filter.sql;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code ignoreBaseFilter()} and {@code limit(n).withTies()} from the attacker's side, in both strategies: tenant
 * {@code t_b}'s handle reads past its own base filter and keeps its own ties, and never reads, updates or destroys a
 * row of tenant {@code t_a}, soft-deleted or tied, though a's rows outscore b's and a's soft-deleted ones carry the
 * names b's writes look for. Every test asserts on the rows stored.
 */
@ExtendWith(PostgresExtension.class)
class HiddenAndTiedRowsIsolationTest {
    static final String A = "t_a";
    static final String B = "t_b";

    /** A resource of each strategy, its table as raw SQL sees one tenant's rows. */
    enum Strategy {
        SCHEMA("player", "%s.players", ""), COLUMN("member", "members", " WHERE org_id = '%s'");

        final String resource;
        final String table;
        final String where;

        Strategy(String resource, String table, String where) {
            this.resource = resource;
            this.table = table;
            this.where = where;
        }

        String rowsOf(String tenant, String columns, String and) {
            String scoped = where.formatted(tenant);
            return "SELECT " + columns + " FROM " + table.formatted(tenant)
                    + (scoped.isEmpty() ? (and.isEmpty() ? "" : " WHERE " + and) : scoped + (and.isEmpty() ? ""
                    : " AND " + and));
        }
    }

    static final Domain DOMAIN = Domain.builder("hidden_and_tied").resources(TwoTenants.TENANT,
            scored(Resource.builder("player").table("players")).with(Multitenancy.context()).build(),
            scored(Resource.builder("member").table("members")).attribute("org_id", TEXT, a -> a.notNull())
                    .with(Multitenancy.attribute("org_id")).build()).build();

    private static ResourceBuilder scored(ResourceBuilder builder) {
        return builder.integerPrimaryKey("id").attribute("name", TEXT).attribute("score", INTEGER)
                .attribute("deleted_by", TEXT).baseFilter("deleted_by IS NULL", isNil("deleted_by"));
    }

    @TempDir
    Path project;
    TestDatabase db;
    Ashlar owner;

    /**
     * Tenant a: three live players tied at 100, one at 50, and two soft-deleted ones (at 100 and 300) named as b's;
     * tenant b: two live players tied at 90, one at 10, and one soft-deleted at 95.
     */
    @BeforeEach
    void twoTenantsWithHiddenAndTiedRows(TestDatabase db) {
        this.db = db;
        owner = TwoTenants.created(db, project, DOMAIN);
        for (Strategy strategy : Strategy.values()) {
            Ashlar a = owner.withTenant(A);
            Ashlar b = owner.withTenant(B);
            a.createAll(strategy.resource, List.of(player("a1", 100, null), player("a2", 100, null),
                    player("a3", 100, null), player("a4", 50, null), player("b-gone", 100, "admin"),
                    player("b-top", 300, "admin")));
            b.createAll(strategy.resource, List.of(player("b1", 90, null), player("b2", 90, null),
                    player("b3", 10, null), player("b-gone", 95, "admin")));
        }
    }

    private static Map<String, Object> player(String name, int score, String deletedBy) {
        return deletedBy == null ? Map.of("name", name, "score", score)
                : Map.of("name", name, "score", score, "deleted_by", deletedBy);
    }

    @AfterEach
    void close() {
        owner.close();
    }

    private static List<String> names(List<Row> rows) {
        return rows.stream().map(row -> row.getString("name")).sorted().toList();
    }

    /** Tenant a's rows, name:score:deleted_by, exactly as seeded. */
    private void assertTenantAUntouched(Strategy strategy) {
        assertThat(db.query(strategy.rowsOf(A, "name || ':' || score || ':' || coalesce(deleted_by, '-') AS r", "")
                + " ORDER BY 1")).extracting(row -> row.get("r")).containsExactly("a1:100:-", "a2:100:-", "a3:100:-",
                "a4:50:-", "b-gone:100:admin", "b-top:300:admin");
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void aCursorOverAnExpressionTakenInTheOtherTenantPagesOnlyTheCallersRows(Strategy strategy) {
        Read aByRemainder = owner.withTenant(A).read(strategy.resource).sort(Sort.descBy(sql("score % 3")),
                Sort.asc("name")).limit(2);
        Row a4 = aByRemainder.list().get(0);
        Object[] aCursor = aByRemainder.cursor(a4);
        Read bByRemainder = owner.withTenant(B).read(strategy.resource).sort(Sort.descBy(sql("score % 3")),
                Sort.asc("name")).limit(10);

        assertThat(aCursor).startsWith(2, "a4");
        assertThat(names(bByRemainder.after(aCursor).list())).containsExactly("b1", "b2", "b3");
        assertThat(names(bByRemainder.ignoreBaseFilter().after(aCursor).list()))
                .containsExactly("b-gone", "b1", "b2", "b3");
        assertThatThrownBy(() -> bByRemainder.cursor(a4)).isInstanceOf(QueryException.class)
                .hasMessageContaining("belongs to tenant");
        assertTenantAUntouched(strategy);
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void readsPastTheBaseFilterAndKeepingTiesSeeOnlyTheCallersRows(Strategy strategy) {
        Ashlar b = owner.withTenant(B);
        Read best = b.read(strategy.resource).sort(Sort.desc("score"));

        assertThat(names(b.read(strategy.resource).ignoreBaseFilter().list()))
                .containsExactly("b-gone", "b1", "b2", "b3");
        assertThat(b.read(strategy.resource).ignoreBaseFilter().count()).isEqualTo(4);
        assertThat(names(b.read(strategy.resource).ignoreBaseFilter().where(eq("name", "b-top")).list())).isEmpty();
        assertThat(names(best.limit(1).withTies().list())).containsExactly("b1", "b2");
        assertThat(names(best.ignoreBaseFilter().limit(1).withTies().list())).containsExactly("b-gone");
        assertThat(names(best.ignoreBaseFilter().limit(2).withTies().list())).containsExactly("b-gone", "b1", "b2");
        assertThat(best.limit(1).withTies().count()).isEqualTo(2);
        assertThat(best.limit(1).withTies().first()).hasValueSatisfying(row -> assertThat(row.get("score"))
                .isEqualTo(90));
        assertThat(names(best.limit(1).withTies().after(100).list())).as("a cursor at a's tied score")
                .containsExactly("b1", "b2");
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void writesPastTheBaseFilterAndOfTiedRowsChangeOnlyTheCallersRowsAndATiedWriteByQueryPicksItsRowsPastTheBaseFilter(Strategy strategy) {
        Ashlar b = owner.withTenant(B);

        int relabelled = b.read(strategy.resource).ignoreBaseFilter().where(eq("name", "b-gone"))
                .updateCount(Map.of("deleted_by", "auditor"));
        int destroyedTop = b.read(strategy.resource).ignoreBaseFilter().where(eq("name", "b-top")).destroyAll();
        List<Row> renamed = b.read(strategy.resource).sort(Sort.desc("score")).limit(1).withTies()
                .updateAll(Map.of("name", "tied"));
        int destroyedTied = b.read(strategy.resource).ignoreBaseFilter().sort(Sort.desc("score")).limit(1)
                .withTies().destroyAll();

        assertThat(relabelled).isEqualTo(1);
        assertThat(destroyedTop).isZero();
        assertThat(renamed).as("a tied write by query picks its rows past the base filter: b's soft-deleted 95, where the same "
                        + "read lists b1 and b2 at 90; never a's 300 or 100")
                .extracting(row -> row.get("score")).containsExactly(95);
        assertThat(destroyedTied).as("b's renamed 95").isEqualTo(1);
        assertThat(db.query(strategy.rowsOf(B, "name || ':' || score AS r", "") + " ORDER BY 1"))
                .extracting(row -> row.get("r")).containsExactly("b1:90", "b2:90", "b3:10");
        assertTenantAUntouched(strategy);
    }
}
