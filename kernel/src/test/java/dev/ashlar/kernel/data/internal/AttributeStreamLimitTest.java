package dev.ashlar.kernel.data.internal;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.StringReader;
import java.io.ByteArrayInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A stream given as an attribute's value is read only up to the most PostgreSQL keeps in one value: an endless or
 * too long one is refused with the fix, and closed, rather than read until memory runs out.
 */
class AttributeStreamLimitTest {

    @Test
    void anEndlessInputStreamIsRefusedOnceItPassesTheLimitAndIsClosed() {
        Endless endless = new Endless();

        assertThatThrownBy(() -> StreamValues.attributeValue(endless, 1024))
                .isInstanceOf(Codec.RejectedValue.class).hasMessageContaining("longer than 1024")
                .hasMessageContaining("large object");
        assertThat(endless.closed).isTrue();
        assertThat(endless.served).as("read no further than the limit and one byte").isLessThanOrEqualTo(1025 + 8192);
    }

    @Test
    void aReaderLongerThanTheLimitIsRefusedAndOneOfExactlyTheLimitIsTaken() {
        assertThatThrownBy(() -> StreamValues.attributeValue(new StringReader("x".repeat(11)), 10))
                .isInstanceOf(Codec.RejectedValue.class).hasMessageContaining("longer than 10");
        assertThat(StreamValues.attributeValue(new StringReader("x".repeat(10)), 10)).isEqualTo("x".repeat(10));
        assertThat((byte[]) StreamValues.attributeValue(new ByteArrayInputStream(new byte[10]), 10)).hasSize(10);
    }

    @Test
    void theLimitIsWhatPostgresqlKeepsInOneValue() {
        assertThat(StreamValues.MAX_VALUE).isEqualTo(1024 * 1024 * 1024);
    }

    /** Zeros without end, counting what it served. */
    private static final class Endless extends InputStream {
        long served;
        boolean closed;

        @Override
        public int read() {
            served++;
            return 0;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            served += length;
            return length;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
