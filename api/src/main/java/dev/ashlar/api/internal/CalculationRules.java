package dev.ashlar.api.internal;

import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Calculation;
import dev.ashlar.api.resource.CalculationArgument;
import dev.ashlar.api.resource.Resource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The problems of a resource's calculations: each names the fix. */
public final class CalculationRules {
    /** Words in places where SQL's grammar reads a keyword, a type or an alias, never a value of the row. */
    private static final Pattern NOT_VALUES = Pattern.compile(
            "(?i)(\\bextract\\s*\\(\\s*|::\\s*|\\bAS\\s+)\"?[\\w$]+\"?");

    /** The name of an argument, as its {@code :name} mark in the SQL reads it. */
    private static final Pattern ARGUMENT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private CalculationRules() {
    }

    static List<Problem> check(Resource resource) {
        List<Problem> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Calculation calculation : resource.calculations()) {
            String problem = name(resource, calculation, names);
            if (problem == null) {
                problem = expression(calculation);
            }
            if (problem == null) {
                problem = arguments(calculation);
            }
            if (problem != null) {
                problems.add(new Problem(resource.name(), calculation.name(), problem));
            }
        }
        return problems;
    }

    /**
     * The problem of a calculation a read gives rather than the resource declares (Ash's {@code Query.calculate}), or
     * null: the same rules, its name taken by none of the resource's fields, aggregates and calculations.
     */
    public static String problem(Resource resource, Calculation calculation) {
        Set<String> names = new HashSet<>();
        resource.calculations().forEach(declared -> names.add(declared.name()));
        String problem = name(resource, calculation, names);
        problem = problem != null ? problem : expression(calculation);
        return problem != null ? problem : arguments(calculation);
    }

    /**
     * The problem of a calculation an identity names, or {@code null}: its expression becomes an element of the
     * identity's unique index ({@code CREATE UNIQUE INDEX ... ((lower(email)))}), so it may name only the row's own
     * columns. Bound values, arguments, aggregates and other calculations have no place in an index's definition.
     */
    public static String identityProblem(Resource resource, Calculation calculation) {
        String fix = "; an identity's calculation is indexed, so write it over the row's columns alone, e.g. "
                + "\"lower(email)\", or give the identity an attribute the writes set";
        if (!calculation.values().isEmpty()) {
            return "names calculation '" + calculation.name() + "', whose SQL binds values with ?" + fix;
        }
        if (!calculation.arguments().isEmpty()) {
            return "names calculation '" + calculation.name() + "', which takes arguments" + fix;
        }
        List<String> derived = new ArrayList<>();
        resource.aggregates().forEach(aggregate -> derived.add(aggregate.name()));
        resource.calculations().stream().filter(other -> other != calculation).forEach(other -> derived.add(other.name()));
        for (String name : derived) {
            if (names(calculation.sql(), name)) {
                return "names calculation '" + calculation.name() + "', which reads '" + name
                        + "', an aggregate or calculation" + fix;
            }
        }
        return null;
    }

    /**
     * Whether SQL names something of the row as a word of its own or after {@code self.}, outside string literals,
     * not a column of another row ({@code c.count_of_comments}), nor a word SQL's grammar reads as no value: the field
     * of {@code extract(year FROM ...)}, a type after {@code ::} or {@code AS} ({@code CAST(n AS text)}), an alias
     * after {@code AS}.
     */
    public static boolean names(String sql, String name) {
        String code = NOT_VALUES.matcher(sql.replaceAll("'(?:[^']|'')*+'", "''")).replaceAll("$1_");
        return Pattern.compile("(?:(?<![\\w.$\"])|(?<=\\bself\\.)|(?<=\"self\"\\.))\"?" + Pattern.quote(name)
                + "\"?(?![\\w$])").matcher(code).find();
    }

    private static String name(Resource resource, Calculation calculation, Set<String> names) {
        String name = calculation.name();
        String invalid = FieldNames.problem(name);
        if (invalid != null) {
            return "the calculation's name '" + name + "' " + invalid + "; rename the calculation";
        }
        if (resource.attribute(name).isPresent() || resource.relationship(name).isPresent()
                || resource.aggregate(name).isPresent() || !names.add(name)) {
            return "is used twice; attributes, relationships, aggregates and calculations share one namespace, so "
                    + "rename the calculation";
        }
        return null;
    }

    private static String expression(Calculation calculation) {
        if (calculation.columnType() == null) {
            return "the calculation is read as " + (calculation.type() == null ? "null" : calculation.type().getName())
                    + "; read it as String, Character, Integer, Long, BigInteger, BigDecimal, Double, Boolean, "
                    + "UUID, LocalDate, LocalTime, LocalDateTime or Instant, or declare its column type, e.g. Type.arrayOf(Type.TEXT)";
        }
        if (calculation.sql() == null || calculation.sql().isBlank()) {
            return "the calculation needs an SQL expression over the resource's columns, e.g. \"price * quantity\"";
        }
        try {
            // The same marks-and-values rule as a condition written in SQL.
            new Filter.Sql(calculation.sql(), calculation.values());
            return null;
        } catch (QueryException e) {
            return "the calculation's " + e.getMessage();
        }
    }

    /**
     * The problem of the calculation's arguments, or {@code null}; whether its SQL marks exactly them is checked where
     * the SQL is read, when the data layer starts.
     */
    private static String arguments(Calculation calculation) {
        Set<String> names = new HashSet<>();
        for (CalculationArgument argument : calculation.arguments()) {
            String name = argument == null ? null : argument.name();
            if (name == null || !ARGUMENT_NAME.matcher(name).matches()) {
                return "the argument name '" + name + "' is not one a :name mark can name; start it with a letter or "
                        + "'_' and follow with letters, digits or '_'";
            }
            if (!names.add(name)) {
                return "declares the argument '" + name + "' twice; declare each argument once";
            }
            if (Calculation.columnTypeOf(argument.type()) == null) {
                return "the argument '" + name + "' is of type " + (argument.type() == null ? "null"
                        : argument.type().getName()) + "; give it String, Integer, Long, BigDecimal, Double, "
                        + "Boolean, UUID, LocalDate, LocalTime, LocalDateTime or Instant";
            }
            Object value = argument.defaultValue();
            if (argument.hasDefault() && (value == null ? !argument.allowNil() : !argument.type().isInstance(value))) {
                return "the default of argument '" + name + "' is " + (value == null ? "null, which it refuses"
                        : "a " + value.getClass().getName() + ", not a " + argument.type().getName())
                        + "; give a default of its type";
            }
        }
        return null;
    }
}
