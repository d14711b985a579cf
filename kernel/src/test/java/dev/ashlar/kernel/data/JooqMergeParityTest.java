package dev.ashlar.kernel.data;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;
import dev.ashlar.testing.RequiresPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.incoming;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * jOOQ's MERGE cases ({@code mergeInto(AUTHOR).using(...).on(...)} with {@code whenMatchedThenUpdate()},
 * {@code whenMatchedAnd(...).thenDelete()}, {@code whenNotMatchedThenInsert(...)}, {@code whenNotMatchedAnd(...)}),
 * restated on jOOQ's sample schema: authors by id, book stores' stock by a composite key.
 */
@RequiresPostgres(value = 15, reason = "MERGE")
class JooqMergeParityTest extends DomainDatabaseTest {
    static final Resource AUTHOR = Resource.builder("author").table("jooq_author").integerPrimaryKey("id")
            .attribute("first_name", Type.TEXT).attribute("last_name", Type.TEXT, a -> a.notNull()).build();
    static final Resource STOCK = Resource.builder("book_to_book_store").table("jooq_book_to_book_store")
            .integerPrimaryKey("id").attribute("name", Type.TEXT, a -> a.notNull())
            .attribute("book_id", Type.INTEGER, a -> a.notNull()).attribute("stock", Type.INTEGER).build();
    static final Domain DOMAIN = Domain.builder("jooq_merge").resources(AUTHOR, STOCK).build();

    JooqMergeParityTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void jooqsSampleRows() {
        db.execute("TRUNCATE jooq_author, jooq_book_to_book_store");
        db.execute("INSERT INTO jooq_author VALUES (1, 'George', 'Orwell'), (2, 'Paulo', 'Coelho')");
        db.execute("INSERT INTO jooq_book_to_book_store (id, name, book_id, stock) VALUES "
                + "(1, 'Orell Füssli', 1, 10), (2, 'Orell Füssli', 2, 10), (3, 'Ex Libris', 1, 1)");
    }

    private List<String> authors() {
        return db.query("SELECT id, first_name, last_name FROM jooq_author ORDER BY id").stream()
                .map(r -> r.get("id") + ":" + r.get("first_name") + ":" + r.get("last_name")).toList();
    }

    private List<String> stock() {
        return db.query("SELECT name, book_id, stock FROM jooq_book_to_book_store ORDER BY id").stream()
                .map(r -> r.get("name") + ":" + r.get("book_id") + ":" + r.get("stock")).toList();
    }

    private static Map<String, Object> author(int id, String first, String last) {
        return Map.of("id", id, "first_name", first, "last_name", last);
    }

    /** testMerge: whenMatchedThenUpdate().set(...).whenNotMatchedThenInsert(...), run twice. */
    @Test
    void aMergeInsertsTheFirstTimeAndUpdatesTheSecond() {
        Merge upsert = Merge.on("id").whenMatched().update("last_name").whenNotMatched().insert();

        ashlar.merge("author", List.of(author(3, "Hermann", "Hesse")), upsert);
        ashlar.merge("author", List.of(author(3, "Hermann", "Hesse-2")), upsert);

        assertThat(authors()).containsExactly("1:George:Orwell", "2:Paulo:Coelho", "3:Hermann:Hesse-2");
    }

    /** whenNotMatchedThenInsert(...) alone: an insert of the absent, the present left alone. */
    @Test
    void aMergeThatOnlyInsertsLeavesStoredRecordsAlone() {
        MergeResult result = ashlar.merge("author", List.of(author(1, "X", "Y"), author(4, "Alfred", "Döblin")),
                Merge.on("id").whenNotMatched().insert());

        assertThat(result.merged()).isEqualTo(1);
        assertThat(authors()).containsExactly("1:George:Orwell", "2:Paulo:Coelho", "4:Alfred:Döblin");
    }

    /** whenMatchedThenDelete(). */
    @Test
    void aMergeThatDeletesMatchedRecordsDeletesOnlyThose() {
        ashlar.merge("author", List.of(author(2, "", ""), author(9, "", "")), Merge.on("id").whenMatched().delete());

        assertThat(authors()).containsExactly("1:George:Orwell");
    }

    /** whenMatchedAnd(cond).thenDelete().whenMatchedThenUpdate(): the first clause a record meets acts on it. */
    @Test
    void theFirstClauseARecordMeetsActsAndLaterOnesDoNot() {
        ashlar.merge("author", List.of(author(1, "G.", "Orwell"), author(2, "P.", "Coelho")), Merge.on("id")
                .whenMatched(eq("first_name", "Paulo")).delete()
                .whenMatched().update("first_name"));

        assertThat(authors()).containsExactly("1:G.:Orwell");
    }

    /** A composite ON: mergeInto(BOOK_TO_BOOK_STORE).on(NAME.eq(...).and(BOOK_ID.eq(...))). */
    @Test
    void aMergeOnACompositeKeyMatchesEveryFieldOfIt() {
        ashlar.merge("book_to_book_store", List.of(Map.of("id", 4, "name", "Ex Libris", "book_id", 1, "stock", 5),
                Map.of("id", 5, "name", "Ex Libris", "book_id", 2, "stock", 3)), Merge.on("name", "book_id")
                .whenMatched().update("stock").whenNotMatched().insert());

        assertThat(stock()).containsExactly("Orell Füssli:1:10", "Orell Füssli:2:10", "Ex Libris:1:5", "Ex Libris:2:3");
    }

    /** whenMatchedAnd(STOCK.gt(source.STOCK)).thenUpdate(): the condition compares stored and incoming values. */
    @Test
    void aMatchedConditionComparesTheStoredValueWithTheIncomingOne() {
        ashlar.merge("book_to_book_store", List.of(Map.of("id", 0, "name", "Orell Füssli", "book_id", 1, "stock", 4),
                Map.of("id", 0, "name", "Ex Libris", "book_id", 1, "stock", 4)), Merge.on("name", "book_id")
                .whenMatched(gt("stock", incoming("stock"))).update("stock"));

        assertThat(stock()).containsExactly("Orell Füssli:1:4", "Orell Füssli:2:10", "Ex Libris:1:1");
    }

    /** whenNotMatchedAnd(cond).thenInsert(): the condition reads the source row. */
    @Test
    void aNotMatchedConditionInsertsOnlyTheSourceRowsMeetingIt() {
        ashlar.merge("book_to_book_store", List.of(Map.of("id", 6, "name", "Buchhandlung", "book_id", 1, "stock", 0),
                Map.of("id", 7, "name", "Buchhandlung", "book_id", 2, "stock", 2)), Merge.on("name", "book_id")
                .whenNotMatched(gt("stock", 0)).insert());

        assertThat(stock()).containsExactly("Orell Füssli:1:10", "Orell Füssli:2:10", "Ex Libris:1:1",
                "Buchhandlung:2:2");
    }
}
