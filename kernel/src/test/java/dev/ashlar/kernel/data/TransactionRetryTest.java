package dev.ashlar.kernel.data;

import dev.ashlar.api.error.ConcurrencyException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.error.QueryException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class TransactionRetryTest extends BlogDatabaseTest {

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE posts RESTART IDENTITY");
    }

    /** Another serializable transaction that reads the posts and adds one, committed while the caller's is open. */
    private void racingInsert(String title) {
        try (Connection other = db.dataSource().getConnection(); Statement statement = other.createStatement()) {
            other.setAutoCommit(false);
            statement.execute("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE");
            statement.execute("SELECT count(*) FROM posts");
            statement.execute("INSERT INTO posts (title) VALUES ('" + title + "')");
            other.commit();
            other.setAutoCommit(true);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aSerializableTransactionThatLosesARaceRunsAgainAndCommitsOnItsSecondAttempt() {
        int[] runs = new int[1];

        String title = ashlar.transaction(Isolation.SERIALIZABLE, 3, tx -> {
            runs[0]++;
            long seen = tx.read("post").count();
            if (runs[0] == 1) {
                racingInsert("other");
            }
            return tx.create("post", Map.of("title", "mine after " + seen)).getString("title");
        });

        assertThat(runs[0]).isEqualTo(2);
        assertThat(title).isEqualTo("mine after 1");
        assertThat(db.value("SELECT string_agg(title, ',' ORDER BY id) FROM posts")).isEqualTo("other,mine after 1");
    }

    @Test
    void theLastConflictIsThrownOnceTheAttemptsAreSpentAndNothingOfTheBodyIsKept() {
        int[] runs = new int[1];

        Throwable failure = catchThrowable(() -> ashlar.transaction(Isolation.SERIALIZABLE, 2, tx -> {
            runs[0]++;
            tx.read("post").count();
            racingInsert("other " + runs[0]);
            return tx.create("post", Map.of("title", "mine"));
        }));

        assertThat(failure).isInstanceOfSatisfying(ConcurrencyException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.TRANSACTION_CONFLICT));
        assertThat(runs[0]).isEqualTo(2);
        assertThat(db.value("SELECT string_agg(title, ',' ORDER BY id) FROM posts")).isEqualTo("other 1,other 2");
    }

    @Test
    void insideAnotherTransactionTheConflictIsThrownAtOnceForTheOuterOneToRunAgain() {
        int[] runs = new int[1];

        Throwable failure = catchThrowable(() -> ashlar.transaction(Isolation.SERIALIZABLE, outer -> {
            outer.read("post").count();
            return outer.transaction(Isolation.SERIALIZABLE, 3, tx -> {
                runs[0]++;
                racingInsert("other " + runs[0]);
                return tx.create("post", Map.of("title", "mine"));
            });
        }));

        assertThat(failure).isInstanceOf(ConcurrencyException.class);
        assertThat(runs[0]).isEqualTo(1);
        assertThat(db.value("SELECT count(*) FROM posts WHERE title = 'mine'")).isEqualTo(0L);
    }

    @Test
    void attemptsBelowOneAreRefusedBeforeAnythingRuns() {
        assertThatThrownBy(() -> ashlar.transaction(Isolation.SERIALIZABLE, 0, tx -> tx.create("post",
                Map.of("title", "never")))).isInstanceOf(QueryException.class).hasMessageContaining("attempts of 1 or more");
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(0L);
    }
}
