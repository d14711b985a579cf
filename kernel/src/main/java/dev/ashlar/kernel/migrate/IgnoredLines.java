package dev.ashlar.kernel.migrate;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines of a section that the migrator skips, as Liquibase's {@code --ignoreLines}: those between
 * {@code -- ignore-lines: start} and {@code -- ignore-lines: end}, or the N lines after {@code -- ignore-lines: N}.
 * They are kept in the file for another tool (psql's {@code \set ON_ERROR_STOP on}, a {@code \connect}) and still
 * count in its checksum; a skipped line reads as a blank line, so every line number a message gives stays the file's.
 * Lines to ignore end within their section: one opened and not closed before the next section line or the end of the
 * file is refused, as is an end without a start, a start inside ignored lines and a count of zero.
 */
final class IgnoredLines {
    private static final Pattern LINE = Pattern.compile("^\\s*--\\s*ignore-lines:\\s*(start|end|\\d{1,9})\\s*$");
    /**
     * A line meant as one of those, in another spelling ({@code --ignoreLines:start}, {@code -- Ignore-Lines: 2}, or
     * {@code --ignore:1}, which Liquibase refuses naming its ignoreLines).
     */
    private static final Pattern LIKE = Pattern.compile("^\\s*--\\s*ignore(?:[-_ ]?lines?\\s*:|\\s*:\\s*(?:\\d+|start|end)\\s*$)",
            Pattern.CASE_INSENSITIVE);

    /** The refusal of a line, naming it and its problem. */
    interface Refusal {
        MigrationException of(String line, int number, String problem);
    }

    private final Refusal refusal;
    /** The line of the start or count that skips lines now (0 when none), and its text. */
    private int opened;
    private String openedText;
    /** How many more lines a count skips; 0 for a start, which skips until its end. */
    private int counted;

    IgnoredLines(Refusal refusal) {
        this.refusal = refusal;
    }

    /** Whether {@code line} of a section is skipped: an ignore-lines line itself, or one that such a line covers. */
    boolean skips(String line, int number) {
        Matcher directive = LINE.matcher(line);
        if (directive.matches()) {
            directive(directive.group(1), line, number);
            return true;
        }
        if (LIKE.matcher(line).lookingAt()) {
            throw refusal.of(line, number, "looks like an ignore-lines line but is not one, so it would be SQL: write "
                    + "'-- ignore-lines: start' and '-- ignore-lines: end' around the lines to skip, or "
                    + "'-- ignore-lines: 3' above three of them, exactly so");
        }
        if (counted > 0 && --counted == 0) {
            opened = 0;
            return true;
        }
        return opened > 0;
    }

    private void directive(String word, String line, int number) {
        if (opened > 0) {
            if (!word.equals("end") || counted > 0) {
                throw refusal.of(line, number, "comes inside the lines that line " + opened + " skips: skipped lines "
                        + "do not nest, so end those first ('-- ignore-lines: end' after a start; a count skips "
                        + "the lines right after it)");
            }
            opened = 0;
        } else if (word.equals("end")) {
            throw refusal.of(line, number, "ends lines to ignore, but no '-- ignore-lines: start' line opened "
                    + "them in this section. Add one above the lines to skip, or remove this line");
        } else {
            counted = word.equals("start") ? 0 : Integer.parseInt(word);
            if (!word.equals("start") && counted == 0) {
                throw refusal.of(line, number, "skips no line. Give how many lines after it to skip, e.g. "
                        + "'-- ignore-lines: 2', or remove it");
            }
            opened = number;
            openedText = line;
        }
    }

    /**
     * Refuses lines to ignore that the section leaves open: a start without its end, a count past the section's last
     * line. Called at each section line and at the end of the file.
     */
    void close() {
        if (opened > 0 && counted == 0) {
            throw refusal.of(openedText, opened, "starts lines to ignore that no '-- ignore-lines: end' line ends "
                    + "before its section does. Add that line after the last line to skip");
        }
        if (opened > 0) {
            throw refusal.of(openedText, opened, "skips " + counted + " more line(s) than its section holds after "
                    + "it. Give the number of lines to skip, or use '-- ignore-lines: start' and '-- ignore-lines: end'");
        }
    }
}
