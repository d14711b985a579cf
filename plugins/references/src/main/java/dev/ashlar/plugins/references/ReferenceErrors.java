package dev.ashlar.plugins.references;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.spi.plugin.Action;
import dev.ashlar.spi.plugin.DatabaseError;
import dev.ashlar.spi.plugin.QueryContext;
import dev.ashlar.api.resource.HasMany;
import dev.ashlar.api.resource.HasOne;
import dev.ashlar.api.resource.Relationship;
import dev.ashlar.api.resource.Resource;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns a foreign-key violation ({@code 23503}) on one of the keys this plugin made into a field
 * error. PostgreSQL reports both sides of a violation on the referencing table, so the action tells
 * them apart: a destroy (or an update of the referenced resource's key) would leave rows behind;
 * anything else points at a parent that does not exist.
 */
final class ReferenceErrors {
    /** The detail of a violation on the referenced side; only read for a row that references its own table. */
    private static final String STILL_REFERENCED = "is still referenced";

    private ReferenceErrors() {
    }

    static Optional<AshlarException> map(DatabaseError error, QueryContext context) {
        if (!DatabaseError.FOREIGN_KEY_VIOLATION.equals(error.sqlState()) || error.constraint() == null
                || error.table() == null) {
            return Optional.empty();
        }
        return ForeignKey.onTable(context.domain(), error.table())
                .filter(key -> key.name().equals(error.constraint()))
                .min(Comparator.comparing(key -> !key.owner().schemaOrDefault().equals(error.schema())))
                .map(key -> new InvalidDataException(context.resource().name(), context.action().toString(),
                        List.of(fieldError(key, error, context).at(key.owner().columnOf(key.relationship().attribute()),
                                key.name())),
                        error.sqlState(), null));
    }

    private static FieldError fieldError(ForeignKey key, DatabaseError error, QueryContext context) {
        if (!leavesRowsBehind(key, error, context)) {
            // Read as "<relationship> does not exist": the field names the relationship, the message completes it.
            return new FieldError(key.relationship().name(), "does not exist");
        }
        String field = context.resource().name().equals(key.destination().name())
                ? inverse(key).map(Relationship::name).orElse(key.owner().name()) : key.owner().name();
        String option = key.toSource()
                ? "set polymorphicOnDelete(...) in the references section of resource '" + key.destination().name() + "'"
                : "set on_delete on reference(\"" + key.relationship().name() + "\") of resource '" + key.owner().name() + "'";
        return new FieldError(field, "would leave " + key.owner().name() + " records behind: delete them first or "
                + option);
    }

    private static boolean leavesRowsBehind(ForeignKey key, DatabaseError error, QueryContext context) {
        if (context.action() == Action.DESTROY) {
            return true;
        }
        if (context.action() != Action.UPDATE) {
            return false;
        }
        String acting = context.resource().name();
        if (!acting.equals(key.owner().name())) {
            return acting.equals(key.destination().name());
        }
        return acting.equals(key.destination().name()) && error.detail() != null
                && error.detail().contains(STILL_REFERENCED);
    }

    /** The destination's has-many or has-one that reads the same key back, e.g. {@code post.comments}. */
    private static Optional<Relationship> inverse(ForeignKey key) {
        Resource destination = key.destination();
        return destination.relationships().stream()
                .filter(r -> r instanceof HasMany || r instanceof HasOne)
                .filter(r -> r.destination().equals(key.owner().name())
                        && Objects.equals(r.destinationAttribute(), key.relationship().attribute()))
                .findFirst();
    }
}
