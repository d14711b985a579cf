package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Table;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Writes by query over a read from a statement written by hand (jOOQ's {@code UPDATE ... FROM} a common table
 * expression, {@code DELETE} of the rows a {@code LATERAL} join keeps): the table's rows the read returns, after its
 * own filters, sorts and page, are written, and no other.
 */
class WriteFromStatementTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("write_from_statement")
            .resource(Resource.builder("author").table("wfs_authors").bigintPrimaryKey("id").attribute("name", TEXT)
                    .hasMany("books", "book").build())
            .resource(Resource.builder("book").table("wfs_books").bigintPrimaryKey("id").attribute("title", TEXT)
                    .attribute("stock", INTEGER).belongsTo("author", "author").build())
            .resource(Resource.builder("edition").table("wfs_editions")
                    .attribute("book_id", BIGINT, a -> a.primaryKey()).attribute("lang", TEXT, a -> a.primaryKey())
                    .attribute("copies", INTEGER).build())
            .build();

    record Book(Long id, String title, Integer stock, Long authorId) {
        static final Table<Book> BOOKS = Table.of("book", Book.class);
        static final Field<Book, Long> ID = BOOKS.bigintPrimaryKey("id");
        static final Field<Book, Integer> STOCK = BOOKS.attribute("stock", Kind.INTEGER);
    }

    /** Low stock: the books with fewer than ? copies, as a common table expression. */
    private static final String LOW_STOCK = "WITH low AS (SELECT * FROM wfs_books WHERE stock < ?) SELECT * FROM low";

    WriteFromStatementTest() {
        super(DOMAIN);
    }

    /** Orwell wrote books 1 (stock 2) and 2 (stock 30); Coelho book 3 (stock 1); Huxley none. */
    @BeforeEach
    void rows() {
        db.execute("TRUNCATE wfs_authors, wfs_books, wfs_editions RESTART IDENTITY");
        db.execute("INSERT INTO wfs_editions (book_id, lang, copies) VALUES (1, 'en', 5), (1, 'fr', 5), (2, 'en', 5), "
                + "(2, 'fr', 5)");
        db.execute("INSERT INTO wfs_authors (name) VALUES ('Orwell'), ('Coelho'), ('Huxley')");
        db.execute("INSERT INTO wfs_books (title, stock, author_id) VALUES ('1984', 2, 1), ('Animal Farm', 30, 1), "
                + "('O Alquimista', 1, 2)");
    }

    private String stock() {
        return (String) db.value("SELECT string_agg(id || ':' || stock, ',' ORDER BY id) FROM wfs_books");
    }

    @Test
    void anUpdateFromACommonTableExpressionRestocksTheBooksItReturnsAndReturnsThem() {
        // jOOQ: with("low").as(selectFrom(BOOK).where(BOOK.STOCK.lt(5))).update(BOOK).set(BOOK.STOCK,
        //       BOOK.STOCK.plus(10)).from(table(name("low"))).where(BOOK.ID.eq(field(name("low", "id")))).returning()
        List<Row> restocked = ashlar.read("book").from(LOW_STOCK, 5).updateAll(Map.of("stock", Atomic.add(10)));

        assertThat(restocked).extracting(row -> row.get("id") + ":" + row.get("stock"))
                .containsExactlyInAnyOrder("1:12", "3:11");
        assertThat(stock()).isEqualTo("1:12,2:30,3:11");
    }

    @Test
    void aDestroyOfTheRowsALateralJoinKeepsDeletesTheAuthorsWithoutBooksOnly() {
        // jOOQ: deleteFrom(AUTHOR).where(AUTHOR.ID.in(select(AUTHOR.ID).from(AUTHOR, lateral(selectCount()
        //       .from(BOOK).where(BOOK.AUTHOR_ID.eq(AUTHOR.ID))).as("c", "n")).where(field(name("c", "n")).eq(0))))
        int deleted = ashlar.read("author").from("SELECT a.* FROM wfs_authors a CROSS JOIN LATERAL (SELECT count(*) "
                + "AS n FROM wfs_books b WHERE b.author_id = a.id) AS c WHERE c.n = ?", 0).destroyAll();

        assertThat(deleted).isEqualTo(1);
        assertThat(db.value("SELECT string_agg(name, ',' ORDER BY id) FROM wfs_authors")).isEqualTo("Orwell,Coelho");
    }

    @Test
    void theReadsOwnFilterSortAndLimitChooseWhichOfTheStatementsRowsAreWritten() {
        int changed = ashlar.read("book").from(LOW_STOCK, 100).where(gt("stock", 1)).sort(Sort.desc("stock"))
                .limit(1).updateCount(Map.of("stock", 0));

        assertThat(changed).isEqualTo(1);
        assertThat(stock()).isEqualTo("1:2,2:0,3:1");
    }

    @Test
    void aDestroyReturningKeysFromAJoinStatementReturnsTheDeletedBooksKeys() {
        List<Row> keys = ashlar.read("book").from("SELECT b.* FROM wfs_books b JOIN wfs_authors a ON a.id = "
                + "b.author_id WHERE a.name = ?", "Orwell").destroyAll(dev.ashlar.kernel.data.Returning.KEYS);

        assertThat(keys).extracting(row -> row.get("id")).containsExactlyInAnyOrder(1L, 2L);
        assertThat(stock()).isEqualTo("3:1");
    }

    @Test
    void aTypedReadFromAStatementUpdatesAndDestroysItsRows() {
        List<Book> updated = ashlar.read(Book.BOOKS).from(LOW_STOCK, 5).updateAll(Book.STOCK.set(5));

        assertThat(updated).extracting(Book::id).containsExactlyInAnyOrder(1L, 3L);
        assertThat(ashlar.read(Book.BOOKS).from(LOW_STOCK, 100).where(Book.ID.eq(3L)).destroyAll()).isEqualTo(1);
        assertThat(stock()).isEqualTo("1:5,2:30");
    }

    @Test
    void aStatementReturningNoRowsWritesNothing() {
        assertThat(ashlar.read("book").from(LOW_STOCK, 0).updateAll(Map.of("stock", 0))).isEmpty();
        assertThat(ashlar.read("book").from(LOW_STOCK, 0).destroyAll()).isZero();

        assertThat(stock()).isEqualTo("1:2,2:30,3:1");
    }

    @Test
    void aStatementThatIsNotOneSelectIsStillRefusedNamingTheResourceAndWritesNothing() {
        assertThatThrownBy(() -> ashlar.read("book").from("DELETE FROM wfs_books RETURNING *")
                .updateAll(Map.of("stock", 0)))
                .isInstanceOf(QueryException.class).hasMessageContaining("a read of book")
                .hasMessageContaining("begins with 'delete'");
        assertThatThrownBy(() -> ashlar.read("book").from("WITH gone AS (DELETE FROM wfs_books RETURNING *) "
                + "SELECT * FROM gone").destroyAll())
                .isInstanceOf(AshlarException.class).hasMessageContaining("book");

        assertThat(stock()).isEqualTo("1:2,2:30,3:1");
    }

    @Test
    void aStatementMissingAColumnTheReadNeedsIsRefusedBeforeAnyWrite() {
        assertThatThrownBy(() -> ashlar.read("book").from("SELECT id, title FROM wfs_books").where(eq("stock", 2))
                .updateAll(Map.of("stock", 0)))
                .isInstanceOf(QueryException.class).hasMessageContaining("[stock]");

        assertThat(stock()).isEqualTo("1:2,2:30,3:1");
    }

    @Test
    void aStatementOverACompositeKeyWritesTheKeyPairsItReturnsNotTheirCrossedPairs() {
        // (1, en) and (2, fr) are returned: a write by each key column alone would reach (1, fr) and (2, en) too.
        int changed = ashlar.read("edition").from("SELECT * FROM wfs_editions WHERE (book_id, lang) IN ((?, ?), (?, ?))",
                1, "en", 2, "fr").updateCount(Map.of("copies", 0));
        int destroyed = ashlar.read("edition").from("SELECT * FROM wfs_editions WHERE copies = ?", 0).destroyAll();

        assertThat(changed).isEqualTo(2);
        assertThat(destroyed).isEqualTo(2);
        assertThat(db.value("SELECT string_agg(book_id || lang || ':' || copies, ',' ORDER BY book_id, lang) "
                + "FROM wfs_editions")).isEqualTo("1fr:5,2en:5");
    }

    @Test
    void aStatementReturningTheSameRowTwiceWritesItOnceAndReturnsItOnce() {
        // Each of Orwell's books joins both of his books, so it is returned twice.
        List<Row> updated = ashlar.read("book").from("SELECT b.* FROM wfs_books b JOIN wfs_books other "
                + "ON other.author_id = b.author_id").updateAll(Map.of("stock", Atomic.add(1)));

        assertThat(updated).extracting(row -> row.get("id")).containsExactlyInAnyOrder(1L, 2L, 3L);
        assertThat(stock()).isEqualTo("1:3,2:31,3:2");
    }

    @Test
    void aLimitOverAStatementReturningDuplicatesWritesOnlyTheRowsOfThePageRead() {
        // Sorted by id, the first two rows the join returns are book 1, twice: book 2 is past the page.
        int changed = ashlar.read("book").from("SELECT b.* FROM wfs_books b JOIN wfs_books other "
                + "ON other.author_id = b.author_id").sort(Sort.asc("id")).limit(2).updateCount(Map.of("stock", 0));

        assertThat(changed).isEqualTo(1);
        assertThat(stock()).isEqualTo("1:0,2:30,3:1");
    }
}
