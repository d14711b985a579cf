package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Calculation;

/**
 * A resource's declared calculation as the data layer renders it, resolved once: its expression, whose values are
 * bound as those of a condition written in SQL, and the shape of its values.
 *
 * @param expression the calculation's SQL and its values
 */
record CalculationPlan(Calculation declared, Filter.Sql expression, ColumnPlan value) implements DerivedPlan {

    static CalculationPlan of(String resource, Calculation declared) {
        // A value no codec binds is refused now, when the data layer starts, rather than at the first read.
        declared.values().forEach(value -> Codecs.forValue(resource, value));
        return new CalculationPlan(declared, new Filter.Sql(declared.sql(), declared.values()),
                DerivedPlan.valueColumn(declared.name(), declared.columnType(), Codecs.of(declared.columnType())));
    }

    @Override
    public String name() {
        return declared.name();
    }
}
