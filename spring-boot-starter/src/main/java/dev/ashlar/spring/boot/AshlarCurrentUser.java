package dev.ashlar.spring.boot;

import dev.ashlar.kernel.Ashlar;

/**
 * Who the auto-configured {@link Ashlar} acts for when a handle names no user (Spring Data's {@code AuditorAware}):
 * the bean of this type is its builder's {@link Ashlar.Builder#currentUser currentUser(...)}, asked by each write
 * that fills a resource's {@code createdBy(...)}/{@code modifiedBy(...)} attributes, e.g. the signed-in user of
 * Spring Security's context. Null for no user.
 */
@FunctionalInterface
public interface AshlarCurrentUser {
    /** The user the current write acts for, or null for none. */
    Object currentUser();
}
