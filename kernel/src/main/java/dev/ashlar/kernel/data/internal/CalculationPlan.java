package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Calculation;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A resource's declared calculation as the data layer renders it, resolved once: its expression, whose values are
 * bound as those of a condition written in SQL, the aggregates it names, and the shape of its values.
 *
 * @param expression the calculation's SQL and its values
 * @param uses       the resource's aggregates the SQL names, computed beside the row's columns for it to read
 */
record CalculationPlan(Calculation declared, Filter.Sql expression, ColumnPlan value, List<AggregatePlan> uses)
        implements DerivedPlan {

    CalculationPlan {
        uses = List.copyOf(uses);
    }

    /** @param aggregates the resource's aggregates: those the SQL names as a word, not after a dot, are used */
    static CalculationPlan of(String resource, Calculation declared, Collection<AggregatePlan> aggregates) {
        // A value no codec binds is refused now, when the data layer starts, rather than at the first read.
        declared.values().forEach(value -> Codecs.forValue(resource, value));
        List<AggregatePlan> uses = aggregates.stream()
                .filter(aggregate -> names(declared.sql(), aggregate.name()))
                .sorted(Comparator.comparing(AggregatePlan::name))
                .toList();
        ColumnPlan value = DerivedPlan.valueColumn(declared.name(), declared.columnType(),
                Codecs.of(declared.columnType()));
        return new CalculationPlan(declared, new Filter.Sql(declared.sql(), declared.values()), value, uses);
    }

    /**
     * Whether SQL names something of the row as a word of its own or after {@code self.}, not a column of another row
     * ({@code c.count_of_comments}): at worst, a word in a string literal adds a subquery the expression does not read.
     */
    private static boolean names(String sql, String name) {
        return Pattern.compile("(?:(?<![\\w.$\"])|(?<=\\bself\\.)|(?<=\"self\"\\.))\"?" + Pattern.quote(name)
                + "\"?(?![\\w$])").matcher(sql).find();
    }

    @Override
    public String name() {
        return declared.name();
    }
}
