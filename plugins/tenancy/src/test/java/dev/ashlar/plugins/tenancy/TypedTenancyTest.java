package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.api.typed.UniqueKey;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.ashlar.api.typed.Kind.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Typed resources carrying the tenancy plugin's sections: a schema per tenant, and a tenant column. */
@ExtendWith(PostgresExtension.class)
class TypedTenancyTest {
    record Org(String id) {
        static final Table<Org> ORGS = Table.of("org", Org.class);
        static final TextField<Org> ID = ORGS.attribute("id", TEXT, a -> a.primaryKey());
    }

    record Note(Integer id, String body) {
        static final Table<Note> NOTES = Table.of("note", Note.class);
        static final Field<Note, Integer> ID = NOTES.integerPrimaryKey("id");
        static final TextField<Note> BODY = NOTES.attribute("body", TEXT);
    }

    record Invoice(Integer id, String orgId, String number, String status) {
        static final Table<Invoice> INVOICES = Table.of("invoice", Invoice.class);
        static final Field<Invoice, Integer> ID = INVOICES.integerPrimaryKey("id");
        static final TextField<Invoice> ORG_ID = INVOICES.attribute("org_id", TEXT, a -> a.notNull());
        static final TextField<Invoice> NUMBER = INVOICES.attribute("number", TEXT);
        static final TextField<Invoice> STATUS = INVOICES.attribute("status", TEXT);
        static final UniqueKey<Invoice> UNIQUE_NUMBER = INVOICES.identity("unique_number", NUMBER);
    }

    static final Domain DOMAIN = Domain.builder("app")
            .resource(Org.ORGS.builder().table("orgs").add(Org.ID).with(ManageTenant.template("org_", "id")).build())
            .resource(Note.NOTES.builder().table("notes").add(Note.ID, Note.BODY).with(Multitenancy.context()).build())
            .resource(Invoice.INVOICES.builder().table("invoices")
                    .add(Invoice.ID, Invoice.ORG_ID, Invoice.NUMBER, Invoice.STATUS, Invoice.UNIQUE_NUMBER)
                    .with(Multitenancy.attribute("org_id")).build())
            .build();

    @TempDir
    Path project;
    Ashlar ashlar;

    @BeforeEach
    void migrated(TestDatabase db) {
        ashlar = TenancyDataTest.migrated(db, project, DOMAIN, "org_");
    }

    @AfterEach
    void close() {
        ashlar.close();
    }

    @Test
    void aTenantsHandleWritesAndReadsTypedRecordsInTheTenantsSchemaOnly(TestDatabase db) {
        ashlar.createAll(Org.ORGS, List.of(new Org("acme"), new Org("globex")));
        Ashlar acme = ashlar.withTenant("org_acme");

        Note note = acme.create(Note.NOTES, new Note(null, "plan"));
        acme.update(Note.NOTES, note, Note.BODY.set("the plan"));
        ashlar.withTenant("org_globex").create(Note.NOTES, new Note(null, "other"));

        assertThat(acme.read(Note.NOTES).list()).containsExactly(new Note(note.id(), "the plan"));
        assertThat(ashlar.read(Note.NOTES).tenant("org_globex").where(Note.BODY.eq("other")).count()).isEqualTo(1);
        assertThat(db.value("SELECT body FROM org_acme.notes")).isEqualTo("the plan");
        assertThatThrownBy(() -> ashlar.read(Note.NOTES).list()).isInstanceOf(AshlarException.class)
                .hasMessageContaining("note");
    }

    @Test
    void aTenantColumnIsSetOnTypedCreatesAndUpsertsAndScopesEveryTypedAction(TestDatabase db) {
        Ashlar acme = ashlar.withTenant("acme");
        Ashlar globex = ashlar.withTenant("globex");

        Invoice created = acme.create(Invoice.INVOICES, new Invoice(null, null, "A-1", "open"));
        globex.create(Invoice.INVOICES, new Invoice(null, null, "A-1", "open"));
        List<Invoice> upserted = acme.upsert(Invoice.INVOICES, List.of(new Invoice(null, null, "A-1", "paid")),
                Invoice.UNIQUE_NUMBER.update(Invoice.STATUS));
        int destroyed = globex.read(Invoice.INVOICES).where(Invoice.NUMBER.eq("A-1")).destroyAll();

        assertThat(created.orgId()).isEqualTo("acme");
        assertThat(upserted).extracting(Invoice::id, Invoice::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(created.id(), "paid"));
        assertThat(destroyed).isEqualTo(1);
        assertThat(db.query("SELECT org_id, status FROM invoices")).extracting(row -> row.get("org_id") + "/"
                + row.get("status")).containsExactly("acme/paid");
    }
}
