package dev.ashlar.kernel.codegen;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.kernel.diff.MigrationStep;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Keeps the SQL of a step from ending the section it is written in. A migration file is cut into sections at lines
 * starting {@code -- migrate:}, wherever they are, even inside a string literal or a dollar-quoted body: a default
 * value, a check or a custom statement holding such a line would make a file that the migrator refuses, or that runs
 * part of the up section as the down.
 */
final class MarkerLines {
    /** The lines a migration file's reader takes for a section marker, or refuses as a misspelt one. */
    private static final Pattern MARKER = Pattern.compile("(?m)^\\s*--\\s*migrate\\s*:", Pattern.CASE_INSENSITIVE);

    private MarkerLines() {
    }

    /**
     * @throws DefinitionException naming the resource and the step of every statement holding such a line, and the fix
     */
    static void requireNone(List<MigrationStep> steps) {
        List<Problem> problems = new ArrayList<>();
        for (MigrationStep step : steps) {
            for (String sql : new String[] {step.up(), step.down()}) {
                if (sql != null && MARKER.matcher(sql).find()) {
                    problems.add(problem(step));
                    break;
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new DefinitionException(null, problems);
        }
    }

    /** Under the step's resource; a step of no table (a custom extension) names what its SQL comes from. */
    private static Problem problem(MigrationStep step) {
        String marker = "the SQL of '" + step.describe() + "' holds a line starting '-- migrate:', which a migration "
                + "file reads as the start of a section: ";
        if (step instanceof MigrationStep.InstallCustomExtension extension) {
            return new Problem(null, null, marker + "change the install(...) or uninstall(...) SQL of custom "
                    + "extension '" + extension.name() + "' so that no line of it starts so (indent the comment or "
                    + "remove it)");
        }
        return new Problem(step.table() == null ? null : step.table().resource(), null, marker + "change the default, "
                + "expression or statement so that no line of it starts so (in a custom statement, indent the comment "
                + "or remove it)");
    }
}
