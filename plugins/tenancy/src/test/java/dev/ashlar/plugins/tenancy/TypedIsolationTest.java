package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.data.Returning;
import dev.ashlar.plugins.tenancy.TypedTenancyTest.Invoice;
import dev.ashlar.plugins.tenancy.TypedTenancyTest.Note;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.ashlar.api.typed.Kind.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The typed API from the attacker's side: records carry no tenant, so tenant {@code t_b}'s handle is given tenant
 * {@code t_a}'s records (their keys, their tenant column) to read past, page after, update, destroy, upsert and
 * combine with; a tenant column and a schema per tenant, as the tables' owner. Every test asserts on the rows.
 */
@ExtendWith(PostgresExtension.class)
class TypedIsolationTest {
    static final String A = "t_a";
    static final String B = "t_b";

    record Tenant(String id) {
        static final Table<Tenant> TENANTS = Table.of("tenant", Tenant.class);
        static final TextField<Tenant> ID = TENANTS.attribute("id", TEXT, a -> a.primaryKey());
    }

    static final Domain DOMAIN = Domain.builder("typed_isolation")
            .resource(Tenant.TENANTS.builder().table("tenants").add(Tenant.ID)
                    .with(ManageTenant.template("t_", "id")).build())
            .resource(Note.NOTES.builder().table("notes").add(Note.ID, Note.BODY).with(Multitenancy.context()).build())
            .resource(Invoice.INVOICES.builder().table("invoices")
                    .add(Invoice.ID, Invoice.ORG_ID, Invoice.NUMBER, Invoice.STATUS, Invoice.UNIQUE_NUMBER)
                    .with(Multitenancy.attribute("org_id").global(true)).build())
            .build();

    @TempDir
    Path project;
    TestDatabase db;
    Ashlar owner;
    Invoice invoiceOfA;
    Note noteOfA;

    @BeforeEach
    void twoTenantsWithRecords(TestDatabase db) {
        this.db = db;
        owner = TwoTenants.created(db, project, DOMAIN);
        invoiceOfA = owner.withTenant(A).create(Invoice.INVOICES, new Invoice(null, null, "A-1", "open"));
        owner.withTenant(B).create(Invoice.INVOICES, new Invoice(null, null, "B-1", "open"));
        noteOfA = owner.withTenant(A).create(Note.NOTES, new Note(null, "a's note"));
        owner.withTenant(B).create(Note.NOTES, new Note(null, "b's note"));
        // A key b's schema does not hold: a's note keyed past b's.
        noteOfA = owner.withTenant(A).create(Note.NOTES, new Note(null, "a's second note"));
    }

    @AfterEach
    void close() {
        owner.close();
    }

    @Test
    void anotherTenantsTypedReadsPagesAndCombinationsSeeOnlyItsOwnRecords() {
        Ashlar b = owner.withTenant(B);

        assertThat(b.read(Invoice.INVOICES).list()).extracting(Invoice::number).containsExactly("B-1");
        assertThat(b.read(Invoice.INVOICES).where(Invoice.NUMBER.eq("A-1")).count()).isZero();
        assertThat(b.read(Invoice.INVOICES).where(Invoice.ORG_ID.eq(A)).exists()).isFalse();
        assertThat(b.read(Invoice.INVOICES).sort(Invoice.NUMBER.asc()).after(invoiceOfA).list())
                .extracting(Invoice::number).containsExactly("B-1");
        assertThat(b.read(Invoice.INVOICES).sort(Invoice.NUMBER.asc()).before(invoiceOfA).list()).isEmpty();
        List<String> streamed = new ArrayList<>();
        b.read(Invoice.INVOICES).forEach(invoice -> streamed.add(invoice.number()));
        assertThat(streamed).containsExactly("B-1");
        assertThat(b.read(Invoice.INVOICES).unionAll(b.read(Invoice.INVOICES)).list()).extracting(Invoice::number)
                .containsExactly("B-1", "B-1");
        assertThatThrownBy(() -> b.read(Invoice.INVOICES).except(owner.withTenant(A).read(Invoice.INVOICES)).list())
                .isInstanceOf(AshlarException.class);
        assertThatThrownBy(() -> b.read(Invoice.INVOICES).intersect(owner.read(Invoice.INVOICES).tenant(A)).list())
                .isInstanceOf(AshlarException.class);
        assertThatThrownBy(() -> b.read(Invoice.INVOICES).tenant(A).list()).isInstanceOf(AshlarException.class);
        assertThat(found(() -> b.get(Invoice.INVOICES, invoiceOfA.id()))).isNull();
        assertThat(found(() -> b.get(Note.NOTES, noteOfA.id()))).isNull();
        assertThat(b.read(Note.NOTES).list()).extracting(Note::body).containsExactly("b's note");
        assertThat(b.read(Invoice.INVOICES).max(Invoice.NUMBER)).isEqualTo("B-1");
    }

    @Test
    void anotherTenantsRecordsGivenToATypedHandleNeverChangeThem() {
        Ashlar b = owner.withTenant(B);

        List<String> outcomes = new ArrayList<>();
        outcomes.add(attempt(() -> b.update(Invoice.INVOICES, invoiceOfA, Invoice.STATUS.set("hijacked"))));
        outcomes.add(attempt(() -> b.update(Invoice.INVOICES, invoiceOfA, Invoice.STATUS.eq("open"),
                Invoice.STATUS.set("hijacked"))));
        outcomes.add(attempt(() -> b.update(Invoice.INVOICES, new Invoice(invoiceOfA.id(), A, "A-1", "hijacked"),
                Invoice.STATUS, Invoice.ORG_ID)));
        outcomes.add(attempt(() -> {
            b.destroy(Invoice.INVOICES, invoiceOfA);
            return "destroyed";
        }));
        outcomes.add(attempt(() -> b.create(Invoice.INVOICES, new Invoice(null, A, "planted", "open"))));
        outcomes.add(attempt(() -> b.createAll(Invoice.INVOICES, List.of(new Invoice(null, null, "fine", "open"),
                new Invoice(null, A, "planted", "open")))));
        outcomes.add(attempt(() -> b.upsert(Invoice.INVOICES, List.of(new Invoice(invoiceOfA.id(), A, "A-1",
                "hijacked")), Invoice.UNIQUE_NUMBER.update(Invoice.STATUS))));
        outcomes.add(attempt(() -> b.update(Note.NOTES, noteOfA, Note.BODY.set("hijacked"))));
        outcomes.add(attempt(() -> {
            b.destroy(Note.NOTES, noteOfA);
            return "destroyed";
        }));
        outcomes.add(attempt(() -> b.read(Invoice.INVOICES).where(Invoice.NUMBER.eq("A-1"))
                .updateAll(Returning.ROWS, Invoice.STATUS.set("hijacked"))));
        outcomes.add(attempt(() -> b.read(Invoice.INVOICES).where(Invoice.NUMBER.eq("A-1")).destroyAll()));

        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome)
                .matches("refused: .*|not found|\\[]|0"));
        assertThat(db.query("SELECT org_id || '/' || number || '/' || status AS row FROM invoices ORDER BY id"))
                .extracting(r -> r.get("row")).containsExactly("t_a/A-1/open", "t_b/B-1/open");
        assertThat(db.query("SELECT body FROM t_a.notes ORDER BY id")).extracting(r -> r.get("body"))
                .containsExactly("a's note", "a's second note");
        assertThat(db.query("SELECT body FROM t_b.notes")).extracting(r -> r.get("body")).containsExactly("b's note");
    }

    /** What an action gave, "not found", or "refused: " and the message of the error that refused it. */
    private static String attempt(java.util.function.Supplier<?> action) {
        try {
            return String.valueOf(action.get());
        } catch (AshlarException e) {
            return e.code() == dev.ashlar.api.error.ErrorCode.NOT_FOUND ? "not found" : "refused: " + e.getMessage();
        }
    }

    private static Object found(java.util.function.Supplier<?> get) {
        String outcome = attempt(get);
        return outcome.equals("not found") ? null : outcome;
    }
}
