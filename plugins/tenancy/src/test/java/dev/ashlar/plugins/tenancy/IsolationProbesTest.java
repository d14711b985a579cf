package dev.ashlar.plugins.tenancy;

import com.zaxxer.hikari.HikariDataSource;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.query.Sort;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.ashlar.plugins.tenancy.TenantIsolationTest.A;
import static dev.ashlar.plugins.tenancy.TenantIsolationTest.B;
import static dev.ashlar.plugins.tenancy.TenantIsolationTest.DOMAIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Paths from the attacker's side that the other isolation tests leave out: a tenant's stream read in batches while
 * another tenant acts in the same transaction, the pooled connection a tenant's stream or failed write gives back,
 * writes of records each keyed by another tenant's ids, and a refresh of another tenant's row; as an ordinary role
 * held to row-level security (both strategies: {@code post} in a schema per tenant, {@code note} by a tenant column).
 */
@ExtendWith(PostgresExtension.class)
class IsolationProbesTest {
    static final String ROLE = "ashlar_stream_probe";

    @TempDir
    Path project;
    TestDatabase db;
    Ashlar owner;
    HikariDataSource pool;
    Ashlar ordinary;

    @BeforeEach
    void threeRowsPerTenant(TestDatabase db) {
        this.db = db;
        owner = TwoTenants.created(db, project, DOMAIN);
        for (String tenant : List.of(A, B)) {
            for (int i = 1; i <= 3; i++) {
                Row post = owner.withTenant(tenant).create("post", Map.of("title", tenant + "-post" + i));
                owner.withTenant(tenant).create("comment", Map.of("body", tenant + "-comment", "post_id", post.get("id")));
                Row note = owner.withTenant(tenant).create("note", Map.of("title", tenant + "-note" + i));
                owner.withTenant(tenant).create("remark", Map.of("body", tenant + "-remark", "post_id", note.get("id")));
            }
        }
        owner.withTenant(B).create("remark", Map.of("body", "b-extra", "post_id",
                owner.withTenant(B).read("note").list().get(0).get("id")));
        owner.withTenant(B).create("comment", Map.of("body", "b-extra", "post_id",
                owner.withTenant(B).read("post").list().get(0).get("id")));
        pool = OrdinaryRole.pool(db, ROLE, List.of("public", A, B));
        ordinary = Ashlar.builder().dataSource(pool).domain(DOMAIN).install(new TenancyPlugin()).build();
    }

    @AfterEach
    void close() {
        ordinary.close();
        pool.close();
        owner.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"post:comments", "note:remarks"})
    void aTenantsStreamReadInBatchesAroundAnotherTenantsReadInOneTransactionHandsOnlyItsOwnRowsAndCounts(
            String resourceAndTable) {
        String resource = resourceAndTable.split(":")[0];
        String related = resourceAndTable.split(":")[1];

        String count = "(SELECT count(*) FROM " + related + ")";

        List<String> seen = ordinary.transaction(tx -> {
            List<String> out = new ArrayList<>();
            try (Stream<Row> rows = tx.withTenant(A).read(resource).sort(Sort.asc("id")).fetchSize(1)
                    .compute("related", Long.class, count).stream()) {
                Iterator<Row> each = rows.iterator();
                out.add(line(each.next()));
                // b's titles and its 4 related rows tell its read from one that still sees a's 3
                out.add("b read " + tx.withTenant(B).read(resource).sort(Sort.asc("id"))
                        .compute("related", Long.class, count).list().stream().map(IsolationProbesTest::line).toList());
                each.forEachRemaining(row -> out.add(line(row)));
            }
            return out;
        });

        assertThat(seen).containsExactly(A + "-" + resource + "1:3", "b read [" + B + "-" + resource + "1:4, " + B
                + "-" + resource + "2:4, " + B + "-" + resource + "3:4]", A + "-" + resource + "2:3",
                A + "-" + resource + "3:3");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"post", "note"})
    void theNextBorrowerAfterATenantsStreamClosedEarlyFindsThePoolsSearchPathAndNoTenantSetting(String resource)
            throws SQLException {
        String before = session();

        try (Stream<Row> rows = ordinary.withTenant(A).read(resource).fetchSize(1).stream()) {
            assertThat(rows.findFirst()).isPresent();
        }

        assertThat(session()).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"post", "note"})
    void theNextBorrowerAfterATenantsFailedWriteFindsThePoolsSearchPathAndNoTenantSetting(String resource)
            throws SQLException {
        String before = session();

        ordinary.withTenant(A).create(resource, Map.of("title", "taken", "slug", "taken"));

        // the server refuses the second slug (23505) with the tenant's scope set on the connection
        assertThatThrownBy(() -> ordinary.withTenant(A).create(resource, Map.of("title", "again", "slug", "taken")))
                .isInstanceOfSatisfying(AshlarException.class,
                        e -> assertThat(e.sqlState()).contains("23505"));
        assertThatThrownBy(() -> ordinary.transaction(tx -> {
            tx.withTenant(A).read(resource).list();
            return tx.withTenant(A).create(resource, Map.of("title", "again", "slug", "taken"));
        })).isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.sqlState()).contains("23505"));

        assertThat(session()).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"post", "note"})
    void recordsKeyedByAnotherTenantsIdsUpdateNoneOfItsRows(String resource) {
        List<Object> idsOfB = owner.withTenant(B).read(resource).list().stream().map(row -> row.get("id")).toList();
        List<Map<String, Object>> records = idsOfB.stream()
                .map(id -> Map.<String, Object>of("id", id, "title", "hijacked")).toList();

        List<Row> written = ordinary.withTenant(A).updateAll(resource, records);

        // in a schema per tenant the ids name a's own rows of those keys, which a's handle may write; never b's
        assertThat(written).hasSize(resource.equals("post") ? 3 : 0);
        if (resource.equals("post")) {
            assertThat(db.value("SELECT count(*) FROM t_a.posts WHERE title = 'hijacked'")).isEqualTo(3L);
            assertThat(db.value("SELECT count(*) FROM t_b.posts WHERE title = 'hijacked'")).isEqualTo(0L);
        } else {
            assertThat(db.value("SELECT count(*) FROM notes WHERE title = 'hijacked'")).isEqualTo(0L);
        }
        assertThat(owner.withTenant(B).read(resource).list()).extracting(row -> row.getString("title"))
                .allSatisfy(title -> assertThat(title).startsWith(B + "-"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"post", "note"})
    void aRefreshOfAnotherTenantsRowIsRefusedAndReadsNothing(String resource) {
        Row ofB = ordinary.withTenant(B).read(resource).list().get(0);

        assertThatThrownBy(() -> ordinary.withTenant(A).refresh(ofB)).isInstanceOfSatisfying(AshlarException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_QUERY)).hasMessageContaining(resource)
                .hasMessageContaining("belongs to tenant '" + B + "'");
        assertThat(ordinary.withTenant(B).refresh(ofB).getString("title")).startsWith(B + "-");
    }

    private static String line(Row row) {
        return row.getString("title") + ":" + row.get("related");
    }

    /**
     * What a borrower of the pool's one connection finds: its search path, tenant setting (empty and unset alike see
     * no row under the policy) and the rows it sees.
     */
    private String session() throws SQLException {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT current_setting('search_path') || '/' "
                     + "|| coalesce(nullif(current_setting('ashlar.tenant', true), ''), '<none>') || '/' "
                     + "|| (SELECT count(*) FROM notes) || '/' || (SELECT count(*) FROM to_regclass('posts') r "
                     + "WHERE r IS NOT NULL)")) {
            row.next();
            return row.getString(1);
        }
    }
}
