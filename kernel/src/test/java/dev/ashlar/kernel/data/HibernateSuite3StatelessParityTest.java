package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.NotFoundException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.resource.Type.BINARY;
import static dev.ashlar.api.resource.Type.CITEXT;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static dev.ashlar.api.resource.Type.UUID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/**
 * Hibernate ORM's {@code StatelessSession} tests ({@code hibernate-core/src/test/java/org/hibernate/orm/test/stateless})
 * restated on Ashlar, whose handle is stateless as that session is: insert, update, upsert, delete, get, refresh and
 * {@code getMultiple}, each asserted on the rows, {@code getMultiple} also from another tenant's side.
 */
class HibernateSuite3StatelessParityTest extends DomainDatabaseTest {
    record Document(String name, String text, Instant lastModified) {
        static final Table<Document> DOCUMENTS = Table.of("document", Document.class);
        static final TextField<Document> NAME = DOCUMENTS.attribute("name", Kind.TEXT, a -> a.primaryKey());
        static final TextField<Document> TEXT = DOCUMENTS.attribute("text", Kind.TEXT);
        static final Field<Document, Instant> LAST_MODIFIED = DOCUMENTS.attribute("last_modified", Kind.TIMESTAMPTZ,
                a -> a.defaultSql("clock_timestamp()").touchOnUpdate());
        static final Resource RESOURCE = DOCUMENTS.builder().table("documents").add(NAME, TEXT, LAST_MODIFIED).build();
    }

    record Paper(Integer id, String color) {
        static final Table<Paper> PAPERS = Table.of("paper", Paper.class);
        static final Field<Paper, Integer> ID = PAPERS.integerPrimaryKey("id");
        static final TextField<Paper> COLOR = PAPERS.attribute("color", Kind.TEXT);
        static final Resource RESOURCE = PAPERS.builder().table("papers").add(ID, COLOR).build();
    }

    /** {@code UpsertTest}'s and {@code GetMultipleTest}'s {@code Record}: a key the application assigns. */
    record Message(Long id, String message) {
        static final Table<Message> MESSAGES = Table.of("message", Message.class);
        static final Field<Message, Long> ID = MESSAGES.attribute("id", Kind.BIGINT, a -> a.primaryKey());
        static final TextField<Message> MESSAGE = MESSAGES.attribute("message", Kind.TEXT);
        static final Resource RESOURCE = MESSAGES.builder().table("messages").add(ID, MESSAGE).build();
    }

    HibernateSuite3StatelessParityTest() {
        super(Domain.builder("hibernate_suite3_stateless").extensions("citext")
                .resources(Document.RESOURCE, Paper.RESOURCE, Message.RESOURCE)
                .resource(Resource.builder("line").table("lines")
                        .attribute("order_id", INTEGER, a -> a.primaryKey())
                        .attribute("line_no", INTEGER, a -> a.primaryKey())
                        .attribute("item", TEXT)
                        .build())
                .resource(Resource.builder("note").table("stateless_notes").integerPrimaryKey("id")
                        .attribute("org", TEXT).attribute("body", TEXT).build())
                .resource(Resource.builder("shelf").table("stateless_shelves").integerPrimaryKey("id")
                        .attribute("label", TEXT).build())
                .resource(Resource.builder("stamp").table("stamps").attribute("at", TIMESTAMPTZ, a -> a.primaryKey())
                        .attribute("what", TEXT).build())
                .resource(Resource.builder("tag").table("tags").attribute("name", CITEXT, a -> a.primaryKey()).build())
                .resource(Resource.builder("blob").table("blobs").attribute("bytes", BINARY, a -> a.primaryKey())
                        .build())
                .resource(Resource.builder("token").table("tokens").attribute("id", UUID, a -> a.primaryKey())
                        .build())
                .build(), OneResourceTenancy.column("note", "org", false), OneResourceTenancy.schemas("shelf"));
    }

    @BeforeEach
    void emptyTables() {
        db.execute("TRUNCATE documents, papers, messages, lines, stateless_notes, stateless_shelves, stamps, tags, "
                + "blobs, tokens RESTART IDENTITY");
        db.execute("DROP SCHEMA IF EXISTS t_a CASCADE; DROP SCHEMA IF EXISTS t_b CASCADE");
        for (String tenant : List.of("t_a", "t_b")) {
            db.execute("CREATE SCHEMA " + tenant + "; CREATE TABLE " + tenant + ".stateless_shelves "
                    + "(LIKE public.stateless_shelves INCLUDING ALL)");
        }
    }

    /**
     * {@code StatelessSessionTest#testCreateUpdateReadDelete}: a document inserted with the key it names, updated
     * twice (its timestamp moving on), got by key and by a query, and deleted.
     */
    @Test
    void aRecordIsInsertedUpdatedReadByKeyAndQueryAndDeleted() {
        Document doc = ashlar.create(Document.DOCUMENTS, new Document("Blahs", "blah blah blah", null));
        assertThat(doc.lastModified()).isNotNull();

        Document edited = ashlar.update(Document.DOCUMENTS, new Document("Blahs", "blah blah blah .... blah",
                doc.lastModified()), Document.TEXT);
        assertThat(edited.lastModified()).isAfter(doc.lastModified());
        ashlar.update(Document.DOCUMENTS, edited, Document.TEXT.set("blah blah blah .... blah blay"));

        assertThat(ashlar.get(Document.DOCUMENTS, "Blahs").text()).isEqualTo("blah blah blah .... blah blay");
        assertThat(ashlar.read(Document.DOCUMENTS).where(Document.TEXT.notNil()).one().orElseThrow().name())
                .isEqualTo("Blahs");
        ashlar.destroy(Document.DOCUMENTS, edited);
        assertThat(db.query("SELECT count(*) AS n FROM documents").get(0).get("n")).isEqualTo(0L);
    }

    /** {@code StatelessSessionTest#testInitId}: an insert hands back the generated key, by which the record is deleted. */
    @Test
    void anInsertHandsBackItsGeneratedKeyByWhichTheRecordIsDeleted() {
        Paper paper = ashlar.create(Paper.PAPERS, new Paper(null, "White"));
        assertThat(paper.id()).isEqualTo(1);

        ashlar.destroy(Paper.PAPERS, ashlar.get(Paper.PAPERS, paper.id()));
        assertThat(ashlar.find(Paper.PAPERS, paper.id())).isEmpty();
        assertThatThrownBy(() -> ashlar.get(Paper.PAPERS, paper.id())).isInstanceOf(NotFoundException.class);
    }

    /** {@code StatelessSessionTest#testRefresh}: a record in hand is read again as another writer stored it. */
    @Test
    void aRefreshReadsWhatAnotherWriterStored() {
        Paper paper = ashlar.create(Paper.PAPERS, new Paper(null, "whtie"));
        ashlar.update(Paper.PAPERS, ashlar.get(Paper.PAPERS, paper.id()), Paper.COLOR.set("White"));

        assertThat(paper.color()).isEqualTo("whtie");
        assertThat(ashlar.refresh(Paper.PAPERS, paper)).isEqualTo(new Paper(paper.id(), "White"));
    }

    /** {@code StatelessSessionTest#testHqlBulk}: an update and a delete by query each count the rows they changed. */
    @Test
    void updatesAndDeletesByQueryCountTheRowsTheyChange() {
        ashlar.create(Document.DOCUMENTS, new Document("Blahs", "blah", null));
        ashlar.create(Paper.PAPERS, new Paper(null, "White"));

        assertThat(ashlar.read(Document.DOCUMENTS).where(Document.NAME.eq("Blahs"))
                .updateCount(Document.NAME.set("Foos"))).isEqualTo(1);
        assertThat(ashlar.read(Paper.PAPERS).updateCount(Paper.COLOR.set("Goldenrod"))).isEqualTo(1);
        assertThat(db.query("SELECT name FROM documents").get(0).get("name")).isEqualTo("Foos");

        assertThat(ashlar.read(Document.DOCUMENTS).destroyAll()).isEqualTo(1);
        assertThat(ashlar.read(Paper.PAPERS).destroyAll()).isEqualTo(1);
        assertThat(db.query("SELECT (SELECT count(*) FROM documents) + (SELECT count(*) FROM papers) AS n").get(0)
                .get("n")).isEqualTo(0L);
    }

    /**
     * {@code UpsertTest}: an upsert by primary key inserts a record with the key it gives, and a second one overwrites
     * it, leaving the others.
     */
    @Test
    void anUpsertByPrimaryKeyInsertsThenOverwritesTheRecord() {
        ashlar.upsert(Message.MESSAGES, List.of(new Message(123L, "hello earth"), new Message(456L, "hello mars")),
                Message.MESSAGES.primaryKey().updateAll());
        ashlar.upsert(Message.MESSAGES, new Message(123L, "goodbye earth"), Message.MESSAGES.primaryKey().updateAll());

        assertThat(db.query("SELECT id, message FROM messages ORDER BY id"))
                .extracting(r -> r.get("id") + " " + r.get("message"))
                .containsExactly("123 goodbye earth", "456 hello mars");
    }

    /**
     * {@code GetMultipleTest} ({@code StatelessSession.getMultiple}): the records of several keys in one read, in the
     * order of the keys, null for a key none has; typed, by name, and by a composite key's fields.
     */
    @Test
    void findMultipleGivesTheRecordsInTheOrderOfTheKeysWithNullForAMissingOne() {
        ashlar.upsert(Message.MESSAGES, List.of(new Message(123L, "hello earth"), new Message(456L, "hello mars")),
                Message.MESSAGES.primaryKey().updateAll());

        assertThat(ashlar.findMultiple(Message.MESSAGES, List.of(456L, 123L, 2L)))
                .containsExactly(new Message(456L, "hello mars"), new Message(123L, "hello earth"), null);
        assertThat(ashlar.findMultiple(Message.MESSAGES, List.of(123L, 2L, 456L)))
                .extracting(message -> message == null ? null : message.message())
                .containsExactly("hello earth", null, "hello mars");
        assertThat(ashlar.findMultiple(Message.MESSAGES, List.of())).isEmpty();

        ashlar.createAll("paper", List.of(Map.of("color", "White"), Map.of("color", "Blue")));
        assertThat(ashlar.findMultiple("paper", List.of(2L, 3, 1)))   // any whole number finds an integer key
                .extracting(row -> row == null ? null : row.get("color")).containsExactly("Blue", null, "White");

        ashlar.createAll("line", List.of(Map.of("order_id", 1, "line_no", 1, "item", "tea"),
                Map.of("order_id", 1, "line_no", 2, "item", "cake")));
        assertThat(ashlar.findMultiple("line", List.of(Map.of("order_id", 1, "line_no", 2),
                Map.of("order_id", 2, "line_no", 1), Map.of("order_id", 1, "line_no", 1))))
                .extracting(row -> row == null ? null : row.get("item")).containsExactly("cake", null, "tea");
    }

    /**
     * A key the server matches by value pairs with its record however it was given, as {@code find} finds it: a
     * moment at another offset than the one read back, citext in another case.
     */
    @Test
    void findMultiplePairsAMomentAtAnotherOffsetAndCitextInAnotherCaseWithTheirRecords() {
        db.execute("INSERT INTO stamps VALUES ('2024-01-31 10:00+00', 'noon in Paris'); "
                + "INSERT INTO tags VALUES ('abc')");
        OffsetDateTime atTwoHoursEast = OffsetDateTime.parse("2024-01-31T12:00:00+02:00");
        Row stamp = ashlar.find("stamp", atTwoHoursEast).orElseThrow();
        Row tag = ashlar.find("tag", "ABC").orElseThrow();

        assertSoftly(softly -> {
            softly.assertThat(ashlar.findMultiple("stamp", List.of(atTwoHoursEast,
                    OffsetDateTime.parse("2024-01-31T10:00:00Z"), Instant.parse("2024-01-31T10:00:01Z"))))
                    .containsExactly(stamp, stamp, null);
            softly.assertThat(ashlar.findMultiple("tag", List.of("ABC", "abc", "abd"))).containsExactly(tag, tag, null);
        });
    }

    /** Bytes pair with their record by their content, and a uuid given as upper-case text with its record. */
    @Test
    void findMultiplePairsBytesByContentAndAUuidAsUpperCaseTextWithTheirRecords() {
        db.execute("INSERT INTO blobs VALUES ('\\x0102'); "
                + "INSERT INTO tokens VALUES ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11')");
        Row blob = ashlar.find("blob", new byte[] {1, 2}).orElseThrow();
        String id = "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11";
        Row token = ashlar.find("token", id).orElseThrow();

        assertSoftly(softly -> {
            softly.assertThat(ashlar.findMultiple("blob", List.of(new byte[] {1, 2}, new byte[] {1})))
                    .containsExactly(blob, null);
            softly.assertThat(ashlar.findMultiple("token", List.of(id, id.toLowerCase(Locale.ROOT),
                    java.util.UUID.fromString(id)))).containsExactly(token, token, token);
        });
    }

    /** A row read before is a key, as {@code find} takes one: a refresh of rows in hand, one-column and composite. */
    @Test
    void findMultipleTakesRowsReadBeforeAsTheirKeys() {
        Row paper = ashlar.create("paper", Map.of("color", "White"));
        ashlar.createAll("line", List.of(Map.of("order_id", 1, "line_no", 1, "item", "tea"),
                Map.of("order_id", 1, "line_no", 2, "item", "cake")));
        Row line = ashlar.get("line", Map.of("order_id", 1, "line_no", 2));
        db.execute("UPDATE papers SET color = 'Blue'; UPDATE lines SET item = 'pie' WHERE line_no = 2");

        assertThat(ashlar.findMultiple("paper", List.of(paper))).extracting(row -> row.get("color"))
                .containsExactly("Blue");
        assertThat(ashlar.findMultiple("line", List.of(line, Map.of("order_id", 1, "line_no", 1))))
                .extracting(row -> row.get("item")).containsExactly("pie", "tea");
    }

    /** A null key, or a composite key's map lacking a field, is refused naming the resource, the field and the fix. */
    @Test
    void findMultipleRefusesANullKeyAndAKeyLackingAFieldNamingTheResource() {
        assertThatThrownBy(() -> ashlar.findMultiple("paper", Arrays.asList(1, null)))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("findMultiple of paper was given null as key 1, which gives no value for 'id'");
        assertThatThrownBy(() -> ashlar.findMultiple("line", List.of(Map.of("order_id", 1))))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("gives no value for 'line_no'; give the primary key's value, or a row or map of "
                        + "every field of it [order_id, line_no]");
    }

    /**
     * Tenant B asking for tenant A's keys gets nulls, under a tenant column and a schema per tenant, while A gets its
     * records.
     */
    @Test
    void anotherTenantsKeysFindNothingUnderATenantColumnAndASchemaPerTenant() {
        Ashlar a = ashlar.withTenant("t_a");
        Ashlar b = ashlar.withTenant("t_b");
        Row note = a.create("note", Map.of("body", "secret"));
        Row shelf = a.create("shelf", Map.of("label", "mine"));
        b.create("shelf", Map.of("label", "theirs"));

        assertThat(b.findMultiple("note", List.of(note.get("id")))).containsExactly((Row) null);
        assertThat(a.findMultiple("note", List.of(note.get("id")))).extracting(row -> row.get("body"))
                .containsExactly("secret");
        assertThat(b.findMultiple("shelf", List.of(shelf.get("id"), 2)))
                .extracting(row -> row == null ? null : row.get("label")).containsExactly("theirs", null);
        assertThat(a.findMultiple("shelf", List.of(shelf.get("id")))).extracting(row -> row.get("label"))
                .containsExactly("mine");
        assertThat(db.query("SELECT org, body FROM stateless_notes")).extracting(r -> r.get("org") + " "
                + r.get("body")).containsExactly("t_a secret");
    }
}
