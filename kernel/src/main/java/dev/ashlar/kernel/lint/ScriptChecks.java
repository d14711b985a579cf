package dev.ashlar.kernel.lint;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.ashlar.kernel.lint.TableChecks.robust;
import static dev.ashlar.kernel.lint.TableChecks.warnIf;

/**
 * The rules for the rest: drops, truncation, whole-table backfills, materialized views, transactions, timeouts, domains,
 * enums and long names.
 */
final class ScriptChecks {
    private static final Pattern DROP_TABLE = Pattern.compile("^drop table (if exists )?(" + Sql.NAME + ")(?:[ ,].*)?$");
    private static final Pattern BEGIN = Pattern.compile("^(?:begin|start transaction)\\b.*");
    private static final Pattern END = Pattern.compile("^(?:commit|end|rollback(?! to\\b)|abort)\\b.*");
    private static final Pattern CREATE_VIEW = Pattern.compile("^create materialized view (?:if not exists )?(" + Sql.NAME
            + ")(?: .*)?$");
    private static final Pattern REFRESH = Pattern.compile("^refresh materialized view (concurrently )?(" + Sql.NAME
            + ")(?: .*)?$");
    /** An UPDATE or DELETE without a WHERE anywhere in it: it changes every row of its table. */
    private static final Pattern EVERY_ROW = Pattern.compile("^(?:update|delete from) (?:only )?(" + Sql.NAME
            + ")(?!.*\\bwhere\\b).*$");
    private static final Pattern LOCK_TIMEOUT = Pattern.compile("^set (?:local |session )?lock_timeout ?(?:to|=) ?(.*)$");
    private static final Pattern LONG_NAME = Pattern.compile("\"((?:[^\"]|\"\")*+)\"|\\b[a-z_][a-z0-9_$]{63,}");
    private static final int MAX_NAME_BYTES = 63;

    private ScriptChecks() {
    }

    static void check(Statement statement, FileState file, Consumer<Rule> warn) {
        String code = statement.code();
        Matcher dropTable = statement.match(DROP_TABLE);
        Matcher timeout = statement.match(LOCK_TIMEOUT);
        Matcher createView = statement.match(CREATE_VIEW);
        Matcher refresh = statement.match(REFRESH);
        Matcher everyRow = statement.match(EVERY_ROW);
        if (dropTable != null) {
            robust(dropTable.group(1), file, warn);
            if (!file.isNew(dropTable.group(2))) {
                file.locks(warn);
                warn.accept(Rule.BAN_DROP_TABLE);
            }
        } else if (timeout != null) {
            file.lockTimeout = !timeout.group(1).matches("0|default|'0'");
        } else if (createView != null) {
            file.created(createView.group(1));
        } else if (refresh != null) {
            // A view this file creates has no reader yet; a concurrent refresh lets reads of an existing one go on.
            if (refresh.group(1) == null && !file.isNew(refresh.group(2))) {
                file.locks(warn);
                warn.accept(Rule.REQUIRE_CONCURRENT_REFRESH);
            }
        } else if (everyRow != null) {
            // A table the file creates has only the rows the file put there; outside a transaction the statement
            // commits on its own and keeps its row locks no longer than it runs.
            warnIf(file.transactional && !file.isNew(everyRow.group(1)), Rule.BACKFILL_IN_TRANSACTION, warn);
        } else if (code.startsWith("drop database ")) {
            warn.accept(Rule.BAN_DROP_DATABASE);
        } else if (code.startsWith("truncate ")) {
            file.locks(warn);
            warnIf(code.endsWith(" cascade"), Rule.BAN_TRUNCATE_CASCADE, warn);
        } else if (code.matches("^(?:vacuum (?:\\(.*\\bfull\\b.*\\)|full\\b).*|cluster\\b.*)")) {
            file.locks(warn);
            warn.accept(Rule.PREFER_REPACK);
        } else if (code.startsWith("create domain ")) {
            warnIf(code.matches(".* (?:check|constraint) .*"), Rule.BAN_CREATE_DOMAIN_WITH_CONSTRAINT, warn);
        } else if (code.startsWith("alter domain ")) {
            warnIf(code.matches(".* add (?:constraint|check) .*"), Rule.BAN_ALTER_DOMAIN_WITH_ADD_CONSTRAINT, warn);
        } else if (code.startsWith("alter type ")) {
            warnIf(code.matches(".* add value .*") && !code.matches(".* (?:before|after) ''$"),
                    Rule.REQUIRE_ENUM_VALUE_ORDERING, warn);
        } else {
            transaction(statement, file, warn);
        }
        longNames(code, warn);
    }

    /** BEGIN and COMMIT in a file the migrator wraps in a transaction; an open BEGIN is reported at the end. */
    private static void transaction(Statement statement, FileState file, Consumer<Rule> warn) {
        boolean begins = BEGIN.matcher(statement.code()).matches();
        boolean ends = END.matcher(statement.code()).matches();
        if (begins || ends) {
            warnIf(file.transactional, Rule.TRANSACTION_NESTING, warn);
            file.openTransaction = begins ? statement.line() : 0;
        }
    }

    private static void longNames(String code, Consumer<Rule> warn) {
        Matcher name = LONG_NAME.matcher(code);
        while (name.find()) {
            String text = name.group(1) != null ? name.group(1).replace("\"\"", "\"") : name.group();
            if (text.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
                warn.accept(Rule.IDENTIFIER_TOO_LONG);
                return;
            }
        }
    }
}
