package dev.ashlar.kernel.migrate;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The lines of Liquibase's formatted SQL changelogs that mean something to Liquibase but are a plain comment here
 * ({@code --changeset}, {@code --rollback}, {@code --preconditions}, {@code --precondition-sql-check},
 * {@code --property}, {@code --validCheckSum}, {@code --ignoreLines}, a {@code /* liquibase rollback} block), each with
 * what does its work in an Ashlar file.
 * A file carried over from Liquibase with such a line left in would run without it: a rollback that never runs, a
 * precondition never checked, two changesets applied as one. The forms follow Liquibase's parser's patterns, so a
 * comment that merely starts with one of the words is left alone, with these differences: a {@code -- rollback} line
 * is refused when its text is SQL (it ends with {@code ;} or starts with a SQL command word such as {@code DROP} or
 * {@code DELETE}), and left alone when it is prose ({@code -- rollback is handled below}, which Liquibase would take as
 * SQL); {@code -- rollback} alone is refused in the up section, where the SQL under it would run as the migration's
 * own, and left alone in the down section, where it heads the rollback's SQL; {@code --changeset} alone is refused,
 * as Liquibase refuses it.
 */
final class LiquibaseLines {
    private static final int FLAGS = Pattern.CASE_INSENSITIVE;

    /**
     * A Liquibase line, and what to write instead.
     *
     * @param upOnly whether the line is refused in the header and the up section only, a comment in the down section
     */
    private record Form(Pattern pattern, String fix, boolean upOnly) {
        /** A line of {@code regex} after the two dashes of a comment. */
        Form(String regex, String fix) {
            this(Pattern.compile("^\\s*--\\s*" + regex, FLAGS), fix, false);
        }

        Form(Pattern pattern, String fix) {
            this(pattern, fix, false);
        }
    }

    /** The words a SQL statement that undoes a change starts with, after {@code -- rollback}: no prose starts so. */
    private static final String SQL_COMMAND = "(?:alter|analyze|call|cluster|comment|copy|create|delete|do|drop|grant"
            + "|insert|merge|refresh|reindex|reset|revoke|select|set|truncate|update|vacuum|with)\\b";

    private static final String ROLLBACK = "a comment here that no rollback runs: put its SQL, without the "
            + "Liquibase markup, under the file's '-- migrate:down' line";

    private static final List<Form> FORMS = List.of(
            // The author may be quoted or hold blanks: --changeset "John Doe":12345.
            new Form("changeset(?:\\s+(?:\"[^\"]+\"|[^:\\s][^:]*):\\s*(?:\"[^\"]+\"|\\S+)|\\s*$)",
                    "is Liquibase's '--changeset' line, which starts a changeset; here a file is one migration: put "
                    + "each changeset in a file of its own, its SQL under a '-- migrate:up' line, and its attributes "
                    + "as headers above that line ('-- context:', "
                    + "'-- labels:', '-- dbms:', '-- fail-on-error:', '-- run-always' on an R__ file, "
                    + "'transaction:false' on the up line)"),
            new Form("rollback\\s+(?:not\\s+required|empty)\\s*$", "is Liquibase's empty rollback, a comment here: "
                    + "write a '-- migrate:down' section holding a comment such as '-- nothing to undo'"),
            new Form("rollback\\s+changeSet(?:Id|Author|Path)\\s*:", "is Liquibase's rollback to another changeset's "
                    + "SQL, which nothing runs here: write that SQL under the file's '-- migrate:down' line"),
            new Form(Pattern.compile("^\\s*--(?:rollback\\s+\\S|\\s*rollback\\s+(?:\\S.*;\\s*$|" + SQL_COMMAND + "))",
                    FLAGS), "is Liquibase's '--rollback' line, " + ROLLBACK),
            new Form(Pattern.compile("^\\s*--\\s*rollback\\s*$", FLAGS), "is Liquibase's '--rollback' line, "
                    + ROLLBACK, true),
            new Form(Pattern.compile("^\\s*/\\*\\s*liquibase\\s+rollback\\b", FLAGS), "opens Liquibase's rollback "
                    + "block, " + ROLLBACK),
            new Form("preconditions(?:\\s+on\\w+\\s*:|\\s*$)", "is Liquibase's '--preconditions' line, a comment here: "
                    + "write '-- on-fail: halt|skip|mark-ran|warn' above '-- migrate:up', with a '-- precondition: "
                    + "SELECT ...' line"),
            new Form("precondition-[a-z-]+(?:\\s|$)", "is a Liquibase precondition, a comment here that nothing "
                    + "checks: write '-- precondition: SELECT ...' above '-- migrate:up', a query answering one "
                    + "boolean ('--precondition-sql-check expectedResult:0 SELECT count(*) FROM posts' is "
                    + "'-- precondition: SELECT count(*) = 0 FROM posts')"),
            new Form("property\\s+(?:name|file|global|context|labels|dbms|relativeToChangelogFile)\\s*:",
                    "is Liquibase's '--property' line, a comment here: give placeholder values to the run "
                    + "(--placeholder name=value, Project.placeholders(...), the Maven plugin's <placeholders>)"),
            new Form("validCheckSum\\b", "is Liquibase's '--validCheckSum' line: write '-- valid-checksum: sha256:<the "
                    + "checksum the history holds>' (or 'any') above '-- migrate:up'"),
            new Form("ignoreLines\\s*:", "is Liquibase's '--ignoreLines' line: write '-- ignore-lines: start' and "
                    + "'-- ignore-lines: end' (or '-- ignore-lines: 3') inside the section, exactly so"));

    private LiquibaseLines() {
    }

    /** What a Liquibase line means and what to write instead, or null when {@code line} is none. */
    static String fix(String line) {
        return fix(line, false);
    }

    /**
     * {@link #fix(String)} for a line of the down section when {@code down}, where {@code -- rollback} alone heads the
     * rollback's SQL.
     */
    static String fix(String line, boolean down) {
        for (Form form : FORMS) {
            if (!(down && form.upOnly()) && form.pattern().matcher(line).lookingAt()) {
                return form.fix();
            }
        }
        return null;
    }
}
