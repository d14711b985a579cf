package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
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
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.resource.Type.BOOLEAN;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A create of a resource's records from a read or a statement written by hand (jOOQ's {@code insertInto(ARCHIVE)
 * .select(...)}): each row the source returns, with its filters and base filter, is created as a given record is, with
 * the table's keys and defaults and the resource's validations, all in one transaction with the read.
 */
class InsertSelectTest extends DomainDatabaseTest {
    record Archived(Long id, String name, Integer books) {
        static final Table<Archived> ARCHIVE = Table.of("author_archive", Archived.class);
        static final Field<Archived, Long> ID = ARCHIVE.bigintPrimaryKey("id");
        static final TextField<Archived> NAME = ARCHIVE.attribute("name", Kind.TEXT, a -> a.notNull().maxLength(8));
        static final Field<Archived, Integer> BOOKS = ARCHIVE.attribute("books", Kind.INTEGER);
        static final Resource RESOURCE = ARCHIVE.builder().table("ins_author_archive").add(ID, NAME, BOOKS)
                .timestamps().build();
    }

    record Author(Long id, String name, Boolean deceased, Integer books, Boolean hidden) {
        static final Table<Author> AUTHORS = Table.of("author", Author.class);
        static final Field<Author, Boolean> DECEASED = AUTHORS.attribute("deceased", Kind.BOOLEAN);
    }

    static final Domain DOMAIN = Domain.builder("insert_select")
            .resource(Resource.builder("author").table("ins_authors").bigintPrimaryKey("id").attribute("name", TEXT)
                    .attribute("deceased", BOOLEAN).attribute("books", INTEGER).attribute("hidden", BOOLEAN)
                    .baseFilter("NOT hidden", eq("hidden", false)).build())
            .resource(Archived.RESOURCE)
            .resource(Resource.builder("tally").table("ins_tallies").bigintPrimaryKey("tally_id")
                    .attribute("count", INTEGER).build())
            .build();

    InsertSelectTest() {
        super(DOMAIN);
    }

    /** Orwell and Huxley are deceased, Coelho is not; Kafka is deceased but hidden by the base filter. */
    @BeforeEach
    void rows() {
        db.execute("TRUNCATE ins_authors, ins_author_archive, ins_tallies RESTART IDENTITY");
        db.execute("INSERT INTO ins_authors (name, deceased, books, hidden) VALUES ('Orwell', true, 9, false), "
                + "('Coelho', false, 30, false), ('Huxley', true, 12, false), ('Kafka', true, 3, true)");
    }

    @Test
    void anInsertSelectWithReturningArchivesTheReadsRowsWithTheTablesKeysAndDefaults() {
        // jOOQ: insertInto(AUTHOR_ARCHIVE, AUTHOR_ARCHIVE.NAME, AUTHOR_ARCHIVE.BOOKS).select(select(AUTHOR.NAME,
        //       AUTHOR.BOOKS).from(AUTHOR).where(AUTHOR.DECEASED.isTrue())).returning().fetch()
        List<Row> archived = ashlar.createAll("author_archive", ashlar.read("author").where(eq("deceased", true))
                .sort(dev.ashlar.api.query.Sort.asc("id")), Map.of("name", "name", "books", "books"));

        assertThat(archived).extracting(row -> row.get("id") + ":" + row.get("name") + ":" + row.get("books"))
                .containsExactly("1:Orwell:9", "2:Huxley:12");
        assertThat(archived).allSatisfy(row -> assertThat(row.get("inserted_at")).isInstanceOf(Instant.class));
        assertThat(db.value("SELECT string_agg(id || ':' || name, ',' ORDER BY id) FROM ins_author_archive "
                + "WHERE inserted_at IS NOT NULL")).isEqualTo("1:Orwell,2:Huxley");
    }

    @Test
    void theSameNamedFormTakesTheFieldsBothDeclareAndCopiesTheReadsKeys() {
        List<Row> archived = ashlar.createAll("author_archive", ashlar.read("author").where(eq("name", "Coelho")));

        assertThat(archived).extracting(row -> row.get("id") + ":" + row.get("name") + ":" + row.get("books"))
                .containsExactly("2:Coelho:30");
        assertThat(db.value("SELECT count(*) FROM ins_author_archive")).isEqualTo(1L);
    }

    @Test
    void keysCopiedFromTheReadMoveTheTablesKeySequencePastThemSoLaterCreatesTakeNewKeys() {
        ashlar.createAll("author_archive", ashlar.read("author").where(eq("name", "Coelho")));

        Row first = ashlar.create("author_archive", Map.of("name", "New", "books", 1));
        Row second = ashlar.create("author_archive", Map.of("name", "Newer", "books", 2));

        assertThat((Long) first.get("id")).isGreaterThan(2L);
        assertThat((Long) second.get("id")).isGreaterThan((Long) first.get("id"));
        assertThat(db.value("SELECT count(*) FROM ins_author_archive")).isEqualTo(3L);
    }

    @Test
    void aStatementWithACommonTableExpressionIsArchivedByItsColumnNames() {
        List<Row> archived = ashlar.createAll("author_archive", ashlar.sql("WITH prolific AS (SELECT * FROM "
                + "ins_authors WHERE books > ?) SELECT name, books FROM prolific ORDER BY books DESC", 10));

        assertThat(archived).extracting(row -> row.get("name")).containsExactly("Coelho", "Huxley");
        assertThat(db.value("SELECT string_agg(name, ',' ORDER BY id) FROM ins_author_archive"))
                .isEqualTo("Coelho,Huxley");
    }

    @Test
    void aTypedReadIsArchivedAsTheRecordsTheFunctionMakes() {
        List<Archived> archived = ashlar.createAll(Archived.ARCHIVE, ashlar.read(Author.AUTHORS)
                .where(Author.DECEASED.eq(true)), a -> new Archived(null, a.name().toUpperCase(), a.books()));

        assertThat(archived).extracting(Archived::name).containsExactlyInAnyOrder("ORWELL", "HUXLEY");
        assertThat(archived).extracting(Archived::id).doesNotContainNull();
        assertThat(db.value("SELECT count(*) FROM ins_author_archive")).isEqualTo(2L);
    }

    @Test
    void theReadsBaseFilterHoldsSoAHiddenRowIsNotArchived() {
        ashlar.createAll("author_archive", ashlar.read("author"), Map.of("name", "name"));

        assertThat(db.value("SELECT count(*) FROM ins_author_archive WHERE name = 'Kafka'")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM ins_author_archive")).isEqualTo(3L);
    }

    @Test
    void aRowTheResourcesValidationRefusesCreatesNoneOfTheRows() {
        db.execute("UPDATE ins_authors SET name = 'Dostoyevsky' WHERE id = 3");

        assertThatThrownBy(() -> ashlar.createAll("author_archive", ashlar.read("author"), Map.of("name", "name")))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("name");

        assertThat(db.value("SELECT count(*) FROM ins_author_archive")).isEqualTo(0L);
    }

    @Test
    void badMapsAndSourcesAreRefusedNamingTheResourceAndTheFix() {
        assertThatThrownBy(() -> ashlar.createAll("author_archive", ashlar.read("author"), Map.of()))
                .isInstanceOf(QueryException.class).hasMessageContaining("A create of author_archive from a read "
                        + "of author takes no field").hasMessageContaining("Map.of(");
        assertThatThrownBy(() -> ashlar.createAll("author_archive", ashlar.read("author"), Map.of("name", "title")))
                .isInstanceOf(QueryException.class).hasMessageContaining("the field 'title' of author");
        assertThatThrownBy(() -> ashlar.createAll("tally", ashlar.read("author")))
                .isInstanceOf(QueryException.class).hasMessageContaining("A create of tally from a read of author "
                        + "takes the fields of both names, and they share none")
                .hasMessageContaining("createAll(\"tally\", read, Map.of(");
        assertThatThrownBy(() -> ashlar.createAll("author_archive", ashlar.sql("DELETE FROM ins_authors RETURNING "
                + "name")))
                .isInstanceOf(QueryException.class).hasMessageContaining("A create of author_archive from sql(")
                .hasMessageContaining("begins with 'delete'");
        assertThat(db.value("SELECT count(*) FROM ins_authors")).isEqualTo(4L);
        try (Ashlar other = Fixtures.ashlar(db, DOMAIN)) {
            assertThatThrownBy(() -> ashlar.createAll("author_archive", other.read("author")))
                    .isInstanceOf(QueryException.class)
                    .hasMessageContaining("A create of author_archive reads author through another Ashlar");
        }

        assertThat(db.value("SELECT count(*) FROM ins_author_archive")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM ins_tallies")).isEqualTo(0L);
    }
}
