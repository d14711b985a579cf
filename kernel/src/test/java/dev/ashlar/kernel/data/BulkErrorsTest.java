package dev.ashlar.kernel.data;

import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.api.error.QueryException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bulk writes with {@link Bulk}: every record that can be stored is, and each one that cannot is reported. */
class BulkErrorsTest extends BlogDatabaseTest {

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE posts, authors RESTART IDENTITY CASCADE");
    }

    private static Map<String, Object> post(String title) {
        Map<String, Object> post = new HashMap<>();
        post.put("title", title);
        return post;
    }

    private List<Object> storedTitles() {
        return db.query("SELECT title FROM posts ORDER BY id").stream().map(row -> row.get("title")).toList();
    }

    @Test
    void storesEveryValidRecordAndReportsEachInvalidOneWithItsIndexAndField() {
        Map<String, Object> wrongType = post("typed");
        wrongType.put("rating", "five");
        List<Map<String, Object>> records = List.of(post("first"), post("a title far longer than twenty"), post("third"),
                post(null), wrongType, post("last"));

        BulkResult result = ashlar.createAll("post", records, Bulk.collectErrors());

        assertThat(result.rows()).extracting(row -> row.get("title")).containsExactly("first", "third", "last");
        assertThat(result.errors()).extracting(BulkResult.Failure::index).containsExactly(1, 3, 4);
        assertThat(result.errors()).extracting(f -> f.error().errors().get(0).field())
                .containsExactly("title", "title", "rating");
        assertThat(result.errors().get(2).record()).isSameAs(wrongType);
        assertThat(result.complete()).isFalse();
        assertThat(storedTitles()).containsExactly("first", "third", "last");
    }

    @Test
    void aBatchWithABadRecordIsWrittenAgainRecordByRecordAndTheOtherBatchesWhole() {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            records.add(post(i == 170 ? null : "post " + i));
        }

        BulkResult result = ashlar.createAll("post", records, Bulk.collectErrors().batchSize(100));

        assertThat(result.rows()).hasSize(249);
        assertThat(result.errors()).singleElement().extracting(BulkResult.Failure::index).isEqualTo(170);
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(249L);
        assertThat(result.rows().get(170).get("title")).isEqualTo("post 171");
    }

    @Test
    void stopOnErrorKeepsWhatCameBeforeTheFirstFailureAndCountsWhatWasNotTried() {
        List<Map<String, Object>> records = List.of(post("one"), post("two"), post(null), post("four"), post("five"));

        BulkResult result = ashlar.createAll("post", records, Bulk.collectErrors().batchSize(2).stopOnError());

        assertThat(result.rows()).extracting(row -> row.get("title")).containsExactly("one", "two");
        assertThat(result.errors()).extracting(BulkResult.Failure::index).containsExactly(2);
        assertThat(result.skipped()).isEqualTo(2);
        assertThat(storedTitles()).containsExactly("one", "two");
    }

    @Test
    void insideATransactionTheRecordsAreKeptOrRolledBackWithIt() {
        List<Map<String, Object>> records = List.of(post("kept"), post(null), post("also kept"));

        BulkResult result = ashlar.transaction(tx -> {
            BulkResult inner = tx.createAll("post", records, Bulk.collectErrors());
            tx.create("post", Map.of("title", "after"));
            return inner;
        });
        assertThat(result.errors()).hasSize(1);
        assertThat(storedTitles()).containsExactly("kept", "also kept", "after");

        assertThatThrownBy(() -> ashlar.inTransaction(tx -> {
            tx.createAll("post", List.of(post("gone"), post(null)), Bulk.collectErrors());
            throw new TransactionTest.Abort();
        })).isInstanceOf(TransactionTest.Abort.class);
        assertThat(storedTitles()).containsExactly("kept", "also kept", "after");
    }

    @Test
    void anUpsertReportsARecordThatBreaksAnotherIdentityAndWritesTheRest() {
        ashlar.create("author", Map.of("email", "ada@example.com", "handle", "ada"));
        List<Map<String, Object>> records = List.of(
                Map.of("email", "ada@example.com", "name", "Ada"),
                Map.of("email", "bob@example.com", "handle", "ada"),
                Map.of("email", "cy@example.com", "name", "Cy"));

        BulkResult result = ashlar.upsert("author", records, Upsert.on("unique_email"), Bulk.collectErrors());

        assertThat(result.rows()).extracting(row -> row.get("email")).containsExactly("ada@example.com", "cy@example.com");
        assertThat(result.errors()).singleElement().satisfies(failure -> {
            assertThat(failure.index()).isEqualTo(1);
            assertThat(failure.error()).isInstanceOf(InvalidDataException.class)
                    .hasMessageContaining("is taken by someone else");
        });
        assertThat(db.query("SELECT email, name FROM authors ORDER BY id")).extracting(row -> row.get("name"))
                .containsExactly("Ada", "Cy");
    }

    private static final Resource TALLY = Resource.builder("tally").table("bulk_tallies")
            .primaryKey("id")
            .attribute("org", TEXT, a -> a.notNull())
            .attribute("code", TEXT)
            .identity("unique_code", List.of("code"), null, true)
            .build();

    @Test
    void recordsNamingAnotherTenantOrMeetingItsRowAreReportedAndItsRowsAreNeitherWrittenNorChanged() {
        db.execute("DROP TABLE IF EXISTS bulk_tallies; CREATE TABLE bulk_tallies (id bigserial PRIMARY KEY, "
                + "org text NOT NULL, code text); CREATE UNIQUE INDEX ON bulk_tallies (code); "
                + "INSERT INTO bulk_tallies (org, code) VALUES ('b', 'B-1')");
        try (Ashlar tallies = Ashlar.builder().dataSource(db.dataSource())
                .domain(Domain.builder("tallies").resource(TALLY).build())
                .install(OneResourceTenancy.column("tally", "org", false)).build()) {
            Ashlar attacker = tallies.withTenant("a");

            BulkResult created = attacker.createAll("tally", List.of(Map.of("code", "A-1"),
                    Map.of("org", "b", "code", "B-2"), Map.of("code", "A-2")), Bulk.collectErrors());
            BulkResult upserted = attacker.upsert("tally", List.of(Map.of("code", "B-1"), Map.of("code", "A-3")),
                    Upsert.on("unique_code"), Bulk.collectErrors());

            assertThat(created.errors()).extracting(BulkResult.Failure::index).containsExactly(1);
            assertThat(upserted.errors()).extracting(BulkResult.Failure::index).containsExactly(0);
            assertThat(upserted.errors().get(0).error()).hasMessageContaining("has already been taken");
        }
        assertThat(db.query("SELECT org || ':' || code AS row FROM bulk_tallies ORDER BY code"))
                .extracting(row -> row.get("row")).containsExactly("a:A-1", "a:A-2", "a:A-3", "b:B-1");
    }

    @Test
    void aMistakeInTheWriteItselfStopsItRatherThanBeingReportedPerRecordNamingTheRecordsStoredBeforeIt() {
        Map<String, Object> unknownField = post("x");
        unknownField.put("no_such_field", 1);

        assertThatThrownBy(() -> ashlar.createAll("post", List.of(unknownField, post("a")), Bulk.collectErrors()))
                .isInstanceOf(QueryException.class).hasMessageContaining("no_such_field")
                .hasMessageNotContaining("stopped at");
        assertThatThrownBy(() -> Bulk.collectErrors().batchSize(0)).isInstanceOf(QueryException.class)
                .hasMessageContaining("at least 1");
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(0L);
        assertThatThrownBy(() -> ashlar.createAll("post", List.of(post("a"), unknownField), Bulk.collectErrors()))
                .isInstanceOf(QueryException.class).hasMessageContaining("no_such_field")
                .hasMessageContaining("stopped at record 1: ").hasMessageContaining("(1 stored, 0 refused")
                .hasMessageContaining("records.subList(1, 2)");
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(1L);
    }
}
