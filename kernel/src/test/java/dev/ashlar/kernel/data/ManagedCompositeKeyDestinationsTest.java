package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.NotFoundException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Relation;
import dev.ashlar.api.typed.Table;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code append}, {@code remove} and {@code directControl} of related records keyed by several fields: a record is
 * named by a map of every key field, matched on all of them (a part of another maker with the same code is another
 * record), and a key field left out is refused by name.
 */
class ManagedCompositeKeyDestinationsTest extends DomainDatabaseTest {
    record Machine(Integer id, String name) {
    }

    record Part(String maker, String code, String name, Integer machineId) {
    }

    record Cert(String authority, Integer number, String code, String title) {
    }

    static final Table<Machine> MACHINES = Table.of("machine", Machine.class);
    static final Relation<Machine, Part> MACHINE_PARTS = MACHINES.hasMany("parts", Table.of("part", Part.class));
    static final Relation<Machine, Cert> MACHINE_CERTS = MACHINES.manyToMany("certs", Table.of("cert", Cert.class),
            r -> r.through("machine_cert"));

    static final Domain DOMAIN = Domain.builder("multikey")
            .resource(Resource.builder("machine").table("machines").integerPrimaryKey("id")
                    .attribute("name", TEXT)
                    .hasMany("parts", "part", r -> r.destinationAttribute("machine_id"))
                    .manyToMany("certs", "cert", r -> r.through("machine_cert").destinationAttribute("code")
                            .sourceAttributeOnJoin("machine_id").destinationAttributeOnJoin("cert_code"))
                    .build())
            .resource(Resource.builder("part").table("parts")
                    .attribute("maker", TEXT, a -> a.primaryKey()).attribute("code", TEXT, a -> a.primaryKey())
                    .attribute("name", TEXT).belongsTo("machine", "machine").build())
            .resource(Resource.builder("cert").table("certs")
                    .attribute("authority", TEXT, a -> a.primaryKey()).attribute("number", INTEGER, a -> a.primaryKey())
                    .attribute("code", TEXT, a -> a.notNull()).attribute("title", TEXT)
                    .identity("unique_code", "code").build())
            .resource(Resource.builder("machine_cert").table("machine_cert").integerPrimaryKey("id")
                    .belongsTo("machine", "machine").attribute("cert_code", TEXT, a -> a.notNull()).build())
            .build();

    ManagedCompositeKeyDestinationsTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void populated() {
        db.execute("TRUNCATE machines, parts, certs, machine_cert RESTART IDENTITY CASCADE");
        db.execute("INSERT INTO machines (name) VALUES ('lathe'), ('press')");
        db.execute("INSERT INTO parts (maker, code, name, machine_id) VALUES ('acme', 'p1', 'spindle', 1), "
                + "('acme', 'p3', 'chuck', 1), ('acme', 'p2', 'belt', NULL), ('bolt', 'p1', 'bolt spindle', NULL), "
                + "('bolt', 'p2', 'pump', 2)");
        db.execute("INSERT INTO certs (authority, number, code, title) VALUES ('iso', 1, 'iso-1', 'safety'), "
                + "('iso', 2, 'iso-2', 'noise'), ('din', 1, 'din-1', 'power')");
        db.execute("INSERT INTO machine_cert (machine_id, cert_code) VALUES (1, 'iso-1'), (2, 'din-1')");
    }

    private Row lathe() {
        return ashlar.get("machine", 1);
    }

    private List<Map<String, Object>> parts() {
        return db.query("SELECT maker, code, name, machine_id FROM parts ORDER BY maker, code");
    }

    private static Map<String, Object> part(String maker, String code, String name, Integer machine) {
        Map<String, Object> row = new java.util.HashMap<>();
        row.put("maker", maker);
        row.put("code", code);
        row.put("name", name);
        row.put("machine_id", machine);
        return row;
    }

    @Test
    void appendLinksThePartEveryKeyFieldNamesAndNoOtherMakersPartOfThatCode() {
        Row lathe = ashlar.update(lathe(), Map.of("parts", List.of(Map.of("maker", "acme", "code", "p2"))),
                Manage.relationship("parts").append());

        assertThat(lathe.related("parts")).extracting(r -> r.get("code") + "@" + r.get("maker"))
                .containsExactlyInAnyOrder("p1@acme", "p3@acme", "p2@acme");
        assertThat(parts()).containsExactly(part("acme", "p1", "spindle", 1), part("acme", "p2", "belt", 1),
                part("acme", "p3", "chuck", 1), part("bolt", "p1", "bolt spindle", null), part("bolt", "p2", "pump", 2));
    }

    @Test
    void appendAndRemoveTakesAPartFromAnotherMachineAndUnlinksTheOnesNotGiven() {
        ashlar.update(lathe(), Map.of("parts", List.of(Map.of("code", "p2", "maker", "bolt"),
                Map.of("maker", "acme", "code", "p1"))), Manage.relationship("parts").appendAndRemove());

        assertThat(parts()).containsExactly(part("acme", "p1", "spindle", 1), part("acme", "p2", "belt", null),
                part("acme", "p3", "chuck", null), part("bolt", "p1", "bolt spindle", null),
                part("bolt", "p2", "pump", 1));
    }

    @Test
    void removeUnlinksTheRelatedPartOfThatKeyAndAnUnrelatedKeyIsNotFoundWithNothingChanged() {
        ashlar.update(lathe(), Map.of("parts", List.of(Map.of("maker", "acme", "code", "p3"))),
                Manage.relationship("parts").remove());
        assertThat(parts()).contains(part("acme", "p3", "chuck", null), part("acme", "p1", "spindle", 1));

        assertThatThrownBy(() -> ashlar.update(lathe(), Map.of("parts", List.of(Map.of("maker", "acme", "code", "p1"),
                Map.of("maker", "bolt", "code", "p1"))), Manage.relationship("parts").remove()))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("machine.parts[1]: no part with key {maker=bolt, code=p1} related to this machine");
        assertThat(parts()).contains(part("acme", "p1", "spindle", 1), part("bolt", "p1", "bolt spindle", null));
    }

    @Test
    void directControlUpdatesThePartItsKeyNamesCreatesAPartOfANewKeyAndDestroysThePartsNotGiven() {
        Row lathe = ashlar.update(lathe(), Map.of("parts", List.of(
                        Map.of("maker", "acme", "code", "p1", "name", "new spindle"),
                        Map.of("maker", "bolt", "code", "p9", "name", "gear"))),
                Manage.relationship("parts").directControl());

        assertThat(lathe.related("parts")).hasSize(2);
        assertThat(parts()).containsExactly(part("acme", "p1", "new spindle", 1), part("acme", "p2", "belt", null),
                part("bolt", "p1", "bolt spindle", null), part("bolt", "p2", "pump", 2), part("bolt", "p9", "gear", 1));
    }

    @Test
    void directControlGivingTheKeyOfAnUnrelatedPartCreatesNothingAndChangesNothing() {
        assertThatThrownBy(() -> ashlar.update(lathe(), Map.of("parts", List.of(
                        Map.of("maker", "bolt", "code", "p2", "name", "taken"))),
                Manage.relationship("parts").directControl()))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("parts[0]");

        assertThat(parts()).contains(part("bolt", "p2", "pump", 2), part("acme", "p1", "spindle", 1),
                part("acme", "p3", "chuck", 1));
    }

    @Test
    void aKeyFieldLeftOutOrAKeyOfOneValueIsRefusedNamingTheFieldsAndNothingIsWritten() {
        assertThatThrownBy(() -> ashlar.update(lathe(), Map.of("name", "renamed", "parts", List.of(
                        Map.of("maker", "acme", "code", "p2"), Map.of("maker", "bolt"))),
                Manage.relationship("parts").append()))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("parts[1] APPEND names records by key: give a map of [maker, code] alone "
                        + "([code] missing)");
        assertThatThrownBy(() -> ashlar.update(lathe(), Map.of("parts", List.of("p2")),
                Manage.relationship("parts").remove()))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("part is keyed by several fields: give a map of [maker, code] alone, got p2");
        assertThatThrownBy(() -> ashlar.update(lathe(), Map.of("parts", List.of(
                        Map.of("maker", "acme", "code", "p2", "name", "x"))), Manage.relationship("parts").append()))
                .isInstanceOf(QueryException.class).hasMessageContaining("use directControl()");

        assertThat(db.value("SELECT name FROM machines WHERE id = 1")).isEqualTo("lathe");
        assertThat(parts()).contains(part("acme", "p2", "belt", null));
    }

    @Test
    void certsAreLinkedAndUnlinkedByEveryKeyFieldThroughTheirJoinRecords() {
        ashlar.update(lathe(), Map.of("certs", List.of(Map.of("authority", "iso", "number", 2),
                Map.of("authority", "din", "number", 1))), Manage.relationship("certs").append());
        assertThat(db.query("SELECT cert_code FROM machine_cert WHERE machine_id = 1 ORDER BY cert_code"))
                .extracting(r -> r.get("cert_code")).containsExactly("din-1", "iso-1", "iso-2");

        ashlar.update(lathe(), Map.of("certs", List.of(Map.of("authority", "iso", "number", 1))),
                Manage.relationship("certs").remove());
        assertThat(db.query("SELECT cert_code FROM machine_cert WHERE machine_id = 1 ORDER BY cert_code"))
                .extracting(r -> r.get("cert_code")).containsExactly("din-1", "iso-2");

        assertThatThrownBy(() -> ashlar.update(lathe(), Map.of("certs", List.of(Map.of("authority", "din",
                "number", 2))), Manage.relationship("certs").append()))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("machine.certs[0]: no cert with key {authority=din, number=2}");
        assertThat(db.value("SELECT count(*) FROM machine_cert")).isEqualTo(3L);
    }

    @Test
    void directControlOfCertsUpdatesByKeyCreatesANewOneAndDestroysAnUnlinkedCertNoOtherMachineHolds() {
        ashlar.update(lathe(), Map.of("certs", List.of(Map.of("authority", "iso", "number", 2))),
                Manage.relationship("certs").append());

        ashlar.update(lathe(), Map.of("certs", List.of(Map.of("authority", "iso", "number", 1, "title", "safety 2"),
                        Map.of("authority", "din", "number", 7, "code", "din-7", "title", "heat"))),
                Manage.relationship("certs").directControl());

        assertThat(db.query("SELECT authority, number, title FROM certs ORDER BY authority, number")).containsExactly(
                Map.of("authority", "din", "number", 1, "title", "power"),
                Map.of("authority", "din", "number", 7, "title", "heat"),
                Map.of("authority", "iso", "number", 1, "title", "safety 2"));
        assertThat(db.query("SELECT machine_id, cert_code FROM machine_cert ORDER BY machine_id, cert_code"))
                .containsExactly(Map.of("machine_id", 1, "cert_code", "din-7"),
                        Map.of("machine_id", 1, "cert_code", "iso-1"), Map.of("machine_id", 2, "cert_code", "din-1"));
    }

    @Test
    void typedDirectControlOfPartsAndAppendOfCertsByMapsOfTheirKeyFields() {
        Machine lathe = ashlar.get(MACHINES, 1);

        ashlar.update(MACHINES, lathe, Manage.of(MACHINE_PARTS).directControl(List.of(
                        new Part("acme", "p3", "new chuck", null), new Part("bolt", "p9", "gear", null))),
                Manage.of(MACHINE_CERTS).append(List.of(Map.of("authority", "din", "number", 1))));

        assertThat(parts()).containsExactly(part("acme", "p2", "belt", null), part("acme", "p3", "new chuck", 1),
                part("bolt", "p1", "bolt spindle", null), part("bolt", "p2", "pump", 2), part("bolt", "p9", "gear", 1));
        assertThat(db.query("SELECT cert_code FROM machine_cert WHERE machine_id = 1 ORDER BY cert_code"))
                .extracting(r -> r.get("cert_code")).containsExactly("din-1", "iso-1");
    }
}
