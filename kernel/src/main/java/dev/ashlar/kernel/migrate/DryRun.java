package dev.ashlar.kernel.migrate;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a pending file (or a callback file run around it) would do, statement by statement, with the table lock each statement takes, for
 * {@code ashlar migrate --dry-run}. The lock is read from the statement's form, as PostgreSQL documents it
 * (explicit locking, "Table-Level Locks"); a statement it cannot tell is said to be unknown.
 *
 * @param file          the pending file, or for a rollback the applied one, or a callback file
 * @param statements    its up section's statements (its down section's, for a rollback), each with its lock
 * @param warnings      the {@code -- destructive:} and {@code -- rewrites table:} lines of that section
 * @param transactional whether that section runs in a transaction
 * @param when          for a callback file ({@link SqlCallbacks}), where the run runs it: {@code before the run},
 *                      {@code before 20260101000000_create_posts.sql, in its transaction}, {@code after the run}...;
 *                      null for a migration
 * @param covers        for an init script ({@link InitScripts}), the files it runs instead of, recorded as baselined;
 *                      empty otherwise
 */
public record DryRun(MigrationFile file, List<Statement> statements, List<String> warnings, boolean transactional,
                     String when, List<MigrationFile> covers) {

    public DryRun {
        covers = List.copyOf(covers);
    }

    /** What a migration file would do. */
    public DryRun(MigrationFile file, List<Statement> statements, List<String> warnings, boolean transactional) {
        this(file, statements, warnings, transactional, null, List.of());
    }

    /** What a callback file would do, told {@code when}. */
    public DryRun(MigrationFile file, List<Statement> statements, List<String> warnings, boolean transactional,
                  String when) {
        this(file, statements, warnings, transactional, when, List.of());
    }

    /**
     * What an init script ({@link InitScripts}) would do, run instead of {@code covered}, which are recorded as
     * baselined.
     */
    static DryRun init(MigrationFile script, List<MigrationFile> covered, boolean backslashes) {
        DryRun run = of(script, backslashes);
        return new DryRun(script, run.statements(), run.warnings(), true, null, covered);
    }

    /** Whether this is a migration file, counted as pending, rather than a callback, which is run but never recorded. */
    public boolean migration() {
        return when == null;
    }

    /**
     * The migrations this stands for, as a rollback or a rehearsal takes them one by one: the files an init script runs
     * instead of, else its own file.
     */
    public List<MigrationFile> migrations() {
        return covers.isEmpty() ? List.of(file) : covers;
    }

    /** One statement and the lock it takes on the table it changes. */
    public record Statement(String sql, String lock) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule("create (unique )?index concurrently", "SHARE UPDATE EXCLUSIVE (reads and writes go on)"),
            new Rule("create (unique )?index", "SHARE (writes wait)"),
            new Rule("drop index concurrently", "SHARE UPDATE EXCLUSIVE (reads and writes go on)"),
            new Rule("drop index", "ACCESS EXCLUSIVE on its table (reads and writes wait)"),
            new Rule("reindex .*concurrently", "SHARE UPDATE EXCLUSIVE (reads and writes go on)"),
            new Rule("reindex", "SHARE (writes wait), and ACCESS EXCLUSIVE on each index rebuilt"),
            new Rule("create (or replace )?(constraint )?trigger", "SHARE ROW EXCLUSIVE (writes wait)"),
            new Rule("refresh materialized view concurrently", "EXCLUSIVE (reads go on, writes wait)"),
            new Rule("refresh materialized view", "ACCESS EXCLUSIVE (reads and writes wait)"),
            new Rule("(vacuum .*full|cluster)\\b", "ACCESS EXCLUSIVE (reads and writes wait)"),
            new Rule("(vacuum|analyze)\\b", "SHARE UPDATE EXCLUSIVE (reads and writes go on)"),
            new Rule("lock (table )?.* in .* mode", "the mode it names"),
            new Rule("lock ", "ACCESS EXCLUSIVE (reads and writes wait)"),
            new Rule("drop (materialized )?view", "ACCESS EXCLUSIVE (reads and writes wait)"),
            new Rule("alter table .* validate constraint", "SHARE UPDATE EXCLUSIVE (reads and writes go on)"),
            new Rule("alter table .* foreign key .* not valid", "SHARE ROW EXCLUSIVE, briefly (writes wait)"),
            new Rule("alter table .* foreign key", "SHARE ROW EXCLUSIVE on both tables while every row is checked "
                    + "(writes wait)"),
            new Rule("alter table", "ACCESS EXCLUSIVE (reads and writes wait)"),
            new Rule("(drop|truncate) table", "ACCESS EXCLUSIVE (reads and writes wait)"),
            new Rule("(insert|update|delete|merge) ", "ROW EXCLUSIVE (rows written)"),
            new Rule("create (table|schema|sequence|type|function|or replace function|extension)", "none on existing tables"),
            new Rule("(select|do|set|comment) ", "none of its own, besides what it runs"));

    private record Rule(Pattern pattern, String lock) {
        Rule(String regex, String lock) {
            this(Pattern.compile("^" + regex, Pattern.DOTALL), lock);
        }
    }

    static DryRun of(MigrationFile file) {
        return of(file, false);
    }

    /** {@link #of} for a session that reads backslashes in strings as escapes when {@code backslashes}. */
    static DryRun of(MigrationFile file, boolean backslashes) {
        DryRun run = of(file, file.up(), file.transactional(), backslashes);
        Precondition precondition = file.filters().precondition();
        if (precondition == null) {
            return run;
        }
        List<String> warnings = new ArrayList<>();
        warnings.add("precondition, checked when it runs: " + precondition.query() + " (on-fail: "
                + precondition.onFail().word() + ")");
        warnings.addAll(run.warnings());
        return new DryRun(file, run.statements(), warnings, run.transactional());
    }

    /** What rolling {@code file} back would run: its down section. */
    static DryRun down(MigrationFile file, boolean backslashes) {
        return of(file, file.down(), file.downTransactional(), backslashes);
    }

    /** What the run would run of a callback file, told {@code when}, with its placeholders already replaced. */
    static DryRun callback(MigrationFile callback, String when, boolean transactional, boolean backslashes) {
        DryRun run = of(callback, callback.up(), transactional, backslashes);
        return new DryRun(callback, run.statements(), run.warnings(), transactional, when);
    }

    private static DryRun of(MigrationFile file, String section, boolean transactional, boolean backslashes) {
        List<Statement> statements = SqlStatements.split(section, backslashes).stream()
                .map(sql -> new Statement(sql, lock(sql))).toList();
        List<String> warnings = file.java() != null ? List.of("Java migration " + file.fileName() + ": it runs Java "
                + "code, whose SQL cannot be shown") : section.lines().map(String::strip)
                .filter(line -> line.startsWith("-- destructive:") || line.startsWith("-- rewrites table:"))
                .map(line -> line.substring(3)).toList();
        return new DryRun(file, statements, warnings, transactional);
    }

    /**
     * Whether the lock a statement takes conflicts with no read or write ({@code SHARE UPDATE EXCLUSIVE} or weaker):
     * then neither its hold nor its wait in the lock queue makes them wait.
     */
    static boolean letsReadsAndWritesGoOn(String sql) {
        return lock(sql).endsWith("(reads and writes go on)");
    }

    /** The lock a statement takes, read from its leading words (comments, block comments too, skipped). */
    static String lock(String sql) {
        String text = SqlStatements.code(sql);
        return RULES.stream().filter(rule -> rule.pattern().matcher(text).find()).map(Rule::lock).findFirst()
                .orElse("unknown: read the statement");
    }
}
