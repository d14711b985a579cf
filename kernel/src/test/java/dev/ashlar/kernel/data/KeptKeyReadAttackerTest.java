package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The statement a read by key keeps per resource and schema, attacked from every input that changes a read's SQL: a
 * read that warmed it never lends it to a read of another tenant schema (however its name is spelled), another kind of
 * a shared table, a soft-deleted row, a joined child or its parent, a resource's drafts, another domain's Ashlar, or a
 * key of another type (refused as any filter's value is); and a transaction's own rows are seen through it.
 */
class KeptKeyReadAttackerTest extends FreshDomainTest {
    private static final Resource NOTE = Resource.builder("note").table("kept_notes").bigintPrimaryKey("id")
            .attribute("title", Type.TEXT).build();

    private static void notFound(Runnable get) {
        assertThatThrownBy(get::run).isInstanceOfSatisfying(AshlarException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    private static void warm(Runnable read) {
        for (int i = 0; i < 3; i++) {
            read.run();
        }
    }

    @Test
    void tenantSchemasWhoseNamesDifferOnlyInCaseOrNeedQuotingNeverShareAKeptStatement() {
        migrated(NOTE).close();
        List<String> schemas = List.of("Kept-A", "kept-a", "kept \"q\"");
        for (String schema : schemas) {
            String quoted = "\"" + schema.replace("\"", "\"\"") + "\"";
            db.execute("DROP SCHEMA IF EXISTS " + quoted + " CASCADE; CREATE SCHEMA " + quoted + "; CREATE TABLE "
                    + quoted + ".kept_notes (LIKE public.kept_notes INCLUDING ALL)");
            db.execute("INSERT INTO " + quoted + ".kept_notes (id, title) VALUES (1, 'of " + schema.replace("'", "''")
                    + "')");
        }
        db.execute("INSERT INTO \"Kept-A\".kept_notes (id, title) VALUES (9, 'only upper')");
        Domain domain = Domain.builder("fresh").resources(NOTE).build();
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(domain)
                .install(OneResourceTenancy.schemas("note")).build()) {
            warm(() -> assertThat(ashlar.withTenant("Kept-A").get("note", 9L).get("title")).isEqualTo("only upper"));

            notFound(() -> ashlar.withTenant("kept-a").get("note", 9L));
            notFound(() -> ashlar.withTenant("kept \"q\"").get("note", 9L));
            for (String schema : schemas) {
                assertThat(ashlar.withTenant(schema).get("note", 1L).get("title")).isEqualTo("of " + schema);
            }
        }
    }

    @Test
    void aKindsGetOfAnotherKindsKeyInTheSharedTableFindsNothingAfterItsOwnReads() {
        Resource car = DiscriminatorTest.vehicle("car", "kept_vehicles", "car").build();
        Resource bike = DiscriminatorTest.vehicle("bike", "kept_vehicles", "bike").build();
        try (Ashlar ashlar = migrated(car, bike)) {
            db.execute("INSERT INTO kept_vehicles (id, kind, plate) VALUES (1, 'car', 'C-1'), (2, 'bike', 'B-2')");
            warm(() -> assertThat(ashlar.get("car", 1).get("plate")).isEqualTo("C-1"));
            warm(() -> assertThat(ashlar.get("bike", 2).get("plate")).isEqualTo("B-2"));

            notFound(() -> ashlar.get("car", 2));
            notFound(() -> ashlar.get("bike", 1));
        }
    }

    @Test
    void aSoftDeletedRowIsNotFoundByKeyAfterLiveReadsWarmedTheStatement() {
        Resource account = Resource.builder("account").table("kept_accounts").integerPrimaryKey("id")
                .attribute("name", Type.TEXT).attribute("deleted_at", Type.TIMESTAMPTZ).softDelete("deleted_at")
                .build();
        try (Ashlar ashlar = migrated(account)) {
            db.execute("INSERT INTO kept_accounts (id, name) VALUES (1, 'live'), (2, 'gone')");
            warm(() -> assertThat(ashlar.get("account", 2).get("name")).isEqualTo("gone"));
            ashlar.destroy(ashlar.get("account", 2));

            notFound(() -> ashlar.get("account", 2));
            assertThat(ashlar.find("account", 2)).isEmpty();
            assertThat(ashlar.get("account", 1).get("name")).isEqualTo("live");
            assertThat(db.query("SELECT id FROM kept_accounts WHERE deleted_at IS NOT NULL")).hasSize(1);
        }
    }

    @Test
    void aJoinedChildsGetFindsNoParentOnlyRowAndTheParentsGetReadsNoChildColumnAfterEachWarmed() {
        try (Ashlar ashlar = migrated(JoinedInheritanceTest.KEEPER, JoinedInheritanceTest.ANIMAL,
                JoinedInheritanceTest.DOG)) {
            Object rex = ashlar.create("dog", Map.of("name", "rex", "breed", "collie")).get("id");
            Object cat = ashlar.create("animal", Map.of("name", "cat")).get("id");
            warm(() -> assertThat(ashlar.get("dog", rex).get("breed")).isEqualTo("collie"));
            warm(() -> assertThat(ashlar.get("animal", cat).get("name")).isEqualTo("cat"));

            notFound(() -> ashlar.get("dog", cat));
            Row rexAsAnimal = ashlar.get("animal", rex);
            assertThat(rexAsAnimal.get("name")).isEqualTo("rex");
            assertThat(rexAsAnimal.has("breed")).isFalse();
        }
    }

    @Test
    void aDraftIsReadByKeyOnlyFromTheDraftsAndTheLiveRecordOnlyFromTheTable() {
        Resource post = Resource.builder("post").table("kept_posts").integerPrimaryKey("id")
                .attribute("title", Type.TEXT).draftable().build();
        try (Ashlar ashlar = migrated(post)) {
            String drafts = ashlar.drafts("post");
            ashlar.create("post", Map.of("id", 1, "title", "live one"));
            ashlar.create(drafts, Map.of("id", 2, "title", "draft two"));
            warm(() -> assertThat(ashlar.get("post", 1).get("title")).isEqualTo("live one"));
            warm(() -> assertThat(ashlar.get(drafts, 2).get("title")).isEqualTo("draft two"));

            notFound(() -> ashlar.get("post", 2));
            notFound(() -> ashlar.get(drafts, 1));
            assertThat(db.query("SELECT id FROM kept_posts_draft")).hasSize(1);
        }
    }

    @Test
    void twoAshlarsWhoseDomainsMapOneResourceNameToTwoTablesEachReadTheirOwn() {
        db.execute("CREATE TABLE kept_one (id bigint PRIMARY KEY, title text); "
                + "CREATE TABLE kept_two (id bigint PRIMARY KEY, title text); "
                + "INSERT INTO kept_one VALUES (1, 'one'); INSERT INTO kept_two VALUES (1, 'two'), (2, 'two only')");
        Domain first = Domain.builder("first").resources(Resource.builder("note").table("kept_one")
                .bigintPrimaryKey("id").attribute("title", Type.TEXT).build()).build();
        Domain second = Domain.builder("second").resources(Resource.builder("note").table("kept_two")
                .bigintPrimaryKey("id").attribute("title", Type.TEXT).build()).build();
        try (Ashlar one = Ashlar.builder().dataSource(db.dataSource()).domain(first).build();
             Ashlar two = Ashlar.builder().dataSource(db.dataSource()).domain(second).build()) {
            warm(() -> assertThat(one.get("note", 1L).get("title")).isEqualTo("one"));

            assertThat(two.get("note", 1L).get("title")).isEqualTo("two");
            assertThat(one.find("note", 2L)).isEmpty();
            assertThat(two.get("note", 2L).get("title")).isEqualTo("two only");
        }
    }

    @Test
    void aTransactionsGetSeesItsOwnUncommittedRowThroughTheKeptStatementAndNoReadAfterItsRollbackDoes() {
        try (Ashlar ashlar = migrated(NOTE)) {
            db.execute("INSERT INTO kept_notes (id, title) VALUES (1, 'committed')");
            warm(() -> assertThat(ashlar.get("note", 1L).get("title")).isEqualTo("committed"));

            assertThatThrownBy(() -> ashlar.transaction(tx -> {
                tx.create("note", Map.of("id", 2L, "title", "mine"));
                assertThat(tx.get("note", 2L).get("title")).isEqualTo("mine");
                throw new IllegalStateException("rolled back");
            })).hasMessage("rolled back");

            notFound(() -> ashlar.get("note", 2L));
            assertThat(db.query("SELECT id FROM kept_notes")).hasSize(1);
        }
    }

    @Test
    void aKeyOfTheWrongKindIsRefusedNamingTheResourceAndKeyFieldBeforeAndAfterTheStatementIsKept() {
        try (Ashlar ashlar = migrated(NOTE)) {
            db.execute("INSERT INTO kept_notes (id, title) VALUES (1, 'one')");
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> ashlar.get("note", "not a number")).isInstanceOf(QueryException.class)
                        .hasMessageContaining("note.id");
                ashlar.get("note", 1L);
            }
        }
    }

    @Test
    void aKeyPastTheIntegerColumnsRangeFindsNothingAfterTheStatementIsKept() {
        Resource car = Resource.builder("car").table("kept_cars").integerPrimaryKey("id")
                .attribute("plate", Type.TEXT).build();
        try (Ashlar ashlar = migrated(car)) {
            db.execute("INSERT INTO kept_cars (id, plate) VALUES (1, 'C-1')");
            warm(() -> assertThat(ashlar.get("car", 1L).get("plate")).isEqualTo("C-1"));

            assertThat(ashlar.find("car", 3_000_000_000L)).isEmpty();
            assertThat(ashlar.get("car", Map.of("id", 1)).get("plate")).isEqualTo("C-1");
        }
    }
}
