package dev.ashlar.kernel.data;

import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.api.error.QueryException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A large object read as a live stream ({@code SqlQuery.largeObject()}): Jdbi's PostgreSQL plugin's
 * {@code TestLobStream} with its 64 MiB, and pgjdbc's {@code LargeObject.getInputStream()}: fetched in chunks inside
 * the caller's transaction, refused outside one and after it ends.
 */
class LargeObjectLiveStreamTest extends BlogDatabaseTest {
    private static final int BIG = 64 * 1024 * 1024;
    private static final int MIB = 1024 * 1024;

    @BeforeEach
    void table() {
        db.execute("CREATE TABLE IF NOT EXISTS live_files (id integer PRIMARY KEY, lob oid, n integer)");
        db.execute("SELECT lo_unlink(lob) FROM live_files WHERE lob IS NOT NULL");
        db.execute("TRUNCATE live_files");
    }

    private static long allocatedByThisThread() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private void store(int id, InputStream content) {
        ashlar.transaction(tx -> tx.sql("INSERT INTO live_files (id, lob) VALUES (?, ?)", id, content).execute());
    }

    @Test
    void aLiveReadWhoseSessionIsTerminatedBetweenChunksSaysTheTransactionWasLostWithWhatItWroteAndThePoolGoesOn() {
        store(1, JdbiStreamsParityTest.bytes(2 * MIB));
        db.execute("TRUNCATE posts, authors RESTART IDENTITY");

        Throwable failure = catchThrowable(() -> ashlar.transaction(tx -> {
            tx.create("author", Map.of("email", "ann@example.com"));
            Object pid = tx.sql("SELECT pg_backend_pid() AS pid").one().orElseThrow().get("pid");
            InputStream in = tx.sql("SELECT lob FROM live_files WHERE id = 1").largeObject();
            try {
                assertThat(in.readNBytes(MIB / 8)).hasSize(MIB / 8);
                db.execute("SELECT pg_terminate_backend(" + pid + ")");
                return in.readAllBytes().length;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));

        assertThat(failure).isInstanceOf(DatabaseException.class)
                .hasMessageContaining("Reading the large object of column 'lob' failed: the connection to the "
                        + "database was lost")
                .hasMessageContaining("The transaction it ran in was lost and rolled back, with everything it wrote");
        assertThat(db.value("SELECT count(*) FROM authors")).isEqualTo(0L);
        assertThat(db.activeConnections()).isZero();
        assertThat(ashlar.create("author", Map.of("email", "bob@example.com")).getString("email"))
                .isEqualTo("bob@example.com");
    }

    @Test
    void a64MiBLargeObjectIsReadLiveInChunksWithoutHoldingItInMemory() throws Exception {
        store(1, JdbiStreamsParityTest.bytes(BIG));
        String expected = (String) db.value("SELECT md5(lo_get(lob)) FROM live_files WHERE id = 1");

        long[] measured = ashlar.transaction(tx -> {
            try {
                long heapBefore = heapAfterGc();
                long allocatedBefore = allocatedByThisThread();
                InputStream in = tx.sql("SELECT lob FROM live_files WHERE id = ?", 1).largeObject();
                MessageDigest digest = MessageDigest.getInstance("MD5");
                byte[] buffer = new byte[MIB];
                int first = in.readNBytes(buffer, 0, MIB);
                digest.update(buffer, 0, first);
                long allocatedForFirstMiB = allocatedByThisThread() - allocatedBefore;
                long total = first;
                long heapMidway = 0;
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    digest.update(buffer, 0, read);
                    total += read;
                    if (heapMidway == 0 && total >= BIG / 2) {
                        heapMidway = heapAfterGc() - heapBefore;
                    }
                }
                in.close();
                assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(expected);
                return new long[] {total, allocatedForFirstMiB, heapMidway};
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(measured[0]).isEqualTo(BIG);
        // Read whole into memory, the first MiB alone would cost the 64 MiB; live, a few chunks of 256 KiB.
        assertThat(measured[1]).isLessThan(4L * MIB);
        assertThat(measured[2]).isLessThan(16L * MIB);
    }

    @Test
    void aLargeObjectReadAfterItsTransactionCommittedOrRolledBackIsRefusedNamingTheColumn() {
        store(1, JdbiStreamsParityTest.bytes(3 * MIB));
        InputStream committed = ashlar.transaction(tx -> {
            InputStream in = tx.sql("SELECT lob FROM live_files WHERE id = 1").largeObject();
            assertThat(readQuietly(in, 10)).isEqualTo(10);
            return in;
        });
        assertThatThrownBy(() -> committed.readAllBytes())
                .isInstanceOf(QueryException.class).hasMessageContaining("column 'lob'")
                .hasMessageContaining("after the transaction that opened it ended");

        InputStream[] rolledBack = new InputStream[1];
        assertThatThrownBy(() -> ashlar.transaction(tx -> {
            rolledBack[0] = tx.sql("SELECT lob FROM live_files WHERE id = 1").largeObject();
            throw new IllegalStateException("body failed");
        })).hasMessage("body failed");
        assertThatThrownBy(() -> rolledBack[0].read())
                .isInstanceOf(QueryException.class).hasMessageContaining("after the transaction that opened it ended");
    }

    @Test
    void aLargeObjectFromAnEndedTransactionIsRefusedInsideALaterOneOnTheSameThread() {
        store(1, JdbiStreamsParityTest.bytes(MIB));
        store(2, JdbiStreamsParityTest.bytes(MIB));
        InputStream first = ashlar.transaction(tx -> tx.sql("SELECT lob FROM live_files WHERE id = 1").largeObject());
        // The next transaction may open another object under the same descriptor number: the old stream must not
        // read it.
        int read = ashlar.transaction(tx -> {
            InputStream second = tx.sql("SELECT lob FROM live_files WHERE id = 2").largeObject();
            assertThatThrownBy(first::read).isInstanceOf(QueryException.class)
                    .hasMessageContaining("after the transaction that opened it ended");
            return readQuietly(second, MIB + 1);
        });
        assertThat(read).isEqualTo(MIB);
    }

    @Test
    void aLargeObjectOpenedInASavepointRolledBackIsRefusedRatherThanReadingTheNextObjectUnderItsDescriptor() {
        store(1, JdbiStreamsParityTest.bytes(10));
        store(2, JdbiStreamsParityTest.bytes(20));
        int read = ashlar.transaction(tx -> {
            InputStream[] stale = new InputStream[1];
            assertThatThrownBy(() -> tx.transaction(inner -> {
                stale[0] = inner.sql("SELECT lob FROM live_files WHERE id = 1").largeObject();
                throw new IllegalStateException("savepoint rolled back");
            })).hasMessage("savepoint rolled back");
            InputStream second = tx.sql("SELECT lob FROM live_files WHERE id = 2").largeObject();

            assertThatThrownBy(stale[0]::read).isInstanceOf(QueryException.class)
                    .hasMessageContaining("savepoint it was opened in was rolled back");
            return readQuietly(second, 100);
        });
        assertThat(read).isEqualTo(20);
    }

    @Test
    void aLargeObjectIsRefusedOutsideATransactionAndNothingIsOpened() {
        store(1, JdbiStreamsParityTest.bytes(10));
        assertThatThrownBy(() -> ashlar.sql("SELECT lob FROM live_files WHERE id = 1").largeObject())
                .isInstanceOf(QueryException.class).hasMessageContaining("lives in a transaction")
                .hasMessageContaining("inside ashlar.transaction");
    }

    @Test
    void aStatementReturningNoRowANullOrAnotherTypeIsRefusedWithTheFix() {
        db.execute("INSERT INTO live_files (id, lob, n) VALUES (1, NULL, 5), (2, NULL, 6)");
        ashlar.transaction(tx -> {
            assertThatThrownBy(() -> tx.sql("SELECT lob FROM live_files WHERE id = 9").largeObject())
                    .isInstanceOf(QueryException.class).hasMessageContaining("select the oid column alone");
            assertThatThrownBy(() -> tx.sql("SELECT n FROM live_files WHERE id = 1").largeObject())
                    .isInstanceOf(QueryException.class).hasMessageContaining("one row of one oid");
            assertThatThrownBy(() -> tx.sql("SELECT lob FROM live_files WHERE id = 1").largeObject())
                    .isInstanceOf(QueryException.class).hasMessageContaining("a null");
            return null;
        });
    }

    @Test
    void aLargeObjectReadLiveAsAReaderDecodesUtf8SplitAcrossChunks() {
        // An emoji is four bytes, so some fall across the 256 KiB chunks.
        String text = "a é 😀 ".repeat(100_000);
        ashlar.transaction(tx -> tx.sql("INSERT INTO live_files (id, lob) VALUES (1, ?)", new StringReader(text))
                .execute());
        String read = ashlar.transaction(tx -> {
            try (Reader reader = tx.sql("SELECT lob FROM live_files WHERE id = 1").largeObjectReader()) {
                StringBuilder out = new StringBuilder();
                reader.transferTo(new java.io.Writer() {
                    @Override
                    public void write(char[] chars, int offset, int length) {
                        out.append(chars, offset, length);
                    }

                    @Override
                    public void flush() {
                    }

                    @Override
                    public void close() {
                    }
                });
                return out.toString();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertThat(read).isEqualTo(text);
    }

    @Test
    void aLargeObjectClosedEarlyLeavesTheTransactionUsableAndRefusesAFurtherRead() {
        store(1, JdbiStreamsParityTest.bytes(MIB));
        ashlar.transaction(tx -> {
            InputStream in = tx.sql("SELECT lob FROM live_files WHERE id = 1").largeObject();
            assertThat(readQuietly(in, 5)).isEqualTo(5);
            try {
                in.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            assertThatThrownBy(() -> in.readNBytes(256 * 1024 + 1))
                    .isInstanceOf(QueryException.class).hasMessageContaining("after its stream was closed");
            tx.sql("UPDATE live_files SET n = 1 WHERE id = 1").execute();
            return null;
        });
        assertThat(db.value("SELECT n FROM live_files WHERE id = 1")).isEqualTo(1);
    }

    private static int readQuietly(InputStream in, int length) {
        try {
            return in.readNBytes(length).length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
