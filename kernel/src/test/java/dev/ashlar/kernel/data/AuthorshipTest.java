package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Who created and who last modified a record ({@code createdBy(...)}, {@code modifiedBy(...)}; Ebean's {@code
 * @WhoCreated}/{@code @WhoModified}, Spring Data's {@code @CreatedBy}/{@code @LastModifiedBy}), filled from the user a
 * handle acts for ({@code ashlar.withUser(user)}).
 */
class AuthorshipTest extends DomainDatabaseTest {
    private static final Domain DOMAIN = Domain.builder("desk").resource(Resource.builder("ticket").table("tickets")
                    .integerPrimaryKey("id").attribute("title", Type.TEXT)
                    .attribute("slug", Type.TEXT, a -> a.notNull()).identity("unique_slug", "slug")
                    .attribute("created_by", Type.TEXT).attribute("modified_by", Type.TEXT)
                    .createdBy("created_by").modifiedBy("modified_by").build())
            .resource(Resource.builder("note").table("notes").integerPrimaryKey("id").attribute("body", Type.TEXT)
                    .attribute("author", Type.UUID).createdBy("author").build())
            .resource(Resource.builder("memo").table("memos").integerPrimaryKey("id").attribute("body", Type.TEXT)
                    .attribute("signed_by", Type.TEXT, a -> a.notNull()).createdBy("signed_by").build())
            .resource(Resource.builder("tag").table("tags").integerPrimaryKey("id").attribute("name", Type.TEXT).build())
            .build();

    AuthorshipTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void populated() {
        db.execute("TRUNCATE tickets, notes, memos, tags RESTART IDENTITY");
        db.execute("INSERT INTO tickets (title, slug, created_by, modified_by) "
                + "SELECT 'old ' || i, 'old-' || i, 'seed', 'seed' FROM generate_series(1, 20) i");
    }

    @Test
    void createsNameTheHandlesUserAsCreatorAndLastWriterOverAnyValueGiven() {
        Ashlar ada = ashlar.withUser("ada");

        Row one = ada.create("ticket", Map.of("title", "one", "slug", "one", "created_by", "mallory"));
        List<Row> more = ada.createAll("ticket", List.of(Map.of("title", "two", "slug", "two"),
                Map.of("title", "three", "slug", "three")));
        Row inTransaction = ada.transaction(tx -> tx.create("ticket", Map.of("title", "four", "slug", "four")));

        assertThat(one.getString("created_by")).isEqualTo("ada");
        assertThat(more).extracting(r -> r.getString("created_by") + "/" + r.getString("modified_by"))
                .containsExactly("ada/ada", "ada/ada");
        assertThat(inTransaction.getString("modified_by")).isEqualTo("ada");
        assertThat(db.value("SELECT count(*) FROM tickets WHERE created_by = 'ada' AND modified_by = 'ada'"))
                .isEqualTo(4L);
        assertThat(db.value("SELECT count(*) FROM tickets WHERE created_by = 'seed' AND modified_by = 'seed'"))
                .isEqualTo(20L);
    }

    @Test
    void everyUpdateNamesItsUserAsLastWriterAndLeavesTheCreator() {
        Ashlar bob = ashlar.withUser("bob");

        Row byKey = bob.update(ashlar.get("ticket", 1), Map.of("title", "by key"));
        bob.read("ticket").where(Filter.in("id", List.of(2, 3))).updateAll(Map.of("title", "by query"));
        bob.read("ticket").where(Filter.eq("id", 4)).updateCount(Map.of("title", "counted"));
        bob.updateAll(List.of(ashlar.get("ticket", 5)), Map.of("title", "in hand"));
        bob.updateAll("ticket", List.of(Map.of("id", 6, "title", "each"), Map.of("id", 7, "title", "each")));

        assertThat(byKey.getString("modified_by")).isEqualTo("bob");
        assertThat(db.query("SELECT id, created_by, modified_by FROM tickets WHERE modified_by = 'bob' ORDER BY id"))
                .extracting(r -> r.get("id") + ":" + r.get("created_by")).containsExactly("1:seed", "2:seed",
                        "3:seed", "4:seed", "5:seed", "6:seed", "7:seed");
        assertThat(db.value("SELECT count(*) FROM tickets WHERE modified_by = 'seed'")).isEqualTo(13L);
    }

    @Test
    void anUpsertNamesItsUserAsLastWriterOfWhatItOverwritesAndAsCreatorOfWhatItInsertsOnly() {
        Ashlar carol = ashlar.withUser("carol");

        carol.upsert("ticket", List.of(Map.of("slug", "old-1", "title", "overwritten"),
                Map.of("slug", "new", "title", "inserted")), Upsert.on("unique_slug"));
        carol.upsert("ticket", List.of(Map.of("slug", "old-2", "title", "named")),
                Upsert.on("unique_slug").update("title"));

        assertThat(db.query("SELECT slug, title, created_by, modified_by FROM tickets "
                + "WHERE modified_by = 'carol' ORDER BY slug"))
                .extracting(r -> r.get("slug") + ":" + r.get("title") + ":" + r.get("created_by"))
                .containsExactly("new:inserted:carol", "old-1:overwritten:seed", "old-2:named:seed");
    }

    @Test
    void anUpdateThatChangesTheCreatorIsRefusedNamingTheFieldAndWritesNothing() {
        Ashlar bob = ashlar.withUser("bob");

        assertThatThrownBy(() -> bob.update(ashlar.get("ticket", 1), Map.of("created_by", "mallory")))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).contains("created_by"))
                .hasMessageContaining("leave 'created_by' out of the changes");
        assertThatThrownBy(() -> ashlar.read("ticket").updateAll(Map.of("created_by", "mallory")))
                .isInstanceOf(QueryException.class).hasMessageContaining("created_by");
        assertThatThrownBy(() -> bob.upsert("ticket", Map.of("slug", "old-1", "title", "t", "created_by", "mallory"),
                Upsert.on("unique_slug").update("title", "created_by")))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).contains("created_by"))
                .hasMessageContaining("leave 'created_by' out");
        assertThatThrownBy(() -> bob.upsert("ticket", Map.of("slug", "old-1", "title", "t"),
                Upsert.on("unique_slug").set("created_by", Atomic.sql("'mallory'"))))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).contains("created_by"));
        assertThat(db.value("SELECT count(*) FROM tickets WHERE created_by = 'seed'")).isEqualTo(20L);
        assertThat(db.value("SELECT count(*) FROM tickets WHERE modified_by = 'bob' OR title = 't'")).isEqualTo(0L);
    }

    @Test
    void recordsReadBackAndWrittenTogetherKeepTheirStoredCreator() {
        Ashlar bob = ashlar.withUser("bob");
        List<Map<String, Object>> edited = ashlar.read("ticket").where(Filter.in("id", List.of(1, 2))).list().stream()
                .map(row -> {
                    Map<String, Object> record = new java.util.LinkedHashMap<>(row.toMap());
                    record.put("title", "edited " + row.get("id"));
                    record.put("created_by", row.get("id").equals(2) ? "mallory" : row.get("created_by"));
                    return record;
                }).toList();

        List<Row> written = bob.updateAll("ticket", edited);

        assertThat(written).extracting(r -> r.get("title") + ":" + r.get("created_by") + ":" + r.get("modified_by"))
                .containsExactly("edited 1:seed:bob", "edited 2:seed:bob");
        assertThat(db.value("SELECT count(*) FROM tickets WHERE created_by = 'seed'")).isEqualTo(20L);
    }

    @Test
    void aPlainHandleInsideAUsersCallbackActsForNoUser() {
        Ashlar ada = ashlar.withUser("ada");

        ada.read("ticket").where(Filter.eq("id", 3)).forEach(row -> ashlar.update(row, Map.of("title", "in each")));
        ada.read("ticket").where(Filter.eq("id", 4)).forEach(row -> ashlar.create("ticket",
                Map.of("title", "plain", "slug", "plain")));

        assertThat(db.query("SELECT title, modified_by FROM tickets WHERE id = 3"))
                .containsExactly(Map.of("title", "in each", "modified_by", "seed"));
        assertThat(db.value("SELECT count(*) FROM tickets WHERE slug = 'plain' AND created_by IS NULL "
                + "AND modified_by IS NULL")).isEqualTo(1L);
    }

    @Test
    void aHandleWithoutAUserLeavesTheFieldsAsGivenOrStored() {
        Row imported = ashlar.create("ticket", Map.of("title", "imported", "slug", "imp", "created_by", "importer"));
        Row updated = ashlar.update(ashlar.get("ticket", 1), Map.of("title", "by a job"));

        assertThat(imported.getString("created_by")).isEqualTo("importer");
        assertThat(imported.getString("modified_by")).isNull();
        assertThat(updated.getString("modified_by")).isEqualTo("seed");
        assertThatThrownBy(() -> ashlar.withUser(null)).isInstanceOf(QueryException.class)
                .hasMessageContaining("withUser(null)");
    }

    @Test
    void theUserIsBoundAsAValueOfTheAttributesType() {
        UUID id = UUID.randomUUID();
        String hostile = "x'); DROP TABLE notes; --";

        Row note = ashlar.withUser(id).create("note", Map.of("body", "typed"));
        Row ticket = ashlar.withUser(hostile).create("ticket", Map.of("title", "t", "slug", "hostile"));

        assertThat(note.get("author")).isEqualTo(id);
        assertThat(db.value("SELECT created_by FROM tickets WHERE slug = 'hostile'")).isEqualTo(hostile);
        assertThat(ticket.getString("modified_by")).isEqualTo(hostile);
        assertThatThrownBy(() -> ashlar.withUser("not a uuid").create("note", Map.of("body", "x")))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors())
                        .anySatisfy(error -> assertThat(error.field()).isEqualTo("author")));
    }

    @Test
    void theBuildersCurrentUserIsAskedByEveryWriteOfAHandleWithoutOne() {
        AtomicReference<String> signedIn = new AtomicReference<>("dora");
        try (Ashlar app = withCurrentUser(signedIn::get)) {
            app.create("ticket", Map.of("title", "one", "slug", "one", "created_by", "mallory"));
            app.createAll("ticket", List.of(Map.of("title", "two", "slug", "two")));
            signedIn.set("eve");
            app.update(app.get("ticket", 1), Map.of("title", "by key"));
            app.read("ticket").where(Filter.eq("id", 2)).updateAll(Map.of("title", "by query"));
            app.transaction(tx -> tx.upsert("ticket", List.of(Map.of("slug", "old-3", "title", "over"),
                    Map.of("slug", "three", "title", "new")), Upsert.on("unique_slug")));

            assertThat(db.query("SELECT slug, created_by, modified_by FROM tickets "
                    + "WHERE created_by <> 'seed' OR modified_by <> 'seed' ORDER BY slug"))
                    .extracting(r -> r.get("slug") + ":" + r.get("created_by") + "/" + r.get("modified_by"))
                    .containsExactly("old-1:seed/eve", "old-2:seed/eve", "old-3:seed/eve", "one:dora/dora",
                            "three:eve/eve", "two:dora/dora");
        }
    }

    @Test
    void aHandlesOwnUserWinsOverTheBuildersAndTheSupplierIsAskedOncePerWrite() {
        AtomicInteger asked = new AtomicInteger();
        try (Ashlar app = withCurrentUser(() -> "dora#" + asked.incrementAndGet())) {
            app.withUser("ada").create("ticket", Map.of("title", "t", "slug", "by-ada"));
            app.withUser("ada").upsert("ticket", Map.of("slug", "old-1", "title", "t"), Upsert.on("unique_slug"));
            app.read("ticket").where(Filter.eq("id", 2)).list();
            assertThat(asked).hasValue(0);

            app.upsert("ticket", List.of(Map.of("slug", "old-4", "title", "t"), Map.of("slug", "four", "title", "t")),
                    Upsert.on("unique_slug"));
            app.update(app.get("ticket", 5), Map.of("title", "t"));

            assertThat(asked).hasValue(2);
            assertThat(db.query("SELECT slug, created_by, modified_by FROM tickets "
                    + "WHERE created_by <> 'seed' OR modified_by <> 'seed' ORDER BY slug"))
                    .extracting(r -> r.get("slug") + ":" + r.get("created_by") + "/" + r.get("modified_by"))
                    .containsExactly("by-ada:ada/ada", "four:dora#1/dora#1", "old-1:seed/ada", "old-4:seed/dora#1",
                            "old-5:seed/dora#2");
        }
    }

    @Test
    void aCurrentUserOfNullIsNoUserAndANotNullCreatorThenRefusesTheWrite() {
        try (Ashlar app = withCurrentUser(() -> null)) {
            Row imported = app.create("ticket", Map.of("title", "t", "slug", "imp", "created_by", "importer"));
            app.update(app.get("ticket", 1), Map.of("title", "by a job"));

            assertThat(imported.getString("created_by")).isEqualTo("importer");
            assertThat(imported.getString("modified_by")).isNull();
            assertThat(db.value("SELECT modified_by FROM tickets WHERE id = 1")).isEqualTo("seed");
            assertThatThrownBy(() -> app.create("memo", Map.of("body", "unsigned")))
                    .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors())
                            .anySatisfy(error -> assertThat(error.field()).isEqualTo("signed_by")));
            assertThat(db.value("SELECT count(*) FROM memos")).isEqualTo(0L);
        }
    }

    @Test
    void aCurrentUserSupplierThatThrowsFailsTheWritesThatNeedItNamingItAndWritesNothing() {
        try (Ashlar app = withCurrentUser(() -> {
            throw new IllegalStateException("no session");
        })) {
            assertThatThrownBy(() -> app.create("ticket", Map.of("title", "t", "slug", "new")))
                    .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code())
                            .isEqualTo(ErrorCode.INVALID_QUERY))
                    .hasMessageContaining("currentUser(...)").hasMessageContaining("no session")
                    .hasCauseInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> app.transaction(tx -> {
                tx.withUser("ada").create("ticket", Map.of("title", "t", "slug", "in-tx"));
                return tx.update(tx.get("ticket", 1), Map.of("title", "changed"));
            })).hasMessageContaining("currentUser(...)");
            assertThatThrownBy(() -> app.upsert("ticket", Map.of("slug", "old-2", "title", "changed"),
                    Upsert.on("unique_slug"))).hasMessageContaining("currentUser(...)");

            assertThat(app.withUser("ada").create("ticket", Map.of("title", "t", "slug", "ok")).getString("created_by"))
                    .isEqualTo("ada");
            Row tag = app.create("tag", Map.of("name", "unauthored"));
            app.update(tag, Map.of("name", "still unauthored"));
            assertThat(db.value("SELECT name FROM tags")).isEqualTo("still unauthored");
            assertThat(app.read("ticket").list()).hasSize(21);
            assertThat(db.value("SELECT count(*) FROM tickets WHERE title LIKE 'old %' AND modified_by = 'seed'"))
                    .isEqualTo(20L);
        }
    }

    @Test
    void aNullCurrentUserSupplierIsRefusedWhenTheBuilderIsGivenIt() {
        assertThatThrownBy(() -> Ashlar.builder().currentUser(null)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("users");
    }

    private Ashlar withCurrentUser(Supplier<?> users) {
        return Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN).currentUser(users).build();
    }

    @Test
    void aCreatorOrLastWriterNamingNoAttributeIsRefusedWhenTheDomainIsBuilt() {
        assertThatThrownBy(() -> Domain.builder("d").resource(Resource.builder("thing").integerPrimaryKey("id")
                .modifiedBy("editor").build()).build())
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.getMessage())
                        .contains("resource 'thing', 'editor'", "modifiedBy(\"editor\")", "no such attribute"));
    }
}
