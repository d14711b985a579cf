package dev.ashlar.benchmarks;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** The Java record every side maps rows onto: scalars, a {@code text[]} and a {@code jsonb} (as its text). */
public record Item(long id, String name, String email, Integer category, BigDecimal price, Instant createdAt,
                   Boolean active, List<String> tags, String attrs) {
}
