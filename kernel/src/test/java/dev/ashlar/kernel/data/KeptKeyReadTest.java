package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Policy;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.schema.Scope;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.typed.Kind.BIGINT;
import static dev.ashlar.api.typed.Kind.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A read by key keeps its statement on its resource's renderer, by schema, when its scoping left it only its key: from
 * the other side, a read that warmed it never lends it to a tenant's, an actor's or a migrated domain's read. Tenant B's
 * get of tenant A's key finds nothing after A's reads, in tenant schemas and under a tenant column; a policy's actor
 * meets its rows and fields after a trusted read; a field added by a migration is read by the new domain's Ashlar.
 */
class KeptKeyReadTest extends FreshDomainTest {
    record Note(Long id, String title, Long ownerId, String tenant) {
        static final Table<Note> NOTES = Table.of("note", Note.class);
        static final Field<Note, Long> ID = NOTES.bigintPrimaryKey("id");
        static final TextField<Note> TITLE = NOTES.attribute("title", TEXT);
        static final Field<Note, Long> OWNER_ID = NOTES.attribute("owner_id", BIGINT);
        static final TextField<Note> TENANT = NOTES.attribute("tenant", TEXT);
        static final Resource RESOURCE = NOTES.builder().table("kept_notes").add(ID, TITLE, OWNER_ID, TENANT).build();
    }

    private static void notFound(Runnable get) {
        assertThatThrownBy(get::run).isInstanceOfSatisfying(AshlarException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    private Ashlar with(Domain domain, Object... plugins) {
        Ashlar.Builder builder = Ashlar.builder().dataSource(db.dataSource()).domain(domain);
        for (Object plugin : plugins) {
            if (plugin instanceof Policy policy) {
                builder.policies(policy);
            } else {
                builder.install((dev.ashlar.spi.plugin.AshlarPlugin) plugin);
            }
        }
        return builder.build();
    }

    private Domain notes() {
        migrated(Note.RESOURCE).close();
        return Domain.builder("fresh").resources(Note.RESOURCE).build();
    }

    @Test
    void aTenantSchemasGetOfAnotherTenantsKeyFindsNothingAfterThatTenantsReadsKeptTheStatement() {
        Domain domain = notes();
        for (String schema : List.of("kept_a", "kept_b")) {
            db.execute("CREATE SCHEMA " + schema + "; CREATE TABLE " + schema + ".kept_notes "
                    + "(LIKE public.kept_notes INCLUDING ALL)");
        }
        db.execute("INSERT INTO kept_a.kept_notes (id, title) VALUES (1, 'a-one'), (7, 'a-only')");
        db.execute("INSERT INTO kept_b.kept_notes (id, title) VALUES (1, 'b-one')");
        try (Ashlar ashlar = with(domain, OneResourceTenancy.schemas("note"))) {
            Ashlar a = ashlar.withTenant("kept_a");
            Ashlar b = ashlar.withTenant("kept_b");
            for (int warm = 0; warm < 3; warm++) {
                assertThat(a.get(Note.NOTES, 7L).title()).isEqualTo("a-only");
                assertThat(a.get("note", 7L).get("title")).isEqualTo("a-only");
            }

            notFound(() -> b.get(Note.NOTES, 7L));
            notFound(() -> b.get("note", 7L));
            assertThat(b.find(Note.NOTES, 7L)).isEmpty();
            assertThat(b.get(Note.NOTES, 1L).title()).isEqualTo("b-one");
            assertThat(b.get("note", 1L).get("title")).isEqualTo("b-one");
            assertThat(a.get(Note.NOTES, 1L).title()).isEqualTo("a-one");
        }
    }

    @Test
    void aTenantColumnsGetOfAnotherTenantsKeyFindsNothingAfterATenantlessReadKeptTheStatement() {
        Domain domain = notes();
        db.execute("INSERT INTO kept_notes (id, title, tenant) VALUES (1, 'acme-secret', 'acme'), "
                + "(2, 'globex-own', 'globex')");
        try (Ashlar ashlar = with(domain, OneResourceTenancy.column("note", "tenant", true))) {
            for (int warm = 0; warm < 3; warm++) {
                assertThat(ashlar.get(Note.NOTES, 1L).title()).as("a handle without a tenant reads every tenant's")
                        .isEqualTo("acme-secret");
                assertThat(ashlar.get("note", 1L).get("title")).isEqualTo("acme-secret");
            }
            Ashlar globex = ashlar.withTenant("globex");

            notFound(() -> globex.get(Note.NOTES, 1L));
            notFound(() -> globex.get("note", 1L));
            assertThat(globex.find("note", 1L)).isEmpty();
            assertThat(globex.get(Note.NOTES, 2L).title()).isEqualTo("globex-own");
            assertThat(ashlar.withTenant("acme").get(Note.NOTES, 1L).title()).isEqualTo("acme-secret");
        }
    }

    @Test
    void anActorsGetMeetsItsRowPolicyAfterATrustedReadKeptTheStatement() {
        Domain domain = notes();
        db.execute("INSERT INTO kept_notes (id, title, owner_id) VALUES (1, 'of one', 1), (2, 'of two', 2)");
        try (Ashlar policed = with(domain, Policy.on("note").read(actor -> eq("owner_id", actor.id())))) {
            for (int warm = 0; warm < 3; warm++) {
                assertThat(policed.bypassPolicies().get(Note.NOTES, 1L).title()).isEqualTo("of one");
                assertThat(policed.bypassPolicies().get("note", 1L).get("title")).isEqualTo("of one");
            }
            Ashlar two = policed.withUser(2L);

            notFound(() -> two.get(Note.NOTES, 1L));
            notFound(() -> two.get("note", 1L));
            assertThat(two.get(Note.NOTES, 2L).title()).isEqualTo("of two");
            assertThat(policed.withUser(1L).get(Note.NOTES, 1L).title()).isEqualTo("of one");
        }
    }

    @Test
    void anActorsGetMeetsItsFieldPolicyAfterATrustedReadKeptTheStatement() {
        Domain domain = notes();
        db.execute("INSERT INTO kept_notes (id, title, owner_id) VALUES (1, 'private', 1)");
        Policy titles = Policy.on("note").read(Policy.EVERY_ROW)
                .field("title", actor -> actor.id().equals(1L) ? Policy.ANY_ROW : Policy.NO_ROW);
        try (Ashlar policed = with(domain, titles)) {
            for (int warm = 0; warm < 3; warm++) {
                assertThat(policed.bypassPolicies().get("note", 1L).get("title")).isEqualTo("private");
            }

            Row seenByTwo = policed.withUser(2L).get("note", 1L);

            assertThat(seenByTwo.forbidden("title")).isTrue();
            assertThat(seenByTwo.get("owner_id")).isEqualTo(1L);
            assertThat(policed.withUser(1L).get("note", 1L).get("title")).isEqualTo("private");
        }
    }

    @Test
    void aFieldAMigrationAddsIsReadByTheNewDomainsGetWhileTheOldAshlarKeepsReadingItsFields() {
        Resource before = Resource.builder("note").table("kept_notes").bigintPrimaryKey("id")
                .attribute("title", Type.TEXT).build();
        Resource after = Resource.builder("note").table("kept_notes").bigintPrimaryKey("id")
                .attribute("title", Type.TEXT).attribute("body", Type.TEXT).build();
        try (Ashlar old = migrated(before)) {
            db.execute("INSERT INTO kept_notes (id, title) VALUES (1, 'kept')");
            for (int warm = 0; warm < 3; warm++) {
                assertThat(old.get("note", 1L).get("title")).isEqualTo("kept");
            }
            Domain migrated = Domain.builder("fresh").resources(after).build();
            new Codegen(project, migrated, Plugins.none(), Renames.none(), Clock.systemUTC()).generate("add_body");
            new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).migrate();
            db.execute("UPDATE kept_notes SET body = 'added' WHERE id = 1");

            try (Ashlar current = with(migrated)) {
                assertThat(current.get("note", 1L).get("body")).isEqualTo("added");
                assertThat(current.get("note", 1L).get("body")).isEqualTo("added");
            }
            Row stillOld = old.get("note", 1L);
            assertThat(stillOld.get("title")).isEqualTo("kept");
            assertThat(stillOld.has("body")).isFalse();
            assertThat(db.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'kept_notes' "
                    + "AND column_name = 'body'")).hasSize(1);
        }
    }
}
