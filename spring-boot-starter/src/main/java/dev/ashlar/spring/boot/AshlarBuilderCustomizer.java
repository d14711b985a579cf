package dev.ashlar.spring.boot;

import dev.ashlar.kernel.Ashlar;

/**
 * Changes the builder of the auto-configured {@link Ashlar} before it is built: a bean of this type is
 * applied to it, in {@code @Order}.
 */
@FunctionalInterface
public interface AshlarBuilderCustomizer {
    /** Adjusts the builder, e.g. installs a plugin configured by hand or sets timeouts. */
    void customize(Ashlar.Builder builder);
}
