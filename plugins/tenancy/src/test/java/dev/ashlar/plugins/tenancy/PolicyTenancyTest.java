package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ForbiddenException;
import dev.ashlar.api.error.NotFoundException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Policy;
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

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Policies combined with column tenancy, from the attacker's side: actor 1 of tenant globex, whose id equals actor 1
 * of acme, and actor 2 of acme, each try to read, count, load, filter, update, destroy, upsert over and create the
 * rows of actor 1 of acme. The tenant scope and the owner policy both hold; every write is asserted on the rows.
 */
@ExtendWith(PostgresExtension.class)
class PolicyTenancyTest {
    static final Resource FOLDER = Resource.builder("folder").table("folders").integerPrimaryKey("id")
            .attribute("org_id", TEXT, a -> a.notNull()).attribute("name", TEXT)
            .hasMany("docs", "doc")
            .count("doc_count", "docs")
            .with(Multitenancy.attribute("org_id")).build();
    static final Resource DOC = Resource.builder("doc").table("docs").integerPrimaryKey("id")
            .attribute("org_id", TEXT, a -> a.notNull()).attribute("owner_id", BIGINT, a -> a.notNull())
            .attribute("title", TEXT, a -> a.notNull()).attribute("pages", INTEGER)
            .identity("unique_title", "title")
            .belongsTo("folder", "folder")
            .with(Multitenancy.attribute("org_id")).build();
    static final Domain DOMAIN = Domain.builder("policed_tenants").resources(FOLDER, DOC).build();
    static final Policy OWNED = Policy.on("doc").read(actor -> eq("owner_id", actor.id()))
            .create(actor -> eq("owner_id", actor.id())).update(actor -> eq("owner_id", actor.id()))
            .destroy(actor -> eq("owner_id", actor.id()));

    @TempDir
    Path project;
    TestDatabase db;
    Ashlar policed;

    @BeforeEach
    void rows(TestDatabase db) {
        this.db = db;
        TenancyDataTest.migrated(db, project, DOMAIN, "policed_").close();
        policed = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN).install(new TenancyPlugin())
                .policies(OWNED, Policy.on("folder").read(Policy.EVERY_ROW)).build();
        db.execute("INSERT INTO folders (org_id, name) VALUES ('acme', 'acme folder'), ('globex', 'globex folder')");
        db.execute("INSERT INTO docs (org_id, owner_id, title, pages, folder_id) VALUES "
                + "('acme', 1, 'acme-1', 10, 1), ('acme', 2, 'acme-2', 20, 1), ('globex', 1, 'globex-1', 30, 2)");
    }

    @AfterEach
    void close() {
        policed.close();
    }

    private String docs() {
        return String.valueOf(db.value("SELECT string_agg(org_id || ':' || owner_id || ':' || title || ':' || pages, "
                + "',' ORDER BY org_id, title) FROM docs"));
    }

    private static final String SEEDED = "acme:1:acme-1:10,acme:2:acme-2:20,globex:1:globex-1:30";

    @Test
    void theSameActorIdInAnotherTenantAndAnotherActorInTheSameTenantReadNothingOfTheVictims() {
        Ashlar otherTenant = policed.withTenant("globex").withUser(1L);
        Ashlar otherActor = policed.withTenant("acme").withUser(2L);

        assertThat(otherTenant.read("doc").values("title", String.class)).containsExactly("globex-1");
        assertThat(otherActor.read("doc").values("title", String.class)).containsExactly("acme-2");
        assertThat(otherActor.read("doc").sum("pages").intValue()).isEqualTo(20);
        assertThat(otherActor.read("folder").where(exists("docs", eq("title", "acme-1"))).count()).isZero();
        Row folder = otherActor.read("folder").load("docs").load("doc_count").list().get(0);
        assertThat(folder.related("docs")).extracting(r -> r.get("title")).containsExactly("acme-2");
        assertThat(((Number) folder.get("doc_count")).longValue()).isEqualTo(1);
        assertThat(otherTenant.read("folder").where(exists("docs", eq("title", "acme-1"))).count()).isZero();
        assertThat(policed.withTenant("acme").withUser(1L).read("doc").values("title", String.class))
                .containsExactly("acme-1");
    }

    @Test
    void writesOfTheOtherTenantAndOfTheOtherActorChangeNothingOfTheVictims() {
        Ashlar otherTenant = policed.withTenant("globex").withUser(1L);
        Ashlar otherActor = policed.withTenant("acme").withUser(2L);

        assertThat(otherActor.read("doc").where(eq("title", "acme-1")).updateCount(Map.of("pages", 0))).isZero();
        assertThat(otherTenant.read("doc").where(eq("title", "acme-1")).destroyAll()).isZero();
        assertThatThrownBy(() -> otherActor.update(Row.of("doc", Map.of("id", 1)), Map.of("pages", 0)))
                .isInstanceOf(NotFoundException.class);
        assertThat(otherActor.upsert("doc", List.of(Map.of("title", "acme-1", "pages", 0, "owner_id", 2L)),
                Upsert.on("unique_title"))).isEmpty();
        assertThatThrownBy(() -> otherActor.create("doc", Map.of("title", "planted", "owner_id", 1L)))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> otherTenant.create("doc", Map.of("title", "planted", "owner_id", 1L,
                "org_id", "acme"))).isInstanceOf(AshlarException.class);

        assertThat(docs()).isEqualTo(SEEDED);
    }

    @Test
    void anUpsertInAnotherTenantWritesItsOwnRowBesideTheVictims() {
        policed.withTenant("globex").withUser(1L).upsert("doc", List.of(Map.of("title", "acme-1", "pages", 5,
                "owner_id", 1L)), Upsert.on("unique_title"));

        assertThat(docs()).isEqualTo(SEEDED.replace("globex:1:globex-1", "globex:1:acme-1:5,globex:1:globex-1"));
    }
}
