package dev.ashlar.kernel.migrate;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The pipeline copies statements' rows only when they are to be printed; the first row is read either way. */
@ExtendWith(PostgresExtension.class)
class StatementPipelineTest {
    private static final List<String> SENT = List.of("SELECT current_setting('search_path') AS path",
            "CREATE TABLE posts AS SELECT g AS id FROM generate_series(1, 150) g", "SELECT id FROM posts ORDER BY id");

    @Test
    void withoutCollectingNoRowsAreCopiedButTheFirstRowIsReadAndTheStatementsRan(TestDatabase db) throws SQLException {
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        try (Connection connection = db.dataSource().getConnection()) {
            connection.setAutoCommit(false);

            StatementPipeline.Outcome quiet = StatementPipeline.run(connection, SENT, false);
            assertThat((Throwable) quiet.cause()).isNull();
            assertThat(quiet.results()).isEmpty();
            assertThat(quiet.firstRow()).singleElement().asString().contains("public");
            connection.rollback();

            StatementPipeline.Outcome collected = StatementPipeline.run(connection, SENT, true);
            assertThat(collected.results()).extracting(QueryResult::index).containsExactly(0, 2);
            assertThat(collected.results().get(1).rows()).hasSize(QueryResult.SHOWN);
            assertThat(collected.results().get(1).count()).isEqualTo(150L);
            connection.commit();
        }
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(150L);
    }
}
