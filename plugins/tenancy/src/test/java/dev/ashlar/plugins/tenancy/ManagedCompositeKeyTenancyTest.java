package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.NotFoundException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.data.Manage;
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
import java.util.function.UnaryOperator;

import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Related records keyed by several fields, managed by key from the attacker's side: a tenant giving every key field
 * of another tenant's part or cert cannot append, remove or take it over by direct control, under a tenant column
 * and with a schema per tenant.
 */
@ExtendWith(PostgresExtension.class)
class ManagedCompositeKeyTenancyTest {
    static final Resource TENANT = Resource.builder("tenant").table("tenants")
            .attribute("id", TEXT, a -> a.primaryKey()).with(ManageTenant.template("multikey_", "id")).build();

    @TempDir
    Path project;
    TestDatabase db;
    Ashlar ashlar;

    /** A machine with parts and certs keyed by two fields, and the join resource, each scoped by the tenancy. */
    static List<Resource> plant(String prefix, UnaryOperator<ResourceBuilder> tenancy) {
        return List.of(
                tenancy.apply(Resource.builder(prefix + "machine").table(prefix + "machines").integerPrimaryKey("id")
                        .attribute("name", TEXT)
                        .hasMany("parts", prefix + "part", r -> r.destinationAttribute("machine_id"))
                        .manyToMany("certs", prefix + "cert", r -> r.through(prefix + "machine_cert")
                                .destinationAttribute("code").sourceAttributeOnJoin("machine_id")
                                .destinationAttributeOnJoin("cert_code"))).build(),
                tenancy.apply(Resource.builder(prefix + "part").table(prefix + "parts")
                        .attribute("maker", TEXT, a -> a.primaryKey()).attribute("code", TEXT, a -> a.primaryKey())
                        .attribute("name", TEXT).belongsTo("machine", prefix + "machine")).build(),
                tenancy.apply(Resource.builder(prefix + "cert").table(prefix + "certs")
                        .attribute("authority", TEXT, a -> a.primaryKey())
                        .attribute("number", INTEGER, a -> a.primaryKey())
                        .attribute("code", TEXT, a -> a.notNull()).attribute("title", TEXT)
                        .identity("unique_code", "code")).build(),
                tenancy.apply(Resource.builder(prefix + "machine_cert").table(prefix + "machine_certs")
                        .integerPrimaryKey("id").belongsTo("machine", prefix + "machine")
                        .attribute("cert_code", TEXT, a -> a.notNull())).build());
    }

    @BeforeEach
    void migrated(TestDatabase database) {
        db = database;
        Domain.Builder domain = Domain.builder("multikey").resource(TENANT);
        plant("org_", b -> b.attribute("org_id", BIGINT, a -> a.notNull()).with(Multitenancy.attribute("org_id")))
                .forEach(domain::resource);
        plant("", b -> b.with(Multitenancy.context())).forEach(domain::resource);
        ashlar = TenancyDataTest.migrated(db, project, domain.build(), "multikey_");
        ashlar.create("tenant", Map.of("id", "acme"));
        ashlar.create("tenant", Map.of("id", "globex"));
    }

    @AfterEach
    void close() {
        ashlar.close();
    }

    /** The victim's machine, with a part and a cert created with it. */
    private static Row victimsMachine(Ashlar victim, String prefix) {
        return victim.create(prefix + "machine", Map.of("name", "secret", "parts", List.of(Map.of("maker", "acme",
                        "code", "p1", "name", "spindle")), "certs", List.of(Map.of("authority", "iso", "number", 1,
                        "code", "iso-1", "title", "safety"))),
                Manage.relationship("parts").create(), Manage.relationship("certs").create());
    }

    private static final Map<String, Object> PART = Map.of("maker", "acme", "code", "p1");
    private static final Map<String, Object> CERT = Map.of("authority", "iso", "number", 1);

    @Test
    void aTenantGivingAnotherTenantsCompositeKeysCannotAppendRemoveOrTakeOverTheirRecordsUnderATenantColumn() {
        Row secret = victimsMachine(ashlar.withTenant("42"), "org_");
        Ashlar attacker = ashlar.withTenant("7");
        Row own = attacker.create("org_machine", Map.of("name", "own"));

        for (Manage manage : List.of(Manage.relationship("parts").append(),
                Manage.relationship("parts").appendAndRemove())) {
            assertThatThrownBy(() -> attacker.update(own, Map.of("parts", List.of(PART)), manage))
                    .isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("org_machine.parts[0]: no org_part with key {maker=acme, code=p1}");
        }
        assertThatThrownBy(() -> attacker.update(own, Map.of("certs", List.of(CERT)),
                Manage.relationship("certs").append())).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("no org_cert with key {authority=iso, number=1}");
        assertThatThrownBy(() -> attacker.update(own, Map.of("parts", List.of(PART)),
                Manage.relationship("parts").remove())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> attacker.update(own, Map.of("certs", List.of(CERT)),
                Manage.relationship("certs").remove())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> attacker.update(secret, Map.of("parts", List.of()),
                Manage.relationship("parts").directControl())).hasMessageContaining("belongs to tenant '42', not '7'");
        assertThatThrownBy(() -> attacker.update(own, Map.of("parts", List.of(Map.of("maker", "acme", "code", "p1",
                "name", "taken"))), Manage.relationship("parts").directControl()))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("parts[0]");
        assertThatThrownBy(() -> attacker.update(own, Map.of("certs", List.of(Map.of("authority", "iso", "number", 1,
                "code", "iso-1", "title", "taken"))), Manage.relationship("certs").directControl()))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("certs[0]");

        assertThat(db.query("SELECT org_id, maker, code, name, machine_id FROM org_parts")).containsExactly(
                Map.of("org_id", 42L, "maker", "acme", "code", "p1", "name", "spindle", "machine_id", secret.get("id")));
        assertThat(db.query("SELECT org_id, code, title FROM org_certs")).containsExactly(
                Map.of("org_id", 42L, "code", "iso-1", "title", "safety"));
        assertThat(db.query("SELECT org_id, machine_id, cert_code FROM org_machine_certs")).containsExactly(
                Map.of("org_id", 42L, "machine_id", secret.get("id"), "cert_code", "iso-1"));
    }

    @Test
    void aTenantSchemaGivingAnotherSchemasCompositeKeysFindsNoneAndItsDirectControlWritesOnlyItsOwnSchema() {
        Row secret = victimsMachine(ashlar.withTenant("multikey_acme"), "");
        Ashlar globex = ashlar.withTenant("multikey_globex");
        Row own = globex.create("machine", Map.of("name", "own"));

        assertThatThrownBy(() -> globex.update(own, Map.of("parts", List.of(PART)),
                Manage.relationship("parts").append())).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("machine.parts[0]: no part with key {maker=acme, code=p1}");
        assertThatThrownBy(() -> globex.update(own, Map.of("certs", List.of(CERT)),
                Manage.relationship("certs").append())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> globex.update(own, Map.of("parts", List.of(PART)),
                Manage.relationship("parts").remove())).isInstanceOf(NotFoundException.class);
        globex.update(own, Map.of("parts", List.of(Map.of("maker", "acme", "code", "p1", "name", "globex's"))),
                Manage.relationship("parts").directControl());

        assertThat(db.query("SELECT maker, code, name, machine_id FROM multikey_acme.parts")).containsExactly(
                Map.of("maker", "acme", "code", "p1", "name", "spindle", "machine_id", secret.get("id")));
        assertThat(db.query("SELECT cert_code FROM multikey_acme.machine_certs"))
                .containsExactly(Map.of("cert_code", "iso-1"));
        assertThat(db.query("SELECT maker, code, name, machine_id FROM multikey_globex.parts")).containsExactly(
                Map.of("maker", "acme", "code", "p1", "name", "globex's", "machine_id", own.get("id")));
        assertThat(db.value("SELECT count(*) FROM multikey_globex.machine_certs")).isEqualTo(0L);
    }
}
