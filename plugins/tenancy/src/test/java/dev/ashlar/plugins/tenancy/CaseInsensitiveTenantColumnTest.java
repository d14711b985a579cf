package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.CITEXT;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A citext tenant column compares without case: a tenant named in another case ({@code ACME}) would read and write the
 * rows of {@code acme}. It is refused naming the column and the lower-case name; rows stored in another case before
 * stay reachable by the lower-case name. (Tenant schemas in another case are schemas of their own:
 * {@link HostileTenantNamesTest}.)
 */
@ExtendWith(PostgresExtension.class)
class CaseInsensitiveTenantColumnTest {
    static final Resource NOTE = Resource.builder("note").table("notes").integerPrimaryKey("id")
            .attribute("org", CITEXT, a -> a.notNull()).attribute("title", TEXT)
            .with(Multitenancy.attribute("org")).build();

    @TempDir
    Path project;
    TestDatabase db;
    Ashlar owner;

    @BeforeEach
    void acmeWithANote(TestDatabase db) {
        this.db = db;
        owner = TwoTenants.created(db, project, Domain.builder("cased").extensions("citext")
                .resources(TwoTenants.TENANT, HostileTenantNamesTest.POST, NOTE).build());
        owner.withTenant("acme").create("note", Map.of("title", "acme-note"));
    }

    @AfterEach
    void close() {
        owner.close();
    }

    @Test
    void aTenantInAnotherCaseIsRefusedNamingTheColumnAndNeverReachesTheLowerCaseTenantsRows() {
        Ashlar attacker = owner.withTenant("ACME");

        for (Executable action : List.<Executable>of(() -> attacker.read("note").list(),
                () -> attacker.read("note").count(), () -> attacker.create("note", Map.of("title", "planted")),
                () -> attacker.updateAll(Query.of("note"), Map.of("title", "taken")),
                () -> attacker.destroyAll(Query.of("note")), () -> owner.read("note").tenant("Acme").list())) {
            assertThatThrownBy(action::execute).isInstanceOfSatisfying(QueryException.class, e -> {
                assertThat(e.resource()).contains("note");
                assertThat(e.field()).contains("org");
            }).hasMessageContaining("the tenant column org of note is citext, which compares without case")
                    .hasMessageContaining("ashlar.withTenant(\"acme\")");
        }
        assertThat(db.query("SELECT org::text || '/' || title AS row FROM notes")).extracting(r -> r.get("row"))
                .containsExactly("acme/acme-note");
    }

    @Test
    void rowsStoredInAnotherCaseAreReachedByTheLowerCaseTenant() {
        db.execute("INSERT INTO notes (id, org, title) VALUES (100, 'Acme', 'legacy')");

        owner.withTenant("acme").create("note", Map.of("title", "new"));

        assertThat(owner.withTenant("acme").read("note").list()).extracting(r -> r.getString("title"))
                .containsExactlyInAnyOrder("acme-note", "legacy", "new");
        assertThat(db.query("SELECT org::text AS org FROM notes WHERE title = 'new'")).extracting(r -> r.get("org"))
                .containsExactly("acme");
    }
}
