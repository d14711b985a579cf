package dev.ashlar.benchmarks;

import java.math.BigDecimal;
import java.time.Instant;

/** The Java record both sides map rows onto. */
public record Item(long id, String name, String email, Integer category, BigDecimal price, Instant createdAt,
                   Boolean active) {
}
