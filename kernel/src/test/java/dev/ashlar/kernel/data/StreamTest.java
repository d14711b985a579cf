package dev.ashlar.kernel.data;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ConcurrencyException;
import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Lock;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.CalculationField;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.isNil;
import static dev.ashlar.api.query.Filter.lt;
import static dev.ashlar.api.query.Filter.or;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Reads as a {@link Stream} pulled row by row through the cursor forEach reads (Hibernate's getResultStream, jOOQ's
 * fetchStream, Jdbi's stream()): fetched in batches, scoped as a list read is, and given back however it ends.
 */
class StreamTest extends DomainDatabaseTest {
    record Memo(Integer id, String org, String title, String removedBy) {
        static final Table<Memo> MEMOS = Table.of("memo", Memo.class);
        static final Field<Memo, Integer> ID = MEMOS.integerPrimaryKey("id");
        static final TextField<Memo> ORG = MEMOS.attribute("org", Kind.TEXT);
        static final TextField<Memo> TITLE = MEMOS.attribute("title", Kind.TEXT);
        static final TextField<Memo> REMOVED_BY = MEMOS.attribute("removed_by", Kind.TEXT);
        static final CalculationField<Memo, String> LOUD = MEMOS.calculate("loud", String.class, "upper(title)");
        static final Resource RESOURCE = MEMOS.builder().table("memos").add(ID, ORG, TITLE, REMOVED_BY, LOUD)
                .baseFilter("removed_by IS NULL", isNil("removed_by")).build();
    }

    record Loud(Integer id, String loud) {
    }

    static final Domain DOMAIN = Domain.builder("streams").resources(Memo.RESOURCE).build();

    StreamTest() {
        super(DOMAIN, OneResourceTenancy.column("memo", "org", false));
    }

    private Ashlar acme;

    /** 50,000 memos of acme, one of them removed, and three of globex (one removed). */
    @BeforeEach
    void memos() {
        db.execute("TRUNCATE memos; INSERT INTO memos (id, org, title, removed_by) SELECT g, 'acme', 'm' || g, "
                + "CASE WHEN g = 7 THEN 'ops' END FROM generate_series(1, 50000) g; INSERT INTO memos (id, org, title, "
                + "removed_by) VALUES (50001, 'globex', 'secret', NULL), (50002, 'globex', 'm1', NULL), "
                + "(50003, 'globex', 'gone', 'ops'); SELECT setval(pg_get_serial_sequence('memos', 'id'), 50003)");
        acme = ashlar.withTenant("acme");
    }

    private long idleInTransaction() {
        return ((Number) db.value("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND pid <> pg_backend_pid() AND state = 'idle in transaction'")).longValue();
    }

    /** Cursors open in the transaction on this thread (a portal the driver binds for a fetch size is one). */
    private long openCursors() {
        return ashlar.sql("SELECT count(*) FROM pg_cursors WHERE name <> ''").value(Long.class);
    }

    @Test
    void fiftyThousandRowsComeInBatchesOfTheFetchSizeThroughOneOpenTransaction() {
        db.execute("DROP SEQUENCE IF EXISTS made; CREATE SEQUENCE made");
        // nextval runs for each row the server makes, so the sequence counts the rows fetched so far.
        List<Long> madeAtRow = new ArrayList<>();
        long[] streamed = {0};
        ashlar.transaction(tx -> {
            try (Stream<Row> rows = tx.withTenant("acme").read("memo").compute("made", Long.class, "nextval('made')")
                    .sort(Sort.asc("id")).fetchSize(5_000).stream()) {
                rows.forEach(row -> {
                    streamed[0]++;
                    if (streamed[0] == 1 || streamed[0] == 5_001 || streamed[0] == 45_000) {
                        madeAtRow.add(((Number) db.value("SELECT last_value FROM made")).longValue());
                    }
                });
            }
            return null;
        });

        assertThat(streamed[0]).isEqualTo(49_999L);
        assertThat(madeAtRow).containsExactly(5_000L, 10_000L, 45_000L);
        assertThat(db.activeConnections()).isZero();
    }

    @Test
    void aStreamOutsideATransactionFetchesAThousandRowsAtATimeInATransactionOfItsOwn() {
        db.execute("DROP SEQUENCE IF EXISTS made; CREATE SEQUENCE made");
        // A locking read runs read-write, where nextval may count the rows made; the others run read only.
        try (Stream<Row> rows = acme.read("memo").compute("made", Long.class, "nextval('made')")
                .lock(Lock.FOR_UPDATE).stream()) {
            Iterator<Row> each = rows.iterator();
            each.next();
            assertThat(((Number) db.value("SELECT last_value FROM made")).longValue()).isEqualTo(1_000L);
            assertThat(idleInTransaction()).as("the stream's own transaction, open between fetches").isEqualTo(1);
            assertThat(db.activeConnections()).isEqualTo(1);
        }
        assertThat(idleInTransaction()).isZero();
        assertThat(db.activeConnections()).isZero();
        assertThatThrownBy(() -> {
            try (Stream<Row> rows = acme.read("memo").compute("made", Long.class, "nextval('made')").stream()) {
                rows.count();
            }
        }).isInstanceOf(DatabaseException.class).hasMessageContaining("memo")
                .satisfies(e -> assertThat(((AshlarException) e).sqlState()).contains("25006"));
        assertThat(db.activeConnections()).isZero();
    }

    @Test
    void aStreamReadToItsEndGivesItsConnectionBackWithoutBeingClosed() {
        List<Row> rows = acme.read("memo").where(eq("title", "m2")).stream().toList();

        assertThat(rows).extracting(row -> row.get("id")).containsExactly(2);
        assertThat(db.activeConnections()).isZero();
        assertThat(idleInTransaction()).isZero();
    }

    @Test
    void closingAStreamEarlyClosesItsCursorAndGivesItsConnectionBack() {
        try (Stream<Row> rows = acme.read("memo").stream()) {
            assertThat(rows.limit(10).count()).isEqualTo(10);
            assertThat(db.activeConnections()).isEqualTo(1);
        }
        assertThat(db.activeConnections()).isZero();
        assertThat(idleInTransaction()).isZero();

        long[] cursors = new long[2];
        ashlar.transaction(tx -> {
            Stream<Row> rows = tx.withTenant("acme").read("memo").stream();
            rows.iterator().next();
            cursors[0] = openCursors();
            rows.close();
            cursors[1] = openCursors();
            return null;
        });
        assertThat(cursors).containsExactly(1, 0);
        assertThat(db.activeConnections()).isZero();
    }

    @Test
    void anExceptionInTheConsumerComesOutAsThrownWithTheCursorClosedAndTheConnectionBack() {
        IllegalStateException thrown = new IllegalStateException("the writer failed");
        assertThatThrownBy(() -> acme.read("memo").stream().forEach(row -> {
            if (row.getInteger("id") == 1_500) {
                throw thrown;
            }
        })).isSameAs(thrown);
        assertThat(db.activeConnections()).isZero();
        assertThat(idleInTransaction()).isZero();

        long[] cursors = {-1};
        ashlar.transaction(tx -> {
            assertThatThrownBy(() -> tx.withTenant("acme").read("memo").stream().forEach(row -> {
                throw thrown;
            })).isSameAs(thrown);
            cursors[0] = openCursors();
            return null;
        });
        assertThat(cursors[0]).isZero();
        assertThat(db.activeConnections()).isZero();
    }

    @Test
    void aStreamInsideATransactionSeesItsUncommittedRowsOnItsConnection() {
        List<Object> seen = new ArrayList<>();
        int[] active = {0};
        ashlar.transaction(tx -> {
            seen.add(tx.withTenant("acme").create("memo", Map.of("title", "draft")).get("id"));
            try (Stream<Row> rows = tx.withTenant("acme").read("memo").where(eq("title", "draft")).stream()) {
                rows.forEach(row -> seen.add(row.get("id")));
                active[0] = db.activeConnections();
            }
            tx.setRollbackOnly();
            return null;
        });

        assertThat(seen).hasSize(2).first().isNotNull();
        assertThat(seen.get(1)).as("the uncommitted row, streamed").isEqualTo(seen.get(0));
        assertThat(active[0]).as("the transaction's connection only").isEqualTo(1);
        assertThat(db.value("SELECT count(*) FROM memos WHERE title = 'draft'")).isEqualTo(0L);
    }

    @Test
    void aStreamReadAfterItsTransactionEndedSaysSoNamingTheResource() {
        Stream<Row> escaped = ashlar.transaction(tx -> tx.withTenant("acme").read("memo").stream());

        assertThatThrownBy(() -> escaped.iterator().next()).isInstanceOf(QueryException.class)
                .hasMessageContaining("A stream over memo was read after the transaction it was opened in ended");
        escaped.close();
        assertThat(db.activeConnections()).isZero();
    }

    @Test
    void aFailureMidStreamIsAshlarsExceptionNamingTheResourceAndTheConnectionComesBack() {
        List<Object> seen = new ArrayList<>();
        assertThatThrownBy(() -> {
            // Unsorted, the rows come as stored and the server divides as it makes each batch.
            try (Stream<Row> rows = acme.read("memo").compute("inverse", Long.class, "1 / (id - 2500)").stream()) {
                rows.forEach(row -> seen.add(row.get("id")));
            }
        }).isInstanceOf(DatabaseException.class).hasMessageContaining("memo")
                .satisfies(e -> assertThat(((AshlarException) e).sqlState()).contains("22012"));
        // The first two batches were handed over; the third failed as the server made it.
        assertThat(seen).hasSize(2_000);
        assertThat(db.activeConnections()).isZero();
        assertThat(idleInTransaction()).isZero();
    }

    @Test
    void aStreamInATenantsScopeNeverYieldsAnotherTenantsRowsNorRowsTheBaseFilterHides() {
        try (Stream<Row> rows = acme.read("memo").where(or(eq("org", "globex"), eq("title", "m1"),
                eq("title", "secret"), eq("title", "m7"), eq("loud", "GONE"))).stream()) {
            assertThat(rows.toList()).singleElement().satisfies(row -> {
                assertThat(row.get("id")).isEqualTo(1);
                assertThat(row.tenant()).contains("acme");
            });
        }
        try (Stream<Row> rows = ashlar.withTenant("globex").read("memo").sort(Sort.asc("id")).stream()) {
            assertThat(rows.map(row -> row.getString("title"))).containsExactly("secret", "m1");
        }
        assertThatThrownBy(() -> ashlar.read(Memo.MEMOS).where(Memo.ORG.eq("globex")).stream())
                .isInstanceOf(QueryException.class).hasMessageContaining("tenant");
        try (Stream<Memo> memos = ashlar.withTenant("globex").read(Memo.MEMOS).where(Memo.ID.lt(50_002)
                .or(Memo.TITLE.eq("gone"))).stream()) {
            assertThat(memos.map(Memo::title)).containsExactly("secret");
        }
        assertThat(db.activeConnections()).isZero();
    }

    @Test
    void anotherTenantsActionsBetweenFetchesOfATenantsStreamLeaveItToItsTenantsRows() {
        List<String> orgs = new ArrayList<>();
        ashlar.transaction(tx -> {
            try (Stream<Row> rows = tx.withTenant("acme").read("memo").where(lt("id", 3_000)).fetchSize(100)
                    .stream()) {
                Iterator<Row> each = rows.iterator();
                orgs.add(each.next().getString("org"));
                tx.withTenant("globex").create("memo", Map.of("title", "late"));
                assertThat(tx.withTenant("globex").read("memo").list()).hasSize(3);
                each.forEachRemaining(row -> orgs.add(row.getString("org")));
            }
            tx.setRollbackOnly();
            return null;
        });

        assertThat(orgs).hasSize(2_998).containsOnly("acme");
    }

    @Test
    void theTypedStreamAppliesTheReadsFilterSortLimitAndCalculation() {
        try (Stream<Memo> memos = acme.read(Memo.MEMOS).where(Memo.LOUD.eq("M49999").or(Memo.ID.gt(49_990)))
                .sort(Memo.ID.desc()).offset(1).limit(3).stream()) {
            assertThat(memos.map(Memo::id)).containsExactly(49_999, 49_998, 49_997);
        }
        try (Stream<Loud> louds = acme.read(Memo.MEMOS).where(Memo.ID.lt(3)).sort(Memo.ID.asc()).load(Memo.LOUD)
                .stream(Loud.class)) {
            assertThat(louds).containsExactly(new Loud(1, "M1"), new Loud(2, "M2"));
        }
        assertThat(acme.read("memo").where(eq("id", 3)).stream(Memo.class).map(Memo::title)).containsExactly("m3");
        assertThat(db.activeConnections()).isZero();
    }

    @Test
    void aLockingStreamHoldsItsLocksUntilClosedAndWaitsOnlyAsLongAsItsLockWait() throws Exception {
        try (Stream<Row> rows = acme.read("memo").where(eq("id", 1)).lock(Lock.FOR_UPDATE).stream()) {
            rows.iterator().next();
            assertThatThrownBy(() -> db.execute("SELECT id FROM memos WHERE id = 1 FOR UPDATE NOWAIT"))
                    .hasMessageContaining("could not obtain lock");
        }
        db.execute("SELECT id FROM memos WHERE id = 1 FOR UPDATE NOWAIT");

        try (Connection holder = db.dataSource().getConnection(); Statement lock = holder.createStatement()) {
            holder.setAutoCommit(false);
            lock.execute("SELECT id FROM memos WHERE id = 2 FOR UPDATE");
            assertThatThrownBy(() -> {
                try (Stream<Row> rows = acme.read("memo").where(eq("id", 2))
                        .lock(Lock.FOR_UPDATE, Duration.ofMillis(200)).stream()) {
                    rows.count();
                }
            }).isInstanceOf(ConcurrencyException.class)
                    .satisfies(e -> assertThat(((AshlarException) e).code()).isEqualTo(ErrorCode.LOCK_NOT_AVAILABLE));
            assertThat(db.activeConnections()).as("the holder's only").isEqualTo(1);
            holder.rollback();
        }
    }

    @Test
    void aStreamWithLoadsOrBeforeACursorIsRefusedSayingWhatToDo() {
        assertThatThrownBy(() -> acme.read("memo").load("owner").stream()).isInstanceOf(QueryException.class)
                .hasMessageContaining("loads no relationships");
        assertThatThrownBy(() -> acme.read("memo").sort(Sort.asc("id")).before(5).stream())
                .isInstanceOf(QueryException.class).hasMessageContaining("after(...) with the sorts reversed");
        assertThat(db.activeConnections()).isZero();
    }

    @Test
    void aStreamDroppedUnclosedIsReportedNamingTheResourceAndItsConnectionGivenBack() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("dev.ashlar.kernel.data.internal.CursorStream");
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            pullOneRowAndDrop();
            assertThat(db.activeConnections()).isEqualTo(1);
            for (int i = 0; i < 100 && db.activeConnections() > 0; i++) {
                System.gc();
                Thread.sleep(50);
            }
            assertThat(db.activeConnections()).isZero();
            assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage)
                    .anySatisfy(message -> assertThat(message).contains("A stream over memo was dropped without "
                            + "being closed"));
        } finally {
            logger.detachAppender(logged);
        }
    }

    private void pullOneRowAndDrop() {
        acme.read("memo").stream().iterator().next();
    }

    @Test
    void aStreamDroppedUnclosedInTheCallersTransactionIsReportedAndLeftToThatTransaction() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("dev.ashlar.kernel.data.internal.CursorStream");
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            long[] cursors = new long[2];
            ashlar.transaction(tx -> {
                tx.withTenant("acme").create("memo", Map.of("title", "draft"));
                pullOneRowAndDrop(tx);
                cursors[0] = openCursors();
                for (int i = 0; i < 100 && logged.list.stream().noneMatch(event -> event.getFormattedMessage()
                        .contains("A stream over memo was dropped")); i++) {
                    System.gc();
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                }
                cursors[1] = openCursors();
                return tx.withTenant("acme").create("memo", Map.of("title", "draft"));
            });

            assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage)
                    .anySatisfy(message -> assertThat(message).contains("A stream over memo was dropped without being "
                            + "closed").contains("a transaction it does not own"));
            assertThat(cursors[0]).as("the stream's cursor, open in the transaction").isEqualTo(1);
            assertThat(cursors[1]).as("left open by the cleaner's thread, for the transaction to end").isEqualTo(1);
            assertThat(db.value("SELECT count(*) FROM memos WHERE title = 'draft'")).isEqualTo(2L);
            assertThat(db.activeConnections()).isZero();
        } finally {
            logger.detachAppender(logged);
        }
    }

    @Test
    void twoStreamsInOneTransactionClosedInEitherOrderGiveItBackItsStatementTimeout() {
        for (boolean openingOrder : new boolean[]{true, false}) {
            List<String> timeouts = ashlar.transaction(tx -> {
                List<String> seen = new ArrayList<>();
                seen.add(statementTimeout());
                Stream<Row> first = tx.withTimeout(Duration.ofSeconds(5)).withTenant("acme").read("memo").stream();
                Stream<Row> second = tx.withTimeout(Duration.ofSeconds(7)).withTenant("acme").read("memo").stream();
                seen.add(statementTimeout());
                (openingOrder ? first : second).close();
                seen.add(statementTimeout());
                (openingOrder ? second : first).close();
                seen.add(statementTimeout());
                return seen;
            });

            assertThat(timeouts.get(1)).isEqualTo("7s");
            assertThat(timeouts.get(2)).as("the stream still open keeps its bound").isEqualTo(openingOrder ? "7s" : "5s");
            assertThat(timeouts.get(3)).as("closed " + (openingOrder ? "in opening order" : "last first"))
                    .isEqualTo(timeouts.get(0));
        }
    }

    private String statementTimeout() {
        return ashlar.sql("SELECT current_setting('statement_timeout')").value(String.class);
    }

    private static void pullOneRowAndDrop(Ashlar tx) {
        tx.withTenant("acme").read("memo").stream().iterator().next();
    }
}
