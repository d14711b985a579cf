package dev.ashlar.kernel.lint;

import dev.ashlar.kernel.migrate.SqlStatements;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One statement of a migration file, as the rules read it.
 *
 * @param code     its code ({@link SqlStatements#code}), without the closing semicolon
 * @param line     the file line its code starts on, 1-based
 * @param comments the comment lines right above it, stripped
 */
record Statement(String code, int line, List<String> comments) {
    private static final Pattern ALLOW = Pattern.compile("^--\\s*lint:\\s*allow\\s+(.+)$");

    /** A statement as {@code SqlStatements.split} gives it (its leading comments included), starting at {@code line}. */
    static Statement of(String text, int line) {
        List<String> lines = text.lines().toList();
        int first = 0;
        while (first < lines.size() && (lines.get(first).isBlank() || lines.get(first).strip().startsWith("--"))) {
            first++;
        }
        List<String> comments = lines.subList(0, first).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        String code = SqlStatements.code(text);
        return new Statement(code.endsWith(";") ? code.substring(0, code.length() - 1).strip() : code,
                line + first, comments);
    }

    /** The rule ids a {@code -- lint: allow rule-a, rule-b} comment above the statement allows. */
    Set<String> allowed() {
        return comments.stream().map(ALLOW::matcher).filter(Matcher::matches)
                .flatMap(m -> Arrays.stream(m.group(1).split("[,\\s]+"))).filter(id -> !id.isEmpty())
                .collect(Collectors.toSet());
    }

    /** The match of a pattern against the whole code, or null. */
    Matcher match(Pattern pattern) {
        Matcher matcher = pattern.matcher(code);
        return matcher.matches() ? matcher : null;
    }
}
