package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.BINARY;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Streams as attribute values of the data API: an {@code InputStream} for a {@code bytea} attribute and a
 * {@code Reader} for a {@code text} one in creates, updates, bulk writes and upserts, read to their end and closed
 * before anything is sent; a {@code bytea} attribute read back as an {@code InputStream}.
 */
class AttributeStreamsTest extends FreshDomainTest {
    static final Resource FILE = Resource.builder("file").table("files").integerPrimaryKey("id")
            .attribute("name", TEXT, a -> a.notNull()).attribute("data", BINARY).attribute("body", TEXT)
            .build();

    record Stored(Integer id, String name, InputStream data, Reader body) {
    }

    private Ashlar migrated() {
        return migrated(FILE);
    }

    @Test
    void anInputStreamAndAReaderAreStoredInByteaAndTextAttributesAndTheStreamsClosed() throws Exception {
        try (Ashlar ashlar = migrated()) {
            JdbiStreamsParityTest.Watched data = new JdbiStreamsParityTest.Watched(
                    new ByteArrayInputStream(new byte[] {0, 1, (byte) 0xff, 42}));
            Row created = ashlar.create("file", Map.of("name", "a", "data", data, "body",
                    new StringReader("é and 😀")));

            assertThat(data.closed).isTrue();
            assertThat(db.value("SELECT encode(data, 'hex') || '/' || body FROM files WHERE id = ?",
                    created.get("id"))).isEqualTo("0001ff2a/é and 😀");
            assertThat(created.get("data", InputStream.class).readAllBytes()).containsExactly(0, 1, 0xff, 42);

            ashlar.update(created, Map.of("data", new ByteArrayInputStream(new byte[100_000]),
                    "body", new StringReader("edited")));
            assertThat(db.value("SELECT octet_length(data) || '/' || body FROM files")).isEqualTo("100000/edited");
        }
    }

    @Test
    void streamsAreStoredByBulkCreatesUpdatesOfAQueryAndUpserts() {
        try (Ashlar ashlar = migrated()) {
            ashlar.createAll("file", List.of(
                    Map.of("name", "b1", "data", new ByteArrayInputStream(new byte[] {1}),
                            "body", new StringReader("x")),
                    Map.of("name", "b2", "data", new ByteArrayInputStream(new byte[] {2, 2}))));
            ashlar.read("file").where(Filter.eq("name", "b2"))
                    .updateAll(Map.of("body", new StringReader("set by a query")));
            ashlar.upsert("file", Map.of("id", 1, "name", "b1", "data", new ByteArrayInputStream(new byte[] {9, 9, 9})),
                    dev.ashlar.kernel.data.Upsert.onPrimaryKey());

            assertThat(db.query("SELECT name, encode(data, 'hex') AS hex, body FROM files ORDER BY name"))
                    .containsExactly(Map.of("name", "b1", "hex", "090909", "body", "x"),
                            Map.of("name", "b2", "hex", "0202", "body", "set by a query"));
        }
    }

    @Test
    void aByteaAttributeIsReadAsAnInputStreamFromARowAndIntoARecordComponent() throws Exception {
        try (Ashlar ashlar = migrated()) {
            ashlar.create("file", Map.of("name", "r", "data", new byte[] {5, 6}, "body", "text"));

            Row row = ashlar.read("file").one().orElseThrow();
            assertThat(row.get("data", InputStream.class).readAllBytes()).containsExactly(5, 6);
            Stored stored = ashlar.read("file").list(Stored.class).get(0);
            assertThat(stored.data().readAllBytes()).containsExactly(5, 6);
            char[] text = new char[4];
            assertThat(stored.body().read(text)).isEqualTo(4);
            assertThat(new String(text)).isEqualTo("text");
        }
    }

    @Test
    void aStreamThatFailsPartWayIsRefusedNamingTheFieldClosedAndNothingIsWritten() {
        try (Ashlar ashlar = migrated()) {
            Row kept = ashlar.create("file", Map.of("name", "kept", "data", new byte[] {1}));
            JdbiStreamsParityTest.Watched broken = JdbiStreamsParityTest.failing(5000, "disk went away");
            assertThatThrownBy(() -> ashlar.create("file", Map.of("name", "new", "data", broken)))
                    .isInstanceOf(InvalidDataException.class).hasMessageContaining("data")
                    .hasMessageContaining("disk went away").hasMessageContaining("nothing was written");
            assertThat(broken.closed).isTrue();
            Reader brokenReader = new Reader() {
                @Override
                public int read(char[] buffer, int offset, int length) throws IOException {
                    throw new IOException("reader broke");
                }

                @Override
                public void close() {
                }
            };
            assertThatThrownBy(() -> ashlar.update(kept, Map.of("name", "changed", "body", brokenReader)))
                    .isInstanceOf(InvalidDataException.class).hasMessageContaining("body")
                    .hasMessageContaining("reader broke");

            assertThat(db.query("SELECT name, encode(data, 'hex') AS hex FROM files"))
                    .containsExactly(Map.of("name", "kept", "hex", "01"));
        }
    }

    @Test
    void aStreamAlreadyReadByAnEarlierWriteIsRefusedRatherThanStoredEmpty() {
        try (Ashlar ashlar = migrated()) {
            InputStream once = new ByteArrayInputStream(new byte[] {3});
            ashlar.create("file", Map.of("name", "first", "data", once));
            assertThatThrownBy(() -> ashlar.create("file", Map.of("name", "second", "data", once)))
                    .isInstanceOf(InvalidDataException.class).hasMessageContaining("data")
                    .hasMessageContaining("already read");
            assertThat(db.value("SELECT count(*) FROM files")).isEqualTo(1L);
        }
    }
}
