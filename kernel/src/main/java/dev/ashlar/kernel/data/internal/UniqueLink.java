package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.resource.Identity;

import java.util.List;

/**
 * Whether a relationship reaches at most one record because the destination's side of it is unique: its primary key,
 * or an identity of that one field over the whole table (Ash's one-to-one {@code has_one}). A partial identity
 * ({@code where}) leaves rows outside it free to repeat the value, and one unique per tenant leaves another tenant's
 * rows free to, where a read without a tenant sees them all.
 */
final class UniqueLink {
    private UniqueLink() {
    }

    static boolean oneRelated(Link link) {
        String key = link.destinationAttribute();
        if (link.custom() != null || key == null || link.through() != null) {
            return false;
        }
        ResourcePlan destination = link.destination();
        List<ColumnPlan> primaryKey = destination.primaryKey();
        if (primaryKey.size() == 1 && primaryKey.get(0).name().equals(key)) {
            return true;
        }
        boolean tenantColumn = !destination.tenantColumns().isEmpty();
        for (Identity identity : destination.resource().identities()) {
            if (identity.fields().equals(List.of(key)) && identity.where() == null
                    && (identity.allTenants() || !tenantColumn)) {
                return true;
            }
        }
        return false;
    }

    /** How a message names the destination's side of the relationship: {@code note.item_id}. */
    static String keyOf(Link link) {
        return link.destination().name() + "." + (link.destinationAttribute() == null ? "<its key>"
                : link.destinationAttribute());
    }
}
