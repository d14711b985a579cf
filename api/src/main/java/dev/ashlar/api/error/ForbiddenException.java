package dev.ashlar.api.error;

/**
 * The actor a handle acts for may not take an action on a resource (code {@link ErrorCode#FORBIDDEN}): the
 * resource's policies need an actor and the handle has none, they allow no actor the action, or a record being
 * created does not meet the create policy. Nothing was read or changed.
 *
 * <pre>{@code
 * catch (ForbiddenException e) { e.resource(); e.action(); e.policy(); }   // "document", "create", "create"
 * }</pre>
 */
public class ForbiddenException extends AshlarException {
    private static final long serialVersionUID = 1L;

    private final String action;
    private final String policy;

    /**
     * @param action what was refused: {@code read}, {@code create}, {@code update}, {@code destroy}, {@code upsert}
     * @param policy the policy that refused it ({@code read}, {@code create} ...), or {@code actor} when no actor
     *               was named
     */
    public ForbiddenException(String resource, String action, String policy, String message) {
        super(ErrorCode.FORBIDDEN, message, resource, null, null, null);
        this.action = action;
        this.policy = policy;
    }

    public String action() {
        return action;
    }

    public String policy() {
        return policy;
    }
}
