package dev.ashlar.kernel.lint;

import java.util.List;

/**
 * What linting a project's migrations found.
 *
 * @param findings every finding, allowed or not, file by file in version order
 * @param files    how many files were read
 */
public record LintReport(List<Finding> findings, int files) {
    public LintReport {
        findings = List.copyOf(findings);
    }

    /** The findings that no allow list or comment allows: what {@code --strict} fails on. */
    public List<Finding> unallowed() {
        return findings.stream().filter(f -> !f.allowed()).toList();
    }
}
