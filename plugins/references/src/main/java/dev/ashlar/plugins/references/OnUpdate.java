package dev.ashlar.plugins.references;

/**
 * What the database does to the referencing rows when the referenced key changes: the guide's
 * {@code on_update}.
 */
public enum OnUpdate {
    /** Prevent the change while rows refer to the old key, checked at the end of the statement ({@code NO ACTION}, the default). */
    NOTHING,
    /** Prevent the change at once ({@code RESTRICT}). */
    RESTRICT,
    /** Change the referencing columns to the new key ({@code CASCADE}). */
    UPDATE,
    /** Set every column of the key to null ({@code SET NULL}). */
    NILIFY
}
