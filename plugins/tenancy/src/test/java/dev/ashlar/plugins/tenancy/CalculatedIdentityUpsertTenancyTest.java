package dev.ashlar.plugins.tenancy;

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

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upsert on an identity over a calculation (AshPostgres's {@code upsert_identity} naming one) through the
 * migrations the tenancy plugin generates: the unique index leads with the tenant column, or lives in each tenant's
 * schema, and the upsert's {@code ON CONFLICT} infers it; another tenant's upsert never reaches the first's record.
 */
@ExtendWith(PostgresExtension.class)
class CalculatedIdentityUpsertTenancyTest {
    static final Resource MEMBER = Resource.builder("member").table("members").integerPrimaryKey("id")
            .attribute("org_id", TEXT, a -> a.notNull()).attribute("email", TEXT).attribute("name", TEXT)
            .calculate("lower_email", String.class, "lower(email)")
            .identity("unique_email", "lower_email")
            .with(Multitenancy.attribute("org_id")).build();
    static final Resource NOTE = Resource.builder("note").table("notes").integerPrimaryKey("id")
            .attribute("email", TEXT).attribute("name", TEXT)
            .calculate("lower_email", String.class, "lower(email)")
            .identity("unique_email", "lower_email")
            .with(Multitenancy.context()).build();
    static final Domain DOMAIN = Domain.builder("app").resources(TenancyDataTest.TENANT, MEMBER, NOTE).build();

    private TestDatabase db;
    private Ashlar ashlar;

    /** Two tenants, the first holding Ada in the tenant column's table and in its schema. */
    @BeforeEach
    void twoTenants(TestDatabase database, @TempDir Path project) {
        db = database;
        ashlar = TenancyDataTest.migrated(database, project, DOMAIN, "tenant_");
        ashlar.create("tenant", Map.of("id", "acme"));
        ashlar.create("tenant", Map.of("id", "globex"));
        ashlar.withTenant("acme").create("member", Map.of("email", "Ada@Example.org", "name", "acme's Ada"));
        ashlar.withTenant("tenant_acme").create("note", Map.of("email", "Ada@Example.org", "name", "acme's Ada"));
    }

    @AfterEach
    void close() {
        ashlar.close();
    }

    /** The rows of a query of one text column, {@code r}. */
    private List<Object> rows(String sql) {
        return db.query(sql).stream().map(r -> r.get("r")).toList();
    }

    @Test
    void theTenantColumnsExpressionIndexArbitratesAndAnotherTenantsUpsertAddsItsOwnRecord() {
        ashlar.withTenant("globex").upsert("member", List.of(Map.of("email", "ADA@example.org", "name", "globex's")),
                Upsert.on("unique_email"));
        ashlar.withTenant("acme").upsert("member", Map.of("email", "ada@EXAMPLE.org", "name", "acme's own"),
                Upsert.on("unique_email").update("name"));

        assertThat(db.value("SELECT indexdef FROM pg_indexes WHERE indexname = 'members_unique_email_index'"))
                .isEqualTo("CREATE UNIQUE INDEX members_unique_email_index ON public.members USING btree "
                        + "(org_id, lower(email))");
        assertThat(rows("SELECT concat_ws(' ', org_id, email, name) AS r FROM members ORDER BY org_id"))
                .containsExactly("acme Ada@Example.org acme's own", "globex ADA@example.org globex's");
    }

    @Test
    void eachTenantSchemasExpressionIndexArbitratesItsOwnUpserts() {
        ashlar.withTenant("tenant_globex").upsert("note", Map.of("email", "ADA@example.org", "name", "globex's"),
                Upsert.on("unique_email"));
        ashlar.withTenant("tenant_acme").upsert("note", List.of(Map.of("email", "ada@example.ORG", "name", "again")),
                Upsert.on("unique_email"));

        assertThat(db.value("SELECT indexdef FROM pg_indexes WHERE schemaname = 'tenant_globex' "
                + "AND indexname = 'notes_unique_email_index'")).isEqualTo("CREATE UNIQUE INDEX "
                + "notes_unique_email_index ON tenant_globex.notes USING btree (lower(email))");
        assertThat(rows("SELECT concat_ws(' ', email, name) AS r FROM tenant_acme.notes"))
                .containsExactly("ada@example.ORG again");
        assertThat(rows("SELECT concat_ws(' ', email, name) AS r FROM tenant_globex.notes"))
                .containsExactly("ADA@example.org globex's");
    }
}
