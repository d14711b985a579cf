package dev.ashlar.api.resource;

/**
 * Who an action runs for, as a {@link Policy} sees it: the user a handle names ({@code ashlar.withUser(user)}, or the
 * builder's {@code currentUser(...)}) and the tenant it acts for.
 *
 * @param id     the user, as given (a key, a session's principal); never null
 * @param tenant the handle's tenant, or null for a handle without one
 */
public record Actor(Object id, String tenant) {
}
