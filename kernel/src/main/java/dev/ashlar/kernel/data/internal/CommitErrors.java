package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.spi.plugin.Action;
import dev.ashlar.spi.plugin.DatabaseError;
import dev.ashlar.spi.plugin.QueryContext;

import java.sql.SQLException;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Function;

/**
 * Names the cause of a failed commit. A deferred constraint is checked only at {@code COMMIT}, when
 * no action is running: the resource is the one whose table the server names, and the action is
 * read from the violation (a key still referenced was left behind by a destroy; any other was
 * written by a create or an update). Any other failure, or one on no table of the domain, stays a
 * database error.
 */
final class CommitErrors {
    private static final String STILL_REFERENCED = "is still referenced";
    /** The class of SQL states of a broken constraint (unique, foreign key, check, exclusion). */
    private static final String INTEGRITY_VIOLATION = "23";

    private final Domain domain;
    private final ErrorMapper errors;
    private final Function<String, ResourcePlan> plans;

    CommitErrors(Domain domain, ErrorMapper errors, Function<String, ResourcePlan> plans) {
        this.domain = domain;
        this.errors = errors;
        this.plans = plans;
    }

    AshlarException map(SQLException exception) {
        DatabaseError error = ErrorMapper.describe(exception);
        boolean violation = error.sqlState() != null && error.sqlState().startsWith(INTEGRITY_VIOLATION);
        Optional<Resource> resource = !violation || error.table() == null ? Optional.empty() : domain.resources().stream()
                .filter(r -> r.table().equals(error.table()))
                .min(Comparator.comparing(r -> !r.schemaOrDefault().equals(error.schema())));
        if (resource.isEmpty()) {
            return ErrorMapper.unmapped(exception, "The transaction");
        }
        Action action = error.detail() != null && error.detail().contains(STILL_REFERENCED)
                ? Action.DESTROY : Action.CREATE;
        QueryContext context = new QueryContext(domain, resource.get(), action, null);
        return errors.map(exception, context, plans.apply(resource.get().name()), "the primary", true);
    }
}
