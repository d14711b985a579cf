package dev.ashlar.kernel.data;

import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;
import dev.ashlar.testing.RequiresPostgres;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A key that a record marked deleted ({@code softDelete(...)}) still holds, on a table of live and marked rows: a
 * create, an upsert and a merge of it fail naming the resource, the key and the ways out (restore it, destroy it for
 * good, give another key, or an identity without {@code ignoreBaseFilter()}), never a bare unique violation, and
 * write nothing; another tenant's marked record is not named.
 */
class MarkedKeyTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("marked_keys")
            .resource(Resource.builder("account").table("marked_accounts").integerPrimaryKey("id")
                    .attribute("email", Type.TEXT, a -> a.notNull()).identity("unique_email", "email")
                    .attribute("handle", Type.TEXT).identity("unique_handle", List.of("handle"),
                            o -> o.ignoreBaseFilter())
                    .attribute("deleted_at", Type.TIMESTAMPTZ).softDelete("deleted_at").build())
            .resource(Resource.builder("entry").table("marked_entries").integerPrimaryKey("id")
                    .attribute("tenant", Type.TEXT).attribute("memo", Type.TEXT)
                    .attribute("deleted_at", Type.TIMESTAMPTZ).softDelete("deleted_at").build())
            .build();

    MarkedKeyTest() {
        super(DOMAIN, OneResourceTenancy.column("entry", "tenant", false));
    }

    @BeforeEach
    void liveAndMarkedRows() {
        db.execute("TRUNCATE marked_accounts, marked_entries RESTART IDENTITY");
        db.execute("INSERT INTO marked_accounts (email, handle, deleted_at) SELECT 'user' || i || '@example.org', "
                + "'user' || i, CASE WHEN i % 3 = 0 THEN now() END FROM generate_series(1, 30) i");
        db.execute("INSERT INTO marked_entries (tenant, memo, deleted_at) SELECT CASE WHEN i % 2 = 0 THEN 'acme' "
                + "ELSE 'globex' END, 'memo ' || i, CASE WHEN i <= 4 THEN now() END FROM generate_series(1, 20) i");
    }

    private void refusedNamingTheMarkedHolder(ThrowingCallable write, String field, String key) {
        assertThatThrownBy(write).isInstanceOf(InvalidDataException.class)
                .hasMessageContaining(field + " has already been taken")
                .hasMessageContaining(key + " is held by a record of account marked deleted")
                .hasMessageContaining("Restore it by clearing 'deleted_at'")
                .hasMessageContaining("ashlar.permanently().read(\"account\").ignoreBaseFilter()");
        assertThat(db.value("SELECT count(*) FROM marked_accounts")).isEqualTo(30L);
        assertThat(db.value("SELECT count(*) FROM marked_accounts WHERE deleted_at IS NOT NULL")).isEqualTo(10L);
    }

    @Test
    void aCreateOfTheKeyAMarkedRecordHoldsIsRefusedNamingItAndTheWaysOut() {
        refusedNamingTheMarkedHolder(() -> ashlar.create("account", Map.of("id", 3, "email", "new@example.org")),
                "id", "{id=3}");
        refusedNamingTheMarkedHolder(() -> ashlar.createAll("account", List.of(Map.of("id", 31, "email", "a@b.c"),
                Map.of("id", 6, "email", "d@e.f"))), "id", "{id=6}");
    }

    @Test
    void anUpsertOnAnIdentityMarkedRecordsFreeMeetingAMarkedRecordsKeyIsRefusedNamingIt() {
        refusedNamingTheMarkedHolder(() -> ashlar.upsert("account", List.of(Map.of("id", 9, "email",
                "user9@example.org")), Upsert.on("unique_email")), "id", "{id=9}");
    }

    @Test
    @RequiresPostgres(value = 15, reason = "MERGE")
    void aMergeThatInsertsAMarkedRecordsKeyIsRefusedNamingItAndNothingIsWritten() {
        refusedNamingTheMarkedHolder(() -> ashlar.merge("account", List.of(Map.of("id", 1, "email", "one@b.c"),
                Map.of("id", 12, "email", "twelve@b.c")), Merge.on("id").whenMatched().update()
                .whenNotMatched().insert()), "id", "{id=12}");
        assertThat(db.value("SELECT email FROM marked_accounts WHERE id = 1")).isEqualTo("user1@example.org");
    }

    @Test
    @RequiresPostgres(value = 15, reason = "MERGE")
    void aMergeOnAnIdentityThatKeepsMarkedRecordsSaysToDeclareItWithoutIgnoreBaseFilter() {
        refusedNamingTheMarkedHolder(() -> ashlar.merge("account", List.of(Map.of("handle", "user15", "email",
                "x@y.z")), Merge.on("handle").whenMatched().update().whenNotMatched().insert()), "handle",
                "{handle=user15}");
        assertThatThrownBy(() -> ashlar.merge("account", List.of(Map.of("handle", "user15", "email", "x@y.z")),
                Merge.on("handle").whenNotMatched().insert())).hasMessageContaining("declare the identity without "
                + "ignoreBaseFilter()");
    }

    @Test
    void anotherTenantsMarkedRecordIsNotNamedToTheTenantThatMeetsItsKey() {
        assertThatThrownBy(() -> ashlar.withTenant("globex").create("entry", Map.of("id", 2, "memo", "mine")))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("id has already been taken")
                .hasMessageNotContaining("marked deleted");
        assertThatThrownBy(() -> ashlar.withTenant("acme").create("entry", Map.of("id", 2, "memo", "mine")))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("{id=2} is held by a record of "
                        + "entry marked deleted");
        assertThat(db.value("SELECT memo FROM marked_entries WHERE id = 2")).isEqualTo("memo 2");
    }
}
