package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Jdbi's PostgreSQL plugin's {@code TestLobStream} ({@code blobCrud}, {@code clobCrud}: an {@code InputStream} and a
 * {@code Reader} stored as large objects in an {@code oid} column, read back and unlinked in a transaction) and its
 * core's stream arguments (an {@code InputStream} to a {@code bytea}, a {@code Reader} to a {@code text}), restated
 * on statements written by hand.
 */
class JdbiStreamsParityTest extends BlogDatabaseTest {
    private static final int BIG = 16 * 1024 * 1024;
    private static final String TEXT = "plain, accented é, and an emoji 😀 split nowhere special";

    record File(int id, InputStream data, Reader body) {
    }

    @BeforeEach
    void table() {
        db.execute("CREATE TABLE IF NOT EXISTS files (id integer PRIMARY KEY, data bytea, body text, lob oid)");
        db.execute("SELECT lo_unlink(lob) FROM files WHERE lob IS NOT NULL");
        db.execute("TRUNCATE files");
    }

    private long largeObjects() {
        return (Long) db.value("SELECT count(*) FROM pg_largeobject_metadata");
    }

    /** Bytes 0..255 repeated, {@code size} of them: {@code TestLobStream}'s {@code IntsInputStream}. */
    static InputStream bytes(int size) {
        return new InputStream() {
            private int count;

            @Override
            public int read() {
                return count < size ? count++ % 256 : -1;
            }
        };
    }

    private static String md5(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("MD5");
        byte[] chunk = new byte[65536];
        for (int read = in.read(chunk); read >= 0; read = in.read(chunk)) {
            digest.update(chunk, 0, read);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String text(Reader reader) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int c = reader.read(); c >= 0; c = reader.read()) {
            text.append((char) c);
        }
        return text.toString();
    }

    /** A stream that says when it was closed. */
    static final class Watched extends FilterInputStream {
        final AtomicBoolean closed = new AtomicBoolean();

        Watched(InputStream in) {
            super(in);
        }

        @Override
        public void close() throws IOException {
            closed.set(true);
            super.close();
        }
    }

    @Test
    void anInputStreamAndAReaderBindToByteaAndTextClosedOnceReadAndReadBackAsStreams() throws Exception {
        Watched data = new Watched(new ByteArrayInputStream(new byte[] {0, 1, (byte) 0xff, 42}));
        ashlar.sql("INSERT INTO files (id, data, body) VALUES (1, ?, ?)", data, new StringReader(TEXT)).execute();
        ashlar.sql("INSERT INTO files (id, data, body) VALUES (2, :data, :body)")
                .bind("data", bytes(100_000)).bind("body", new StringReader("")).execute();

        assertThat(data.closed).isTrue();
        assertThat(db.value("SELECT encode(data, 'hex') || '/' || body FROM files WHERE id = 1"))
                .isEqualTo("0001ff2a/" + TEXT);
        assertThat(db.value("SELECT octet_length(data) || ':' || md5(data) FROM files WHERE id = 2"))
                .isEqualTo("100000:" + md5(bytes(100_000)));
        assertThat(ashlar.sql("SELECT data FROM files WHERE id = 1").value(InputStream.class).readAllBytes())
                .containsExactly(0, 1, 0xff, 42);
        assertThat(text(ashlar.sql("SELECT body FROM files WHERE id = 1").value(Reader.class))).isEqualTo(TEXT);
        Row row = ashlar.sql("SELECT data, body FROM files WHERE id = 2").one().orElseThrow();
        assertThat(md5(row.get("data", InputStream.class))).isEqualTo(md5(bytes(100_000)));
        File file = ashlar.sql("SELECT id, data, body FROM files WHERE id = 1").one(File.class).orElseThrow();
        assertThat(file.data().readAllBytes()).hasSize(4);
        assertThat(text(file.body())).isEqualTo(TEXT);
    }

    /** A stream of {@code after} bytes that then fails on every read, as a lost disk does. */
    static Watched failing(int after, String message) {
        return new Watched(new InputStream() {
            private int count;

            @Override
            public int read() throws IOException {
                if (count++ >= after) {
                    throw new IOException(message);
                }
                return 7;
            }
        });
    }

    @Test
    void aStreamThatFailsPartWayIsRefusedNamingItsMarkAndNothingIsWrittenNorLeftOpen() {
        Watched failing = failing(5000, "disk went away");
        assertThatThrownBy(() -> ashlar.sql("INSERT INTO files (id, data) VALUES (1, :data)").bind("data", failing)
                .execute())
                .isInstanceOf(QueryException.class).hasMessageContaining("Value :data")
                .hasMessageContaining("disk went away").hasMessageContaining("nothing was written");
        assertThat(failing.closed).isTrue();
        long before = largeObjects();
        assertThatThrownBy(() -> ashlar.transaction(tx -> tx.sql("INSERT INTO files (id, lob) VALUES (1, ?)",
                new Reader() {
                    @Override
                    public int read(char[] buffer, int offset, int length) throws IOException {
                        throw new IOException("reader broke");
                    }

                    @Override
                    public void close() {
                    }
                }).execute()))
                .isInstanceOf(QueryException.class).hasMessageContaining("Value 1")
                .hasMessageContaining("reader broke");
        // The caller catches the failure and commits: the large object begun for the stream is gone all the same.
        ashlar.transaction(tx -> {
            assertThatThrownBy(() -> tx.sql("INSERT INTO files (id, lob) VALUES (1, :lob)")
                    .bind("lob", failing(200_000, "cut off")).execute())
                    .isInstanceOf(QueryException.class).hasMessageContaining("Value :lob")
                    .hasMessageContaining("cut off");
            return null;
        });
        assertThat(db.value("SELECT count(*) FROM files")).isEqualTo(0L);
        assertThat(largeObjects()).isEqualTo(before);
    }

    @Test
    void aStreamReadByAnEarlierRunOrMarkIsRefusedRatherThanSentEmpty() {
        var insert = ashlar.sql("INSERT INTO files (id, data) VALUES ((SELECT count(*) + 1 FROM files), :data)")
                .bind("data", new ByteArrayInputStream(new byte[] {1, 2, 3}));
        insert.execute();
        assertThatThrownBy(insert::execute)
                .isInstanceOf(QueryException.class).hasMessageContaining("Value :data")
                .hasMessageContaining("already read").hasMessageContaining("bind a new one for each run");
        assertThatThrownBy(() -> ashlar.sql("INSERT INTO files (id, data, body) VALUES (9, :d, encode(:d, 'hex'))")
                .bind("d", new ByteArrayInputStream(new byte[] {4})).execute())
                .isInstanceOf(QueryException.class).hasMessageContaining("already read");
        assertThat(db.value("SELECT count(*) || ':' || encode(string_agg(data, ''), 'hex') FROM files"))
                .isEqualTo("1:010203");
    }

    @Test
    void aStreamWhoseCloseFailsAfterItsReadFailedKeepsTheReadFailureWithTheCloseOneSuppressed() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("read broke");
            }

            @Override
            public void close() throws IOException {
                throw new IOException("close broke");
            }
        };
        assertThatThrownBy(() -> ashlar.sql("INSERT INTO files (id, data) VALUES (1, ?)", broken).execute())
                .isInstanceOf(QueryException.class).hasMessageContaining("Value 1").hasMessageContaining("read broke")
                .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
                        .containsExactly("close broke"));
        assertThat(db.value("SELECT count(*) FROM files")).isEqualTo(0L);
    }

    @Test
    void aLaterStreamFailingUnlinksTheLargeObjectMadeForAnEarlierOneEvenWhenTheCallerCommits() {
        long before = largeObjects();
        ashlar.transaction(tx -> {
            assertThatThrownBy(() -> tx.sql("INSERT INTO files (id, lob, data) VALUES (1, ?::oid, ?)", bytes(100),
                    failing(10, "second broke")).execute())
                    .isInstanceOf(QueryException.class).hasMessageContaining("Value 2")
                    .hasMessageContaining("second broke");
            return null;
        });
        assertThat(largeObjects()).isEqualTo(before);
        assertThat(db.value("SELECT count(*) FROM files")).isEqualTo(0L);
        // The same statement with a second stream that reads makes the large object, so the one above was made.
        ashlar.transaction(tx -> tx.sql("INSERT INTO files (id, lob, data) VALUES (1, ?::oid, ?)", bytes(100),
                bytes(3)).execute());
        assertThat(largeObjects()).isEqualTo(before + 1);
        assertThat(db.value("SELECT length(lo_get(lob)) FROM files")).isEqualTo(100);
    }

    /** {@code TestLobStream.blobCrud}: 16 MiB in, the same bytes out, then unlinked. */
    @Test
    void anInputStreamBoundToAnOidIsStoredAsALargeObjectReadBackAndUnlinkedInATransaction() throws Exception {
        long before = largeObjects();
        String expected = md5(bytes(BIG));
        ashlar.transaction(tx -> tx.sql("INSERT INTO files (id, lob) VALUES (1, ?)", bytes(BIG)).execute());

        assertThat(largeObjects()).isEqualTo(before + 1);
        assertThat(db.value("SELECT md5(lo_get(lob)) || ':' || length(lo_get(lob)) FROM files WHERE id = 1"))
                .isEqualTo(expected + ":" + BIG);
        String read = ashlar.transaction(tx -> {
            try {
                return md5(tx.sql("SELECT lob FROM files WHERE id = :id").bind("id", 1).value(InputStream.class));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(read).isEqualTo(expected);
        List<InputStream> none = ashlar.transaction(tx -> tx.sql("SELECT lob FROM files WHERE id = 2")
                .values(InputStream.class));
        assertThat(none).isEmpty();
        ashlar.transaction(tx -> tx.sql("WITH gone AS (DELETE FROM files WHERE id = 1 RETURNING lob) "
                + "SELECT lo_unlink(lob) FROM gone").list());
        assertThat(largeObjects()).isEqualTo(before);
    }

    /** {@code TestLobStream.clobCrud}: a reader's characters stored as UTF-8 and read back as the same text. */
    @Test
    void aReaderBoundToAnOidIsStoredAsUtf8AndReadBackAsTheSameCharacters() {
        String big = TEXT.repeat(5000);
        ashlar.transaction(tx -> tx.sql("INSERT INTO files (id, lob) VALUES (2, ?)", new StringReader(big)).execute());

        assertThat(db.value("SELECT convert_from(lo_get(lob), 'UTF8') = ? FROM files WHERE id = 2", big))
                .isEqualTo(true);
        String read = ashlar.transaction(tx -> {
            try {
                return text(tx.sql("SELECT lob FROM files WHERE id = 2").value(Reader.class));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(read).isEqualTo(big);
    }

    @Test
    void largeObjectsOutsideATransactionAreRefusedClosingTheStreamAndCreatingNone() {
        long before = largeObjects();
        Watched data = new Watched(bytes(10));
        assertThatThrownBy(() -> ashlar.sql("INSERT INTO files (id, lob) VALUES (1, ?)", data).execute())
                .isInstanceOf(QueryException.class).hasMessageContaining("Value 1")
                .hasMessageContaining("large object").hasMessageContaining("ashlar.transaction(...)");
        assertThat(data.closed).isTrue();
        assertThat(largeObjects()).isEqualTo(before);
        assertThat(db.value("SELECT count(*) FROM files")).isEqualTo(0L);

        ashlar.transaction(tx -> tx.sql("INSERT INTO files (id, lob) VALUES (1, ?)", bytes(10)).execute());
        assertThatThrownBy(() -> ashlar.sql("SELECT lob FROM files").value(InputStream.class))
                .isInstanceOf(QueryException.class).hasMessageContaining("'lob'")
                .hasMessageContaining("ashlar.transaction(...)");
        assertThat(ashlar.sql("SELECT lob::bigint FROM files").value(Long.class)).isPositive();
    }
}
