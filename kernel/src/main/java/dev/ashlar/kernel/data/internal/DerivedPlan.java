package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.resource.Attribute;
import dev.ashlar.api.resource.Type;
import dev.ashlar.api.sql.Identifiers;

/**
 * A field a resource declares that is computed when read, not stored: an aggregate over related records or a
 * calculation over the record's own row. Either is loaded, filtered and sorted on by name, written where a column
 * would be ({@link FilterRenderer#derived}).
 */
sealed interface DerivedPlan permits AggregatePlan, CalculationPlan {

    String name();

    /** Its values as if it were a read-only column of the resource: the codec reads them and binds compared ones. */
    ColumnPlan value();

    /** The read-only column its values look like. */
    static ColumnPlan valueColumn(String name, Type type, Codec codec) {
        return new ColumnPlan(new Attribute(name, type, true, false, false, null), Identifiers.quote(name), codec,
                ArrayCodec.ofValues(codec));
    }
}
