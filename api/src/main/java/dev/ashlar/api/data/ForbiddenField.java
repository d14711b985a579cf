package dev.ashlar.api.data;

/**
 * What a {@link Row} holds in place of a value its field policy hides from the actor on that row (Ash's
 * {@code %Ash.ForbiddenField{}}): {@link Row#get(String)} of it throws, {@link Row#forbidden(String)} tells it, and a
 * typed record gets null in that component. Only the kernel makes one.
 *
 * @param resource the resource whose field it is
 * @param field    the field hidden
 */
public record ForbiddenField(String resource, String field) {
    @Override
    public String toString() {
        return "<forbidden " + resource + "." + field + ">";
    }
}
