package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.ActionTimeoutException;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ConcurrencyException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Operation;
import dev.ashlar.api.resource.Aggregate;
import dev.ashlar.spi.plugin.DatabaseError;
import dev.ashlar.spi.plugin.QueryContext;
import dev.ashlar.spi.plugin.Replication;
import dev.ashlar.api.resource.Calculation;
import dev.ashlar.api.resource.Identity;
import dev.ashlar.api.resource.KnownConstraint;
import dev.ashlar.api.resource.Type;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a failed statement into an Ashlar exception that keeps the SQL state: plugins' mappers
 * first, then the kernel's own rules for unique, not-null, foreign-key and check violations and bad
 * values (and exclusion violations); anything else becomes a {@link ErrorCode#DATABASE} error.
 */
final class ErrorMapper {
    static final String CARDINALITY_VIOLATION = "21000";
    /** A value past a limit of the server's, such as an index entry's size. */
    private static final String PROGRAM_LIMIT = "54000";
    private static final String EXCLUSION_VIOLATION = "23P01";
    /** A value given for a column the database computes: a generated column, or an identity GENERATED ALWAYS. */
    private static final String GENERATED_ALWAYS = "428C9";
    private static final String READ_ONLY_TRANSACTION = "25006";
    private static final String READ_ONLY_WHY = "(a transaction made with TransactionOptions.readOnly(), a hot "
            + "standby, or default_transaction_read_only is on)";
    private static final String READ_ONLY_FIX = "Write outside the read-only transaction, or give Ashlar the writable "
            + "primary as its data source";
    private static final String ABORTED_TRANSACTION = "25P02";
    private static final String UNDEFINED_TABLE = "42P01";
    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    /** A relation, column, schema or type the statement names is missing: undefined table, column, schema, object. */
    private static final List<String> UNDEFINED = List.of(UNDEFINED_TABLE, "42703", "3F000", "42704");
    /** A column read outside an aggregate function in a grouped query: only a custom aggregate's SQL makes one. */
    private static final String GROUPING_ERROR = "42803";
    /** SQL that cannot run as written: syntax error, undefined function, type mismatch, ambiguous function. */
    private static final Set<String> BAD_SQL = Set.of("42601", "42883", "42804", "42725");
    /** The word a message about bad SQL points at: {@code at or near "x"}, {@code function x(text) does not exist}. */
    /** A word, not punctuation that any SQL holds ({@code at or near ")"}). */
    private static final Pattern WORD = Pattern.compile("\\w");
    private static final Pattern BAD_WORD = Pattern.compile("\"([^\"]+)\"|^function ([^(\\s]+)\\(");
    /** The syntax error of a type's input function ({@code ltree syntax error}), as of a statement's text. */
    private static final String SYNTAX_ERROR = "42601";
    private static final Pattern WHOLE_OUT_OF_RANGE = Pattern.compile("^(smallint|integer|bigint) out of range$");
    private static final Map<String, String> WHOLE_RANGES = Map.of("smallint", "-32768 to 32767",
            "integer", "-2147483648 to 2147483647", "bigint", "-9223372036854775808 to 9223372036854775807");
    private static final Pattern SERVER_TYPE = Pattern.compile(
            "^invalid input syntax for type (\\w+)|^(\\w+) syntax error|^invalid (\\w+) value");
    /** An assignment of a value of another type: only SQL written by hand computes one (Ashlar binds its values typed). */
    private static final Pattern MISTYPED = Pattern.compile(
            "^column \"([^\"]+)\" is of type (.+) but expression is of type (.+)$");
    private static final Pattern SHARD_SUFFIX = Pattern.compile("_\\d+$");
    private static final Pattern SHARD_RELATION = Pattern.compile("relation \"([^\"]+)\"");
    private static final Pattern SHARD_COLUMN = Pattern.compile("column \"([^\"]+)\"");
    private static final Pattern SHARD_CONSTRAINT = Pattern.compile("constraint \"([^\"]+)\"");
    /**
     * The columns of a detail's key, from its start: an index over an expression ({@code coalesce(a, b)}) names no
     * plain columns and matches nothing, so that no column is read from the expression or from a stored value.
     */
    private static final Pattern DETAIL_KEY = Pattern.compile("^Key \\(([^)]+)\\)=");
    /** The first key of an exclusion violation's detail; reluctant, so that a stored value never extends it. */
    private static final Pattern OWN_KEY = Pattern.compile("^(Key \\(.*?\\)=\\(.*?\\)) conflicts with existing key ");
    /** The server's words for a missing privilege on an object: its kind and its name. */
    private static final Pattern DENIED = Pattern.compile("permission denied for (schema|sequence) (.+)");
    private static final Pattern PARTITION_KEY = Pattern.compile(
            "^Partition key of the failing row contains \\((.+?)\\) = \\((.*)\\)\\.$");

    private final Hooks hooks;

    ErrorMapper(Hooks hooks) {
        this.hooks = hooks;
    }

    /**
     * @param dataSource    the name of the data source the statement ran on
     * @param inTransaction whether it ran in a transaction that goes on around it, which a lost connection ends
     */
    AshlarException map(SQLException exception, QueryContext context, ResourcePlan plan, String dataSource,
                        boolean inTransaction) {
        DatabaseError error = describe(exception);
        Optional<AshlarException> mapped = hooks.mapError(error, context);
        if (mapped.isPresent()) {
            return mapped.get();
        }
        String state = error.sqlState() == null ? "" : error.sqlState();
        FieldError raised = Refusal.error(error);
        if (raised != null) {
            return new InvalidDataException(context.resource().name(), context.action().toString(), List.of(raised),
                    state, exception);
        }
        if (ConcurrencyException.covers(state)) {
            return ConcurrencyException.of(context.resource().name(), "Could not " + context.action() + " "
                    + context.resource().name(), error.message(), state, exception);
        }
        String interrupted = StatementInterrupts.wording(exception, inTransaction);
        if (interrupted != null) {
            return DatabaseException.refused(context.resource().name(), null, "Could not " + context.action() + " "
                    + context.resource().name() + ": " + interrupted + " [SQL state " + StatementInterrupts.CANCELLED
                    + "]", StatementInterrupts.CANCELLED, exception);
        }
        if (ActionTimeoutException.covers(state)) {
            return cancelled(context.resource().name(), "Could not " + context.action() + " "
                    + context.resource().name(), error.message(), exception, inTransaction);
        }
        if (DatabaseError.connectionRefusal(state) != null) {
            return DatabaseException.refused(context.resource().name(), null, "Could not " + context.action() + " "
                    + context.resource().name() + ": " + refused(exception) + " [SQL state " + state + "]", state,
                    exception);
        }
        if (ExhaustedPool.covers(exception)) {
            return DatabaseException.refused(context.resource().name(), null, "Could not " + context.action() + " "
                    + context.resource().name() + ": " + ExhaustedPool.reason(exception), null, exception);
        }
        if (DatabaseError.connectionLost(state)) {
            return DatabaseException.refused(context.resource().name(), null, "Could not " + context.action() + " "
                    + context.resource().name() + ": " + lost(exception) + " " + afterLoss(context, inTransaction)
                    + " [SQL state " + state + "]", state, exception);
        }
        String lacking = ServerResources.lacking(state);
        if (lacking != null) {
            return DatabaseException.refused(context.resource().name(), null, "Could not " + context.action() + " "
                    + context.resource().name() + ": " + lacking + " (" + ServerResources.said(exception) + "). The "
                    + "statement wrote nothing" + (inTransaction ? ", and the transaction it ran in is rolled back "
                    + "when it ends" : "") + ": " + ServerResources.fix(state) + ", then run it again [SQL state "
                    + state + "]", state, exception);
        }
        if (state.equals(READ_ONLY_TRANSACTION)) {
            return DatabaseException.refused(context.resource().name(), null, "Cannot " + context.action() + " "
                    + context.resource().name() + " on data source '" + dataSource + "': it is read-only "
                    + READ_ONLY_WHY + ". " + READ_ONLY_FIX + " [SQL state " + state + "]", state, exception);
        }
        if (state.equals(INSUFFICIENT_PRIVILEGE)) {
            return DatabaseException.refused(context.resource().name(), null, "Cannot " + context.action() + " "
                    + context.resource().name() + " on data source '" + dataSource + "': " + error.message() + ". The "
                    + "role it connects as lacks the privilege: grant it (e.g. " + grant(error.message(), context)
                    + "), or connect as a role that has it [SQL state " + state + "]", state, exception);
        }
        if (state.equals(ABORTED_TRANSACTION)) {
            return DatabaseException.refused(context.resource().name(), null, "Cannot " + context.action() + " "
                    + context.resource().name() + ": an earlier statement of this transaction failed, and PostgreSQL "
                    + "runs no other until the transaction ends. Let the failure end the transaction, or run the "
                    + "action that may fail in a nested transaction (ashlar.transaction inside the outer one: a "
                    + "savepoint, rolled back alone) [SQL state " + state + "]", state, exception);
        }
        if (UNDEFINED.contains(state) && !Replication.PRIMARY.equals(dataSource)) {
            return DatabaseException.refused(context.resource().name(), null, "Cannot " + context.action() + " "
                    + context.resource().name() + " on data source '" + dataSource + "': " + error.message() + ". "
                    + "The primary has the migrations; this data source does not: check that its URL names a replica "
                    + "of the primary, and that it has replayed the primary's latest migration (a lagging replica "
                    + "catches up; meanwhile route the resource's reads to the primary) [SQL state " + state + "]",
                    state, exception);
        }
        if (state.equals(UNDEFINED_TABLE) && context.tenant() != null && error.message() != null
                && error.message().contains("\"" + context.tenant() + ".")) {
            return DatabaseException.refused(context.resource().name(), null, "Cannot " + context.action() + " "
                    + context.resource().name() + " for tenant '" + context.tenant() + "': " + error.message()
                    + ". A tenant's schema exists once its tenant record is created (or 'ashlar migrate --tenant "
                    + context.tenant() + "' migrated it): check the tenant's name [SQL state " + state + "]", state,
                    exception);
        }
        // A read binds only values its attributes took, so a value the server cannot convert there is a stored one
        // read through SQL of the read's own (sql(...), a computed field, a calculation, a JSON path compared as a
        // number, a date or time): no field of a record to name, and no record to fix.
        boolean storedValue = context.operation() == Operation.READ && badValue(state) && error.column() == null
                && serverTyped(error, plan) == null;
        if (storedValue) {
            return DatabaseException.refused(context.resource().name(), null, "Could not " + context.action() + " "
                    + context.resource().name() + ": " + error.message() + ". A stored value does not convert as SQL "
                    + "of the read's own asks (sql(...), a computed field, a calculation, a JSON path compared as a "
                    + "number, a date or time, a UUID or a Duration): check that SQL against the stored values [SQL "
                    + "state " + state + "]", state, exception);
        }
        List<FieldError> fields = fieldErrors(error, plan);
        if (fields != null) {
            return new InvalidDataException(context.resource().name(), context.action().toString(), fields, error.sqlState(),
                    exception);
        }
        AshlarException mistyped = mistyped(error, context, plan, exception);
        if (mistyped != null) {
            return mistyped;
        }
        AshlarException custom = customAggregateSql(error, context, plan, exception);
        if (custom != null) {
            return custom;
        }
        AshlarException converted = HandBoundConverted.error(error, state, context, plan, exception);
        if (converted != null) {
            return converted;
        }
        return DatabaseException.refused(context.resource().name(), error.column(), "The database refused "
                + context.action() + " on " + context.resource().name() + ": " + error.message() + " [SQL state "
                + error.sqlState() + "]", error.sqlState(), exception);
    }

    /**
     * The grant that gives the privilege the server's message says is missing: usage of the schema or of a sequence
     * the server names, or else the resource's own table's.
     */
    private static String grant(String message, QueryContext context) {
        Matcher denied = DENIED.matcher(message == null ? "" : message);
        String schema = context.resource().schema();
        boolean named = denied.matches() && Identifiers.problem(denied.group(2)) == null;
        if (named && denied.group(1).equals("schema")) {
            return "GRANT USAGE ON SCHEMA " + Identifiers.quote(denied.group(2)) + " TO that role";
        }
        if (named && denied.group(1).equals("sequence")) {
            return "GRANT USAGE ON SEQUENCE " + Identifiers.qualify(schema, denied.group(2)) + " TO that role";
        }
        return "GRANT SELECT, INSERT, UPDATE, DELETE ON " + Identifiers.qualify(schema, context.resource().table())
                + " TO that role, and USAGE on the sequence of a generated key";
    }

    /**
     * What a lost connection left behind, and what to do. Nothing runs again inside a transaction; outside one, a read
     * ran again on a fresh connection already, and a write whose statement reached the server may have been committed
     * before the link broke.
     */
    private static String afterLoss(QueryContext context, boolean inTransaction) {
        if (inTransaction) {
            return "The transaction was lost and rolled back, with everything it wrote: run the whole transaction "
                    + "again once the server answers";
        }
        if (context.operation() == Operation.READ) {
            return "The read ran again on a fresh connection, and lost it too: the server is down or ending sessions. "
                    + "A read changes nothing: run it again once the server answers";
        }
        String action = context.action() + " " + context.resource().name();
        return "Whether " + action + " was carried out is unknown: the server may have committed it before the link "
                + "broke, so it is not run again. Check the data before running it again (a create run twice "
                + "makes two records). The next call gets a fresh connection from the pool";
    }

    /**
     * A value computed by SQL written by hand ({@code Atomic.sql}, a typed {@code setSql}) of another type than its
     * attribute's, which PostgreSQL does not convert on assignment (timestamptz into integer, boolean into text):
     * named on the field, with the cast that fixes it. {@code null} for any other error.
     */
    private static AshlarException mistyped(DatabaseError error, QueryContext context, ResourcePlan plan,
                                            SQLException exception) {
        Matcher assigned = error.message() == null ? null : MISTYPED.matcher(error.message());
        if (assigned == null || !assigned.find()) {
            return null;
        }
        String field = field(plan, assigned.group(1));
        String type = assigned.group(2);
        String resource = context.resource().name();
        return QueryException.fromServer(resource, field, "Cannot " + context.action() + " " + resource + ": the SQL "
                + "that computes " + field + " gives a value of type " + assigned.group(3) + ", and " + field + " is of type "
                + type + ", which "
                + "PostgreSQL does not convert to on assignment. Make that SQL (Atomic.sql, setSql, or the calculation "
                + "Atomic.of names) give the attribute's type, e.g. cast it: Atomic.sql(\"(...)::" + type
                + "\") [SQL state " + error.sqlState() + "]",
                error.sqlState(), exception);
    }

    /**
     * SQL that cannot run as written, in a custom aggregate of the resource: a grouping error, which only such SQL
     * makes (it reads a related record's column outside an aggregate function), or a syntax error, an undefined
     * function or a type mismatch at a word the message quotes and the aggregate's SQL holds (a bad {@code
     * Filter.sql} of the same read is not blamed on it, nor an error at punctuation). {@code null} for any other.
     */
    private static AshlarException customAggregateSql(DatabaseError error, QueryContext context, ResourcePlan plan,
                                                      SQLException exception) {
        String state = error.sqlState() == null ? "" : error.sqlState();
        boolean grouping = state.equals(GROUPING_ERROR);
        if (!grouping && (plan == null || !BAD_SQL.contains(state))) {
            return null;
        }
        Matcher quoted = error.message() == null ? null : BAD_WORD.matcher(error.message());
        String word = quoted != null && quoted.find() ? (quoted.group(1) != null ? quoted.group(1) : quoted.group(2))
                : null;
        List<String> custom = plan == null ? List.of() : plan.resource().aggregates().stream()
                .filter(a -> a.custom() != null && (grouping || word != null && WORD.matcher(word).find()
                        && a.custom().sql().contains(word)))
                .map(Aggregate::name).toList();
        if (!grouping && custom.isEmpty()) {
            return null;
        }
        String resource = context.resource().name();
        String which = custom.isEmpty() ? "a custom aggregate's SQL" : custom.size() == 1 ? "the SQL of custom "
                + "aggregate '" + custom.get(0) + "' of " + resource : "the SQL of the custom aggregates " + custom
                + " of " + resource;
        String fix = grouping ? which + " reads a column of the related records outside an aggregate function: wrap "
                + "each {attribute} in one, e.g. string_agg({title}, ', '), not lower({title})"
                : "check " + which + ": an aggregate function call over the related records, each attribute of theirs "
                + "named {attribute}, e.g. string_agg({title}, ', ' ORDER BY {title})";
        return QueryException.of(resource, custom.size() == 1 ? custom.get(0) : null, "Could not " + context.action()
                + " " + resource + ": " + error.message() + ". " + Character.toUpperCase(fix.charAt(0))
                + fix.substring(1) + " [SQL state " + state + "]", exception);
    }

    /** The kernel's own field errors for a violation or a bad value, or {@code null} for anything else. */
    static List<FieldError> fieldErrors(DatabaseError error, ResourcePlan plan) {
        String state = error.sqlState() == null ? "" : error.sqlState();
        String constraint = error.constraint();
        Optional<KnownConstraint> known = constraint == null || plan == null ? Optional.empty()
                : plan.resource().knownConstraint(constraint).filter(k -> k.kind().sqlState().equals(state));
        if (known.isPresent()) {
            return List.of(new FieldError(known.get().field(), known.get().message(), known.get().field(), constraint));
        }
        return switch (generatedBefore14(error, state)) {
            case DatabaseError.UNIQUE_VIOLATION -> List.of(taken(error, plan));
            case DatabaseError.NOT_NULL_VIOLATION -> List.of(new FieldError(orUnknown(field(plan, error.column())),
                    "is required", error.column(), constraint));
            // The detail tells the two sides apart: "is not present in table" for a row that points at nothing, "is
            // still referenced from table" for a destroy (or a key change) that would leave rows pointing at nothing.
            case DatabaseError.FOREIGN_KEY_VIOLATION -> List.of(new FieldError(field(plan, keyField(error)),
                    (error.detail() != null && error.detail().contains("is still referenced") ? "is still referenced"
                            : "does not exist") + (error.detail() == null ? "" : " (" + error.detail() + ")"),
                    keyColumn(error), constraint));
            case EXCLUSION_VIOLATION -> List.of(new FieldError(field(plan, keyField(error)), "conflicts with another "
                    + "record (exclusion constraint " + constraint + ")" + ownKey(error), keyColumn(error), constraint));
            case DatabaseError.CHECK_VIOLATION -> List.of(constraint == null ? unpartitioned(error, plan)
                    : new FieldError(constraint, "is invalid (check " + constraint + ")", null, constraint));
            case GENERATED_ALWAYS -> List.of(generated(error, plan));
            case CARDINALITY_VIOLATION -> List.of(new FieldError("upsert", "the same identity appears twice in one "
                    + "upsert; send each record once"));
            case PROGRAM_LIMIT -> {
                FieldError tooLong = tooLongForIndex(error, plan);
                yield tooLong == null ? null : List.of(tooLong);
            }
            default -> {
                ColumnPlan serverTyped = error.column() == null ? serverTyped(error, plan) : null;
                if (serverTyped != null && (badValue(state) || state.equals(SYNTAX_ERROR))) {
                    String type = scalar(serverTyped.codec()).castType().toLowerCase(Locale.ROOT);
                    yield List.of(new FieldError(serverTyped.name(), "is not a valid " + type + ": " + error.message()
                            + (error.detail() == null ? "" : " (" + error.detail() + ")")
                            + (scalar(serverTyped.codec()) instanceof LtreeCodec ? "; a label holds letters, digits and _ (and "
                            + "- from PostgreSQL 16): declare the attribute LTREE.escaped() to store any text"
                            : "; give it in the type's text form"), serverTyped.attribute().columnName(), constraint));
                }
                FieldError narrower = error.column() == null ? pastNarrowerWholeNumber(error, plan) : null;
                if (narrower != null) {
                    yield List.of(narrower);
                }
                yield badValue(state) ? List.of(new FieldError(orUnknown(field(plan, error.column())),
                        // "value too long for ..." reads as "value value too long" after the unknown field's name.
                        error.column() == null ? error.message().replaceFirst("^value ", "") : error.message(),
                        error.column(), constraint)) : null;
            }
        };
    }

    /**
     * The one attribute whose values only the server checks, as the type its message names ({@code invalid input
     * syntax for type inet: "x"}, {@code ltree syntax error at character 5}): a text attribute of another migration
     * type, or an array of one ({@code inet[]}), or an unescaped LTREE. Null when the message names no type, or no attribute or several are of
     * it.
     */
    private static ColumnPlan serverTyped(DatabaseError error, ResourcePlan plan) {
        Matcher named = plan == null || error.message() == null ? null : SERVER_TYPE.matcher(error.message());
        if (named == null || !named.find()) {
            return null;
        }
        String type = named.group(1) != null ? named.group(1) : named.group(2) != null ? named.group(2) : named.group(3);
        List<ColumnPlan> typed = plan.columns().stream().filter(column -> checkedByServer(scalar(column.codec()))
                && named(scalar(column.codec()).castType(), type)).toList();
        return typed.size() == 1 ? typed.get(0) : null;
    }

    /**
     * A whole number past the range of its column's migration type, narrower than the attribute's type (an
     * {@code INTEGER} stored in a {@code smallint}): the server names the type, not the column, so the field is the
     * one attribute whose migration type (or its arrays' element type) is that one. Null when none is, or several.
     */
    private static FieldError pastNarrowerWholeNumber(DatabaseError error, ResourcePlan plan) {
        Matcher range = plan == null || error.message() == null ? null : WHOLE_OUT_OF_RANGE.matcher(error.message());
        if (range == null || !range.matches()) {
            return null;
        }
        String type = range.group(1);
        List<ColumnPlan> typed = plan.columns().stream()
                .filter(column -> type.equals(wholeType(column.attribute().column().migrationType()))).toList();
        if (typed.size() != 1) {
            return null;
        }
        ColumnPlan column = typed.get(0);
        return new FieldError(column.name(), "is out of range for " + type + ", the column's migration type ("
                + WHOLE_RANGES.get(type) + "): give a value in that range, or widen the column's migration type",
                column.attribute().columnName(), error.constraint());
    }

    /** The whole-number type a migration type (or its arrays' element type) names, by the name the server gives it. */
    private static String wholeType(String migrationType) {
        if (migrationType == null) {
            return null;
        }
        String element = Codecs.arrayElement(migrationType);
        String type = (element == null ? migrationType : element).strip().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "smallint", "int2" -> "smallint";
            case "integer", "int", "int4" -> "integer";
            case "bigint", "int8" -> "bigint";
            default -> null;
        };
    }

    /** Whether only the server checks the values: a migration type's text, or an unescaped ltree's labels. */
    private static boolean checkedByServer(Codec codec) {
        return codec instanceof TextCodec text && text.checkedByServer()
                || codec instanceof LtreeCodec ltree && !ltree.escaped();
    }

    /** The codec of an array's elements ({@code inet} of {@code inet[]}), or the codec itself. */
    private static Codec scalar(Codec codec) {
        return codec instanceof ArrayCodec array ? array.element() : codec;
    }

    /**
     * A statement the server cancelled (57014) on a thread not interrupted. A timeout's (the handle's, whose driver
     * timer cancels as a user would, or the server's {@code statement_timeout}) is an {@link ActionTimeoutException};
     * another session's {@code pg_cancel_backend} is no timeout, and giving the work more time would not help. The two
     * are told apart by the server's English text: PostgreSQL sends the same SQL state and routine for both, and a
     * server whose lc_messages is another language gets the timeout's wording, which then names both causes. A cancel
     * aborts the transaction the statement ran in, with everything it wrote, which the message then says.
     */
    private static AshlarException cancelled(String resource, String failed, String said, SQLException exception,
                                             boolean inTransaction) {
        String aborted = inTransaction ? "The transaction it ran in is rolled back, with everything it wrote" : null;
        Duration timeout = StatementTimeout.current();
        if (timeout == null && String.valueOf(said).contains("due to user request")) {
            return DatabaseException.refused(resource, null, failed + ": another session cancelled its statement "
                    + "(pg_cancel_backend: an administrator, a tool or a watchdog), so nothing it did was kept. "
                    + (aborted == null ? "" : aborted + ". ") + "Run it again; should it happen again, find what "
                    + "cancels it (pg_stat_activity, the server's log) [SQL state " + StatementInterrupts.CANCELLED
                    + "]", StatementInterrupts.CANCELLED, exception);
        }
        // Both causes end the statement with 57014 and differ only in the server's text, English unless lc_messages
        // says otherwise: a text that names neither still says what to do should the cancel have been another's.
        String unknown = timeout == null && !String.valueOf(said).contains("statement timeout")
                ? ". Were it cancelled by another session (pg_cancel_backend) rather than by its statement_timeout, "
                + "more time would not help: run it again" : "";
        return ActionTimeoutException.of(resource, failed, timeout, said + unknown
                + (aborted == null ? "" : ". " + aborted), exception);
    }

    /** A failure outside any resource's action: a transaction's commit or its connection. */
    static AshlarException unmapped(SQLException exception, String what) {
        return unmapped(exception, what, false);
    }

    /**
     * A failure outside any resource's action (SQL written by hand, a large object's read), in a transaction that goes
     * on around it or not: a lost connection or a cancel then says that the transaction is lost with what it wrote.
     */
    static AshlarException unmapped(SQLException exception, String what, boolean inTransaction) {
        if (ConcurrencyException.covers(exception.getSQLState())) {
            return ConcurrencyException.of(null, what + " failed", exception.getMessage(), exception.getSQLState(),
                    exception);
        }
        String interrupted = StatementInterrupts.wording(exception, inTransaction);
        if (interrupted != null) {
            return DatabaseException.withState(what + " failed: " + interrupted + " [SQL state "
                    + StatementInterrupts.CANCELLED + "]", StatementInterrupts.CANCELLED, exception);
        }
        if (ActionTimeoutException.covers(exception.getSQLState())) {
            return cancelled(null, what + " failed", exception.getMessage(), exception, inTransaction);
        }
        if (DatabaseError.connectionRefusal(exception.getSQLState()) != null) {
            return DatabaseException.withState(what + " failed: " + refused(exception) + " [SQL state "
                    + exception.getSQLState() + "]", exception.getSQLState(), exception);
        }
        if (ExhaustedPool.covers(exception)) {
            return DatabaseException.withState(what + " failed: " + ExhaustedPool.reason(exception), null, exception);
        }
        String lacking = ServerResources.lacking(exception.getSQLState());
        if (lacking != null) {
            return DatabaseException.withState(what + " failed: " + lacking + " (" + ServerResources.said(exception)
                    + "). Nothing of the transaction was kept: " + ServerResources.fix(exception.getSQLState())
                    + ", then run it again [SQL state " + exception.getSQLState() + "]", exception.getSQLState(),
                    exception);
        }
        if (READ_ONLY_TRANSACTION.equals(exception.getSQLState())) {
            // SQL written by hand (sql(...)) that writes meets the server's read-only session as an action's write does
            return DatabaseException.withState(what + " failed: the session is read-only " + READ_ONLY_WHY + ", and "
                    + "the server said: " + exception.getMessage() + ". " + READ_ONLY_FIX + " [SQL state "
                    + exception.getSQLState() + "]", exception.getSQLState(), exception);
        }
        if (DatabaseError.connectionLost(exception.getSQLState())) {
            return DatabaseException.withState(what + " failed: " + lost(exception) + (inTransaction
                    ? " The transaction it ran in was lost and rolled back, with everything it wrote (savepoints too): "
                    + "run the whole transaction again once the server answers." : "") + " The next call gets a new "
                    + "connection from the pool [SQL state " + exception.getSQLState() + "]", exception.getSQLState(),
                    exception);
        }
        return DatabaseException.withState(what + " failed: " + exception.getMessage() + " [SQL state "
                + exception.getSQLState() + "]", exception.getSQLState(), exception);
    }

    /**
     * A COMMIT whose connection broke may have been carried out before it did: only the data can tell, so the
     * transaction's callbacks, when it has some, did not run.
     */
    static AshlarException lostCommit(SQLException exception, boolean callbacks) {
        return DatabaseException.withState("Committing the transaction failed: " + lost(exception) + " Whether the "
                + "commit was carried out is unknown" + (callbacks ? ", so neither its afterCommit nor its "
                + "afterRollback callbacks ran" : "") + ": check the data before running the transaction again. The "
                + "next call gets a new connection from the pool [SQL state " + exception.getSQLState() + "]",
                exception.getSQLState(), exception);
    }

    /**
     * No connection could be had: the server's own words (a pool reports its wait and keeps the server's refusal as
     * the cause), why, and that nothing ran.
     */
    private static String refused(SQLException exception) {
        Throwable server = exception;
        while (server.getCause() instanceof SQLException cause) {
            server = cause;
        }
        return "no connection to the database could be had (" + server.getMessage() + "). "
                + DatabaseError.connectionRefusal(exception.getSQLState()) + ". Nothing ran: run the action again "
                + "once the server admits the connection.";
    }

    private static String lost(SQLException exception) {
        return "the connection to the database was lost (" + describe(exception).message() + ").";
    }

    /** Whether a migration type ({@code ltree}, {@code LTREE}, {@code public.ltree}) is the type a message names. */
    private static boolean named(String migrationType, String type) {
        String own = migrationType.toLowerCase(Locale.ROOT);
        return own.equals(type) || own.endsWith("." + type);
    }

    /** Invalid text representation, numeric out of range, string too long, bad date-time, bad JSON. */
    private static boolean badValue(String state) {
        return state.equals("22P02") || state.equals("22003") || state.equals("22001") || state.equals("22007")
                || state.equals("22008") || state.equals("22P05");
    }

    private static FieldError taken(DatabaseError error, ResourcePlan plan) {
        Optional<Identity> identity = error.constraint() == null || plan == null ? Optional.empty()
                : plan.identityByIndex(error.constraint());
        if (identity.isPresent()) {
            String message = identity.get().message();
            return new FieldError(identity.get().reportedField(), message != null ? message : "has already been taken",
                    identity.get().fields().get(0), error.constraint(), keyFields(identity.get().fields()));
        }
        // A tenant column heads a key written by hand on a table whose tenant is an attribute, as it heads the
        // resource's own: the caller's scope fixes it, so the key the caller can change is the rest.
        List<String> columns = withoutTenant(keyColumns(error), plan);
        String column = columns.isEmpty() ? keyField(error) : columns.get(0);
        List<String> fields = columns.stream().map(key -> field(plan, key)).toList();
        // A unique index the resource does not declare (one written by hand) says which values are taken together,
        // since no identity of the resource tells the reader so.
        String together = fields.size() < 2 ? "" : " together with " + String.join(", ", fields.subList(1,
                fields.size())) + " (unique key " + String.join(", ", fields) + ")";
        return new FieldError(field(plan, column), "has already been taken" + together,
                fields.isEmpty() ? null : column, error.constraint(), keyFields(fields));
    }

    /** A key's columns without the resource's tenant columns, unless nothing else is left. */
    private static List<String> withoutTenant(List<String> columns, ResourcePlan plan) {
        if (plan == null || plan.tenantColumns().isEmpty()) {
            return columns;
        }
        List<String> own = columns.stream().filter(column -> plan.tenantColumns().stream()
                .noneMatch(tenant -> tenant.name().equals(plan.fieldOf(column)))).toList();
        return own.isEmpty() ? columns : own;
    }

    /** The details of a taken key of several fields: {@code fields}, the key's fields in its order. */
    private static Map<String, Object> keyFields(List<String> fields) {
        return fields.size() < 2 ? Map.of() : Map.of("fields", List.copyOf(fields));
    }

    /**
     * A value too long for an entry of an identity's index: a btree entry holds at most 2,704 bytes once compressed,
     * any index entry 8,191. The server names the index for the first, not the second; then the identity is the one
     * holding text of unbounded length, when the resource has only one. {@code null} for another limit, or no identity.
     */
    private static FieldError tooLongForIndex(DatabaseError error, ResourcePlan plan) {
        if (plan == null || error.message() == null || !error.message().startsWith("index row")) {
            return null;
        }
        List<Identity> identities = error.constraint() != null ? plan.identityByIndex(error.constraint()).stream()
                .toList() : plan.resource().identities().stream()
                .filter(identity -> identity.fields().stream().anyMatch(field -> longText(plan, field))).toList();
        if (identities.size() != 1) {
            return null;
        }
        Identity identity = identities.get(0);
        String field = identity.fields().stream().filter(f -> longText(plan, f)).findFirst()
                .orElse(identity.fields().get(0));
        return new FieldError(field, "is too long for the index of identity " + identity.name() + " (" + error.message()
                + "): an index entry holds about 2,700 bytes at most; limit its length (varchar(n)), or keep it unique "
                + "through an index on a hash of it (skipIndex() and a unique index on md5(" + field + "))", field,
                error.constraint());
    }

    /** Whether the field holds text that may run past a btree entry's 2,704 bytes (a character takes up to 4). */
    private static boolean longText(ResourcePlan plan, String field) {
        Type type = plan.resource().calculation(field).map(Calculation::columnType)
                .orElseGet(() -> plan.column(field).attribute().type());
        return type == Type.CITEXT || type instanceof Type.Text text
                && (text.maxLength() == null || text.maxLength() * 4L > 2_704);
    }

    /**
     * A row whose partition key no partition takes: the server names no constraint, and its detail the key
     * ({@code Partition key of the failing row contains (region) = (eu).}).
     */
    private static FieldError unpartitioned(DatabaseError error, ResourcePlan plan) {
        Matcher key = error.detail() == null ? null : PARTITION_KEY.matcher(error.detail());
        if (key == null || !key.find()) {
            return new FieldError("value", error.message() == null ? "is invalid" : error.message());
        }
        String column = key.group(1).split(",\\s*")[0];
        String value = key.group(2);
        String literal = value.matches("-?\\d+(\\.\\d+)?") ? value : "\"" + value + "\"";
        return new FieldError(field(plan, column), "has no partition for " + value + ": create it first, e.g. "
                + "ashlar.createPartition(\"" + (plan == null ? "resource" : plan.name()) + "\", " + literal + ")",
                column, null);
    }

    /** The attribute stored in a column the database names: errors speak of attributes, as records do. */
    private static String field(ResourcePlan plan, String column) {
        return plan == null ? column : plan.fieldOf(column);
    }

    /** The first column named in a detail line such as {@code Key (email)=(a@b.c) already exists.} */
    private static String keyField(DatabaseError error) {
        List<String> columns = keyColumns(error);
        return columns.isEmpty() ? orUnknown(error.constraint()) : columns.get(0);
    }

    /** The last column of the detail's key: a tenant-scoped key reads {@code Key (org_id, post_id)}. */
    private static String keyColumn(DatabaseError error) {
        List<String> columns = keyColumns(error);
        return columns.isEmpty() ? error.column() : columns.get(columns.size() - 1);
    }

    /**
     * The writer's own key from an exclusion violation's detail, without the stored row's: PostgreSQL names both
     * ({@code Key (stay)=([150,151)) conflicts with existing key (stay)=([100,200)).}), and the stored row may be one
     * the writer may not read (another tenant's, or one a base filter hides); PostgreSQL itself leaves both out under
     * row-level security. A detail of another form is left out whole.
     */
    private static String ownKey(DatabaseError error) {
        Matcher own = error.detail() == null ? null : OWN_KEY.matcher(error.detail());
        return own != null && own.find() ? ": " + own.group(1) : "";
    }

    private static List<String> keyColumns(DatabaseError error) {
        if (error.detail() != null) {
            Matcher key = DETAIL_KEY.matcher(error.detail());
            if (key.find()) {
                return List.of(key.group(1).split(",\\s*"));
            }
        }
        return List.of();
    }

    /**
     * The field a write gave a value that the database computes ({@code cannot insert a non-DEFAULT value into column
     * "total"}, {@code column "total" can only be updated to DEFAULT}), named by the server's message.
     */
    /**
     * The state, or {@link #GENERATED_ALWAYS} for a value given for a generated column on PostgreSQL 13, which reports
     * it as a syntax error whose detail says so (14 and later use the state of its own).
     */
    private static String generatedBefore14(DatabaseError error, String state) {
        return state.equals(SYNTAX_ERROR) && error.detail() != null && error.detail().endsWith(" is a generated column.")
                ? GENERATED_ALWAYS : state;
    }

    private static FieldError generated(DatabaseError error, ResourcePlan plan) {
        Matcher named = SHARD_COLUMN.matcher(error.message());
        String column = named.find() ? named.group(1) : null;
        return new FieldError(orUnknown(field(plan, column)), "is computed by the database (GENERATED ALWAYS"
                + (error.detail() == null ? "" : ": " + error.detail()) + ") and takes no value: leave it out of "
                + "creates, updates and upserts, and read it from the stored record they return", column, null);
    }

    private static String orUnknown(String field) {
        return field == null ? "value" : field;
    }

    /** Whether a Citus worker reported the error, for a statement the coordinator sent it. */
    private static boolean onShard(ServerErrorMessage m) {
        return m.getWhere() != null && m.getWhere().contains("while executing command on");
    }

    /**
     * A worker's report as one server would make it: Citus passes on neither the table, the column
     * nor the constraint field, and names them with the shard's suffix ({@code relation "posts_102008"},
     * {@code constraint "posts_rating_check_102008"}), so they are read from the message and the
     * {@code _<shard id>} suffix the table has is taken off the table and the constraint.
     */
    private static DatabaseError shardError(ServerErrorMessage m) {
        String table = m.getTable() != null ? m.getTable() : quoted(SHARD_RELATION, m.getMessage());
        String constraint = m.getConstraint() != null ? m.getConstraint() : quoted(SHARD_CONSTRAINT, m.getMessage());
        // A unique violation names no relation: the constraint's own suffix is then the shard's.
        Matcher suffix = SHARD_SUFFIX.matcher(table != null ? table : constraint != null ? constraint : "");
        String shard = suffix.find() ? suffix.group() : null;
        return new DatabaseError(m.getSQLState(), m.getMessage(), m.getDetail(), m.getSchema(), unsharded(table, shard),
                m.getColumn() != null ? m.getColumn() : quoted(SHARD_COLUMN, m.getMessage()), unsharded(constraint, shard));
    }

    private static String quoted(Pattern pattern, String message) {
        Matcher found = message == null ? null : pattern.matcher(message);
        return found != null && found.find() ? found.group(1) : null;
    }

    private static String unsharded(String name, String shard) {
        return name != null && shard != null && name.endsWith(shard) ? name.substring(0, name.length() - shard.length())
                : name;
    }

    /** The server's structured report, from the exception or the first one chained to it that has one. */
    static DatabaseError describe(SQLException exception) {
        for (SQLException e = exception; e != null; e = e.getNextException()) {
            if (e instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
                ServerErrorMessage m = psql.getServerErrorMessage();
                return onShard(m) ? shardError(m) : new DatabaseError(m.getSQLState(), m.getMessage(), m.getDetail(),
                        m.getSchema(), m.getTable(), m.getColumn(), m.getConstraint());
            }
        }
        return new DatabaseError(exception.getSQLState(), exception.getMessage(), null, null, null, null, null);
    }
}
