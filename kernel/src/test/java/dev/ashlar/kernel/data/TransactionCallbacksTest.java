package dev.ashlar.kernel.data;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.data.TransactionTest.Abort;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Callbacks that wait for a transaction's outcome (Jdbi's afterCommit and afterRollback, Ebean's TransactionCallback,
 * Spring's TransactionSynchronization): each runs once for the outcome it waits for, after the connection is back in
 * the pool, and a savepoint's follow the fate of its work.
 */
class TransactionCallbacksTest extends BlogDatabaseTest {
    private final List<String> ran = new ArrayList<>();

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE posts RESTART IDENTITY");
        ran.clear();
    }

    private long posts() {
        return (Long) db.value("SELECT count(*) FROM posts");
    }

    @Test
    void afterCommitRunsOnceTheWorkIsCommittedOutsideTheTransactionAndAfterRollbackNever() {
        ashlar.inTransaction(tx -> {
            tx.create("post", Map.of("title", "kept"));
            tx.afterCommit(() -> ran.add("committed, seen by another connection: " + posts()));
            tx.afterCommit(() -> {
                // The connection is back in the pool: this action commits on its own, in no transaction.
                ashlar.create("post", Map.of("title", "follow-up"));
                assertThatThrownBy(ashlar::setRollbackOnly).isInstanceOf(AshlarException.class);
                ran.add("second");
            });
            tx.afterRollback(() -> ran.add("rolled back"));
            ran.add("body done, stored so far: " + posts());
        });

        assertThat(ran).containsExactly("body done, stored so far: 0", "committed, seen by another connection: 1",
                "second");
        assertThat(db.value("SELECT string_agg(title, ',' ORDER BY id) FROM posts")).isEqualTo("kept,follow-up");
    }

    @Test
    void afterRollbackRunsWhenTheBodyFailsOrIsMarkedRollbackOnlyAndAfterCommitDoesNot() {
        assertThatThrownBy(() -> ashlar.inTransaction(tx -> {
            tx.create("post", Map.of("title", "lost"));
            tx.afterCommit(() -> ran.add("committed"));
            tx.afterRollback(() -> ran.add("rolled back after failure, stored: " + posts()));
            throw new Abort();
        })).isInstanceOf(Abort.class);
        ashlar.inTransaction(tx -> {
            tx.create("post", Map.of("title", "dry run"));
            tx.afterRollback(() -> ran.add("rolled back as marked"));
            tx.afterCommit(() -> ran.add("committed"));
            tx.setRollbackOnly();
        });

        assertThat(ran).containsExactly("rolled back after failure, stored: 0", "rolled back as marked");
        assertThat(posts()).isZero();
    }

    @Test
    void aSavepointsCallbacksWaitForTheOutermostTransactionOrRunAtOnceWhenTheSavepointIsRolledBack() {
        ashlar.inTransaction(tx -> {
            tx.inTransaction(inner -> {
                inner.create("post", Map.of("title", "released"));
                inner.afterCommit(() -> ran.add("released savepoint committed"));
                inner.afterRollback(() -> ran.add("released savepoint rolled back"));
            });
            assertThatThrownBy(() -> tx.inTransaction(inner -> {
                inner.create("post", Map.of("title", "undone"));
                inner.afterCommit(() -> ran.add("undone savepoint committed"));
                inner.afterRollback(() -> ran.add("undone savepoint rolled back"));
                throw new Abort();
            })).isInstanceOf(Abort.class);
            ran.add("outer body done");
        });

        assertThat(ran).containsExactly("undone savepoint rolled back", "outer body done",
                "released savepoint committed");
        assertThat(db.value("SELECT string_agg(title, ',') FROM posts")).isEqualTo("released");

        ran.clear();
        assertThatThrownBy(() -> ashlar.inTransaction(tx -> {
            tx.inTransaction(inner -> inner.afterRollback(() -> ran.add("released, then the outer rolled back")));
            throw new Abort();
        })).isInstanceOf(Abort.class);
        assertThat(ran).containsExactly("released, then the outer rolled back");
    }

    @Test
    void aCallbackThatThrowsLeavesTheCommitAndTheOtherCallbacksRunFirst() {
        IllegalStateException broken = new IllegalStateException("mail server down");

        assertThatThrownBy(() -> ashlar.inTransaction(tx -> {
            tx.create("post", Map.of("title", "kept"));
            tx.afterCommit(() -> {
                throw broken;
            });
            tx.afterCommit(() -> ran.add("next callback"));
        })).isSameAs(broken);

        assertThat(ran).containsExactly("next callback");
        assertThat(posts()).isEqualTo(1);
    }

    @Test
    void aCallbackOutsideATransactionIsRefusedSayingWhereToRegisterIt() {
        assertThatThrownBy(() -> ashlar.afterCommit(() -> ran.add("x"))).isInstanceOf(AshlarException.class)
                .satisfies(e -> assertThat(((AshlarException) e).code()).isEqualTo(ErrorCode.INVALID_QUERY))
                .hasMessageContaining("afterCommit(...)").hasMessageContaining("ashlar.transaction(tx -> ...)");
        assertThatThrownBy(() -> ashlar.afterRollback(null)).isInstanceOf(AshlarException.class)
                .hasMessageContaining("no callback");
        assertThat(ran).isEmpty();
    }

    @Test
    void aCallbackInsideTheApplicationsTransactionIsRefusedSayingToRegisterWithItsManager() throws Exception {
        try (Connection application = db.dataSource().getConnection()) {
            application.setAutoCommit(false);
            TransactionJoin join = new TransactionJoin() {
                @Override
                public Connection current(DataSource dataSource) {
                    return application;
                }

                @Override
                public void release(Connection connection, DataSource dataSource) {
                    // the application's transaction keeps its connection
                }
            };
            try (Ashlar joined = Ashlar.builder().dataSource(db.dataSource()).domain(Fixtures.BLOG)
                    .transactionJoin(join).build()) {
                assertThatThrownBy(() -> joined.inTransaction(tx -> tx.afterCommit(() -> ran.add("x"))))
                        .isInstanceOf(AshlarException.class).hasMessageContaining("the application's transaction")
                        .hasMessageContaining("registerSynchronization");
            } finally {
                application.rollback();
            }
        }
        assertThat(ran).isEmpty();
    }
}
