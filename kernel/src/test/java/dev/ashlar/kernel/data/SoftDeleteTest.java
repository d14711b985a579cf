package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.error.NotFoundException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.error.StaleRecordException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.in;
import static dev.ashlar.api.query.Filter.notNil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Destroys that mark records deleted ({@code softDelete(...)}; Ash's {@code soft? true}, Hibernate's and Ebean's
 * {@code @SoftDelete}) instead of deleting them, the base filter that hides them, and {@code permanently()}.
 */
class SoftDeleteTest extends DomainDatabaseTest {
    private static final Domain DOMAIN = Domain.builder("soft")
            .resource(Resource.builder("account").table("accounts").integerPrimaryKey("id")
                    .attribute("email", Type.TEXT, a -> a.notNull()).identity("unique_email", "email")
                    .attribute("deleted_at", Type.TIMESTAMPTZ).attribute("modified_by", Type.TEXT)
                    .modifiedBy("modified_by").softDelete("deleted_at").build())
            .resource(Resource.builder("membership").table("memberships").integerPrimaryKey("id")
                    .belongsTo("account", "account").attribute("role", Type.TEXT).build())
            .resource(Resource.builder("flag").table("flags").integerPrimaryKey("id").attribute("name", Type.TEXT)
                    .attribute("deleted", Type.BOOLEAN, a -> a.notNull().defaultValue(false)).softDelete("deleted")
                    .build())
            .resource(Resource.builder("entry").table("entries").integerPrimaryKey("id").attribute("tenant", Type.TEXT)
                    .attribute("memo", Type.TEXT).attribute("deleted_at", Type.TIMESTAMPTZ).softDelete("deleted_at")
                    .build())
            .resource(Resource.builder("memo").table("soft_memos").integerPrimaryKey("id").attribute("title", Type.TEXT)
                    .attribute("deleted_at", Type.TIMESTAMPTZ).softDelete("deleted_at").build())
            .resource(Resource.builder("ledger").table("soft_ledgers").integerPrimaryKey("id")
                    .attribute("tenant", Type.TEXT).attribute("memo", Type.TEXT)
                    .attribute("lock_version", Type.INTEGER, a -> a.notNull().defaultValue(1))
                    .attribute("deleted_at", Type.TIMESTAMPTZ).optimisticLock("lock_version").softDelete("deleted_at")
                    .build())
            .build();

    SoftDeleteTest() {
        super(DOMAIN, OneResourceTenancy.column("entry", "tenant", true), OneResourceTenancy.schemas("memo"),
                OneResourceTenancy.column("ledger", "tenant", true));
    }

    @BeforeEach
    void populated() {
        db.execute("TRUNCATE accounts, memberships, flags, entries, soft_ledgers RESTART IDENTITY CASCADE");
        db.execute("INSERT INTO accounts (email) SELECT 'user' || i || '@example.org' FROM generate_series(1, 20) i");
        db.execute("INSERT INTO memberships (account_id, role) SELECT i, 'member' FROM generate_series(1, 20) i");
        db.execute("INSERT INTO flags (name) SELECT 'flag ' || i FROM generate_series(1, 10) i");
        db.execute("INSERT INTO entries (tenant, memo) SELECT CASE WHEN i % 2 = 0 THEN 'acme' ELSE 'globex' END, "
                + "'memo ' || i FROM generate_series(1, 20) i");
        db.execute("INSERT INTO soft_ledgers (tenant, memo) SELECT CASE WHEN i % 2 = 0 THEN 'acme' ELSE 'globex' END, "
                + "'line ' || i FROM generate_series(1, 10) i");
        db.execute("DROP SCHEMA IF EXISTS soft_acme CASCADE; DROP SCHEMA IF EXISTS soft_globex CASCADE; "
                + "CREATE SCHEMA soft_acme; CREATE SCHEMA soft_globex; "
                + "CREATE TABLE soft_acme.soft_memos (LIKE public.soft_memos INCLUDING ALL); "
                + "CREATE TABLE soft_globex.soft_memos (LIKE public.soft_memos INCLUDING ALL); "
                + "INSERT INTO soft_acme.soft_memos (id, title) SELECT i, 'acme ' || i FROM generate_series(1, 5) i; "
                + "INSERT INTO soft_globex.soft_memos (id, title) SELECT i, 'globex ' || i FROM generate_series(1, 8) i");
    }

    @Test
    void aDestroyMarksTheRecordDeletedAndReadsNoLongerSeeIt() {
        Row account = ashlar.get("account", 3);

        ashlar.withUser("ada").destroy(account);

        assertThat(db.query("SELECT deleted_at IS NOT NULL AS marked, modified_by FROM accounts WHERE id = 3"))
                .containsExactly(Map.of("marked", true, "modified_by", "ada"));
        assertThat(ashlar.find("account", 3)).isEmpty();
        assertThat(ashlar.read("account").count()).isEqualTo(19L);
        assertThat(ashlar.read("account").ignoreBaseFilter().where(notNil("deleted_at")).list())
                .extracting(r -> r.get("id")).containsExactly(3);
        assertThatThrownBy(() -> ashlar.destroy(account))
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void destroyAllOfRowsOrOfAReadMarksOnlyTheRecordsNotMarkedYetKeepingWhenTheOthersWereDeleted() {
        db.execute("UPDATE accounts SET deleted_at = '2020-01-01Z' WHERE id = 5");

        int inHand = ashlar.destroyAll(ashlar.read("account").where(in("id", List.of(1, 2))).list());
        int byRead = ashlar.read("account").ignoreBaseFilter().where(in("id", List.of(4, 5, 6))).destroyAll();

        assertThat(inHand).isEqualTo(2);
        assertThat(byRead).isEqualTo(2);
        assertThat(db.value("SELECT count(*) FROM accounts")).isEqualTo(20L);
        assertThat(db.value("SELECT deleted_at = '2020-01-01Z' FROM accounts WHERE id = 5")).isEqualTo(true);
        assertThat(db.query("SELECT id FROM accounts WHERE deleted_at IS NOT NULL ORDER BY id"))
                .extracting(r -> r.get("id")).containsExactly(1, 2, 4, 5, 6);
    }

    @Test
    void permanentlyDeletesTheRowsForRealAndPurgesTheMarkedOnes() {
        ashlar.destroy(ashlar.get("account", 7));
        db.execute("DELETE FROM memberships WHERE account_id IN (7, 8)");

        int purged = ashlar.permanently().read("account").ignoreBaseFilter().where(notNil("deleted_at")).destroyAll();
        ashlar.permanently().destroy(ashlar.get("account", 8));

        assertThat(purged).isEqualTo(1);
        assertThat(db.query("SELECT id FROM accounts WHERE id IN (7, 8)")).isEmpty();
        assertThat(db.value("SELECT count(*) FROM accounts WHERE deleted_at IS NULL")).isEqualTo(18L);
        assertThat(ashlar.permanently().destroyAll(ashlar.read("membership").where(eq("role", "member")).list()))
                .isEqualTo(18);
    }

    @Test
    void aSoftDeletedRecordFreesItsIdentityAndKeepsTheRecordsThatReferToIt() {
        ashlar.destroy(ashlar.get("account", 9));

        Row again = ashlar.create("account", Map.of("email", "user9@example.org"));

        assertThat(again.get("id")).isNotEqualTo(9);
        assertThat(db.value("SELECT count(*) FROM memberships WHERE account_id = 9")).isEqualTo(1L);
        assertThat(ashlar.read("membership").where(eq("id", 9)).load("account").one().orElseThrow()
                .relatedOne("account")).isEmpty();
        assertThatThrownBy(() -> ashlar.create("account", Map.of("email", "user10@example.org")))
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_DATA));
    }

    @Test
    void aBooleanMarkIsSetToTrueAndHidesTheRecord() {
        int destroyed = ashlar.read("flag").where(in("id", List.of(1, 2, 3))).destroyAll();

        assertThat(destroyed).isEqualTo(3);
        assertThat(db.value("SELECT count(*) FROM flags WHERE deleted")).isEqualTo(3L);
        assertThat(ashlar.read("flag").count()).isEqualTo(7L);
    }

    @Test
    void aTenantMarksOnlyItsOwnRecordsAndCannotReachAnothersByKey() {
        Ashlar acme = ashlar.withTenant("acme");
        Row theirs = ashlar.withTenant("globex").get("entry", 1);

        int destroyed = acme.read("entry").destroyAll();

        assertThat(destroyed).isEqualTo(10);
        assertThatThrownBy(() -> acme.destroy(theirs)).isInstanceOf(QueryException.class)
                .hasMessageContaining("belongs to tenant 'globex'");
        assertThatThrownBy(() -> acme.permanently().destroyAll(List.of(theirs))).isInstanceOf(QueryException.class)
                .hasMessageContaining("belongs to tenant 'globex'");
        assertThatThrownBy(() -> acme.destroy(Row.of("entry", Map.of("id", 1))))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> acme.permanently().destroy(Row.of("entry", Map.of("id", 3, "tenant", "acme"))))
                .isInstanceOf(NotFoundException.class);
        assertThat(db.value("SELECT count(*) FROM entries WHERE tenant = 'globex' AND deleted_at IS NULL"))
                .isEqualTo(10L);
        assertThat(db.value("SELECT count(*) FROM entries WHERE tenant = 'acme' AND deleted_at IS NOT NULL"))
                .isEqualTo(10L);
    }

    @Test
    void aTenantInASchemaOfItsOwnMarksAndPurgesOnlyItsOwnRecords() {
        Ashlar acme = ashlar.withTenant("soft_acme");

        int marked = acme.read("memo").where(in("id", List.of(1, 2, 6, 7))).destroyAll();
        assertThatThrownBy(() -> acme.destroy(Row.of("memo", Map.of("id", 7)))).isInstanceOf(NotFoundException.class);
        int purged = acme.permanently().read("memo").ignoreBaseFilter().where(notNil("deleted_at")).destroyAll();

        assertThat(marked).isEqualTo(2);
        assertThat(purged).isEqualTo(2);
        assertThat(db.query("SELECT id FROM soft_acme.soft_memos ORDER BY id")).extracting(r -> r.get("id"))
                .containsExactly(3, 4, 5);
        assertThat(db.value("SELECT count(*) FROM soft_globex.soft_memos WHERE deleted_at IS NULL")).isEqualTo(8L);
        assertThat(db.value("SELECT count(*) FROM public.soft_memos")).isEqualTo(0L);
    }

    @Test
    void destroyAllReturnsTheRecordsItMarkedAsMarkedLeavingOutThoseAlreadyMarked() {
        db.execute("UPDATE accounts SET deleted_at = '2020-01-01Z' WHERE id = 2");

        List<Row> returned = ashlar.read("account").ignoreBaseFilter().where(in("id", List.of(2, 3)))
                .destroyAll(Returning.ROWS);
        List<Row> keys = ashlar.read("account").where(in("id", List.of(3, 4))).destroyAll(Returning.KEYS);

        assertThat(returned).extracting(r -> r.get("id")).containsExactly(3);
        assertThat(returned.get(0).get("deleted_at")).isNotNull();
        assertThat(keys).extracting(r -> r.get("id")).containsExactly(4);
        assertThat(db.value("SELECT deleted_at = '2020-01-01Z' FROM accounts WHERE id = 2")).isEqualTo(true);
    }

    @Test
    void destroyAllOfVersionedRowsLeavesOutThoseAlreadyMarkedAsDestroyOfOneIsNotFound() {
        db.execute("UPDATE soft_ledgers SET deleted_at = '2020-01-01Z' WHERE id = 6");
        Ashlar acme = ashlar.withTenant("acme");
        List<Row> held = acme.read("ledger").ignoreBaseFilter().where(in("id", List.of(2, 4, 6))).sort(Sort.asc("id"))
                .list();
        acme.destroy(acme.get("ledger", 4));
        String markedAt = "SELECT deleted_at::text FROM soft_ledgers WHERE id = 4";
        Object fourMarkedAt = db.value(markedAt);

        int destroyed = acme.destroyAll(held);

        assertThat(destroyed).isEqualTo(1);
        assertThat(db.query("SELECT id, lock_version FROM soft_ledgers WHERE deleted_at IS NOT NULL ORDER BY id"))
                .containsExactly(Map.of("id", 2, "lock_version", 2), Map.of("id", 4, "lock_version", 2),
                        Map.of("id", 6, "lock_version", 1));
        assertThat(db.value(markedAt)).isEqualTo(fourMarkedAt);
        assertThat(db.value("SELECT deleted_at = '2020-01-01Z' FROM soft_ledgers WHERE id = 6")).isEqualTo(true);
        for (Row marked : held) {
            assertThatThrownBy(() -> acme.destroy(marked)).isInstanceOf(NotFoundException.class);
        }
        assertThat(db.value("SELECT count(*) FROM soft_ledgers WHERE tenant = 'globex' AND deleted_at IS NULL"))
                .isEqualTo(5L);
    }

    @Test
    void aWatchedResourcesDestroysOfVersionedRowsLeaveOutAndFindNoneOfTheMarkedOnesToo() {
        db.execute("UPDATE soft_ledgers SET deleted_at = '2020-01-01Z' WHERE id = 6");
        BaseFilterWritesTest.Watcher watcher = new BaseFilterWritesTest.Watcher();
        try (Ashlar watched = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN)
                .install(OneResourceTenancy.column("ledger", "tenant", true)).install(watcher).build()) {
            Ashlar acme = watched.withTenant("acme");
            List<Row> held = acme.read("ledger").ignoreBaseFilter().where(in("id", List.of(2, 4, 6))).list();
            acme.destroy(acme.get("ledger", 4));

            assertThat(acme.destroyAll(held)).isEqualTo(1);
            for (Row marked : held) {
                assertThatThrownBy(() -> acme.destroy(marked)).isInstanceOf(NotFoundException.class);
            }
            assertThat(watcher.seen).containsExactly("update 4", "update 2");
        }
        assertThat(db.query("SELECT id FROM soft_ledgers WHERE deleted_at IS NOT NULL ORDER BY id"))
                .extracting(r -> r.get("id")).containsExactly(2, 4, 6);
    }

    @Test
    void destroyAllOfVersionedRowsStillRefusesALiveRecordChangedSinceWritingNone() {
        db.execute("UPDATE soft_ledgers SET deleted_at = '2020-01-01Z' WHERE id = 6");
        Ashlar acme = ashlar.withTenant("acme");
        List<Row> held = acme.read("ledger").ignoreBaseFilter().where(in("id", List.of(2, 6, 8))).list();
        acme.update(acme.get("ledger", 8), Map.of("memo", "edited"));

        assertThatThrownBy(() -> acme.destroyAll(held)).isInstanceOf(StaleRecordException.class)
                .hasMessageContaining("ledger");
        assertThat(db.query("SELECT id FROM soft_ledgers WHERE deleted_at IS NOT NULL ORDER BY id"))
                .extracting(r -> r.get("id")).containsExactly(6);
    }

    @Test
    void anotherTenantReachesNoneOfAVersionedMarkedRecordAndLearnsNothingOfIt() {
        db.execute("UPDATE soft_ledgers SET deleted_at = '2020-01-01Z' WHERE id = 6");
        Ashlar globex = ashlar.withTenant("globex");
        Row byKey = Row.of("ledger", Map.of("id", 6, "lock_version", 1));
        Row staleByKey = Row.of("ledger", Map.of("id", 6, "lock_version", 7));

        assertThat(globex.destroyAll(List.of(byKey))).isZero();
        assertThat(globex.destroyAll(List.of(staleByKey))).isZero();
        assertThatThrownBy(() -> globex.destroy(byKey)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> globex.destroy(staleByKey)).isInstanceOf(NotFoundException.class);
        assertThat(globex.updateAll(List.of(byKey), Map.of("memo", "theirs"))).isEmpty();
        assertThatThrownBy(() -> globex.destroyAll(List.of(ashlar.withTenant("acme").read("ledger")
                .ignoreBaseFilter().where(eq("id", 6)).one().orElseThrow()))).isInstanceOf(QueryException.class)
                .hasMessageContaining("belongs to tenant 'acme'");
        assertThat(db.query("SELECT memo, lock_version, deleted_at = '2020-01-01Z' AS kept FROM soft_ledgers "
                + "WHERE id = 6")).containsExactly(Map.of("memo", "line 6", "lock_version", 1, "kept", true));
    }

    @Test
    void updateAllOfVersionedRowsWritesAMarkedRecordAsUpdateOfOneDoesAndRefusesAStaleOne() {
        db.execute("UPDATE soft_ledgers SET deleted_at = '2020-01-01Z' WHERE id IN (4, 6)");
        Ashlar acme = ashlar.withTenant("acme");
        List<Row> held = acme.read("ledger").ignoreBaseFilter().where(in("id", List.of(2, 4, 6))).sort(Sort.asc("id"))
                .list();
        db.execute("UPDATE soft_ledgers SET lock_version = 5 WHERE id = 6");

        assertThatThrownBy(() -> acme.updateAll(held, Collections.singletonMap("deleted_at", null)))
                .isInstanceOf(StaleRecordException.class);
        List<Row> restored = acme.updateAll(held.subList(0, 2), Collections.singletonMap("deleted_at", null));

        assertThat(restored).extracting(r -> r.get("id"), r -> r.get("lock_version"))
                .containsExactly(tuple(2, 2), tuple(4, 2));
        assertThat(db.query("SELECT id FROM soft_ledgers WHERE deleted_at IS NOT NULL ORDER BY id"))
                .extracting(r -> r.get("id")).containsExactly(6);
        assertThat(acme.read("ledger").count()).isEqualTo(4L);
    }

    @Test
    void aPlainHandleInsideAPermanentHandlesCallbackStillOnlyMarks() {
        ashlar.permanently().read("flag").where(eq("id", 1))
                .forEach(flag -> ashlar.destroy(ashlar.get("account", 11)));
        ashlar.permanently().transaction(tx -> {
            ashlar.destroy(ashlar.get("account", 12));
            return null;
        });

        assertThat(db.query("SELECT id, deleted_at IS NOT NULL AS marked FROM accounts WHERE id IN (11, 12) "
                + "ORDER BY id")).containsExactly(Map.of("id", 11, "marked", true), Map.of("id", 12, "marked", true));
    }

    @Test
    void aMarkNamingNoAttributeOrOneOfAnotherTypeIsRefusedWhenTheDomainIsBuilt() {
        assertThatThrownBy(() -> Domain.builder("d").resource(Resource.builder("thing").integerPrimaryKey("id")
                .attribute("deleted_at", Type.TEXT).softDelete("deleted_at").build()).build())
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.getMessage())
                        .contains("resource 'thing', 'deleted_at'", "make it TIMESTAMPTZ (or TIMESTAMP, BOOLEAN)"));
        assertThatThrownBy(() -> Domain.builder("d").resource(Resource.builder("thing").integerPrimaryKey("id")
                .softDelete("removed").build()).build())
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.getMessage())
                        .contains("softDelete(\"removed\")", "no such attribute"));
    }
}
