package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tenant names chosen by an attacker: system schemas, the main schema, another tenant's name in another case or
 * spelling, names PostgreSQL would cut to another tenant's, quotes and dots. Each either is refused before any
 * statement or reaches no row of tenant {@code t_a} (its schema) or {@code 42} and {@link #ORG} (tenant columns of
 * numbers and UUIDs), read or written. Runs as the tables' owner, so no row-level security hides a leak.
 */
@ExtendWith(PostgresExtension.class)
class HostileTenantNamesTest {
    /** A tenant id whose schema name, t_ and the id, is 63 bytes: as long as PostgreSQL keeps. */
    static final String LONG_ID = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
    static final UUID ORG = UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");

    static final Resource POST = Resource.builder("post").table("posts").integerPrimaryKey("id")
            .attribute("title", TEXT)
            .with(Multitenancy.context())
            .build();
    /** A table of the main schema named like the tenant table: a tenant named public would reach it. */
    static final Resource PUBLIC_POST = Resource.builder("public_post").table("posts").integerPrimaryKey("id")
            .attribute("title", TEXT)
            .build();
    static final Resource TICKET = Resource.builder("ticket").table("tickets").integerPrimaryKey("id")
            .attribute("org_id", BIGINT, a -> a.notNull()).attribute("title", TEXT)
            .with(Multitenancy.attribute("org_id")).build();
    static final Resource BADGE = Resource.builder("badge").table("badges").integerPrimaryKey("id")
            .attribute("org_id", dev.ashlar.api.resource.Type.UUID, a -> a.notNull()).attribute("title", TEXT)
            .with(Multitenancy.attribute("org_id")).build();
    static final Domain DOMAIN = Domain.builder("hostile").resources(TwoTenants.TENANT, POST, PUBLIC_POST, TICKET,
            BADGE).build();

    @TempDir
    Path project;
    TestDatabase db;
    Ashlar owner;

    @BeforeEach
    void tenantsWithRows(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA IF EXISTS t_" + LONG_ID + " CASCADE");
        owner = TwoTenants.created(db, project, DOMAIN);
        owner.create("tenant", Map.of("id", LONG_ID));
        owner.withTenant("t_a").create("post", Map.of("title", "t_a-post"));
        owner.withTenant("t_" + LONG_ID).create("post", Map.of("title", "long-post"));
        owner.create("public_post", Map.of("title", "public-post"));
        owner.withTenant("42").create("ticket", Map.of("title", "42-ticket"));
        owner.withTenant(ORG.toString()).create("badge", Map.of("title", "org-badge"));
    }

    @AfterEach
    void close() {
        owner.close();
    }

    @ParameterizedTest(name = "tenant {0}")
    @ValueSource(strings = {"public", "PUBLIC", "pg_catalog", "pg_toast", "information_schema", "T_A", "t_A",
            "t_a\"; SET search_path TO t_a; --", "t_a.posts", "t_a\".\"posts", "t_a, public", "public, t_a", "t_a,t_" + LONG_ID,
            "\"t_a\"", "t_a;", "$user", "pg_temp", "t_a ", " t_a", "t_a\n",
            "t_" + LONG_ID + "y", "\uff54\uff3f\uff41", "t_a\u200b", "t\u2024a", "t_\u0430"})
    void aHostileTenantNameNeverReachesAnotherSchemasRows(String hostile) {
        Ashlar attacker = owner.withTenant(hostile);

        List<String> seen = new java.util.ArrayList<>();
        seen.add(attempt(() -> attacker.read("post").list().toString()));
        seen.add(attempt(() -> String.valueOf(attacker.read("post").count())));
        seen.add(attempt(() -> String.valueOf(attacker.read("post").compute("seen", String.class,
                "SELECT string_agg(title, ',') FROM posts").list())));
        seen.add(attempt(() -> attacker.read("post").where(Filter.sql("title IS NOT NULL")).list().toString()));
        seen.add(attempt(() -> String.valueOf(attacker.updateAll(Query.of("post"), Map.of("title", "taken")))));
        seen.add(attempt(() -> String.valueOf(attacker.destroyAll(Query.of("post")))));
        seen.add(attempt(() -> attacker.create("post", Map.of("title", "planted")).toString()));
        seen.add(attempt(() -> owner.read("post").tenant(hostile).list().toString()));

        assertThat(seen).allSatisfy(outcome -> assertThat(outcome).startsWith("refused"));
        assertUntouched();
    }

    @org.junit.jupiter.api.Test
    void aTenantNamedLikeAnotherInAnotherCaseGetsASchemaOfItsOwn() {
        owner.create("tenant", Map.of("id", "A"));
        owner.withTenant("t_A").create("post", Map.of("title", "t_A-post"));

        assertThat(owner.withTenant("t_A").read("post").list()).extracting(r -> r.getString("title"))
                .containsExactly("t_A-post");
        assertThat(owner.withTenant("t_a").read("post").list()).extracting(r -> r.getString("title"))
                .containsExactly("t_a-post");
        assertThat(db.query("SELECT title FROM \"t_A\".posts")).extracting(r -> r.get("title"))
                .containsExactly("t_A-post");
        assertUntouched();
    }

    @ParameterizedTest(name = "tenant {0}")
    @ValueSource(strings = {"042", "+42", "0042", "42.0", "4_2", " 42"})
    void anotherSpellingOfATenantNumberNeverReachesThatTenantsRows(String hostile) {
        Ashlar attacker = owner.withTenant(hostile);

        List<String> seen = new java.util.ArrayList<>();
        seen.add(attempt(() -> attacker.read("ticket").list().toString()));
        seen.add(attempt(() -> String.valueOf(attacker.read("ticket").where(eq("title", "42-ticket")).count())));
        seen.add(attempt(() -> String.valueOf(attacker.read("ticket").updateCount(Map.of("title", "taken")))));
        seen.add(attempt(() -> String.valueOf(attacker.read("ticket").destroyAll())));
        seen.add(attempt(() -> attacker.create("ticket", Map.of("title", "planted")).toString()));

        assertThat(seen).allSatisfy(outcome -> assertThat(outcome).startsWith("refused")
                .contains("ticket").contains("org_id"));
        assertUntouched();
    }

    @ParameterizedTest(name = "tenant {0}")
    @ValueSource(strings = {"A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}",
            "a0eebc999c0b4ef8bb6d6bb9bd380a11"})
    void anotherSpellingOfATenantUuidNeverReachesThatTenantsRows(String hostile) {
        Ashlar attacker = owner.withTenant(hostile);

        List<String> seen = new java.util.ArrayList<>();
        seen.add(attempt(() -> attacker.read("badge").list().toString()));
        seen.add(attempt(() -> String.valueOf(attacker.read("badge").updateCount(Map.of("title", "taken")))));
        seen.add(attempt(() -> String.valueOf(attacker.read("badge").destroyAll())));
        seen.add(attempt(() -> attacker.create("badge", Map.of("title", "planted")).toString()));

        assertThat(seen).allSatisfy(outcome -> assertThat(outcome).startsWith("refused")
                .contains("badge").contains("org_id"));
        assertUntouched();
    }

    /** What an action gave, or "refused: " and the message of the error that refused it. */
    private static String attempt(java.util.function.Supplier<String> action) {
        try {
            return action.get();
        } catch (AshlarException e) {
            return "refused: " + e.getMessage();
        }
    }

    private void assertUntouched() {
        assertThat(db.query("SELECT title FROM t_a.posts")).extracting(r -> r.get("title"))
                .containsExactly("t_a-post");
        assertThat(db.query("SELECT title FROM t_" + LONG_ID + ".posts")).extracting(r -> r.get("title"))
                .containsExactly("long-post");
        assertThat(db.query("SELECT title FROM public.posts")).extracting(r -> r.get("title"))
                .containsExactly("public-post");
        assertThat(db.query("SELECT org_id || '/' || title AS row FROM tickets")).extracting(r -> r.get("row"))
                .containsExactly("42/42-ticket");
        assertThat(db.query("SELECT org_id || '/' || title AS row FROM badges")).extracting(r -> r.get("row"))
                .containsExactly(ORG + "/org-badge");
    }
}
