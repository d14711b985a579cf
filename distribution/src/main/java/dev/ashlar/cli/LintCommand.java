package dev.ashlar.cli;

import dev.ashlar.kernel.lint.Finding;
import dev.ashlar.kernel.lint.LintReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

@Command(name = "lint", description = "Check every migration file (main and tenant) for statements that block a busy "
        + "table or break the running application, e.g. warning[renaming-column]. Exits 0 when there are no findings "
        + "or all are allowed (lint.allow in ashlar.properties, or a '-- lint: allow RULE' comment above the "
        + "statement), and without --strict; 1 with --strict when a finding is not allowed.")
final class LintCommand extends ProjectCommand {
    @Mixin
    PlaceholderOptions placeholders;

    @Option(names = "--strict", description = "Exit 1 when a finding is not allowed.")
    boolean strict;

    @Override
    public Integer call() {
        LintReport report = existingProject().lint();
        return report(out(), report, strict);
    }

    /** Prints the findings and a summary; the exit code is 1 when {@code strict} and a finding is not allowed. */
    static int report(PrintWriter out, LintReport report, boolean strict) {
        report.findings().stream().map(Finding::message).forEach(out::println);
        int unallowed = report.unallowed().size();
        int allowed = report.findings().size() - unallowed;
        out.println(report.findings().isEmpty() ? "No lint findings in " + report.files() + " migration file(s)."
                : unallowed + " lint finding(s) not allowed, " + allowed + " allowed, in " + report.files()
                + " migration file(s)." + (unallowed > 0 ? " Fix them, or allow a rule in ashlar.properties "
                + "(lint.allow = RULE or RULE@VERSION) or with '-- lint: allow RULE' above the statement." : ""));
        return strict && unallowed > 0 ? 1 : 0;
    }
}
