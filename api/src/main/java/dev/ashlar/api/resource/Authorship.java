package dev.ashlar.api.resource;

/**
 * The attributes that record who wrote a resource's records (Ebean's {@code @WhoCreated}/{@code @WhoModified}, Spring
 * Data's {@code @CreatedBy}/{@code @LastModifiedBy}), filled from the user a handle acts for
 * ({@code ashlar.withUser(user)}): declared with {@link ResourceBuilder#createdBy} and
 * {@link ResourceBuilder#modifiedBy}.
 *
 * @param createdBy  the attribute set to the user when a record is created and never changed after, or {@code null}
 * @param modifiedBy the attribute set to the user by every write of a record, its creation too, or {@code null}
 */
public record Authorship(String createdBy, String modifiedBy) {
}
