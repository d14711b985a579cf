package dev.ashlar.kernel.migrate;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.RequiresPostgres;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The statements a migration file in a transaction is refused for before anything runs are exactly those the server
 * refuses inside a transaction block: each is tried in one on the server, which must agree.
 */
@ExtendWith(PostgresExtension.class)
class OutsideTransactionStatementsTest {
    TestDatabase db;

    @BeforeEach
    void objects(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public; "
                + "CREATE TABLE posts (id int PRIMARY KEY, title text); CREATE INDEX posts_title_index ON posts (title); "
                + "CREATE TABLE events (at date) PARTITION BY RANGE (at); "
                + "CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01'); "
                + "CREATE TYPE mood AS ENUM ('happy')");
    }

    @ParameterizedTest
    @ValueSource(strings = {"CREATE INDEX CONCURRENTLY posts_id_index ON posts (id);",
            "create unique index concurrently if not exists posts_id_index on posts (id);",
            "DROP INDEX CONCURRENTLY posts_title_index;", "DROP INDEX CONCURRENTLY IF EXISTS nothing_here;",
            "REINDEX INDEX CONCURRENTLY posts_title_index;", "REINDEX (VERBOSE) TABLE CONCURRENTLY posts;",
            "REINDEX SCHEMA public;", "VACUUM posts;", "VACUUM (ANALYZE) posts;", "vacuum;",
            "/* maintenance */ VACUUM FULL posts;", "CREATE DATABASE ashlar_never_made;",
            "DROP DATABASE IF EXISTS ashlar_never_made;", "DROP TABLESPACE IF EXISTS ashlar_nowhere;",
            "ALTER SYSTEM SET work_mem = '8MB';", "CLUSTER;", "DISCARD ALL;", "discard all",
            "COMMIT PREPARED 'never_prepared';", "ROLLBACK PREPARED 'never_prepared';",
            "CREATE SUBSCRIPTION ashlar_sub CONNECTION 'host=127.0.0.1 dbname=ashlar_nowhere' PUBLICATION p;",
            "CREATE SUBSCRIPTION ashlar_sub CONNECTION 'dbname=ashlar_nowhere' PUBLICATION p WITH (copy_data = false);"})
    void aStatementRefusedInAFilesTransactionIsOneTheServerRefusesInATransactionBlock(String statement) {
        assertThat(SqlStatements.runsOutsideTransactionsOnly(statement)).isTrue();
        assertThat(sqlStateInATransaction(statement)).isEqualTo("25001");
    }

    @ParameterizedTest
    @RequiresPostgres(value = 14, reason = "REINDEX (CONCURRENTLY) in the option list")
    @ValueSource(strings = {"REINDEX (CONCURRENTLY) TABLE posts;", "REINDEX (VERBOSE, CONCURRENTLY true) INDEX posts_title_index;",
            "reindex (concurrently on) table posts"})
    void aReindexWithConcurrentlyInItsOptionsIsRefusedInAFilesTransactionAsTheServerRefusesIt(String statement) {
        aStatementRefusedInAFilesTransactionIsOneTheServerRefusesInATransactionBlock(statement);
    }

    @ParameterizedTest
    @RequiresPostgres(value = 14, reason = "REINDEX (CONCURRENTLY) in the option list")
    @ValueSource(strings = {"REINDEX (CONCURRENTLY false) TABLE posts;", "REINDEX (VERBOSE, CONCURRENTLY off) TABLE posts;"})
    void aReindexWhoseOptionsTurnConcurrentlyOffIsNotRefused(String statement) {
        aStatementTheServerRunsInATransactionBlockIsNotRefused(statement);
    }

    @Test
    @RequiresPostgres(value = 14, reason = "DETACH PARTITION CONCURRENTLY")
    void aConcurrentDetachIsRefusedInAFilesTransactionAsTheServerRefusesIt() {
        aStatementRefusedInAFilesTransactionIsOneTheServerRefusesInATransactionBlock(
                "ALTER TABLE events DETACH PARTITION events_2026 CONCURRENTLY;");
    }

    @ParameterizedTest
    @ValueSource(strings = {"CREATE INDEX posts_id_index ON posts (id);", "CREATE INDEX concurrently_named ON posts (id);",
            "REINDEX TABLE posts;", "REINDEX INDEX posts_title_index;", "CLUSTER posts USING posts_pkey;",
            "ANALYZE posts;", "ALTER TYPE mood ADD VALUE 'sad';", "SELECT 'VACUUM';",
            "ALTER TABLE events DETACH PARTITION events_2026;", "COMMENT ON TABLE posts IS 'CREATE DATABASE x';",
            "DO $$ BEGIN PERFORM 'vacuum'; END $$;", "CREATE TABLE vacuum_log (at date);", "DISCARD PLANS;",
            "DISCARD TEMP;", "SELECT 'discard all';", "PREPARE discard_all AS SELECT 1;",
            "CREATE SUBSCRIPTION ashlar_sub CONNECTION 'dbname=ashlar_nowhere' PUBLICATION p WITH (connect = false);",
            "CREATE SUBSCRIPTION ashlar_sub CONNECTION 'dbname=nowhere' PUBLICATION p WITH (slot_name = NONE, connect=off, enabled = false, create_slot = false);"})
    void aStatementTheServerRunsInATransactionBlockIsNotRefused(String statement) {
        assertThat(SqlStatements.runsOutsideTransactionsOnly(statement)).isFalse();
        assertThat(sqlStateInATransaction(statement)).isNull();
    }

    /** The SQL state the statement fails with inside a transaction that is then rolled back; null when it runs. */
    private String sqlStateInATransaction(String statement) {
        try (Connection connection = db.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            try (Statement run = connection.createStatement()) {
                run.execute(statement);
                return null;
            } catch (SQLException e) {
                return e.getSQLState();
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
