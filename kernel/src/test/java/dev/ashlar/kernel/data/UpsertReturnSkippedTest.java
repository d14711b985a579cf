package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.kernel.data.Upsert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.incoming;
import static dev.ashlar.api.query.Filter.lt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Upserts that also return the stored records a conflict kept (Ash's {@code return_skipped_upsert?}). */
class UpsertReturnSkippedTest extends BlogDatabaseTest {

    @BeforeEach
    void authors() {
        db.execute("TRUNCATE authors RESTART IDENTITY");
        ashlar.create("author", Map.of("email", "ada@example.com", "name", "Ada", "age", 36));
        ashlar.create("author", Map.of("email", "bob@example.com", "name", "Bob", "age", 40));
    }

    private static List<String> namesAndAges(List<Row> rows) {
        return rows.stream().map(row -> row.getString("name") + " " + row.get("age")).toList();
    }

    @Test
    void aListUpsertThatKeepsStoredRecordsReturnsThemAsStoredAfterTheRecordsItWrote() {
        List<Row> rows = ashlar.upsert("author", List.of(
                Map.of("email", "ada@example.com", "name", "Ada L.", "age", 37),
                Map.of("email", "cy@example.com", "name", "Cy", "age", 20)),
                Upsert.on("unique_email").doNothing().returnSkipped());

        assertThat(namesAndAges(rows)).containsExactly("Cy 20", "Ada 36");
        assertThat(db.query("SELECT name FROM authors ORDER BY id")).extracting(r -> r.get("name"))
                .containsExactly("Ada", "Bob", "Cy");
    }

    /** Ada older (written), Bob younger (kept: the condition does not hold), Cy new (inserted); rows returned. */
    private List<Row> olderAdaAndBobAndNewCy() {
        return ashlar.upsert("author", List.of(
                Map.of("email", "ada@example.com", "name", "Ada L.", "age", 37),
                Map.of("email", "bob@example.com", "name", "Bobby", "age", 30),
                Map.of("email", "cy@example.com", "name", "Cy", "age", 20)),
                Upsert.on("unique_email").where(lt("age", incoming("age"))).returnSkipped());
    }

    @Test
    void aConditionalUpsertReturnsTheRecordsItUpdatedInsertedAndKept() {
        List<Row> rows = olderAdaAndBobAndNewCy();

        assertThat(namesAndAges(rows)).containsExactly("Ada L. 37", "Cy 20", "Bob 40");
        assertThat(db.value("SELECT name FROM authors WHERE email = 'bob@example.com'")).isEqualTo("Bob");
    }

    @Test
    void anUpsertOfOneRecordReturnsTheStoredRecordItKept() {
        Row kept = ashlar.upsert("author", Map.of("email", "bob@example.com", "name", "Bobby", "age", 30),
                Upsert.on("unique_email").where(lt("age", incoming("age"))).returnSkipped());
        Row untouched = ashlar.upsert("author", Map.of("email", "ada@example.com", "name", "Ann"),
                Upsert.on("unique_email").doNothing().returnSkipped());

        assertThat(namesAndAges(List.of(kept, untouched))).containsExactly("Bob 40", "Ada 36");
        assertThat(db.query("SELECT name FROM authors ORDER BY id")).extracting(r -> r.get("name"))
                .containsExactly("Ada", "Bob");
        assertThatThrownBy(() -> ashlar.upsert("author", Map.of("email", "ada@example.com"),
                Upsert.on("unique_email").doNothing()))
                .isInstanceOf(QueryException.class).hasMessageContaining("returnSkipped()");
    }

    @Test
    void eachReturnedRowSaysWhetherTheUpsertKeptItAsStored() {
        List<Row> rows = olderAdaAndBobAndNewCy();

        assertThat(rows).extracting(row -> row.getString("name") + ":" + row.upsertSkipped())
                .containsExactly("Ada L.:false", "Cy:false", "Bob:true");
    }

    @Test
    void anUpsertOfOneRecordMarksTheStoredRecordItKeptAsSkipped() {
        Row kept = ashlar.upsert("author", Map.of("email", "bob@example.com", "name", "Bobby", "age", 30),
                Upsert.on("unique_email").where(lt("age", incoming("age"))).returnSkipped());
        Row written = ashlar.upsert("author", Map.of("email", "ada@example.com", "name", "Ann", "age", 50),
                Upsert.on("unique_email").where(lt("age", incoming("age"))).returnSkipped());

        assertThat(kept.upsertSkipped()).isTrue();
        assertThat(kept.getString("name")).isEqualTo("Bob");
        assertThat(written.upsertSkipped()).isFalse();
        assertThat(db.value("SELECT name FROM authors WHERE email = 'ada@example.com'")).isEqualTo("Ann");
    }

    @Test
    void noRowIsSkippedWhenEveryRecordIsWrittenAndAReadRowIsNeverSkipped() {
        List<Row> rows = ashlar.upsert("author", List.of(
                Map.of("email", "ada@example.com", "name", "Ada", "age", 100),
                Map.of("email", "bob@example.com", "name", "Bob", "age", 200)),
                Upsert.on("unique_email").where(lt("age", incoming("age"))).returnSkipped());

        assertThat(rows).extracting(Row::upsertSkipped).containsExactly(false, false);
        assertThat(ashlar.read("author").list()).extracting(Row::upsertSkipped).containsOnly(false);
    }
}
