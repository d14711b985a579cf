package dev.ashlar.kernel.data;

import dev.ashlar.api.error.QueryException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A merge on a server without MERGE (PostgreSQL 13 and 14) is refused before anything is sent, naming the server's
 * version and the upsert that does the same on every version. Run on 13 with
 * {@code -Dpostgres.embedded.version=13.18.0}; on 15 and later the merge runs.
 */
class MergeServerVersionTest extends DomainDatabaseTest {
    MergeServerVersionTest() {
        super(JooqMergeParityTest.DOMAIN);
    }

    private int server() {
        return ((Number) db.value("SELECT current_setting('server_version_num')::int / 10000")).intValue();
    }

    @Test
    void aMergeOnAServerOlderThan15IsRefusedNamingItsVersionAndTheUpsert() {
        int server = server();
        assumeTrue(server < 15, "MERGE exists on this server (PostgreSQL " + server + ")");
        db.execute("TRUNCATE jooq_author");

        assertThatThrownBy(() -> ashlar.merge("author", List.of(Map.of("id", 1, "last_name", "Orwell")),
                Merge.on("id").whenNotMatched().insert()))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("needs PostgreSQL 15 or later (MERGE), and the server is PostgreSQL " + server)
                .hasMessageContaining("use ashlar.upsert(\"author\", records, Upsert.on(...))");
        assertThat(db.value("SELECT count(*) FROM jooq_author")).isEqualTo(0L);
    }

    @Test
    void aMergeFromAReadOrAStatementOnAServerOlderThan15IsRefusedAndWritesNothing() {
        int server = server();
        assumeTrue(server < 15, "MERGE exists on this server (PostgreSQL " + server + ")");
        db.execute("TRUNCATE jooq_author");
        db.execute("INSERT INTO jooq_author VALUES (1, 'George', 'Orwell')");
        Merge renaming = Merge.on("id").whenMatched().update("last_name").whenNotMatched().insert();

        assertThatThrownBy(() -> ashlar.merge("author", ashlar.read("author"), Map.of("id", "id", "last_name",
                "first_name"), renaming)).isInstanceOf(QueryException.class)
                .hasMessageContaining("needs PostgreSQL 15 or later (MERGE), and the server is PostgreSQL " + server);
        assertThatThrownBy(() -> ashlar.merge("author", ashlar.sql("SELECT 2 AS id, 'Coelho' AS last_name"),
                renaming)).isInstanceOf(QueryException.class)
                .hasMessageContaining("needs PostgreSQL 15 or later (MERGE), and the server is PostgreSQL " + server);
        assertThat(db.query("SELECT id, last_name FROM jooq_author")).extracting(r -> r.get("id") + ":"
                + r.get("last_name")).containsExactly("1:Orwell");
    }

    @Test
    void aMergeOnPostgres15OrLaterRuns() {
        assumeTrue(server() >= 15, "a server without MERGE");
        db.execute("TRUNCATE jooq_author");

        MergeResult result = ashlar.merge("author", List.of(Map.of("id", 1, "last_name", "Orwell")),
                Merge.on("id").whenNotMatched().insert());

        assertThat(result.merged()).isEqualTo(1);
        assertThat(result.server()).isEqualTo(server());
        assertThat(db.value("SELECT last_name FROM jooq_author WHERE id = 1")).isEqualTo("Orwell");
    }
}
