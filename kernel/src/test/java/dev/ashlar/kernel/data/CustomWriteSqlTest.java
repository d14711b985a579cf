package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.NotFoundException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.error.StaleRecordException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Policy;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.kernel.Ashlar;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.BOOLEAN;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Statements a resource's writes run in place of the data layer's own (Hibernate's {@code customsql} tests:
 * {@code @SQLInsert}, {@code @SQLUpdate}, {@code @SQLDelete}), on a real PostgreSQL: the rows they write checked in
 * SQL, the record returned as stored, counts other than one refused and undone, and the writes they cannot stand in for
 * refused naming the resource.
 */
class CustomWriteSqlTest extends DomainDatabaseTest {
    /** Hibernate's {@code CustomSQLTest} person: an insert that writes an extra column, and a soft delete. */
    static final Resource PERSON = Resource.builder("person").table("person").integerPrimaryKey("id")
            .attribute("name", TEXT)
            .attribute("valid", BOOLEAN)
            .baseFilter("valid IS TRUE", Filter.eq("valid", true))
            .createSql("INSERT INTO person (id, name, valid) VALUES (:id, :name, true)")
            .updateSql("UPDATE person SET name = upper(:name) WHERE id = :id")
            .destroySql("UPDATE person SET valid = false WHERE id = :id")
            .build();
    /** An insert calling a function, whose key the table generates and the statement returns. */
    static final Resource TAG = Resource.builder("tag").table("custom_tags").bigintPrimaryKey("id")
            .attribute("label", TEXT)
            .attribute("slug", TEXT)
            .createSql("INSERT INTO custom_tags (label, slug) VALUES (:label, custom_slug(:label)) RETURNING id")
            .build();
    /** Statements that change other than one row. */
    static final Resource COUNTED = Resource.builder("counted").table("counted").integerPrimaryKey("id")
            .attribute("name", TEXT)
            .createSql("INSERT INTO counted (id, name) SELECT :id, :name WHERE :name <> 'skip'")
            .updateSql("UPDATE counted SET name = :name")
            .destroySql("DELETE FROM counted WHERE id = :id AND name = 'never'")
            .build();
    /** A versioned resource whose update counts the version up by its mark. */
    static final Resource DOC = Resource.builder("doc").table("custom_docs").integerPrimaryKey("id")
            .attribute("title", TEXT)
            .attribute("lock_version", INTEGER)
            .attribute("hits", BIGINT)
            .optimisticLock("lock_version")
            .updateSql("UPDATE custom_docs SET title = :title, lock_version = :lock_version WHERE id = :id")
            .build();

    /** A soft-deleting resource with its own update, and its actors' policy on the same table. */
    static final Resource MEMO = Resource.builder("memo").table("custom_memos").integerPrimaryKey("id")
            .attribute("title", TEXT)
            .attribute("owner_id", BIGINT)
            .attribute("deleted_at", TIMESTAMPTZ)
            .softDelete("deleted_at")
            .updateSql("UPDATE custom_memos SET title = :title WHERE id = :id")
            .destroySql("DELETE FROM custom_memos WHERE id = :id")
            .build();
    /** The typed form: a table's builder takes the same statements. */
    record Label(Integer id, String text) {
        static final Table<Label> LABELS = Table.of("label", Label.class);
        static final Field<Label, Integer> ID = LABELS.integerPrimaryKey("id");
        static final TextField<Label> TEXT_FIELD = LABELS.attribute("text", Kind.TEXT);
        static final Resource RESOURCE = LABELS.builder().table("custom_labels").add(ID, TEXT_FIELD)
                .createSql("INSERT INTO custom_labels (id, text) VALUES (:id, trim(:text))")
                .updateSql("UPDATE custom_labels SET text = upper(:text) WHERE id = :id")
                .build();
    }

    static final Domain DOMAIN = Domain.builder("custom_write_sql").resources(PERSON, TAG, COUNTED, DOC, MEMO,
            Label.RESOURCE).build();

    CustomWriteSqlTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void rows() {
        db.execute("CREATE OR REPLACE FUNCTION custom_slug(text) RETURNS text LANGUAGE sql AS "
                + "$$ SELECT lower(replace($1, ' ', '-')) $$");
        db.execute("TRUNCATE person, custom_tags, counted, custom_docs, custom_memos, custom_labels RESTART IDENTITY");
        db.execute("INSERT INTO custom_memos (id, title, owner_id) VALUES (1, 'of 1', 1), (2, 'of 2', 2)");
        db.execute("INSERT INTO counted (id, name) VALUES (1, 'one'), (2, 'two')");
        db.execute("INSERT INTO custom_docs (id, title, lock_version, hits) VALUES (1, 'draft', 0, 0)");
    }

    /** {@code CustomSQLTest}: the custom insert writes the extra column, and the record comes back as stored. */
    @Test
    void aCreateRunsTheCustomInsertWhichWritesTheExtraColumn() {
        Row created = ashlar.create("person", Map.of("id", 1, "name", "Ada"));

        assertThat(created.get("valid")).isEqualTo(true);
        assertThat(created.get("name")).isEqualTo("Ada");
        assertThat(db.query("SELECT id, name, valid FROM person")).extracting(r -> r.get("id") + " " + r.get("name")
                + " " + r.get("valid")).containsExactly("1 Ada true");
    }

    /** An insert calling a function, with a key the table generates: the key comes from RETURNING. */
    @Test
    void aCreateWhoseStatementReturnsTheKeyReadsBackWhatTheFunctionStored() {
        Row created = ashlar.create("tag", Map.of("label", "Hello World"));

        assertThat(created.get("id")).isEqualTo(1L);
        assertThat(created.get("slug")).isEqualTo("hello-world");
        assertThat(db.query("SELECT slug FROM custom_tags WHERE id = 1").get(0).get("slug")).isEqualTo("hello-world");
        assertThat(ashlar.createAll("tag", List.of(Map.of("label", "B b"), Map.of("label", "C c"))))
                .extracting(r -> r.get("id") + " " + r.get("slug")).containsExactly("2 b-b", "3 c-c");
    }

    /** {@code createAll} runs the statement once a record, in one transaction: a failing record keeps none. */
    @Test
    void createAllRunsTheStatementForEachRecordAndKeepsNoneWhenOneFails() {
        List<Row> created = ashlar.createAll("person", List.of(Map.of("id", 1, "name", "a"),
                Map.of("id", 2, "name", "b")));

        assertThat(created).extracting(r -> r.get("id")).containsExactly(1, 2);
        assertThat(db.value("SELECT count(*) FROM person WHERE valid")).isEqualTo(2L);

        assertThatThrownBy(() -> ashlar.createAll("person", List.of(Map.of("id", 3, "name", "c"),
                Map.of("id", 1, "name", "again")))).isInstanceOf(InvalidDataException.class);
        assertThat(db.value("SELECT count(*) FROM person")).isEqualTo(2L);
    }

    /** {@code @SQLUpdate}: the custom update runs with the record's values after the changes; the reader sees upper. */
    @Test
    void anUpdateRunsTheCustomUpdateAndReturnsTheRecordAsStored() {
        Row ada = ashlar.create("person", Map.of("id", 1, "name", "Ada"));

        Row updated = ashlar.update(ada, Map.of("name", "Grace"));

        assertThat(updated.get("name")).isEqualTo("GRACE");
        assertThat(db.value("SELECT name FROM person WHERE id = 1")).isEqualTo("GRACE");
    }

    /** {@code @SQLDelete} as a soft delete: the row stays, marked, and the base filter then hides it. */
    @Test
    void aDestroyRunsTheCustomSoftDeleteAndTheBaseFilterThenHidesTheRecord() {
        Row ada = ashlar.create("person", Map.of("id", 1, "name", "Ada"));
        ashlar.create("person", Map.of("id", 2, "name", "Bob"));

        ashlar.destroy(ada);

        assertThat(db.value("SELECT valid FROM person WHERE id = 1")).isEqualTo(false);
        assertThat(ashlar.find("person", 1)).isEmpty();
        assertThat(ashlar.read("person").list()).extracting(r -> r.get("id")).containsExactly(2);
    }

    /** The row an update or destroy reaches is found in the handle's scope first: one the base filter hides is not. */
    @Test
    void aRecordTheBaseFilterHidesIsNotFoundByTheCustomUpdateOrDestroy() {
        Row ada = ashlar.create("person", Map.of("id", 1, "name", "Ada"));
        ashlar.destroy(ada);

        assertThatThrownBy(() -> ashlar.update(ada, Map.of("name", "back"))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> ashlar.destroy(ada)).isInstanceOf(NotFoundException.class);
        assertThat(db.value("SELECT name FROM person WHERE id = 1")).isEqualTo("Ada");
    }

    /** Typed records go through the same statements: the record returned is the one stored. */
    @Test
    void typedCreatesAndUpdatesRunTheTablesStatements() {
        Label created = ashlar.create(Label.LABELS, new Label(1, "  spaced  "));
        Label updated = ashlar.update(Label.LABELS, new Label(1, "shout"), Label.TEXT_FIELD);

        assertThat(created).isEqualTo(new Label(1, "spaced"));
        assertThat(updated).isEqualTo(new Label(1, "SHOUT"));
        assertThat(db.value("SELECT text FROM custom_labels WHERE id = 1")).isEqualTo("SHOUT");
    }

    /** A soft-deleted record is outside the scope the custom update locks in: it is not found, and stays as it was. */
    @Test
    void aSoftDeletedRecordIsNotFoundByTheCustomUpdate() {
        db.execute("UPDATE custom_memos SET deleted_at = now() WHERE id = 1");
        Row forged = Row.of("memo", Map.of("id", 1));

        assertThatThrownBy(() -> ashlar.update(forged, Map.of("title", "back"))).isInstanceOf(NotFoundException.class);
        assertThat(db.value("SELECT title FROM custom_memos WHERE id = 1")).isEqualTo("of 1");
    }

    /**
     * From the attacker's side of a policy: actor 2 may read every memo but change and destroy only its own, so its
     * update and destroy of actor 1's memo through the custom statements find nothing, and the row stays.
     */
    @Test
    void anActorOutsideTheUpdateAndDestroyPolicyChangesNothingThroughTheCustomStatements() {
        try (Ashlar policed = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN)
                .policies(Policy.on("memo").read(Policy.EVERY_ROW).update(actor -> Filter.eq("owner_id", actor.id()))
                        .destroy(actor -> Filter.eq("owner_id", actor.id()))).build()) {
            Ashlar attacker = policed.withUser(2L);
            Row others = attacker.get("memo", 1);

            assertThatThrownBy(() -> attacker.update(others, Map.of("title", "hacked")))
                    .isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> attacker.destroy(others)).isInstanceOf(NotFoundException.class);
            assertThat(attacker.update(attacker.get("memo", 2), Map.of("title", "mine")).get("title"))
                    .isEqualTo("mine");
        }
        assertThat(db.query("SELECT title FROM custom_memos ORDER BY id")).extracting(r -> r.get("title"))
                .containsExactly("of 1", "mine");
    }

    @Test
    void anActorFromWhomAFieldPolicyHidesAValueUpdatesAndDestroysThroughTheCustomStatementsWithoutSeeingIt() {
        try (Ashlar policed = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN)
                .policies(Policy.on("memo").read(Policy.EVERY_ROW).update(Policy.EVERY_ROW).destroy(Policy.EVERY_ROW)
                        .field("title", actor -> Filter.eq("owner_id", actor.id()))).build()) {
            Ashlar other = policed.withUser(2L);
            Row hidden = other.get("memo", 1);

            Row updated = other.update(hidden, Map.of("owner_id", 1L));     // :title binds the stored, unseen title

            assertThat(hidden.forbidden("title")).isTrue();
            assertThat(updated.forbidden("title")).isTrue();
            assertThat(db.query("SELECT title FROM custom_memos WHERE id = 1")).extracting(r -> r.get("title"))
                    .containsExactly("of 1");
            other.destroy(other.get("memo", 1));
        }
        assertThat(db.query("SELECT id FROM custom_memos ORDER BY id")).extracting(r -> r.get("id"))
                .containsExactly(2);
    }

    /** Hibernate's {@code ResultCheckStyle.COUNT}: an update changing two rows is refused naming the count, undone. */
    @Test
    void aCustomUpdateChangingTwoRowsIsRefusedNamingTheCountAndUndone() {
        Row one = ashlar.get("counted", 1);

        assertThatThrownBy(() -> ashlar.update(one, Map.of("name", "all"))).isInstanceOfSatisfying(
                DatabaseException.class, e -> {
                    assertThat(e.resource()).contains("counted");
                    assertThat(e.getMessage()).contains("updateSql", "changed 2 row(s)", "exactly one");
                });
        assertThat(db.query("SELECT name FROM counted ORDER BY id")).extracting(r -> r.get("name"))
                .containsExactly("one", "two");
    }

    /** In a batch of creates, one record the statement writes no row for is refused naming it; none is kept. */
    @Test
    void aBatchOfCustomCreatesWithOneWritingNoRowIsRefusedNamingTheRecordAndKeepsNone() {
        assertThatThrownBy(() -> ashlar.createAll("counted", List.of(Map.of("id", 3, "name", "three"),
                Map.of("id", 4, "name", "skip")))).isInstanceOf(DatabaseException.class)
                .hasMessageContaining("createSql").hasMessageContaining("changed 0 row(s) for record 2 of 2");
        assertThat(db.value("SELECT count(*) FROM counted")).isEqualTo(2L);
    }

    /** A destroy whose statement changes no row is refused naming the count; the row stays. */
    @Test
    void aCustomDestroyChangingNoRowIsRefusedNamingTheCount() {
        Row one = ashlar.get("counted", 1);

        assertThatThrownBy(() -> ashlar.destroy(one)).isInstanceOf(DatabaseException.class)
                .hasMessageContaining("destroySql").hasMessageContaining("changed 0 row(s)");
        assertThat(db.value("SELECT count(*) FROM counted")).isEqualTo(2L);
    }

    /** A wrong count inside the caller's transaction is undone to its savepoint, and the caller's own work goes on. */
    @Test
    void aWrongCountInsideTheCallersTransactionUndoesOnlyTheStatement() {
        ashlar.transaction(tx -> {
            tx.create("person", Map.of("id", 7, "name", "kept"));
            assertThatThrownBy(() -> tx.update(tx.get("counted", 1), Map.of("name", "all")))
                    .isInstanceOf(DatabaseException.class);
            return null;
        });

        assertThat(db.value("SELECT name FROM person WHERE id = 7")).isEqualTo("kept");
        assertThat(db.query("SELECT name FROM counted ORDER BY id")).extracting(r -> r.get("name"))
                .containsExactly("one", "two");
    }

    /** The version held is checked by the locked read, and the mark of the version takes the next one. */
    @Test
    void aVersionedCustomUpdateCountsTheVersionUpAndRefusesAStaleRecord() {
        Row doc = ashlar.get("doc", 1);

        Row updated = ashlar.update(doc, Map.of("title", "final"));

        assertThat(updated.get("lock_version")).isEqualTo(1);
        assertThat(db.value("SELECT lock_version FROM custom_docs")).isEqualTo(1);
        assertThatThrownBy(() -> ashlar.update(doc, Map.of("title", "stale"))).isInstanceOf(
                StaleRecordException.class);
        assertThat(db.value("SELECT title FROM custom_docs")).isEqualTo("final");
    }

    /** Writes the statements cannot stand in for are refused naming the resource and what to do; nothing changes. */
    @Test
    void writesTheCustomStatementsCannotStandInForAreRefusedNamingTheResource() {
        Row doc = ashlar.get("doc", 1);
        Row one = ashlar.get("counted", 1);
        List<ThrowingCallable> writes = List.of(
                () -> ashlar.read("doc").updateAll(Map.of("title", "x")),
                () -> ashlar.read("doc").updateCount(Map.of("title", "x")),
                () -> ashlar.updateAll(List.of(doc), Map.of("title", "x")),
                () -> ashlar.updateAll("doc", List.of(Map.of("id", 1, "title", "x"))),
                () -> ashlar.update(doc, Map.of("hits", Atomic.add(1))),
                () -> ashlar.read("counted").destroyAll(),
                () -> ashlar.destroyAll(List.of(one)),
                () -> ashlar.upsert("person", Map.of("id", 1, "name", "x"), Upsert.on(Upsert.PRIMARY_KEY)),
                () -> ashlar.create("tag", Map.of("label", Atomic.sql("'x'"))));

        writes.forEach(write -> assertThatThrownBy(write).isInstanceOfSatisfying(QueryException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_QUERY);
            assertThat(e.getMessage()).containsPattern("Resource '(doc|counted|person|tag)' writes with its own "
                    + "(create|update|destroy)Sql");
        }));
        assertThat(db.value("SELECT title FROM custom_docs")).isEqualTo("draft");
        assertThat(db.value("SELECT count(*) FROM counted")).isEqualTo(2L);
        assertThat(db.value("SELECT count(*) FROM person")).isEqualTo(0L);
    }

    /**
     * The marks take the record's values after the changes, so a change of the key would make {@code WHERE id = :id}
     * reach another record: it is refused naming the field, and neither record changes.
     */
    @Test
    void aChangeOfTheKeyIsRefusedAndTheRecordOfTheNewKeyStaysAsItWas() {
        Row ada = ashlar.create("person", Map.of("id", 1, "name", "Ada"));
        ashlar.create("person", Map.of("id", 2, "name", "Bob"));

        assertThatThrownBy(() -> ashlar.update(ada, Map.of("id", 2, "name", "Eve"))).isInstanceOfSatisfying(
                QueryException.class, e -> {
                    assertThat(e.resource()).contains("person");
                    assertThat(e.field()).contains("id");
                    assertThat(e.getMessage()).contains("updateSql", "key 'id'");
                });
        assertThat(db.query("SELECT id, name FROM person ORDER BY id")).extracting(r -> r.get("id") + " "
                + r.get("name")).containsExactly("1 Ada", "2 Bob");
    }

    /**
     * An actor whose policy lets it create but not read memos gets the created record back, as from the data layer's
     * own insert: the read back keeps to the tenant scope, not the read policy.
     */
    @Test
    void anActorWhoMayCreateButNotReadGetsTheCreatedRecordBack() {
        try (Ashlar policed = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN)
                .policies(Policy.on("tag").read(actor -> Filter.eq("label", "never")).create(Policy.EVERY_ROW))
                .build()) {
            Row created = policed.withUser(2L).create("tag", Map.of("label", "Drop Box"));

            assertThat(created.get("slug")).isEqualTo("drop-box");
            assertThatThrownBy(() -> policed.withUser(2L).get("tag", created.get("id")))
                    .isInstanceOf(NotFoundException.class);
        }
        assertThat(db.value("SELECT slug FROM custom_tags")).isEqualTo("drop-box");
    }

    /** A mark naming no attribute is refused when the resource is built, naming the resource and the mark. */
    @Test
    void aMarkNamingNoAttributeIsRefusedAtDefinition() {
        assertThatThrownBy(() -> Resource.builder("person").integerPrimaryKey("id").attribute("name", TEXT)
                .updateSql("UPDATE person SET name = :nmae WHERE id = :id").build())
                .isInstanceOfSatisfying(DefinitionException.class, e -> {
                    assertThat(e.resource()).contains("person");
                    assertThat(e.getMessage()).contains("updateSql", ":nmae", "[id, name]");
                });
    }

    /** A create statement that neither binds the key nor returns it could not be read back, and is refused. */
    @Test
    void aCreateStatementWithoutTheKeyOrReturningIsRefusedAtDefinition() {
        assertThatThrownBy(() -> Resource.builder("tag").bigintPrimaryKey("id").attribute("label", TEXT)
                .createSql("INSERT INTO tags (label) VALUES (:label)").build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("RETURNING id");
        assertThat(Resource.builder("tag").bigintPrimaryKey("id").attribute("label", TEXT)
                .createSql("insert into tags (label) values (:label) returning *").build().tableOptions()
                .writeStatements().create()).contains("returning");
    }
}
