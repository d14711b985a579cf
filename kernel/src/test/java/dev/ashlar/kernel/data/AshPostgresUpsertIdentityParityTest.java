package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.error.StaleRecordException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.api.typed.CalculationField;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.api.typed.UniqueKey;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.BOOLEAN;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * AshPostgres's {@code upsert_identity} naming an identity whose key is a calculation ({@code identity :unique_email,
 * [:lower_email]}): the upsert's {@code ON CONFLICT ((lower(email)))} infers the identity's unique expression index,
 * so a record that differs from a stored one only in case updates it. On populated tables, with a partial identity,
 * typed, and from the other tenant's side of a tenant column and of tenant schemas.
 */
class AshPostgresUpsertIdentityParityTest extends DomainDatabaseTest {
    record Member(Long id, String email, String name) {
        static final Table<Member> MEMBERS = Table.of("typed_member", Member.class);
        static final Field<Member, Long> ID = MEMBERS.bigintPrimaryKey("id");
        static final TextField<Member> EMAIL = MEMBERS.attribute("email", Kind.TEXT);
        static final TextField<Member> NAME = MEMBERS.attribute("name", Kind.TEXT);
        static final CalculationField<Member, String> LOWER_EMAIL = MEMBERS.calculate("lower_email", String.class,
                "lower(email)");
        static final UniqueKey<Member> UNIQUE_EMAIL = MEMBERS.identity("unique_email", LOWER_EMAIL);
    }

    static final Domain DOMAIN = Domain.builder("ash_upsert_identity")
            .resource(byLowerEmail("account", "accounts").identity("unique_email", List.of("lower_email"),
                    i -> i.message("is in use")).build())
            .resource(byLowerEmail("subscriber", "subscribers").attribute("active", BOOLEAN)
                    .identity("unique_active_email", List.of("lower_email"), i -> i.where("active")).build())
            .resource(byLowerEmail("pass", "passes").attribute("active", BOOLEAN)
                    .identity("unique_live_email", List.of("lower_email"), i -> i.where("active -- live ones"))
                    .build())
            .resource(byLowerEmail("org_user", "org_users").attribute("org", TEXT, a -> a.notNull())
                    .identity("unique_email", "lower_email")
                    .calculate("trimmed_email", String.class, "btrim(email)")
                    .identity("unique_trimmed_email", List.of("trimmed_email"), i -> i.allTenants()).build())
            .resource(byLowerEmail("note", "notes").identity("unique_email", "lower_email").build())
            .resource(Member.MEMBERS.builder().table("typed_members")
                    .add(Member.ID, Member.EMAIL, Member.NAME, Member.LOWER_EMAIL, Member.UNIQUE_EMAIL).build())
            .build();

    private static ResourceBuilder byLowerEmail(String name, String table) {
        return Resource.builder(name).table(table).bigintPrimaryKey("id").attribute("email", TEXT)
                .attribute("name", TEXT).calculate("lower_email", String.class, "lower(email)");
    }

    private Ashlar users;
    private Ashlar notes;

    AshPostgresUpsertIdentityParityTest() {
        super(DOMAIN);
    }

    @BeforeAll
    @Override
    void start(TestDatabase database) {
        super.start(database);
        // The tenant's identity leads with its column, as the tenancy plugin's migrations write it.
        db.execute("DROP INDEX org_users_unique_email_index;"
                + " CREATE UNIQUE INDEX org_users_unique_email_index ON org_users (org, (lower(email)))");
        for (String tenant : List.of("tenant_a", "tenant_b")) {
            db.execute("DROP SCHEMA IF EXISTS " + tenant + " CASCADE; CREATE SCHEMA " + tenant
                    + "; CREATE TABLE " + tenant + ".notes (LIKE public.notes INCLUDING ALL)");
        }
        users = Fixtures.ashlar(db, DOMAIN, OneResourceTenancy.column("org_user", "org", false));
        notes = Fixtures.ashlar(db, DOMAIN, OneResourceTenancy.schemas("note"));
    }

    @AfterAll
    void stopTenants() {
        users.close();
        notes.close();
    }

    /** Every table holds rows no case writes, so that each case runs on a populated table. */
    @BeforeEach
    void populated() {
        db.execute("TRUNCATE accounts, subscribers, passes, org_users, typed_members, tenant_a.notes, tenant_b.notes "
                + "RESTART IDENTITY");
        ashlar.createAll("account", List.of(Map.of("email", "Ada@Example.org", "name", "Ada"),
                Map.of("email", "grace@example.org", "name", "Grace")));
        users.withTenant("a").create("org_user", Map.of("email", "Ada@Example.org", "name", "a's Ada"));
        notes.withTenant("tenant_a").create("note", Map.of("email", "Ada@Example.org", "name", "a's Ada"));
    }

    private List<String> stored(String table) {
        return db.query("SELECT email, name FROM " + table + " ORDER BY id").stream()
                .map(r -> r.get("email") + " " + r.get("name")).toList();
    }

    @Test
    void anUpsertDifferingOnlyInCaseUpdatesTheStoredRecordThroughTheExpressionIndex() {
        Row upserted = ashlar.upsert("account", Map.of("email", "ADA@example.ORG", "name", "Ada Lovelace"),
                Upsert.on("unique_email"));

        assertThat(upserted.getLong("id")).isEqualTo(1L);
        assertThat(upserted.getString("email")).isEqualTo("ADA@example.ORG");
        assertThat(stored("accounts")).containsExactly("ADA@example.ORG Ada Lovelace", "grace@example.org Grace");
        // The only unique index that holds the email is the identity's, on its expression.
        assertThat(db.query("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'accounts' "
                + "AND indexname <> 'accounts_pkey'")).extracting(r -> r.get("indexname") + ": " + r.get("indexdef"))
                .containsExactly("accounts_unique_email_index: CREATE UNIQUE INDEX accounts_unique_email_index ON "
                        + "public.accounts USING btree (lower(email))");
    }

    @Test
    void withoutTheExpressionIndexTheUpsertHasNoArbiterSoTheCatalogsIndexIsTheOneItInfers() {
        db.execute("DROP INDEX accounts_unique_email_index");
        try {
            assertThatThrownBy(() -> ashlar.upsert("account", List.of(Map.of("email", "ada@example.org")),
                    Upsert.on("unique_email")))
                    .hasMessageContaining("no unique or exclusion constraint matching the ON CONFLICT specification");
        } finally {
            db.execute("CREATE UNIQUE INDEX accounts_unique_email_index ON accounts ((lower(email)))");
        }
        assertThat(stored("accounts")).containsExactly("Ada@Example.org Ada", "grace@example.org Grace");
    }

    @Test
    void aBulkUpsertUpdatesTheRecordsItMeetsAndInsertsTheOthersInOneStatement() {
        List<Row> upserted = ashlar.upsert("account", List.of(Map.of("email", "GRACE@example.org", "name", "Hopper"),
                Map.of("email", "Edsger@example.org", "name", "Dijkstra"),
                Map.of("email", "ada@EXAMPLE.org", "name", "Lovelace")), Upsert.on("unique_email").update("name"));

        // The key of the inserted record is not 3: each record of the statement drew from the sequence.
        assertThat(upserted).extracting(r -> r.getLong("id") < 3 ? r.get("id") + " " + r.get("email") + " "
                        + r.get("name") : "new " + r.get("email") + " " + r.get("name"))
                .containsExactlyInAnyOrder("2 grace@example.org Hopper", "new Edsger@example.org Dijkstra",
                        "1 Ada@Example.org Lovelace");
        assertThat(stored("accounts")).containsExactly("Ada@Example.org Lovelace", "grace@example.org Hopper",
                "Edsger@example.org Dijkstra");
    }

    @Test
    void doNothingKeepsTheStoredRecordAndAConditionDecidesWhichAreOverwritten() {
        List<Row> kept = ashlar.upsert("account", List.of(Map.of("email", "ADA@example.org", "name", "x"),
                Map.of("email", "alan@example.org", "name", "Turing")), Upsert.on("unique_email").doNothing());
        List<Row> overwritten = ashlar.upsert("account", List.of(Map.of("email", "ada@example.org", "name", "Ada L"),
                Map.of("email", "GRACE@example.org", "name", "G")), Upsert.on("unique_email")
                .where(dev.ashlar.api.query.Filter.ne("name", "Grace")));

        assertThat(kept).extracting(r -> r.get("email")).containsExactly("alan@example.org");
        assertThat(overwritten).extracting(r -> r.get("name")).containsExactly("Ada L");
        assertThat(stored("accounts")).containsExactly("ada@example.org Ada L", "grace@example.org Grace",
                "alan@example.org Turing");
    }

    @Test
    void aRecordTwiceInOneBulkUpsertIsRefusedAndWritesNothing() {
        assertThatThrownBy(() -> ashlar.upsert("account", List.of(Map.of("email", "x@example.org"),
                Map.of("email", "X@example.org")), Upsert.on("unique_email")))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("the same identity appears twice in one upsert; send each record once");
        assertThat(stored("accounts")).containsExactly("Ada@Example.org Ada", "grace@example.org Grace");
    }

    @Test
    void returningTheKeptRecordsIsRefusedNamingTheIdentityAndTheCalculation() {
        // The same upsert without returnSkipped() runs first: its statement is rendered once and reused.
        ashlar.upsert("account", List.of(Map.of("email", "ADA@example.org")), Upsert.on("unique_email").doNothing());
        assertThatThrownBy(() -> ashlar.upsert("account", List.of(Map.of("email", "ADA@example.org")),
                Upsert.on("unique_email").doNothing().returnSkipped()))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("identity 'unique_email', over calculation 'lower_email'")
                .hasMessageContaining("returnSkipped()");
        assertThat(stored("accounts")).containsExactly("Ada@Example.org Ada", "grace@example.org Grace");
    }

    @Test
    void aRecordWhoseStoredRecordFailsTheConditionIsStaleNamingTheValuesItGave() {
        assertThatThrownBy(() -> ashlar.upsert("account", Map.of("email", "GRACE@example.org", "name", "G"),
                Upsert.on("unique_email").where(dev.ashlar.api.query.Filter.ne("name", "Grace"))))
                .isInstanceOf(StaleRecordException.class)
                .hasMessageContaining("GRACE@example.org");
        assertThat(stored("accounts")).containsExactly("Ada@Example.org Ada", "grace@example.org Grace");
    }

    @Test
    void aPartialIdentityUpsertRepeatsItsPredicateAndMeetsOnlyTheRowsItsIndexHolds() {
        ashlar.createAll("subscriber", List.of(Map.of("email", "Ada@Example.org", "name", "old", "active", false),
                Map.of("email", "Ada@Example.org", "name", "current", "active", true)));

        ashlar.upsert("subscriber", List.of(Map.of("email", "ADA@example.org", "name", "renewed", "active", true),
                Map.of("email", "GRACE@example.org", "name", "new", "active", true)),
                Upsert.on("unique_active_email").update("name"));

        assertThat(db.query("SELECT email, name, active FROM subscribers ORDER BY id"))
                .extracting(r -> r.get("email") + " " + r.get("name") + " " + r.get("active"))
                .containsExactly("Ada@Example.org old false", "Ada@Example.org renewed true",
                        "GRACE@example.org new true");
        assertThat(db.value("SELECT indexdef FROM pg_indexes WHERE indexname = 'subscribers_unique_active_email_index'"))
                .isEqualTo("CREATE UNIQUE INDEX subscribers_unique_active_email_index ON public.subscribers USING btree "
                        + "(lower(email)) WHERE active");
    }

    @Test
    void aPartialIdentityWhosePredicateEndsInACommentIsStillInferredAndTheStatementKeepsItsUpdate() {
        ashlar.create("pass", Map.of("email", "Ada@Example.org", "name", "Ada", "active", true));

        Row upserted = ashlar.upsert("pass", Map.of("email", "ADA@example.org", "name", "Lovelace", "active", true),
                Upsert.on("unique_live_email").update("name"));

        assertThat(upserted.getLong("id")).isEqualTo(1L);
        assertThat(stored("passes")).containsExactly("Ada@Example.org Lovelace");
        assertThat((String) db.value("SELECT indexdef FROM pg_indexes WHERE indexname = 'passes_unique_live_email_index'"))
                .endsWith("(lower(email)) WHERE active");
    }

    @Test
    void theTypedUpsertOnTheCalculationsIdentityUpdatesTheStoredRecord() {
        ashlar.create(Member.MEMBERS, new Member(null, "Ada@Example.org", "Ada"));

        Member upserted = ashlar.upsert(Member.MEMBERS, new Member(null, "ada@example.org", "Lovelace"),
                Member.UNIQUE_EMAIL.update(Member.NAME));
        List<Member> bulk = ashlar.upsert(Member.MEMBERS, List.of(new Member(null, "ADA@EXAMPLE.ORG", "Countess"),
                new Member(null, "grace@example.org", "Grace")), Member.UNIQUE_EMAIL.updateAll());

        assertThat(upserted).isEqualTo(new Member(1L, "Ada@Example.org", "Lovelace"));
        assertThat(bulk).extracting(Member::email).containsExactlyInAnyOrder("ADA@EXAMPLE.ORG", "grace@example.org");
        assertThat(bulk).filteredOn(m -> m.email().equals("ADA@EXAMPLE.ORG")).extracting(Member::id)
                .containsExactly(1L);
        assertThat(stored("typed_members")).containsExactly("ADA@EXAMPLE.ORG Countess", "grace@example.org Grace");
    }

    @Test
    void anotherTenantsUpsertOnTheTenantColumnsIdentityInsertsItsOwnAndNeverTouchesTheFirstTenantsRecord() {
        Ashlar b = users.withTenant("b");

        Row bs = b.upsert("org_user", Map.of("email", "ADA@example.org", "name", "b's Ada"), Upsert.on("unique_email"));
        b.upsert("org_user", List.of(Map.of("email", "ada@EXAMPLE.org", "name", "b's again")),
                Upsert.on("unique_email"));
        users.withTenant("a").upsert("org_user", List.of(Map.of("email", "ada@example.org", "name", "a's own")),
                Upsert.on("unique_email").update("name"));

        assertThat(bs.getString("org")).isEqualTo("b");
        assertThat(db.query("SELECT org, email, name FROM org_users ORDER BY id"))
                .extracting(r -> r.get("org") + " " + r.get("email") + " " + r.get("name"))
                .containsExactly("a Ada@Example.org a's own", "b ada@EXAMPLE.org b's again");
        assertThat(b.read("org_user").sort(Sort.asc("id")).values("name", String.class)).containsExactly("b's again");
    }

    @Test
    void anotherTenantsUpsertOnAnIdentityAcrossTenantsIsRefusedAndLeavesTheFirstTenantsRecord() {
        Ashlar b = users.withTenant("b");

        assertThatThrownBy(() -> b.upsert("org_user", Map.of("email", "Ada@Example.org ", "name", "taken over"),
                Upsert.on("unique_trimmed_email")))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors())
                        .extracting(f -> f.field() + " " + f.message())
                        .containsExactly("trimmed_email has already been taken"));
        assertThatThrownBy(() -> b.upsert("org_user", List.of(Map.of("email", " Ada@Example.org", "name", "taken")),
                Upsert.on("unique_trimmed_email").where(dev.ashlar.api.query.Filter.notNil("name"))))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("over calculation 'trimmed_email'");

        assertThat(db.query("SELECT org, email, name FROM org_users ORDER BY id"))
                .extracting(r -> r.get("org") + " " + r.get("email") + " " + r.get("name"))
                .containsExactly("a Ada@Example.org a's Ada");
    }

    @Test
    void anotherTenantsListAndBulkUpsertsMeetingTheFirstTenantsRowAcrossTenantsWriteNothingOfItAndNameTheRecord() {
        Ashlar b = users.withTenant("b");
        List<Map<String, Object>> records = List.of(Map.of("email", "grace@example.org", "name", "b's Grace"),
                Map.of("email", "Ada@Example.org ", "name", "taken over"));

        assertThatThrownBy(() -> b.upsert("org_user", records, Upsert.on("unique_trimmed_email")))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("has already been taken");
        assertThat(db.value("SELECT count(*) FROM org_users WHERE org = 'b'")).isEqualTo(0L);
        BulkResult bulk = b.upsert("org_user", records, Upsert.on("unique_trimmed_email"), Bulk.collectErrors());
        BulkResult kept = b.upsert("org_user", records, Upsert.on("unique_trimmed_email").doNothing(),
                Bulk.collectErrors());

        assertThat(bulk.errors()).extracting(BulkResult.Failure::index).containsExactly(1);
        assertThat(bulk.rows()).extracting(r -> r.get("name")).containsExactly("b's Grace");
        assertThat(kept.rows()).isEmpty();
        assertThat(db.query("SELECT org, email, name FROM org_users ORDER BY id"))
                .extracting(r -> r.get("org") + " " + r.get("email") + " " + r.get("name"))
                .containsExactly("a Ada@Example.org a's Ada", "b grace@example.org b's Grace");
        assertThat(b.read("org_user").values("name", String.class)).containsExactly("b's Grace");
    }

    @Test
    void anotherTenantSchemasUpsertWritesInItsOwnSchemaAndNeverTheFirstTenantsRecord() {
        Ashlar b = notes.withTenant("tenant_b");

        b.upsert("note", List.of(Map.of("email", "ADA@example.org", "name", "b's Ada")), Upsert.on("unique_email"));
        b.upsert("note", Map.of("email", "ada@example.org", "name", "b's again"), Upsert.on("unique_email"));

        assertThat(stored("tenant_a.notes")).containsExactly("Ada@Example.org a's Ada");
        assertThat(stored("tenant_b.notes")).containsExactly("ada@example.org b's again");
        assertThat(notes.withTenant("tenant_a").read("note").values("name", String.class)).containsExactly("a's Ada");
    }
}
