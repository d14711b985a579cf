package dev.ashlar.benchmarks;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The Java record both sides map rows onto, and the typed API's records in and out; the key is null
 * before the database assigns it, so a typed create leaves it out.
 */
public record Item(Long id, String name, String email, Integer category, BigDecimal price, Instant createdAt,
                   Boolean active) {
}
