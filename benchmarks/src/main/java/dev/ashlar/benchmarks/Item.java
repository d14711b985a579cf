package dev.ashlar.benchmarks;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The Java record every side maps rows onto: scalars, a {@code text[]} and a {@code jsonb} (as its text).
 * The key is null before the database assigns it, so the typed API's create leaves it out.
 */
public record Item(Long id, String name, String email, Integer category, BigDecimal price, Instant createdAt,
                   Boolean active, List<String> tags, String attrs) {
}
