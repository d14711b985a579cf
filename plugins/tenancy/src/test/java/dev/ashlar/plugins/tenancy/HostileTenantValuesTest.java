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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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

    @TempDir
    Path project;
    TestDatabase db;
    Ashlar owner;

    @BeforeEach
    void acmeWithANote(TestDatabase db) {
        this.db = db;
        owner = TwoTenants.created(db, project, Domain.builder("spaces").extensions("citext")
                .resources(TwoTenants.TENANT, HostileTenantNamesTest.POST, NOTE, MEMO).build());
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
}
