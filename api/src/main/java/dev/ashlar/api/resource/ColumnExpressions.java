package dev.ashlar.api.resource;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.internal.AttributeMarks;
import dev.ashlar.api.internal.BindMarks;

/**
 * SQL the data layer puts around an attribute's column on every read and around its value on every write
 * (Hibernate's {@code @ColumnTransformer(read = ..., write = ...)}), set with {@link AttributeOptions#readAs} and
 * {@link AttributeOptions#writeAs}. They are no DDL: migrations and snapshots never see them.
 *
 * @param read  the column as read, its column marked {@code {attribute}} ({@code "upper({email})"}), or {@code null}
 * @param write the value as written, the value marked {@code ?} ({@code "lower(?)"}), or {@code null}
 */
public record ColumnExpressions(String read, String write) {

    /** Neither: the column is read and written as it is. */
    public static final ColumnExpressions NONE = new ColumnExpressions(null, null);

    public boolean any() {
        return read != null || write != null;
    }

    /** The read expression with its marks written as {@code column}, the column as SQL names it. */
    public String read(String column) {
        return read == null ? column : AttributeMarks.resolve(read, mark -> column);
    }

    /** The write expression with its mark written as {@code value}, the SQL of the value. */
    public String write(String value) {
        if (write == null) {
            return value;
        }
        int mark = BindMarks.of(write).get(0);
        return write.substring(0, mark) + value + write.substring(mark + 1);
    }

    /** Refuses, naming the attribute, a read expression that does not mark the column and a write one with no one mark. */
    void check(String attribute) {
        if (read != null && (AttributeMarks.of(read).isEmpty()
                || AttributeMarks.of(read).stream().anyMatch(mark -> !mark.attribute().equals(attribute)))) {
            throw DefinitionException.of(null, attribute, "readAs(\"" + read + "\") of '" + attribute + "' must name "
                    + "the column as {" + attribute + "} (Ashlar quotes it), and no other, e.g. readAs(\"upper({"
                    + attribute + "})\")");
        }
        if (read != null && !BindMarks.of(read).isEmpty()) {
            throw DefinitionException.of(null, attribute, "readAs(\"" + read + "\") of '" + attribute + "' has a ? "
                    + "mark, but a read expression binds no value: write constants in the SQL");
        }
        if (write != null && (BindMarks.of(write).size() != 1 || !AttributeMarks.of(write).isEmpty())) {
            throw DefinitionException.of(null, attribute, "writeAs(\"" + write + "\") of '" + attribute + "' must "
                    + "mark the written value with exactly one ? and name no column, e.g. writeAs(\"lower(?)\")");
        }
    }
}
