package dev.ashlar.api.resource;

import java.util.List;
import java.util.Objects;

/**
 * A named set of attributes whose values are unique together; the kernel creates a unique index
 * for it and upserts can target it.
 *
 * @param name       the identity's name, e.g. {@code unique_email}
 * @param fields     the attributes, in index order
 * @param message    the error message when a value is taken, or {@code null} for "... has already been taken"
 * @param allTenants for a resource with a tenant column: {@code true} makes the values unique across all
 *                   tenants; by default uniqueness holds per tenant
 */
public record Identity(String name, List<String> fields, String message, boolean allTenants) {
    public Identity {
        fields = List.copyOf(Objects.requireNonNull(fields, "fields"));
    }
}
