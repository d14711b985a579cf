package dev.ashlar.plugins.tenancy;

import com.zaxxer.hikari.HikariDataSource;
import dev.ashlar.api.error.ControlCharacters;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.ashlar.api.resource.Type.CITEXT;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A tenant named with white space before or after it (a stray space from a header or a form): a tenant of a text column
 * is refused naming the column, as a tenant schema's name is, rather than becoming a tenant of its own whose rows the
 * real one never sees. A tenant holding a control character is refused in both strategies, shown escaped. A tenant of
 * a citext column in another case ({@code ACME}) is refused rather than reaching {@code acme}'s rows (tenant schemas in
 * another case are schemas of their own: {@link HostileTenantNamesTest}).
 */
@ExtendWith(PostgresExtension.class)
class HostileTenantValuesTest {
    static final Resource NOTE = Resource.builder("note").table("notes").integerPrimaryKey("id")
            .attribute("org", TEXT, a -> a.notNull()).attribute("title", TEXT)
            .with(Multitenancy.attribute("org")).build();
    /** A tenant column of citext, which compares without case. */
    static final Resource MEMO = Resource.builder("memo").table("memos").integerPrimaryKey("id")
            .attribute("org", CITEXT, a -> a.notNull()).attribute("title", TEXT)
            .with(Multitenancy.attribute("org")).build();
    /** A citext tenant column under row-level security, whose policy compares the column as text. */
    static final Resource SEALED = Resource.builder("sealed_memo").table("sealed_memos").integerPrimaryKey("id")
            .attribute("org", CITEXT, a -> a.notNull()).attribute("title", TEXT)
            .with(Multitenancy.attribute("org").rowLevelSecurity(true)).build();
    static final Domain DOMAIN = Domain.builder("spaces").extensions("citext")
            .resources(TwoTenants.TENANT, HostileTenantNamesTest.POST, NOTE, MEMO, SEALED).build();
    /** The README's white space a tenant may not begin or end with: Java's white space and space characters. */
    static final String BLANK = "[\\t-\\r\\x1c-\\x20\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f"
            + "\\u3000]";
    /** The README's characters no tenant may hold: control characters and invisible ones (Cf, default-ignorable). */
    static final String REFUSED = "[\\x01-\\x1f\\x7f-\\x9f\\u2028\\u2029\\u00ad\\u034f\\u0600-\\u0605\\u061c\\u06dd"
            + "\\u070f\\u0890\\u0891\\u08e2\\u115f\\u1160\\u17b4\\u17b5\\u180b-\\u180f\\u200b-\\u200f\\u202a-\\u202e"
            + "\\u2060-\\u206f\\u3164\\ufe00-\\ufe0f\\ufeff\\uffa0\\ufff0-\\ufffb\\U000110bd\\U000110cd"
            + "\\U00013430-\\U0001343f\\U0001bca0-\\U0001bca3\\U0001d173-\\U0001d17a\\U000e0000-\\U000e0fff]";

    @TempDir
    Path project;
    TestDatabase db;
    Ashlar owner;

    @BeforeEach
    void acmeWithANote(TestDatabase db) {
        this.db = db;
        owner = TwoTenants.created(db, project, DOMAIN);
        owner.withTenant("acme").create("note", Map.of("title", "acme-note"));
        owner.withTenant("acme").create("memo", Map.of("title", "acme-memo"));
        owner.withTenant("t_a").create("post", Map.of("title", "t_a-post"));
    }

    @AfterEach
    void close() {
        owner.close();
    }

    @ParameterizedTest(name = "tenant [{0}]")
    @ValueSource(strings = {"acme ", " acme", "acme\u00a0", "\u2003acme"})
    void aTenantColumnRefusesATenantBeginningOrEndingWithWhiteSpaceNamingTheColumn(String spaced) {
        Ashlar caller = owner.withTenant(spaced);

        for (Executable action : List.<Executable>of(() -> caller.read("note").list(), () -> caller.read("note").count(),
                () -> caller.create("note", Map.of("title", "planted")),
                () -> caller.createAll("note", List.of(Map.of("title", "planted"))),
                () -> caller.updateAll(Query.of("note"), Map.of("title", "taken")),
                () -> caller.destroyAll(Query.of("note")), () -> owner.read("note").tenant(spaced).list())) {
            assertThatThrownBy(action::execute).isInstanceOfSatisfying(QueryException.class, e -> {
                assertThat(e.resource()).contains("note");
                assertThat(e.field()).contains("org");
            }).hasMessageContaining("begins or ends with white space, so the tenant column org of note would hold it "
                    + "as a tenant other than 'acme'");
        }
        assertThatThrownBy(() -> caller.read("post").list()).isInstanceOf(QueryException.class)
                .hasMessageStartingWith("Tenant '" + spaced + "' for resource 'post' may hold only letters");
        assertThat(db.query("SELECT org || '/' || title AS row FROM notes")).extracting(r -> r.get("row"))
                .containsExactly("acme/acme-note");
    }

    @ParameterizedTest(name = "tenant [{0}]")
    @ValueSource(strings = {"acme\t", "\nacme", "ac\nme", "acme\u001b[31m", "acme\u0085", "acme\u2028x"})
    void aTenantHoldingAControlCharacterIsRefusedInBothStrategiesShownEscapedSoNoLogLineIsForged(String forged) {
        Ashlar caller = owner.withTenant(forged);

        for (Executable action : List.<Executable>of(() -> caller.read("note").list(),
                () -> caller.create("note", Map.of("title", "planted")), () -> caller.read("post").list(),
                () -> caller.create("post", Map.of("title", "planted")), () -> owner.read("note").tenant(forged).list())) {
            assertThatThrownBy(action::execute).isInstanceOf(QueryException.class)
                    .hasMessageContaining("holds a control character")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(forged)
                            .doesNotContainPattern("[\\u0000-\\u001f\\u0085\\u2028]"));
        }
        assertThat(db.query("SELECT org || '/' || title AS row FROM notes")).extracting(r -> r.get("row"))
                .containsExactly("acme/acme-note");
        assertThat(db.query("SELECT title FROM t_a.posts")).extracting(r -> r.get("title")).containsExactly("t_a-post");
    }

    @Test
    void rowsStoredUnderASpacedTenantBeforeTheRuleAreRenamedByHandWrittenSqlAndThenReachedByTheTenant() {
        db.execute("INSERT INTO notes (id, org, title) VALUES (100, 'acme ', 'legacy'), (101, E'acme\\n', 'forged')");
        assertThatThrownBy(() -> owner.withTenant("acme ").read("note").list()).isInstanceOf(QueryException.class);

        int renamed = owner.sql("UPDATE notes SET org = btrim(org, E' \\t\\r\\n') WHERE org <> btrim(org, "
                + "E' \\t\\r\\n')").execute();

        assertThat(renamed).isEqualTo(2);
        assertThat(owner.withTenant("acme").read("note").list()).extracting(r -> r.getString("title"))
                .containsExactlyInAnyOrder("acme-note", "legacy", "forged");
    }

    @ParameterizedTest(name = "tenant [{0}]")
    @ValueSource(strings = {"Acme Corp", "acme-1"})
    void aTenantWithWhiteSpaceInsideItIsATenantOfItsOwn(String tenant) {
        owner.withTenant(tenant).create("note", Map.of("title", "own"));

        assertThat(owner.withTenant(tenant).read("note").list()).extracting(r -> r.getString("title"))
                .containsExactly("own");
        assertThat(owner.withTenant("acme").read("note").list()).extracting(r -> r.getString("title"))
                .containsExactly("acme-note");
    }

    @Test
    void aCitextTenantColumnRefusesATenantInAnotherCaseNamingTheColumnSoItNeverReachesTheLowerCaseTenantsRows() {
        Ashlar attacker = owner.withTenant("ACME");

        for (Executable action : List.<Executable>of(() -> attacker.read("memo").list(),
                () -> attacker.read("memo").count(), () -> attacker.create("memo", Map.of("title", "planted")),
                () -> attacker.updateAll(Query.of("memo"), Map.of("title", "taken")),
                () -> attacker.destroyAll(Query.of("memo")), () -> owner.read("memo").tenant("Acme").list())) {
            assertThatThrownBy(action::execute).isInstanceOfSatisfying(QueryException.class, e -> {
                assertThat(e.resource()).contains("memo");
                assertThat(e.field()).contains("org");
            }).hasMessageContaining("the tenant column org of memo is citext, which compares without case")
                    .hasMessageContaining("ashlar.withTenant(\"acme\")");
        }
        assertThat(db.query("SELECT org::text || '/' || title AS row FROM memos")).extracting(r -> r.get("row"))
                .containsExactly("acme/acme-memo");
    }

    @Test
    void rowsOfACitextTenantColumnStoredInAnotherCaseAreReachedByTheLowerCaseTenant() {
        db.execute("INSERT INTO memos (id, org, title) VALUES (100, 'Acme', 'legacy')");

        owner.withTenant("acme").create("memo", Map.of("title", "new"));

        assertThat(owner.withTenant("acme").read("memo").list()).extracting(r -> r.getString("title"))
                .containsExactlyInAnyOrder("acme-memo", "legacy", "new");
        assertThat(db.query("SELECT org::text AS org FROM memos WHERE title = 'new'")).extracting(r -> r.get("org"))
                .containsExactly("acme");
    }

    @ParameterizedTest(name = "tenant [{0}]")
    @ValueSource(strings = {"acme\u200b", "\ufeffacme", "ac\u200dme", "acme\u202eevil", "acme\u2066", "ac\u00adme",
            "acme\u180e", "acme\u2060", "acme\udb40\udc01", "acme\ufe0f", "acme\u034f", "\u3164acme", "ac\u115fme",
            "acme\u1160", "acme\uffa0", "acme\u17b4", "acme\u180b", "acme\udb40\udd00", "acme\udb40\udc41"})
    void aTenantHoldingAnInvisibleCharacterIsRefusedInBothStrategiesShownEscaped(String phantom) {
        Ashlar caller = owner.withTenant(phantom);

        for (Executable action : List.<Executable>of(() -> caller.read("note").list(),
                () -> caller.create("note", Map.of("title", "planted")), () -> caller.read("memo").list(),
                () -> caller.read("post").list(), () -> caller.create("post", Map.of("title", "planted")),
                () -> owner.read("note").tenant(phantom).list())) {
            assertThatThrownBy(action::execute).isInstanceOf(QueryException.class)
                    .hasMessageContaining("holds the invisible character U+")
                    .hasMessageContaining("name the tenant without it")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(phantom)
                            .doesNotContainPattern("[\\u00ad\\u034f\\u115f\\u1160\\u17b4\\u180b\\u180e\\u200b-\\u200f"
                                    + "\\u202a-\\u202e\\u2060-\\u2069\\u3164\\ufe0f\\ufeff\\uffa0\\x{e0001}\\x{e0041}"
                                    + "\\x{e0100}]"));
        }
        assertThat(db.query("SELECT org || '/' || title AS row FROM notes")).extracting(r -> r.get("row"))
                .containsExactly("acme/acme-note");
        assertThat(db.query("SELECT title FROM t_a.posts")).extracting(r -> r.get("title")).containsExactly("t_a-post");
    }

    @ParameterizedTest(name = "tenant [{0}]")
    @ValueSource(strings = {"x\ud800", "x\udbff", "x\udc00", "\udc00x\ud800"})
    void aTenantHoldingHalfASurrogatePairIsRefusedInBothStrategiesNotReachingTheRowsOfTheTenantTheDriverSends(
            String half) {
        db.execute("INSERT INTO notes (id, org, title) VALUES (100, 'x?', 'x?-note'), (101, '?x?', '?x?-note')");
        Ashlar caller = owner.withTenant(half);

        for (Executable action : List.<Executable>of(() -> caller.read("note").list(),
                () -> caller.create("note", Map.of("title", "planted")),
                () -> caller.updateAll(Query.of("note"), Map.of("title", "taken")), () -> caller.read("memo").list(),
                () -> caller.read("post").list(), () -> caller.create("post", Map.of("title", "planted")),
                () -> owner.read("note").tenant(half).list())) {
            assertThatThrownBy(action::execute).isInstanceOf(QueryException.class)
                    .hasMessageContaining(", half a UTF-16 surrogate pair without its other half")
                    .hasMessageContaining("name the tenant with whole characters")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContainPattern("[\\x{d800}-\\x{dfff}]")
                            .containsPattern("\\\\ud[89bc]"));
        }
        assertThat(db.query("SELECT org || '/' || title AS row FROM notes ORDER BY id")).extracting(r -> r.get("row"))
                .containsExactly("acme/acme-note", "x?/x?-note", "?x?/?x?-note");
        assertThat(db.query("SELECT title FROM t_a.posts")).extracting(r -> r.get("title")).containsExactly("t_a-post");
    }

    @ParameterizedTest(name = "tenant [{0}]")
    @ValueSource(strings = {"x\u2c2f", "x\u0378", "\ud801\udd70"})
    void aCitextTenantColumnRefusesATenantTheServerMayLowerCaseButThisJavaCannotNamingTheColumn(String unknown) {
        db.execute("INSERT INTO memos (id, org, title) VALUES (100, lower('" + unknown + "'), 'other')");
        Ashlar caller = owner.withTenant(unknown);

        for (Executable action : List.<Executable>of(() -> caller.read("memo").list(),
                () -> caller.create("memo", Map.of("title", "planted")),
                () -> caller.updateAll(Query.of("memo"), Map.of("title", "taken")))) {
            assertThatThrownBy(action::execute).isInstanceOfSatisfying(QueryException.class, e -> {
                assertThat(e.resource()).contains("memo");
                assertThat(e.field()).contains("org");
            }).hasMessageContaining("the tenant column org of memo is citext");
        }
        if (unknown.codePoints().anyMatch(c -> !Character.isDefined(c))) {
            assertThatThrownBy(() -> caller.read("memo").list())
                    .hasMessageContaining("a character this Java's Unicode does not define");
        }
        assertThat(db.query("SELECT title FROM memos ORDER BY id")).extracting(r -> r.get("title"))
                .containsExactly("acme-memo", "other");
    }

    @Test
    void underRowLevelSecurityACitextTenantsRowsInAnotherCaseAreRenamedByTheTableOwnerWithoutForceThenReachedByTheApp() {
        db.execute("INSERT INTO sealed_memos (id, org, title) VALUES (100, 'Acme', 'legacy')");
        owner.withTenant("acme").create("sealed_memo", Map.of("title", "new"));
        String rename = "UPDATE sealed_memos SET org = lower(org::text) WHERE org::text <> lower(org::text)";
        try (HikariDataSource pool = OrdinaryRole.pool(db, "ashlar_sealed_app", List.of("public"));
             Ashlar app = Ashlar.builder().dataSource(pool).domain(DOMAIN).install(new TenancyPlugin()).build()) {
            assertThat(app.withTenant("acme").read("sealed_memo").list()).extracting(r -> r.getString("title"))
                    .containsExactly("new");
            // The application's role meets the policy: with no tenant set it sees, and so renames, no row.
            assertThat(app.sql(rename).execute()).isZero();
            db.execute("CREATE ROLE ashlar_sealed_owner NOLOGIN NOSUPERUSER NOBYPASSRLS; "
                    + "GRANT USAGE ON SCHEMA public TO ashlar_sealed_owner; "
                    + "ALTER TABLE sealed_memos OWNER TO ashlar_sealed_owner");
            try {
                // The owner meets it too while the table forces it ...
                db.execute("BEGIN; SET LOCAL ROLE ashlar_sealed_owner; " + rename + "; COMMIT");
                assertThat(db.query("SELECT org::text AS org FROM sealed_memos WHERE id = 100"))
                        .extracting(r -> r.get("org")).containsExactly("Acme");
                // ... and renames them with NO FORCE for the one transaction, as the README says.
                db.execute("BEGIN; SET LOCAL ROLE ashlar_sealed_owner; "
                        + "ALTER TABLE sealed_memos NO FORCE ROW LEVEL SECURITY; " + rename + "; "
                        + "ALTER TABLE sealed_memos FORCE ROW LEVEL SECURITY; COMMIT");
            } finally {
                db.execute("REASSIGN OWNED BY ashlar_sealed_owner TO CURRENT_USER; DROP OWNED BY ashlar_sealed_owner; "
                        + "DROP ROLE ashlar_sealed_owner");
            }

            assertThat(app.withTenant("acme").read("sealed_memo").list()).extracting(r -> r.getString("title"))
                    .containsExactlyInAnyOrder("legacy", "new");
            assertThat(app.withTenant("b").read("sealed_memo").list()).isEmpty();
        } finally {
            db.execute("DROP OWNED BY ashlar_sealed_app; DROP ROLE ashlar_sealed_app");
        }
        assertThat(db.value("SELECT relforcerowsecurity FROM pg_class WHERE oid = 'sealed_memos'::regclass"))
                .isEqualTo(true);
        assertThat(db.query("SELECT org::text AS org FROM sealed_memos ORDER BY id")).extracting(r -> r.get("org"))
                .containsExactly("acme", "acme");
    }

    @Test
    void rowsStoredUnderATenantTheRulesRefuseAreRenamedOrListedByTheReadmesSqlAndThenReachedByTheTenant() {
        db.execute("INSERT INTO notes (id, org, title) VALUES (100, U&'acme\\00A0', 'no-break'), "
                + "(101, U&'\\2003acme', 'em-space'), (102, E'acme\\x1b', 'escape'), (103, U&'ac\\200Bme', 'zero-width')");

        int renamed = owner.sql("UPDATE notes SET org = regexp_replace(org, '^" + BLANK + "+|" + BLANK + "+$', '', 'g') "
                + "WHERE org ~ '^" + BLANK + "|" + BLANK + "$'").execute();

        assertThat(renamed).isEqualTo(2);
        assertThat(owner.withTenant("acme").read("note").list()).extracting(r -> r.getString("title"))
                .containsExactlyInAnyOrder("acme-note", "no-break", "em-space");
        // A control or format character inside a name is listed, to be renamed by whoever knows the tenant meant.
        assertThat(db.query("SELECT title FROM notes WHERE org ~ '" + REFUSED + "' ORDER BY id"))
                .extracting(r -> r.get("title")).containsExactly("escape", "zero-width");
    }

    @Test
    void theReadmesSqlClassesHoldExactlyTheCharactersTheTenantRulesRefuse() {
        String codePoints = "SELECT string_agg(c::text, ',' ORDER BY c) AS c FROM generate_series(1, 1114111) c "
                + "WHERE c NOT BETWEEN 55296 AND 57343 AND chr(c) ~ '^%s$'";
        List<Integer> blank = codePoints(String.format(codePoints, BLANK));
        List<Integer> refused = codePoints(String.format(codePoints, REFUSED));

        assertThat(blank).isEqualTo(IntStream.rangeClosed(1, Character.MAX_CODE_POINT)
                .filter(c -> Character.isWhitespace(c) || Character.isSpaceChar(c)).boxed().toList());
        List<Integer> java = IntStream.rangeClosed(1, Character.MAX_CODE_POINT)
                .filter(c -> c < 0x20 || c >= 0x7f && c <= 0x9f || c == 0x2028 || c == 0x2029
                        || ControlCharacters.invisible(c)).boxed().toList();
        // The SQL also holds the format characters of Unicode versions newer than this Java's.
        assertThat(refused).containsAll(java);
        assertThat(refused).filteredOn(c -> !java.contains(c)).allMatch(c -> !Character.isDefined(c));
    }

    private List<Integer> codePoints(String sql) {
        return Arrays.stream(((String) db.value(sql)).split(",")).map(Integer::valueOf).toList();
    }
}
