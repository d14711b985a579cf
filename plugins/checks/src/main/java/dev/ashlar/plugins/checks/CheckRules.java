package dev.ashlar.plugins.checks;

import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.sql.Identifiers;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks a resource's check constraints when the domain is built, each problem naming the option that fixes it. */
final class CheckRules {
    private CheckRules() {
    }

    static List<Problem> check(Resource resource, List<Check> checks) {
        List<Problem> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Check check : checks) {
            List<String> messages = new ArrayList<>();
            if (!seen.add(check.check())) {
                messages.add(option(check) + " is declared twice; give each check its own name");
            }
            messages.addAll(problems(resource, check));
            messages.forEach(message -> problems.add(new Problem(resource.name(), check.check(), message)));
        }
        return problems;
    }

    private static List<String> problems(Resource resource, Check check) {
        List<String> messages = new ArrayList<>();
        if (check.expression() == null || check.expression().isBlank()) {
            messages.add(option(check) + " has no expression; add .expression(\"...\") with the SQL condition, e.g. "
                    + "\"amount > 0\"");
        }
        for (String attribute : check.attributes()) {
            if (resource.attribute(attribute).isEmpty()) {
                messages.add(option(check) + ".attributes(...) names '" + attribute + "', which resource '"
                        + resource.name() + "' does not have");
            } else if (resource.parentStoring(attribute) != null) {
                messages.add(option(check) + ".attributes(...) names '" + attribute + "', which resource '"
                        + resource.name() + "' inherits from '" + resource.parentStoring(attribute) + "', whose table "
                        + "stores it, and a check covers one table: declare the check on '"
                        + resource.parentStoring(attribute) + "'");
            }
        }
        if (resource.polymorphic() && check.constraintName() != null) {
            messages.add(option(check) + ".name(\"" + check.constraintName() + "\") would name the check alike on "
                    + "every table of the polymorphic resource; remove name(...) so that each table's check is named "
                    + "after its table");
        }
        String name = ChecksPlugin.constraintName(resource, check);
        String problem = Identifiers.problem(name);
        if (problem != null) {
            messages.add(check.constraintName() != null ? "the name(\"" + name + "\") of the check " + problem
                    : "the generated check name '" + name + "' " + problem + " with name(\"...\")");
        }
        return messages;
    }

    private static String option(Check check) {
        return "check(\"" + check.check() + "\")";
    }
}
