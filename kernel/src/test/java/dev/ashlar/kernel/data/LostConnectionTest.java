package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.Read;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class LostConnectionTest extends BlogDatabaseTest {

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE posts, authors RESTART IDENTITY");
    }

    /** Runs the action while another session locks the table it needs, and terminates its session as it waits. */
    private <T> CompletableFuture<T> runTerminatedWhileWaitingFor(String table, Supplier<T> action) throws Exception {
        try (Connection holder = db.dataSource().getConnection(); Statement lock = holder.createStatement()) {
            holder.setAutoCommit(false);
            lock.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
            CompletableFuture<T> run = CompletableFuture.supplyAsync(action);
            terminate("wait_event_type = 'Lock'");
            holder.rollback();
            return run;
        }
    }

    /** How the action failed when its session was terminated as it waited for a lock. */
    private Throwable terminatedWhileWaitingFor(String table, Supplier<?> action) throws Exception {
        CompletableFuture<?> run = runTerminatedWhileWaitingFor(table, action);
        return catchThrowable(() -> run.get(30, TimeUnit.SECONDS)).getCause();
    }

    private void terminate(String condition) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            Object pid = db.value("SELECT min(pid) FROM pg_stat_activity WHERE datname = current_database() AND "
                    + condition + " AND pid <> pg_backend_pid()");
            if (pid != null) {
                db.execute("SELECT pg_terminate_backend(" + pid + ")");
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no session met " + condition);
    }

    private static void assertLost(Throwable failure, String action, String consequence) {
        assertThat(failure).isInstanceOf(DatabaseException.class)
                .hasMessageStartingWith("Could not " + action + ": the connection to the database was lost "
                        + "(terminating connection due to administrator command)")
                .hasMessageContaining(consequence);
        assertThat(((DatabaseException) failure).sqlState()).contains("57P01");
    }

    @Test
    void aConnectionLostInATransactionReportsTheFailingWriteNotTheFailedCleanup() {
        Throwable failure = catchThrowable(() -> ashlar.transaction(tx -> {
            tx.create("post", Map.of("title", "first"));
            db.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE state = 'idle in transaction' "
                    + "AND datname = current_database() AND pid <> pg_backend_pid()");
            return tx.create("post", Map.of("title", "second"));
        }));

        assertThat(failure).isInstanceOf(AshlarException.class).hasMessageNotContaining("Connection is closed")
                .hasMessageContaining("post").hasMessageContaining("the connection to the database was lost");
        assertThat(failure.getSuppressed()).isNotEmpty();
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(0L);
    }

    @Test
    void aStatementAfterALossCaughtInsideTheTransactionSaysTheTransactionWasLostNotThatTheConnectionIsClosed() {
        Throwable failure = catchThrowable(() -> ashlar.transaction(tx -> {
            tx.create("post", Map.of("title", "first"));
            Throwable inner = catchThrowable(() -> tx.transaction(savepoint -> {
                db.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE state = 'idle in "
                        + "transaction' AND datname = current_database() AND pid <> pg_backend_pid()");
                return savepoint.create("post", Map.of("title", "second"));
            }));
            assertThat(inner).hasMessageContaining("the connection to the database was lost");
            return tx.create("post", Map.of("title", "third"));
        }));

        assertThat(failure).isInstanceOf(DatabaseException.class)
                .hasMessageStartingWith("Could not create post: the connection to the database was lost (the "
                        + "connection was closed when an earlier statement of the transaction lost it)")
                .hasMessageContaining("The transaction was lost and rolled back");
        assertThat(((DatabaseException) failure).sqlState()).contains("08003");
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(0L);
        assertThat(db.activeConnections()).isZero();
        assertThat(ashlar.create("post", Map.of("title", "after")).getString("title")).isEqualTo("after");
    }

    @Test
    void aBulkCreateOrATransactionWhoseSessionIsTerminatedSaysSoKeepsNothingAndTheNextCallWorks()
            throws Exception {
        assertLost(terminatedWhileWaitingFor("posts", () -> ashlar.createAll("post",
                List.of(Map.of("title", "a"), Map.of("title", "b")))), "create post",
                "Whether create post was carried out is unknown");
        assertLost(terminatedWhileWaitingFor("posts", () -> ashlar.transaction(tx -> {
            tx.create("author", Map.of("email", "ann@example.com"));
            return tx.create("post", Map.of("title", "c"));
        })), "create post", "The transaction was lost and rolled back");

        assertThat(db.value("SELECT count(*) FROM posts") + " " + db.value("SELECT count(*) FROM authors"))
                .isEqualTo("0 0");
        assertThat(ashlar.createAll("post", List.of(Map.of("title", "d"), Map.of("title", "e")))).hasSize(2);
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(2L);
    }

    @Test
    void aBulkWriteInBatchesWhoseSessionIsTerminatedNamesTheRecordsStoredAndWhereToGoOn() throws Exception {
        List<Map<String, ?>> records = IntStream.range(0, 30).<Map<String, ?>>mapToObj(i -> Map.of("title", "r" + i))
                .toList();
        db.execute("CREATE FUNCTION wait_for_authors() RETURNS trigger LANGUAGE plpgsql AS "
                + "'BEGIN IF NEW.title = ''r25'' THEN PERFORM count(*) FROM authors; END IF; RETURN NEW; END';"
                + "CREATE TRIGGER posts_wait BEFORE INSERT ON posts FOR EACH ROW EXECUTE FUNCTION wait_for_authors()");
        try {
            Throwable failure = terminatedWhileWaitingFor("authors", () -> ashlar.createAll("post", records,
                    Bulk.collectErrors().batchSize(10)));

            assertThat(failure).isInstanceOf(DatabaseException.class)
                    .hasMessageStartingWith("The bulk write of 30 post records stopped at record 20: Could not create "
                            + "post: the connection to the database was lost")
                    .hasMessageContaining("Records 0 to 19 were written, each batch committed (20 stored, 0 refused")
                    .hasMessageContaining("records 20 to 29 were not")
                    .hasMessageContaining("go on with records.subList(20, 30)");
            assertThat(((DatabaseException) failure).sqlState()).contains("57P01");
            assertThat(db.value("SELECT string_agg(title, ',' ORDER BY id) FROM posts"))
                    .isEqualTo(String.join(",", IntStream.range(0, 20).mapToObj(i -> "r" + i).toList()));

            assertThat(ashlar.createAll("post", records.subList(20, 30), Bulk.collectErrors()).complete()).isTrue();
            assertThat(db.value("SELECT count(DISTINCT title) || '/' || count(*) FROM posts")).isEqualTo("30/30");
        } finally {
            db.execute("DROP TRIGGER posts_wait ON posts; DROP FUNCTION wait_for_authors()");
        }
    }

    @Test
    void aStreamWhoseSessionIsTerminatedMidwayFailsNamingTheRowsHandedOverWithItsSqlStateAndTheNextReadWorks() {
        db.execute("INSERT INTO posts (title) SELECT 't' || i FROM generate_series(1, 2500) i");
        List<Object> handed = new ArrayList<>();

        Throwable failure = catchThrowable(() -> ashlar.read("post").sort(Sort.asc("id")).forEach(row -> {
            if (handed.add(row.get("id")) && handed.size() == 10) {
                // The server sends 1,000 rows a fetch: the next fetch finds the session gone.
                db.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE state = 'idle in transaction'"
                        + " AND datname = current_database() AND pid <> pg_backend_pid()");
            }
        }));

        assertThat(failure).isInstanceOf(DatabaseException.class)
                .hasMessageStartingWith("forEach over post lost its connection to the database after 1000 rows were "
                        + "handed over (")
                .hasMessageContaining("[SQL state 57P01]").hasMessageContaining("It is not read again")
                .hasMessageContaining("read.after(read.cursor(row))").hasMessageNotContaining("'null'");
        assertThat(((DatabaseException) failure).sqlState()).contains("57P01");
        assertThat(handed).hasSize(1000).doesNotHaveDuplicates();
        Read rest = ashlar.read("post").sort(Sort.asc("id"));
        assertThat(rest.after(handed.get(999)).count()).isEqualTo(1500L);
    }

    @Test
    void aForEachOrStreamInATransactionWhoseSessionIsTerminatedMidwaySaysTheTransactionWasLostWithWhatItWrote() {
        db.execute("INSERT INTO posts (title) SELECT 't' || i FROM generate_series(1, 2500) i");
        String terminate = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE state = 'idle in "
                + "transaction' AND datname = current_database() AND pid <> pg_backend_pid()";

        Throwable forEach = catchThrowable(() -> ashlar.inTransaction(tx -> {
            tx.create("post", Map.of("title", "written before"));
            long[] handed = {0};
            tx.read("post").forEach(row -> {
                if (++handed[0] == 10) {
                    db.execute(terminate);
                }
            });
        }));
        Throwable stream = catchThrowable(() -> ashlar.inTransaction(tx -> {
            tx.create("post", Map.of("title", "written before"));
            try (Stream<Row> rows = tx.read("post").stream()) {
                Iterator<Row> each = rows.iterator();
                for (int i = 0; each.hasNext(); i++) {
                    each.next();
                    if (i == 9) {
                        db.execute(terminate);
                    }
                }
            }
        }));

        for (Throwable failure : List.of(forEach, stream)) {
            assertThat(failure).isInstanceOf(DatabaseException.class)
                    .hasMessageContaining("lost its connection to the database after 1000 rows were handed over")
                    .hasMessageContaining("It is not read again, which would hand those rows twice. The transaction "
                            + "it read in was lost and rolled back, with everything it wrote: run the whole "
                            + "transaction again once the server answers")
                    .hasMessageNotContaining("read.after(read.cursor(row))");
        }
        assertThat(db.value("SELECT count(*) FROM posts WHERE title = 'written before'")).isEqualTo(0L);
        assertThat(ashlar.read("post").count()).isEqualTo(2500L);
    }

    @Test
    void sqlByHandInASavepointWhoseSessionIsTerminatedSaysTheWholeTransactionWasLostWithWhatItWrote()
            throws Exception {
        CompletableFuture<Object> run = CompletableFuture.supplyAsync(() -> ashlar.transaction(tx -> {
            tx.create("author", Map.of("email", "ann@example.com"));
            return ashlar.transaction(savepoint -> {
                savepoint.create("post", Map.of("title", "in the savepoint"));
                return savepoint.sql("SELECT pg_sleep(30)").execute();
            });
        }));
        terminate("query LIKE '%pg_sleep(30)%' AND state = 'active'");
        Throwable failure = catchThrowable(() -> run.get(30, TimeUnit.SECONDS)).getCause();

        assertThat(failure).isInstanceOf(DatabaseException.class)
                .hasMessageContaining("sql(\"SELECT pg_sleep(30)\"")
                .hasMessageContaining("the connection to the database was lost")
                .hasMessageContaining("The transaction it ran in was lost and rolled back, with everything it wrote "
                        + "(savepoints too): run the whole transaction again once the server answers");
        assertThat(((DatabaseException) failure).sqlState()).contains("57P01");
        assertThat(db.value("SELECT count(*) FROM authors") + " " + db.value("SELECT count(*) FROM posts"))
                .isEqualTo("0 0");
        assertThat(db.activeConnections()).isZero();
        assertThat(ashlar.create("author", Map.of("email", "bob@example.com")).getString("email"))
                .isEqualTo("bob@example.com");
    }

    @Test
    void aStatementAnotherSessionCancelsInATransactionSaysWhoCancelledAndThatTheTransactionWasRolledBack()
            throws Exception {
        CompletableFuture<Object> write;
        try (Connection holder = db.dataSource().getConnection(); Statement lock = holder.createStatement()) {
            holder.setAutoCommit(false);
            lock.execute("LOCK TABLE posts IN ACCESS EXCLUSIVE MODE");
            write = CompletableFuture.supplyAsync(() -> ashlar.transaction(tx -> {
                tx.create("author", Map.of("email", "ann@example.com"));
                return tx.create("post", Map.of("title", "waits"));
            }));
            cancelWhen("wait_event_type = 'Lock'");
            holder.rollback();
        }
        CompletableFuture<Object> sql = CompletableFuture.supplyAsync(() -> ashlar.transaction(tx -> {
            tx.create("author", Map.of("email", "bob@example.com"));
            return tx.sql("SELECT pg_sleep(30)").execute();
        }));
        cancelWhen("query LIKE '%pg_sleep(30)%' AND state = 'active'");

        Throwable create = catchThrowable(() -> write.get(30, TimeUnit.SECONDS)).getCause();
        Throwable bySql = catchThrowable(() -> sql.get(30, TimeUnit.SECONDS)).getCause();
        assertThat(create).hasMessageStartingWith("Could not create post: another session cancelled");
        assertThat(bySql).hasMessageStartingWith("sql(\"SELECT pg_sleep(30)\", ...) failed: another session cancelled");
        for (Throwable failure : List.of(create, bySql)) {
            assertThat(failure).isInstanceOf(DatabaseException.class)
                    .hasMessageContaining(": another session cancelled its statement (pg_cancel_backend")
                    .hasMessageContaining("The transaction it ran in is rolled back, with everything it wrote")
                    .hasMessageNotContaining("give it more time");
            assertThat(((DatabaseException) failure).sqlState()).contains("57014");
        }
        assertThat(db.value("SELECT count(*) FROM authors") + " " + db.value("SELECT count(*) FROM posts"))
                .isEqualTo("0 0");
        assertThat(db.activeConnections()).isZero();
    }

    /** Cancels, with pg_cancel_backend, the statement of the one session that matches the condition, once one does. */
    private void cancelWhen(String condition) throws InterruptedException {
        String sql = "SELECT min(pid) FROM pg_stat_activity WHERE datname = current_database() AND " + condition
                + " AND pid <> pg_backend_pid()";
        for (int i = 0; i < 200 && db.value(sql) == null; i++) {
            Thread.sleep(25);
        }
        assertThat(db.value("SELECT pg_cancel_backend((" + sql + "))")).isEqualTo(true);
    }

    @Test
    void aReadWhoseSessionIsTerminatedAsItRunsRunsAgainOnAFreshConnection() throws Exception {
        db.execute("INSERT INTO posts (title) VALUES ('kept')");

        List<?> read = runTerminatedWhileWaitingFor("posts", () -> ashlar.read("post").list()).get(30, TimeUnit.SECONDS);

        assertThat(read).hasSize(1);
    }

    /** The action's failure when its transaction's session is terminated as it commits. */
    private Throwable terminatedAsItCommits(Supplier<?> action) throws Exception {
        db.execute("CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS "
                + "'BEGIN PERFORM pg_sleep(5); RETURN NULL; END';"
                + "CREATE CONSTRAINT TRIGGER posts_slow_commit AFTER INSERT ON posts DEFERRABLE INITIALLY DEFERRED "
                + "FOR EACH ROW WHEN (NEW.title = 'slow commit') EXECUTE FUNCTION slow_commit()");
        try {
            CompletableFuture<?> run = CompletableFuture.supplyAsync(action);
            terminate("query = 'COMMIT' AND state = 'active'");
            return catchThrowable(() -> run.get(30, TimeUnit.SECONDS)).getCause();
        } finally {
            db.execute("DROP TRIGGER posts_slow_commit ON posts; DROP FUNCTION slow_commit()");
        }
    }

    @Test
    void aCommitWhoseSessionIsTerminatedSaysItsOutcomeIsUnknown() throws Exception {
        Throwable failure = terminatedAsItCommits(() -> ashlar.transaction(tx ->
                tx.create("post", Map.of("title", "slow commit"))));

        assertThat(failure).isInstanceOf(DatabaseException.class)
                .hasMessageStartingWith("Committing the transaction failed: the connection to the database was "
                        + "lost")
                .hasMessageContaining("Whether the commit was carried out is unknown: check the data");
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(0L);
        assertThat(ashlar.create("post", Map.of("title", "after")).getString("title")).isEqualTo("after");
    }

    @Test
    void aCommitWhoseOutcomeIsUnknownRunsNeitherItsAfterCommitNorItsAfterRollbackCallbacksAndSaysSo()
            throws Exception {
        List<String> ran = new ArrayList<>();

        Throwable failure = terminatedAsItCommits(() -> ashlar.transaction(tx -> {
            tx.afterCommit(() -> ran.add("committed"));
            tx.afterRollback(() -> ran.add("rolled back"));
            return tx.create("post", Map.of("title", "slow commit"));
        }));

        assertThat(failure).isInstanceOf(DatabaseException.class)
                .hasMessageContaining("Whether the commit was carried out is unknown")
                .hasMessageContaining("so neither its afterCommit nor its afterRollback callbacks ran");
        assertThat(ran).isEmpty();
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(0L);
    }

    @Test
    void aTransactionWhoseSessionIsTerminatedBeforeItCommitsRunsItsAfterRollbackCallbacksOnly() throws Exception {
        List<String> ran = new ArrayList<>();

        Throwable failure = terminatedWhileWaitingFor("posts", () -> ashlar.transaction(tx -> {
            tx.afterCommit(() -> ran.add("committed"));
            tx.afterRollback(() -> ran.add("rolled back"));
            tx.create("author", Map.of("email", "bo@example.com"));
            return tx.create("post", Map.of("title", "never"));
        }));

        assertLost(failure, "create post", "The transaction was lost and rolled back");
        assertThat(ran).containsExactly("rolled back");
        assertThat(db.value("SELECT count(*) FROM authors")).isEqualTo(0L);
    }

    /** The action's result once the pool, which backs off after failing to connect, has a connection again. */
    private static <T> T eventually(Supplier<T> action) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return action.get();
            } catch (DatabaseException e) {
                if (attempt == 20) {
                    throw e;
                }
                Thread.sleep(250);
            }
        }
    }

    @Test
    void aServerThatAdmitsNoNewConnectionIsReportedNamingTheLimitAndTheNextCallAfterItWorks() throws Exception {
        try (TestDatabase.Role role = db.loginRole("lost_limited")) {
            db.execute("GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO lost_limited;"
                    + "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO lost_limited");
            String url = db.jdbcUrl().replaceAll("([?&])(user|password)=[^&]*", "$1");
            Ashlar.Builder asLimited = Ashlar.builder().jdbcUrl(url, role.name(), "")
                    .timeouts(Duration.ofSeconds(1), Duration.ZERO).domain(Fixtures.BLOG);
            try (Ashlar limited = asLimited.build()) {
                db.execute("ALTER ROLE lost_limited CONNECTION LIMIT 0");
                try {
                    db.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'lost_limited'");
                    Thread.sleep(600); // past the pool's window for handing out an idle connection without a check

                    Throwable read = catchThrowable(() -> limited.read("post").list());
                    assertThat(read).isInstanceOf(DatabaseException.class)
                            .hasMessageStartingWith("Could not read post: no connection to the database could be had")
                            .hasMessageContaining("too many connections for role \"lost_limited\"")
                            .hasMessageContaining("the CONNECTION LIMIT of the role or of the database")
                            .hasMessageContaining("Nothing ran");
                    assertThat(((DatabaseException) read).sqlState()).contains("53300");
                    assertThat(catchThrowable(() -> limited.transaction(tx -> tx.create("post", Map.of("title", "a")))))
                            .hasMessageStartingWith("The transaction failed: no connection to the database could be had")
                            .hasMessageContaining("CONNECTION LIMIT");
                    assertThatThrownBy(asLimited::build).hasMessageContaining("too many connections for role")
                            .hasMessageContaining("CONNECTION LIMIT").hasMessageNotContaining("user and password");
                } finally {
                    db.execute("ALTER ROLE lost_limited CONNECTION LIMIT -1");
                }

                assertThat(eventually(() -> limited.create("post", Map.of("title", "after"))).getString("title"))
                        .isEqualTo("after");
            } finally {
                db.execute("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM lost_limited;"
                        + "REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM lost_limited");
            }
        }
    }
}
