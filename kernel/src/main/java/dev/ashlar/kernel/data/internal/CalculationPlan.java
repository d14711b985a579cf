package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Calculation;

import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A resource's declared calculation as the data layer renders it, resolved once: its expression, whose values are
 * bound as those of a condition written in SQL, the aggregates and calculations it names, and the shape of its
 * values.
 *
 * @param expression the calculation's SQL and its values
 * @param uses       the resource's aggregates and other calculations the SQL names, computed beside the row's columns
 *                   for it to read, sorted by name
 */
record CalculationPlan(Calculation declared, Filter.Sql expression, ColumnPlan value, List<DerivedPlan> uses)
        implements DerivedPlan {

    CalculationPlan {
        uses = uses.stream().sorted(Comparator.comparing(DerivedPlan::name)).toList();
    }

    /** @param uses the resource's aggregates and calculations the SQL names (see {@link #names}) */
    static CalculationPlan of(String resource, Calculation declared, List<DerivedPlan> uses) {
        // A value no codec binds is refused now, when the data layer starts, rather than at the first read.
        declared.values().forEach(value -> Codecs.forValue(resource, value));
        ColumnPlan value = DerivedPlan.valueColumn(declared.name(), declared.columnType(),
                Codecs.of(declared.columnType()));
        return new CalculationPlan(declared, new Filter.Sql(declared.sql(), declared.values()), value, uses);
    }

    /**
     * Whether SQL names something of the row as a word of its own or after {@code self.}, outside string literals,
     * not a column of another row ({@code c.count_of_comments}).
     */
    static boolean names(String sql, String name) {
        String code = sql.replaceAll("'(?:[^']|'')*'", "''");
        return Pattern.compile("(?:(?<![\\w.$\"])|(?<=\\bself\\.)|(?<=\"self\"\\.))\"?" + Pattern.quote(name)
                + "\"?(?![\\w$])").matcher(code).find();
    }

    @Override
    public String name() {
        return declared.name();
    }
}
