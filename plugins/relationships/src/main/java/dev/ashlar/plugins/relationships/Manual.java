package dev.ashlar.plugins.relationships;

import java.util.Objects;

/**
 * One manual relationship of a resource: its name, its destination, whether a parent has many related
 * records or at most one, the parent attribute its loader groups by, and its code.
 *
 * <pre>{@code
 * Manual.hasMany("highly_rated_comments", "comment", new HighlyRatedComments())
 * Manual.hasOne("latest_comment", "comment", new LatestComment()).sourceAttribute("id")
 * }</pre>
 *
 * @param sourceAttribute the parent attribute whose values key the loader's answer, or {@code null} for the primary key
 */
public record Manual(String name, String destination, boolean many, String sourceAttribute,
                     ManualRelationship code) {

    public Manual {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(code, "code");
    }

    /** A relationship to any number of destination records (the guide's {@code has_many ... manual}). */
    public static Manual hasMany(String name, String destination, ManualRelationship code) {
        return new Manual(name, destination, true, null, code);
    }

    /** A relationship to at most one destination record. */
    public static Manual hasOne(String name, String destination, ManualRelationship code) {
        return new Manual(name, destination, false, null, code);
    }

    /** The parent attribute whose values key the loader's answer (default: the primary key). */
    public Manual sourceAttribute(String attribute) {
        return new Manual(name, destination, many, attribute, code);
    }
}
