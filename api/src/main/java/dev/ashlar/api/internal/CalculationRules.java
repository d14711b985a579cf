package dev.ashlar.api.internal;

import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Calculation;
import dev.ashlar.api.resource.Resource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The problems of a resource's calculations: each names the fix. */
final class CalculationRules {
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
            if (problem != null) {
                problems.add(new Problem(resource.name(), calculation.name(), problem));
            }
        }
        return problems;
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
                    + "; read it as String, Integer, Long, BigDecimal, Double, Boolean, UUID, LocalDate, LocalTime, "
                    + "LocalDateTime or Instant";
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
}
