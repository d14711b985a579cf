package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.spi.plugin.QueryContext;
import dev.ashlar.spi.plugin.SchemaAdmin;
import dev.ashlar.spi.plugin.WriteEvent;
import dev.ashlar.spi.plugin.WriteListener;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.error.InvalidDataException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UpsertTest extends BlogDatabaseTest {
    private Row ann;

    @BeforeEach
    void twoAuthors() {
        db.execute("TRUNCATE authors RESTART IDENTITY");
        ann = ashlar.create("author", Map.of("email", "ann@example.com", "name", "Ann", "age", 30));
        ashlar.create("author", Map.of("email", "bob@example.com", "name", "Bob", "age", 40));
    }

    @Test
    void insertsNewRecordsAndUpdatesThoseWhoseIdentityIsTaken() {
        List<Row> rows = ashlar.upsert("author", List.of(
                Map.of("email", "ann@example.com", "name", "Ann B.", "age", 31),
                Map.of("email", "cid@example.com", "name", "Cid", "age", 50)), Upsert.on("unique_email"));

        assertThat(rows).extracting(r -> r.getString("name")).containsExactly("Ann B.", "Cid");
        assertThat(rows.get(0).getLong("id")).isEqualTo(ann.getLong("id"));
        assertThat(db.query("SELECT email, name, age FROM authors ORDER BY email"))
                .extracting(r -> r.get("email") + ":" + r.get("name") + ":" + r.get("age"))
                .containsExactly("ann@example.com:Ann B.:31", "bob@example.com:Bob:40", "cid@example.com:Cid:50");
    }

    @Test
    void returnsOnlyTheKeysWhenAskedTo() {
        List<Row> rows = ashlar.upsert("author", List.of(
                Map.of("email", "ann@example.com", "name", "Ann C."),
                Map.of("email", "eve@example.com", "name", "Eve")), Upsert.on("unique_email"), Returning.KEYS);

        assertThat(rows).allSatisfy(row -> assertThat(row.fields()).containsExactly("id"));
        assertThat(rows.get(0).getLong("id")).isEqualTo(ann.getLong("id"));
        assertThat(db.value("SELECT name FROM authors WHERE id = " + rows.get(1).getLong("id"))).isEqualTo("Eve");
        assertThat(db.value("SELECT name FROM authors WHERE email = 'ann@example.com'")).isEqualTo("Ann C.");
    }

    @Test
    void createAllReturnsOnlyTheKeysWhenAskedTo() {
        List<Row> rows = ashlar.createAll("author", List.of(Map.of("email", "fay@example.com", "name", "Fay"),
                Map.of("email", "gil@example.com", "name", "Gil")), Returning.KEYS);

        assertThat(rows).allSatisfy(row -> assertThat(row.fields()).containsExactly("id"));
        assertThat(rows).extracting(r -> db.value("SELECT email FROM authors WHERE id = " + r.getLong("id")))
                .containsExactly("fay@example.com", "gil@example.com");
    }

    @Test
    void pluginsThatActAfterWritesStillSeeWholeRecordsWhenTheCallerAsksForKeys() {
        NameWatcher watcher = new NameWatcher();
        try (Ashlar watched = Fixtures.ashlar(db, Fixtures.BLOG, watcher)) {
            List<Row> rows = watched.createAll("author", List.of(Map.of("email", "hal@example.com", "name", "Hal")),
                    Returning.KEYS);

            assertThat(rows).singleElement().satisfies(row -> assertThat(row.fields()).containsExactly("id"));
        }
        assertThat(watcher.seen).containsExactly("Hal");
    }

    /** Remembers the name of every record written. */
    private static final class NameWatcher implements AshlarPlugin, WriteListener {
        final List<String> seen = new ArrayList<>();

        @Override
        public String id() {
            return "name-watcher";
        }

        @Override
        public void afterWrite(WriteEvent event, QueryContext context, SchemaAdmin schemas) {
            seen.add(event.record().getString("name"));
        }
    }

    @Test
    void updatesOnlyTheFieldsItNames() {
        ashlar.upsert("author", List.of(Map.of("email", "bob@example.com", "name", "Robert", "age", 99)),
                Upsert.on("unique_email").update("name"));

        assertThat(db.value("SELECT name || ':' || age FROM authors WHERE email = 'bob@example.com'"))
                .isEqualTo("Robert:40");
    }

    @Test
    void anUpsertOnThePrimaryKeyUpdatesRecordsThatGiveAStoredKeyAndInsertsTheOthers() {
        Object bob = db.value("SELECT id FROM authors WHERE email = 'bob@example.com'");

        List<Row> written = ashlar.upsert("author", List.of(Map.of("id", bob, "email", "bob@example.com",
                "name", "Robert", "age", 41), Map.of("id", 900, "email", "new@example.com", "name", "New")),
                Upsert.onPrimaryKey());

        assertThat(written).extracting(r -> r.getString("name")).containsExactly("Robert", "New");
        assertThat(db.value("SELECT name || ':' || age FROM authors WHERE id = " + bob)).isEqualTo("Robert:41");
        assertThat(db.value("SELECT email FROM authors WHERE id = 900")).isEqualTo("new@example.com");
    }

    @Test
    void anUpdatedFieldThatARecordDoesNotGiveIsRefusedAndTheStoredValueKept() {
        assertThatThrownBy(() -> ashlar.upsert("author", List.of(Map.of("email", "bob@example.com", "age", 41)),
                Upsert.on("unique_email").update("name", "age")))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("updates 'name', but a record does not give it");

        assertThat(db.value("SELECT name || ':' || age FROM authors WHERE email = 'bob@example.com'"))
                .isEqualTo("Bob:40");
    }

    @Test
    void doNothingKeepsStoredRecordsAndReturnsOnlyTheNewOnes() {
        List<Row> rows = ashlar.upsert("author", List.of(
                Map.of("email", "ann@example.com", "name", "Impostor"),
                Map.of("email", "dee@example.com", "name", "Dee")), Upsert.on("unique_email").doNothing());

        assertThat(rows).extracting(r -> r.getString("name")).containsExactly("Dee");
        assertThat(db.value("SELECT name FROM authors WHERE email = 'ann@example.com'")).isEqualTo("Ann");
    }

    @Test
    void returnsTheStoredRecordWhenOnlyTheIdentityIsGiven() {
        List<Row> rows = ashlar.upsert("author", List.of(Map.of("email", "ann@example.com")), Upsert.on("unique_email"));

        assertThat(rows).singleElement().satisfies(row -> assertThat(row.getString("name")).isEqualTo("Ann"));
    }

    @Test
    void refusesRecordsThatDoNotGiveTheIdentityOrRepeatIt() {
        assertThatThrownBy(() -> ashlar.upsert("author", List.of(Map.of("name", "No email")), Upsert.on("unique_email")))
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_QUERY));
        assertThatThrownBy(() -> ashlar.upsert("author", List.of(Map.of("email", "x@y.z"), Map.of("email", "x@y.z")),
                Upsert.on("unique_email")))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.sqlState()).contains("21000"));
        assertThatThrownBy(() -> ashlar.upsert("author", List.of(Map.of("email", "x@y.z")), Upsert.on("nope")))
                .hasMessageContaining("[unique_email, unique_handle]");
    }
}
