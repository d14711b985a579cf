package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A child of joined inheritance ({@code extending(parent)}) under a tenant column, whose table holds no tenant column
 * (its parent's does): keys to and from it are its key alone, so the domain migrates; an identity of its own unique
 * per tenant, which one table's index cannot hold, is refused naming the fix.
 */
@ExtendWith(PostgresExtension.class)
class JoinedTenantColumnKeysTest {
    static final Multitenancy ORG = Multitenancy.attribute("org");
    static final Resource KENNEL = Resource.builder("kennel").table("jt_kennels").integerPrimaryKey("id")
            .attribute("org", TEXT, a -> a.notNull()).attribute("name", TEXT).with(ORG).build();
    static final Resource ANIMAL = Resource.builder("animal").table("jt_animals").integerPrimaryKey("id")
            .attribute("org", TEXT, a -> a.notNull()).attribute("name", TEXT).with(ORG).build();
    static final Resource DOG = Resource.builder("dog").table("jt_dogs").extending("animal")
            .attribute("chip", TEXT).belongsTo("kennel", "kennel")
            .identity("by_chip", List.of("chip"), null, true).with(ORG).build();
    static final Resource TOY = Resource.builder("toy").table("jt_toys").integerPrimaryKey("id")
            .attribute("org", TEXT, a -> a.notNull()).attribute("name", TEXT).belongsTo("dog", "dog").with(ORG)
            .build();

    @TempDir
    Path project;

    @Test
    void keysToAndFromAChildAndItsIdentityAcrossTenantsMigrateAndTenantBReachesNoneOfTenantAsRecords(
            TestDatabase db) {
        Domain domain = Domain.builder("zoo").resources(KENNEL, ANIMAL, DOG, TOY).build();
        try (Ashlar ashlar = TenancyDataTest.migrated(db, project, domain, "jt_")) {
            Ashlar a = ashlar.withTenant("a");
            Ashlar b = ashlar.withTenant("b");
            Row kennel = a.create("kennel", Map.of("name", "North"));
            Row rex = a.create("dog", Map.of("name", "Rex", "chip", "c1", "kennel_id", kennel.get("id")));
            a.create("toy", Map.of("name", "ball", "dog_id", rex.get("id")));

            assertThat(a.read("toy").load("dog").list()).flatExtracting(r -> r.related("dog"))
                    .extracting(r -> r.get("name")).containsExactly("Rex");
            assertThat(b.read("dog").count()).isZero();
            assertThat(b.read("toy").count()).isZero();
            assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'jt_dogs' "
                    + "AND column_name = 'org'")).isEqualTo(0L);
            assertThat(db.value("SELECT count(*) FROM pg_indexes WHERE tablename = 'jt_dogs' "
                    + "AND indexdef LIKE '%(chip)%'")).isEqualTo(1L);
        }
    }

    @Test
    void aChildsIdentityUniquePerTenantIsRefusedNamingTheChildTheParentAndTheFix() {
        Resource dog = Resource.builder("dog").table("jt_dogs").extending("animal").attribute("chip", TEXT)
                .identity("by_chip", "chip").with(ORG).build();
        Domain domain = Domain.builder("zoo").resources(ANIMAL, dog).build();

        assertThatThrownBy(() -> new Codegen(project, domain, Plugins.none().with(new TenancyPlugin()),
                Renames.none(), Clock.systemUTC()).generate("create"))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("resource 'dog' has the identity 'by_chip'")
                .hasMessageContaining("extends 'animal'")
                .hasMessageContaining("allTenants()");
    }
}
