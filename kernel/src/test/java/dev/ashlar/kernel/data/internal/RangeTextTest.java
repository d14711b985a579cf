package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.data.Range;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The server's text of a range, as a session in any time zone writes it. */
class RangeTextTest {

    @Test
    void readsATstzrangeWrittenWithTheOffsetsOfAnySessionTimeZone() {
        Range<?> range = RangeText.parse("[\"2025-07-01 17:30:00.5+05:30\",\"2025-07-01 05:00:00-08\")",
                RangeText.bounds("timestamptz"));

        assertThat(range).isEqualTo(Range.closedOpen(Instant.parse("2025-07-01T12:00:00.5Z"),
                Instant.parse("2025-07-01T13:00:00Z")));
    }

    @Test
    void refusesAnInfiniteBoundWhichARangeCannotHold() {
        assertThatThrownBy(() -> RangeText.parse("[2025-07-01,infinity)", RangeText.bounds("date")))
                .isInstanceOf(Codec.RejectedValue.class).hasMessageContaining("infinite bound");
    }
}
