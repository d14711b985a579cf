package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.internal.BindMarks;
import dev.ashlar.api.internal.ValueConversions;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Calculation;
import dev.ashlar.api.resource.CalculationArgument;
import dev.ashlar.kernel.migrate.SqlStatements;
import dev.ashlar.kernel.migrate.SqlStatements.NamedMark;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A resource's declared calculation as the data layer renders it, resolved once: its expression, whose values are
 * bound as those of a condition written in SQL, the aggregates and calculations it names, and the shape of its
 * values. Each {@code :name} mark of an argument is a {@code ?} of the expression, bound to the value a read gives.
 *
 * @param expression the calculation's SQL and its values, each argument at its default; {@code null} when an
 *                   argument has none
 * @param slots      the values of the expression's {@code ?} marks in order: a declared value, or the argument
 *                   whose value a read gives
 * @param uses       the resource's aggregates and other calculations the SQL names, computed beside the row's columns
 *                   for it to read, sorted by name
 */
record CalculationPlan(Calculation declared, String resource, String sql, List<Object> slots, Filter.Sql expression,
                       ColumnPlan value, List<DerivedPlan> uses) implements DerivedPlan {

    /** An argument's value, bound with the codec of its declared type, null included. */
    record Argument(Codec codec, Object value) {
    }

    CalculationPlan {
        uses = uses.stream().sorted(Comparator.comparing(DerivedPlan::name)).toList();
    }

    /** @param uses the resource's aggregates and calculations the SQL names (see {@link #names}) */
    static CalculationPlan of(String resource, Calculation declared, List<DerivedPlan> uses) {
        // A value no codec binds is refused now, when the data layer starts, rather than at the first read.
        declared.values().forEach(value -> Codecs.forValue(resource, value));
        // BigInteger and Character are read exactly from the numeric or text their SQL gives, or refused naming it.
        boolean exact = declared.type() == BigInteger.class || declared.type() == Character.class;
        ColumnPlan value = DerivedPlan.valueColumn(declared.name(), declared.columnType(), exact
                ? Codecs.forType(resource, declared.name(), declared.type()) : Codecs.of(declared.columnType()));
        StringBuilder sql = new StringBuilder();
        List<Object> slots = new ArrayList<>();
        int at = 0;
        for (NamedMark mark : SqlStatements.namedMarks(declared.sql())) {
            CalculationArgument argument = declared.arguments().stream()
                    .filter(a -> a.name().equals(mark.name())).findFirst().orElseThrow(() -> DefinitionException.of(
                            resource, declared.name(), "calculation '" + declared.name() + "' of " + resource
                                    + " marks :" + mark.name() + ", which is none of its arguments "
                                    + declared.arguments().stream().map(CalculationArgument::name).toList()
                                    + "; declare CalculationArgument.of(\"" + mark.name() + "\", ...) or write "
                                    + "'::' for a cast"));
            fixed(declared, declared.sql().substring(at, mark.start()), sql, slots);
            sql.append('?');
            slots.add(argument);
            at = mark.end();
        }
        fixed(declared, declared.sql().substring(at), sql, slots);
        for (CalculationArgument argument : declared.arguments()) {
            if (!slots.contains(argument)) {
                throw DefinitionException.of(resource, declared.name(), "calculation '" + declared.name() + "' of "
                        + resource + " declares the argument '" + argument.name() + "', which its SQL never marks; "
                        + "name it as :" + argument.name() + " in the SQL or remove it");
            }
        }
        CalculationPlan plan = new CalculationPlan(declared, resource, sql.toString(), slots, null, value, uses);
        boolean defaults = declared.arguments().stream().allMatch(CalculationArgument::hasDefault);
        return defaults ? new CalculationPlan(declared, resource, plan.sql(), slots, plan.expression(Map.of()), value,
                uses) : plan;
    }

    /** Appends SQL without argument marks, each of its {@code ?} a slot of the next declared value. */
    private static void fixed(Calculation declared, String text, StringBuilder sql, List<Object> slots) {
        int next = (int) slots.stream().filter(slot -> !(slot instanceof CalculationArgument)).count();
        for (int marks = BindMarks.of(text).size(); marks > 0 && next < declared.values().size(); marks--) {
            slots.add(declared.values().get(next++));
        }
        sql.append(text);
    }

    /** Whether a read must give an argument of the calculation, which has no default. */
    boolean needsArguments() {
        return expression == null;
    }

    /**
     * The expression with the arguments a read gives, the others at their defaults.
     *
     * @throws QueryException naming an argument the calculation does not declare, a missing one without a default,
     *                        a value not of its type, or null for one that refuses it
     */
    Filter.Sql expression(Map<String, ?> given) {
        if (given.isEmpty() && expression != null) {
            return expression;
        }
        List<String> names = declared.arguments().stream().map(CalculationArgument::name).toList();
        for (String name : given.keySet()) {
            if (!names.contains(name)) {
                throw refused("has no argument '" + name + "'; its arguments are " + names);
            }
        }
        List<Object> values = new ArrayList<>(slots.size());
        for (Object slot : slots) {
            values.add(slot instanceof CalculationArgument argument ? argument(argument, given) : slot);
        }
        return new Filter.Sql(sql, values);
    }

    private Argument argument(CalculationArgument argument, Map<String, ?> given) {
        String name = argument.name();
        if (!given.containsKey(name) && !argument.hasDefault()) {
            throw refused("needs the argument '" + name + "', which has no default: give it with load(\""
                    + declared.name() + "\", Map.of(\"" + name + "\", ...)), or with arguments(\"" + declared.name()
                    + "\", Map.of(\"" + name + "\", ...)) to filter or sort by it without loading it");
        }
        Object value = given.containsKey(name) ? given.get(name) : argument.defaultValue();
        if (value == null && !argument.allowNil()) {
            throw refused("refuses null for the argument '" + name + "'; give a " + argument.type().getSimpleName());
        }
        // A number of another class is taken when it holds the value exactly (2 for a BigDecimal, 2L for an Integer).
        Object converted = ValueConversions.convert(value, argument.type());
        if (value != null && converted == null) {
            throw refused("takes a " + argument.type().getSimpleName() + " for the argument '" + name + "', not a "
                    + value.getClass().getName() + (value instanceof Number ? " that holds " + value : ""));
        }
        return new Argument(Codecs.of(Calculation.columnTypeOf(argument.type())), converted);
    }

    private QueryException refused(String problem) {
        return QueryException.of(resource, declared.name(), "Calculation '" + declared.name() + "' of " + resource
                + " " + problem);
    }

    @Override
    public String name() {
        return declared.name();
    }
}
