package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.NotFoundException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A resource's own write statements from the attacker's side: under a tenant column the create stores the handle's
 * tenant and no other, and tenant B's update or destroy of tenant A's record by key finds nothing and changes
 * nothing; in a schema per tenant the statements' unqualified names reach the handle's tenant's table only.
 */
class CustomWriteSqlTenancyTest extends DomainDatabaseTest {
    static final Resource NOTE = Resource.builder("note").table("custom_notes").integerPrimaryKey("id")
            .attribute("org", TEXT, a -> a.notNull())
            .attribute("body", TEXT)
            .createSql("INSERT INTO custom_notes (id, org, body) VALUES (:id, :org, :body)")
            .updateSql("UPDATE custom_notes SET body = :body WHERE id = :id")
            .destroySql("DELETE FROM custom_notes WHERE id = :id")
            .build();
    static final Resource SHELF = Resource.builder("shelf").table("custom_shelves").integerPrimaryKey("id")
            .attribute("label", TEXT)
            .createSql("INSERT INTO custom_shelves (id, label) VALUES (:id, lower(:label))")
            .updateSql("UPDATE custom_shelves SET label = lower(:label) WHERE id = :id")
            .destroySql("DELETE FROM custom_shelves WHERE id = :id")
            .build();

    CustomWriteSqlTenancyTest() {
        super(Domain.builder("custom_write_tenants").resources(NOTE, SHELF).build(),
                OneResourceTenancy.column("note", "org", false), OneResourceTenancy.schemas("shelf"));
    }

    @BeforeEach
    void eachTenantHasItsSchema() {
        db.execute("TRUNCATE custom_notes, custom_shelves");
        db.execute("DROP SCHEMA IF EXISTS t_a CASCADE; DROP SCHEMA IF EXISTS t_b CASCADE");
        for (String tenant : List.of("t_a", "t_b")) {
            db.execute("CREATE SCHEMA " + tenant + "; CREATE TABLE " + tenant + ".custom_shelves "
                    + "(LIKE public.custom_shelves INCLUDING ALL)");
        }
    }

    @Test
    void aCreateStoresTheHandlesTenantAndRefusesAnother() {
        Row created = ashlar.withTenant("a").create("note", Map.of("id", 1, "body", "mine"));

        assertThat(created.get("org")).isEqualTo("a");
        assertThatThrownBy(() -> ashlar.withTenant("b").create("note", Map.of("id", 2, "org", "a", "body", "forged")))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors())
                        .extracting(error -> error.field()).containsExactly("org"));
        assertThat(db.query("SELECT id, org FROM custom_notes")).extracting(r -> r.get("id") + " " + r.get("org"))
                .containsExactly("1 a");
    }

    @Test
    void tenantBUpdatingOrDestroyingTenantAsRecordByKeyFindsNothingAndChangesNothing() {
        ashlar.withTenant("a").create("note", Map.of("id", 1, "body", "mine"));
        Ashlar attacker = ashlar.withTenant("b");
        Row forged = Row.of("note", Map.of("id", 1, "body", "mine"));

        assertThatThrownBy(() -> attacker.update(forged, Map.of("body", "hacked")))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> attacker.destroy(forged)).isInstanceOf(NotFoundException.class);
        assertThat(db.query("SELECT org, body FROM custom_notes WHERE id = 1")).extracting(r -> r.get("org") + " "
                + r.get("body")).containsExactly("a mine");
    }

    /**
     * Tenant A changing its own record's key to the key of tenant B's record: the statement's {@code WHERE id = :id}
     * would take the new key and write B's row, so the change is refused and B's row is unchanged in SQL.
     */
    @Test
    void tenantAMovingItsRecordsKeyOntoTenantBsRecordIsRefusedAndChangesNothing() {
        Ashlar attacker = ashlar.withTenant("a");
        Row own = attacker.create("note", Map.of("id", 1, "body", "mine"));
        ashlar.withTenant("b").create("note", Map.of("id", 2, "body", "theirs"));

        assertThatThrownBy(() -> attacker.update(own, Map.of("id", 2, "body", "hacked")))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).contains("id"));
        assertThat(db.query("SELECT id, org, body FROM custom_notes ORDER BY id")).extracting(r -> r.get("id") + " "
                + r.get("org") + " " + r.get("body")).containsExactly("1 a mine", "2 b theirs");
    }

    @Test
    void theOwningTenantUpdatesAndDestroysItsRecordThroughTheStatements() {
        Ashlar owner = ashlar.withTenant("a");
        Row note = owner.create("note", Map.of("id", 1, "body", "mine"));

        assertThat(owner.update(note, Map.of("body", "edited")).get("body")).isEqualTo("edited");
        owner.destroy(note);

        assertThat(db.value("SELECT count(*) FROM custom_notes")).isEqualTo(0L);
    }

    @Test
    void aCreateStatementWithoutTheTenantMarkIsRefusedWhenAshlarIsBuilt() {
        Resource unmarked = Resource.builder("note").table("custom_notes").integerPrimaryKey("id")
                .attribute("org", TEXT).attribute("body", TEXT)
                .createSql("INSERT INTO custom_notes (id, body) VALUES (:id, :body)").build();

        assertThatThrownBy(() -> Fixtures.ashlar(db, Domain.builder("unmarked").resources(unmarked).build(),
                OneResourceTenancy.column("note", "org", false)).close())
                .isInstanceOfSatisfying(DefinitionException.class, e -> {
                    assertThat(e.resource()).contains("note");
                    assertThat(e.getMessage()).contains("createSql", ":org");
                });
    }

    @Test
    void inASchemaPerTenantTheStatementsReachOnlyTheHandlesTenantsTable() {
        ashlar.withTenant("t_a").create("shelf", Map.of("id", 1, "label", "A-Shelf"));
        Ashlar attacker = ashlar.withTenant("t_b");
        Row forged = Row.of("shelf", Map.of("id", 1));

        assertThatThrownBy(() -> attacker.update(forged, Map.of("label", "hacked")))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> attacker.destroy(forged)).isInstanceOf(NotFoundException.class);
        Row own = attacker.create("shelf", Map.of("id", 1, "label", "B-Shelf"));
        attacker.update(own, Map.of("label", "B-Edited"));

        assertThat(db.value("SELECT label FROM t_a.custom_shelves WHERE id = 1")).isEqualTo("a-shelf");
        assertThat(db.value("SELECT label FROM t_b.custom_shelves WHERE id = 1")).isEqualTo("b-edited");
        assertThat(db.value("SELECT count(*) FROM public.custom_shelves")).isEqualTo(0L);
        attacker.destroy(own);
        assertThat(db.value("SELECT count(*) FROM t_b.custom_shelves")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM t_a.custom_shelves")).isEqualTo(1L);
    }
}
