package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.data.Upsert;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.ne;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static dev.ashlar.api.resource.Type.arrayOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A guarded bulk upsert on an identity of a {@code timestamptz} unique across tenants, from tenant b's side: its
 * records go to the server as microseconds carried straight into the array, and the check that they met no other
 * tenant's record compares those same microseconds. A record rounding onto tenant a's instant refuses the whole call;
 * records the condition kept in b's own tenant do not.
 */
@ExtendWith(PostgresExtension.class)
class GuardedBulkUpsertTimestampIdentityTest {
    static final String A = "t_a";
    static final String B = "t_b";
    static final Resource EVENT = Resource.builder("event").table("events").integerPrimaryKey("id")
            .attribute("org_id", TEXT, a -> a.notNull())
            .attribute("title", TEXT)
            .attribute("at", TIMESTAMPTZ)
            .attribute("tags", arrayOf(TEXT))
            .identity("unique_at", List.of("at"), null, true)
            .with(Multitenancy.attribute("org_id").global(true))
            .build();
    static final Domain DOMAIN = Domain.builder("guarded_bulk").resources(TwoTenants.TENANT, EVENT).build();
    /** Stored as 00:00:00.000001: the half microsecond rounds up. */
    static final Instant AT_OF_A = Instant.parse("2020-01-01T00:00:00.0000005Z");
    static final Instant AT_OF_B = Instant.parse("2020-01-02T00:00:00.0000015Z");
    static final Upsert UNLESS_BS_TITLE = Upsert.on("unique_at").where(ne("title", "b's"));

    @TempDir
    Path project;
    TestDatabase db;
    Ashlar owner;

    @BeforeEach
    void twoTenantsWithEvents(TestDatabase db) throws IOException {
        this.db = db;
        // No resource lives in tenant schemas: their migrations folder starts empty.
        Files.createDirectories(project.resolve("tenant_migrations"));
        owner = TwoTenants.created(db, project, DOMAIN);
        owner.withTenant(A).create("event", Map.of("title", "a's", "at", AT_OF_A, "tags", List.of("a")));
        owner.withTenant(B).create("event", Map.of("title", "b's", "at", AT_OF_B, "tags", List.of("b")));
    }

    @AfterEach
    void close() {
        owner.close();
    }

    private static Map<String, Object> event(String title, Instant at) {
        return Map.of("title", title, "at", at, "tags", List.of("\"quoted\"", "x,y"));
    }

    @Test
    void aRecordRoundingOntoAnotherTenantsInstantRefusesTheWholeCall() {
        Ashlar b = owner.withTenant(B);

        assertThatThrownBy(() -> b.upsert("event", List.of(event("kept", AT_OF_B.plusNanos(400)),
                event("new", Instant.parse("2020-01-03T00:00:00Z")),
                event("taken over", AT_OF_A.plusNanos(400))), UNLESS_BS_TITLE))
                .isInstanceOf(AshlarException.class).hasMessageContaining("at has already been taken");

        assertThat(db.query("SELECT org_id, title, tags::text FROM events ORDER BY at")).extracting(
                r -> r.get("org_id") + ":" + r.get("title") + ":" + r.get("tags"))
                .containsExactly("t_a:a's:{a}", "t_b:b's:{b}");
    }

    @Test
    void recordsTheConditionKeptInItsOwnTenantAreSkippedAndTheOthersWritten() {
        Ashlar b = owner.withTenant(B);

        List<?> written = b.upsert("event", List.of(event("kept", AT_OF_B.plusNanos(400)),
                event("new", Instant.parse("2020-01-03T00:00:00.0000005Z"))), UNLESS_BS_TITLE);

        assertThat(written).hasSize(1);
        assertThat(db.query("SELECT org_id, title, (at AT TIME ZONE 'UTC')::text AS at, tags::text FROM events "
                + "ORDER BY at")).extracting(r -> r.get("org_id") + ":" + r.get("title") + ":" + r.get("at") + ":"
                + r.get("tags")).containsExactly("t_a:a's:2020-01-01 00:00:00.000001:{a}",
                "t_b:b's:2020-01-02 00:00:00.000002:{b}",
                "t_b:new:2020-01-03 00:00:00.000001:{\"\\\"quoted\\\"\",\"x,y\"}");
    }
}
