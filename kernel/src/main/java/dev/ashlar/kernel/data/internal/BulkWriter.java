package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Filter;
import dev.ashlar.kernel.data.Upsert;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.internal.RowLayout;
import dev.ashlar.api.resource.ValueConstraints;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * Inserts (and upserts) records of one resource in few round trips, returning the stored rows.
 *
 * <p>Records that give the same fields go in one statement: {@code INSERT ... SELECT ... FROM
 * unnest(?::t1[], ?::t2[]) AS input(...) RETURNING ...} with one array bound per column, which
 * PostgreSQL parses and plans once for any number of rows (timestamps travel as their binary microseconds, see
 * {@link TimestampCarrier}; array attributes as their text literals, since {@code unnest} of an array
 * of arrays flattens it; JSON as text, which the driver sends in binary where it would escape a {@code jsonb[]}).
 * One record goes as one {@code VALUES} row, its values bound as they are: for one row, building arrays and planning
 * {@code unnest} cost the client and the server more than they save. Resources with a bytea array use multi-row
 * {@code VALUES} too, in chunks that stay under the protocol's 65,535 bind values per statement. Records that give
 * different fields form groups, one statement (or chunk series) each; several statements run in one transaction.
 */
final class BulkWriter {
    private static final int MAX_ROWS_PER_VALUES = 1_000;

    private final ResourcePlan plan;
    private final Map<InsertShape, String> cache = new ConcurrentHashMap<>();
    private final DistributedTables distributed = new DistributedTables();
    private final OnConflict conflicts;

    /**
     * @param rows     the rows of a VALUES list, or 0 for unnest
     * @param upsert   the upsert's {@link OnConflict#shape}, or null
     * @param keysOnly whether it returns only the primary key
     * @param computed for a record with values the server computes, each column's {@code Atomic.sql} without its
     *                 values (null for a value given); null for records of given values only
     */
    private record InsertShape(String schema, List<String> columns, int rows, Object upsert, boolean keysOnly,
                               List<Object> computed) {
    }

    BulkWriter(ResourcePlan plan) {
        this.plan = plan;
        this.conflicts = new OnConflict(plan, distributed);
    }

    /** @param keysOnly whether each returned row holds only the primary key (ignored without one) */
    List<Row> insert(Connection connection, String schema, List<? extends Map<String, ?>> records, Upsert upsert,
                     String action, boolean keysOnly) throws SQLException {
        Call returned = keysOnly && !plan.primaryKey().isEmpty()
                ? new Call(action, plan.keyList(), plan.keyLayout(), plan.keyCodecs(), true)
                : new Call(action, plan.columnList(), plan.layout(), plan.codecs(), false);
        if (upsert != null) {
            conflicts.refuseOverCalculation(upsert);
        }
        Map<List<ColumnPlan>, Group> groups = groups(records, action);
        if (upsert != null && !conflicts.tenantScoped(conflicts.identityColumns(upsert))) {
            // Read before rendering: a conflict target on a table Citus distributes by the tenant column includes it.
            distributed.read(connection, plan.table(schema));
        }
        int statements = 0;
        for (Map.Entry<List<ColumnPlan>, Group> group : groups.entrySet()) {
            Group each = group.getValue();
            statements += each.computed ? each.size : statements(group.getKey(), each.size, upsert);
        }
        // Several statements must succeed or fail together, also outside a transaction; so must a guarded
        // upsert, which fails after writing when a record's identity is another tenant's.
        boolean guarded = conflicts.guarded(upsert);
        if (statements == 1 && !guarded) {
            return write(connection, schema, groups, upsert, returned, records.size());
        }
        if (guarded && !connection.getAutoCommit()) {
            // In the caller's transaction, a refusal must take back what the upsert wrote before it was found:
            // the server saw no error, so the caller could still commit.
            Savepoint before = connection.setSavepoint();
            try {
                List<Row> rows = checked(connection, schema, groups,
                        write(connection, schema, groups, upsert, returned, records.size()), records.size(), upsert,
                        action);
                connection.releaseSavepoint(before);
                return rows;
            } catch (InvalidDataException e) {
                connection.rollback(before);
                throw e;
            }
        }
        return Connections.atomically(connection, c -> checked(c, schema, groups,
                write(c, schema, groups, upsert, returned, records.size()), records.size(), upsert, action));
    }

    /**
     * A guarded upsert that met another tenant's record is refused whole. Without a condition, a record it did not
     * write met one; with a condition, a record it did not write may also be one the condition kept.
     */
    private List<Row> checked(Connection connection, String schema, Map<List<ColumnPlan>, Group> groups,
                              List<Row> rows, int records, Upsert upsert, String action) throws SQLException {
        if (conflicts.guarded(upsert) && rows.size() < records && (upsert.condition() == null
                || metAnotherTenant(connection, schema, groups, upsert, action))) {
            var identity = plan.identity(upsert.identity());
            throw new InvalidDataException(plan.name(), action, List.of(new FieldError(identity.reportedField(),
                    identity.message() != null ? identity.message() : "has already been taken")), null, null);
        }
        return rows;
    }

    /**
     * Whether a record met another tenant's record on the identity: no record of its own tenant holds its identity
     * after the upsert, though it gave one (a record whose identity holds a null never conflicts, PostgreSQL's
     * default {@code NULLS DISTINCT}). Its own tenant's records are all it sees under row-level security, too.
     */
    private boolean metAnotherTenant(Connection connection, String schema, Map<List<ColumnPlan>, Group> groups,
                                     Upsert upsert, String action) throws SQLException {
        List<ColumnPlan> identity = conflicts.identityColumns(upsert).stream().map(plan::column).toList();
        for (Map.Entry<List<ColumnPlan>, Group> group : groups.entrySet()) {
            List<ColumnPlan> given = group.getKey();
            List<Integer> compared = IntStream.range(0, given.size()).boxed().filter(c -> identity.contains(given.get(c))
                    || plan.tenantColumns().contains(given.get(c))).toList();
            List<ColumnPlan> columns = compared.stream().map(given::get).toList();
            if (!columns.containsAll(plan.tenantColumns())) {
                return true;
            }
            Group each = group.getValue();
            List<Bind> binds;
            if (each.carried) {
                binds = compared.stream().map(c -> arrayBind(given.get(c), each.column(c))).toList();
            } else {
                List<Object[]> values = each.rows.stream()
                        .map(row -> compared.stream().map(c -> row[c]).toArray()).toList();
                binds = arrays(columns, values, action);
            }
            SqlStatement check = new SqlStatement(ownRecordMissing(schema, columns, identity), binds, null,
                    new Codec[0], false);
            if (Boolean.TRUE.equals(check.value(connection))) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code SELECT EXISTS (...)}: an incoming record (its identity and tenant columns, bound as arrays) whose
     * identity is not null and whose tenant holds no record with that identity.
     */
    private String ownRecordMissing(String schema, List<ColumnPlan> columns, List<ColumnPlan> identity) {
        StringBuilder sql = new StringBuilder("SELECT EXISTS (SELECT 1 FROM (");
        unnest(sql, columns, schema);
        sql.append(") AS incoming (").append(join(columns)).append(") WHERE ");
        identity.forEach(c -> sql.append("incoming.").append(c.quoted()).append(" IS NOT NULL AND "));
        return sql.append("NOT EXISTS (SELECT 1 FROM ").append(plan.table(schema)).append(" AS stored WHERE ")
                .append(String.join(" AND ", columns.stream()
                        .map(c -> "stored." + c.quoted() + " = incoming." + c.quoted()).toList())).append("))")
                .toString();
    }

    /** The action of a call (for error messages) and what its statements return: every column, or the key's. */
    private record Call(String action, String columns, RowLayout layout, Codec[] readers, boolean keysOnly) {
    }

    /**
     * Records that give the same fields, with their positions in the input, and whether the server computes some of
     * their values. Their values are held column by column, as given ({@link #take}), then converted: a group that
     * goes in arrays ({@link #unnests}) in place, each column straight into its carrier's values ({@code carried});
     * any other as rows of converted values ({@code rows}).
     */
    private static final class Group {
        final String[] names;
        /** Each column's values, the first {@code size} of each array in use. */
        Object[][] columns;
        int[] positions;
        int size;
        boolean computed;
        /**
         * Whether the columns hold the carriers' values (set once every column converted): in {@code columns}, or, for
         * a timestamp's, in {@code micros}.
         */
        boolean carried;
        /** A carried timestamp column's microseconds, by column; null for the other columns. */
        TimestampCarrier.Micros[] micros;
        /** Whether the columns were converted in place, so that some may no longer hold the values as given. */
        boolean touched;
        /** Each record's converted values, for a group that does not go in arrays. */
        List<Object[]> rows;

        Group(List<ColumnPlan> columns, int capacity) {
            names = new String[columns.size()];
            for (int c = 0; c < names.length; c++) {
                names[c] = columns.get(c).name();
            }
            this.columns = new Object[names.length][capacity];
            positions = new int[capacity];
        }

        /**
         * Takes the record, at position {@code position} of the input, when it gives exactly these fields; otherwise
         * returns false. Every field a record gives is a column ({@link #columnsOf} refuses others), so a record of as
         * many fields that holds each of the columns gives the same fields: no set is compared or hashed again.
         */
        boolean take(Map<String, ?> record, int position) {
            if (record.size() != names.length) {
                return false;
            }
            if (size == positions.length) {
                int capacity = Math.max(16, size * 2);
                positions = Arrays.copyOf(positions, capacity);
                for (int c = 0; c < names.length; c++) {
                    columns[c] = Arrays.copyOf(columns[c], capacity);
                }
            }
            boolean atomic = false;
            for (int c = 0; c < names.length; c++) {
                Object value = record.get(names[c]);
                if (value == null && !record.containsKey(names[c])) {
                    return false;
                }
                columns[c][size] = value;
                atomic |= value instanceof Atomic;
            }
            computed |= atomic;
            positions[size++] = position;
            return true;
        }

        /** The column's values in use. */
        List<Object> column(int c) {
            if (micros != null && micros[c] != null) {
                return micros[c];
            }
            List<Object> all = Arrays.asList(columns[c]);
            return columns[c].length == size ? all : all.subList(0, size);
        }
    }

    /**
     * Writes each group and returns the stored rows in input order. Only {@code DO NOTHING} and an upsert's
     * condition return fewer rows than records; then the groups' rows follow each other, each group in input order.
     */
    private List<Row> write(Connection connection, String schema, Map<List<ColumnPlan>, Group> groups, Upsert upsert,
                            Call returned, int count) throws SQLException {
        if (groups.size() == 1) {
            Map.Entry<List<ColumnPlan>, Group> only = groups.entrySet().iterator().next();
            return write(connection, schema, only.getKey(), only.getValue(), upsert, returned);
        }
        Row[] inOrder = new Row[count];
        List<Row> concatenated = new ArrayList<>(count);
        boolean complete = true;
        for (Map.Entry<List<ColumnPlan>, Group> group : groups.entrySet()) {
            int[] positions = group.getValue().positions;
            List<Row> rows = write(connection, schema, group.getKey(), group.getValue(), upsert, returned);
            complete &= rows.size() == group.getValue().size;
            for (int i = 0; complete && i < rows.size(); i++) {
                inOrder[positions[i]] = rows.get(i);
            }
            concatenated.addAll(rows);
        }
        return complete ? Arrays.asList(inOrder) : concatenated;
    }

    private List<Row> write(Connection connection, String schema, List<ColumnPlan> columns, Group group,
                            Upsert upsert, Call returned) throws SQLException {
        if (group.carried) {
            List<Bind> binds = new ArrayList<>(columns.size());
            for (int c = 0; c < columns.size(); c++) {
                binds.add(arrayBind(columns.get(c), group.column(c)));
            }
            return statement(schema, columns, 0, upsert, returned, binds).query(connection);
        }
        List<Object[]> values = group.rows;
        if (group.computed) {
            // Each record's computed values are SQL of their own: one statement per record, in input order.
            List<Row> stored = new ArrayList<>(values.size());
            for (Object[] row : values) {
                stored.addAll(computedStatement(schema, columns, row, upsert, returned).query(connection));
            }
            return stored;
        }
        if (upsert == null && columns.isEmpty()) {
            List<Row> stored = new ArrayList<>(group.size);
            for (int i = 0; i < group.size; i++) {
                stored.addAll(statement(schema, columns, 1, null, returned, List.of()).query(connection));
            }
            return stored;
        }
        if (unnests(columns, values.size())) {
            return statement(schema, columns, 0, upsert, returned, arrays(columns, values, returned.action())).query(connection);
        }
        List<Row> stored = new ArrayList<>(values.size());
        int chunk = chunk(columns);
        for (int from = 0; from < values.size(); from += chunk) {
            List<Object[]> part = values.subList(from, Math.min(values.size(), from + chunk));
            stored.addAll(statement(schema, columns, part.size(), upsert, returned, flat(columns, part))
                    .query(connection));
        }
        return stored;
    }

    private static boolean unnests(List<ColumnPlan> columns, int rows) {
        return rows > 1 && columns.stream().allMatch(c -> c.codec().bulkCarrier().fitsInArray());
    }

    private static int chunk(List<ColumnPlan> columns) {
        return Math.max(1, Math.min(MAX_ROWS_PER_VALUES, Bind.MAX_PER_STATEMENT / Math.max(1, columns.size())));
    }

    private static int statements(List<ColumnPlan> columns, int rows, Upsert upsert) {
        if (upsert == null && columns.isEmpty()) {
            return rows;
        }
        return unnests(columns, rows) ? 1 : (rows + chunk(columns) - 1) / chunk(columns);
    }

    /** Records grouped by the fields they give (in attribute order), each as converted values. */
    private Map<List<ColumnPlan>, Group> groups(List<? extends Map<String, ?>> records, String action) {
        Map<List<ColumnPlan>, Group> groups = new LinkedHashMap<>();
        Group group = null;
        // Each record's group, once records give different fields; null while they all give the same.
        Group[] owners = null;
        for (int r = 0; r < records.size(); r++) {
            Map<String, ?> record = records.get(r);
            // Records of one call usually give the same fields: their group is looked up only when they change.
            if (group == null || !group.take(record, r)) {
                List<ColumnPlan> columns;
                try {
                    columns = columnsOf(record);
                } catch (RuntimeException e) {
                    // A value of an earlier record that does not fit is refused first, as when each record was
                    // converted before the next was read.
                    convert(records, action, groups, owners, r, false);
                    throw e;
                }
                int remaining = records.size() - r;
                Group first = group;
                group = groups.computeIfAbsent(columns, k -> new Group(k, first == null ? remaining
                        : Math.min(16, remaining)));
                if (owners == null && first != null && first != group) {
                    owners = new Group[records.size()];
                    Arrays.fill(owners, 0, r, first);
                }
                if (!group.take(record, r)) {
                    throw new IllegalStateException("a record's fields are not its columns: " + record.keySet());
                }
            }
            if (owners != null) {
                owners[r] = group;
            }
        }
        boolean misfit = false;
        for (Map.Entry<List<ColumnPlan>, Group> each : groups.entrySet()) {
            List<ColumnPlan> columns = each.getKey();
            if (!misfit && !columns.isEmpty() && !each.getValue().computed && unnests(columns, each.getValue().size)) {
                misfit = !carry(columns, each.getValue());
            }
        }
        // Groups that do not go in arrays are converted record by record, in input order; so is every group when a
        // value did not fit its carrier, to refuse the first record that holds a misfit, naming all its misfits.
        convert(records, action, groups, owners, records.size(), misfit);
        if (records.size() > 1) {
            groups.forEach((given, each) -> passAll(given, each, records, action));
        }
        return groups;
    }

    /**
     * Converts each of a group's columns, in place, into its carrier's values. Returns false, leaving the group to be
     * converted record by record, when a value does not fit: the refusal that names its record is worded then.
     */
    private static boolean carry(List<ColumnPlan> columns, Group group) {
        group.touched = true;
        TimestampCarrier.Micros[] micros = new TimestampCarrier.Micros[columns.size()];
        try {
            for (int c = 0; c < columns.size(); c++) {
                Codec codec = columns.get(c).codec();
                Object[] values = group.columns[c];
                if (codec.bulkCarrier() instanceof TimestampCarrier && codec instanceof ScalarCodec timestamps) {
                    // Straight into primitives, no box per value; the given values stay, telling the nulls.
                    long[] carried = new long[group.size];
                    for (int r = 0; r < group.size; r++) {
                        Object value = values[r];
                        carried[r] = value == null ? 0 : timestamps.carriedMicros(value);
                    }
                    micros[c] = new TimestampCarrier.Micros(carried, values, group.size);
                    continue;
                }
                ValueConstraints constraints = columns.get(c).attribute().constraints();
                for (int r = 0; r < group.size; r++) {
                    Object value = values[r];
                    if (constraints.problem(value) != null) {
                        // Refused as a misfit is: the records are then converted one by one, naming this one.
                        return false;
                    }
                    values[r] = value == null ? null : codec.toCarriedInBulk(value);
                }
            }
        } catch (AshlarException e) {
            return false;
        }
        group.micros = micros;
        group.carried = true;
        return true;
    }

    /**
     * Converts the records before {@code end} of the groups that are not carried in arrays (of all groups when
     * {@code all}) into rows, in input order; refuses the first record with a value that does not fit.
     */
    private void convert(List<? extends Map<String, ?>> records, String action, Map<List<ColumnPlan>, Group> groups,
                         Group[] owners, int end, boolean all) {
        Group only = groups.size() == 1 ? groups.values().iterator().next() : null;
        if (only == null && owners == null || !all && groups.values().stream().allMatch(group -> group.carried)) {
            return;
        }
        Map<Group, List<ColumnPlan>> columnsOf = new java.util.IdentityHashMap<>();
        groups.forEach((columns, group) -> {
            if (all) {
                group.carried = false;
                group.micros = null;
            }
            if (!group.carried) {
                group.rows = new ArrayList<>(group.size);
                columnsOf.put(group, columns);
            }
        });
        for (int r = 0; r < end; r++) {
            Group group = owners == null ? only : owners[r];
            if (group.carried) {
                continue;
            }
            List<ColumnPlan> columns = columnsOf.get(group);
            int index = group.rows.size();
            Object[] values = new Object[columns.size()];
            List<FieldError> errors = null;
            for (int c = 0; c < values.length; c++) {
                Object given = group.touched ? records.get(r).get(group.names[c]) : group.columns[c][index];
                try {
                    values[c] = convert(columns.get(c), given, action, r, records.size(), records.size() > 1);
                } catch (InvalidDataException e) {
                    errors = errors == null ? new ArrayList<>() : errors;
                    errors.addAll(e.errors());
                }
            }
            if (errors != null) {
                // Every field of the record that does not fit, at once, as a changeset reports them.
                throw new InvalidDataException(plan.name(), action, errors, null, null);
            }
            group.rows.add(values);
        }
    }

    /**
     * Makes the checks the codecs left out of each value for all of a group's values at once; when a column's values
     * do not all pass, converts them again one by one, which refuses the first misfit naming its record.
     */
    private void passAll(List<ColumnPlan> columns, Group group, List<? extends Map<String, ?>> records, String action) {
        for (int c = 0; c < columns.size(); c++) {
            int column = c;
            // Values the server computes are checked by it, when the insert runs.
            List<Object> values = group.carried ? group.column(c) : group.computed ? group.rows.stream()
                    .map(row -> row[column]).filter(value -> !(value instanceof Atomic)).toList()
                    : new java.util.AbstractList<>() {
                @Override
                public Object get(int row) {
                    return group.rows.get(row)[column];
                }

                @Override
                public int size() {
                    return group.rows.size();
                }
            };
            if (!columns.get(c).codec().passAll(values)) {
                for (int i = 0; i < group.size; i++) {
                    int position = group.positions[i];
                    if (records.get(position).get(columns.get(c).name()) instanceof Atomic) {
                        continue;
                    }
                    convert(columns.get(c), records.get(position).get(columns.get(c).name()), action, position,
                            records.size(), false);
                }
            }
        }
    }

    private List<ColumnPlan> columnsOf(Map<String, ?> record) {
        record.keySet().forEach(plan::column);
        return plan.columns().stream().filter(c -> record.containsKey(c.name())).toList();
    }

    private Object convert(ColumnPlan column, Object value, String action, int index, int count, boolean inBulk) {
        try {
            return value instanceof Atomic atomic ? computed(column, atomic, action)
                    : plan.storedValue(column, value, action, inBulk);
        } catch (InvalidDataException e) {
            if (count == 1) {
                throw e;
            }
            FieldError error = e.errors().get(0);
            throw new InvalidDataException(plan.name(), action, List.of(new FieldError(error.field(),
                    error.message() + " (record " + (index + 1) + " of " + count + ")")), null, null);
        }
    }

    /**
     * A value the server computes in the insert (Ash's {@code atomic_set} on a create): only {@code Atomic.sql}, since
     * a record being created has no stored value to add to.
     */
    private Atomic computed(ColumnPlan column, Atomic atomic, String action) {
        if (!atomic.expression()) {
            throw new InvalidDataException(plan.name(), action, List.of(new FieldError(column.name(), "is given "
                    + "Atomic." + ("+".equals(atomic.operator()) ? "add" : "subtract") + "(...), which changes a "
                    + "stored value, and a record being created has none: give the value, or Atomic.sql(...) for "
                    + "one the server computes")), null, null);
        }
        if (atomic.field() != null) {
            throw new InvalidDataException(plan.name(), action, List.of(new FieldError(column.name(), "is given "
                    + "Atomic.of(\"" + atomic.field() + "\"), the value of a field of the stored record, and a record "
                    + "being created has none: give the value, or Atomic.sql(...) for one the server computes")),
                    null, null);
        }
        return atomic;
    }

    /** One array per column, each value in its codec's bulk carrier. */
    private List<Bind> arrays(List<ColumnPlan> columns, List<Object[]> values, String action) {
        List<Bind> binds = new ArrayList<>(columns.size());
        for (int c = 0; c < columns.size(); c++) {
            Codec codec = columns.get(c).codec();
            List<Object> column = new ArrayList<>(values.size());
            for (int r = 0; r < values.size(); r++) {
                Object value = values.get(r)[c];
                try {
                    column.add(value == null || codec.bulkCarrier() == codec ? value : codec.toBulk(value));
                } catch (Codec.RejectedValue e) {
                    throw new InvalidDataException(plan.name(), action, List.of(new FieldError(columns.get(c).name(),
                            e.getMessage() + " (record " + (r + 1) + " of " + values.size() + ")")), null, null);
                }
            }
            binds.add(arrayBind(columns.get(c), column));
        }
        return binds;
    }

    /** A column's values, already in its codec's bulk carrier, bound as one array of that carrier. */
    private static Bind arrayBind(ColumnPlan column, List<Object> values) {
        Codec codec = column.codec();
        return new Bind(codec.bulkCarrier() == codec ? column.listCodec() : new ArrayCodec(codec.bulkCarrier()),
                values);
    }

    private static List<Bind> flat(List<ColumnPlan> columns, List<Object[]> values) {
        List<Bind> binds = new ArrayList<>(columns.size() * values.size());
        for (Object[] row : values) {
            for (int c = 0; c < row.length; c++) {
                binds.add(new Bind(columns.get(c).codec(), row[c]));
            }
        }
        return binds;
    }

    private SqlStatement statement(String schema, List<ColumnPlan> columns, int rows, Upsert upsert, Call returned,
                                   List<Bind> binds) {
        InsertShape shape = new InsertShape(schema, columns.stream().map(ColumnPlan::name).toList(), rows,
                OnConflict.shape(upsert), returned.keysOnly(), null);
        String sql = cache.computeIfAbsent(shape, s -> render(schema, columns, rows, upsert, returned));
        // The upsert's changes and condition follow the records' values in the SQL, so their binds follow theirs.
        List<Bind> conflict = conflicts.binds(columns, upsert, returned.action());
        if (!conflict.isEmpty()) {
            binds = new ArrayList<>(binds);
            binds.addAll(conflict);
        }
        return new SqlStatement(sql, binds, returned.layout(), returned.readers(), false);
    }

    /**
     * The insert of one record with values the server computes: {@code VALUES (?, (<sql>))}, its SQL rendered once for
     * the shape of those values and bound by walking the same code.
     */
    private SqlStatement computedStatement(String schema, List<ColumnPlan> columns, Object[] row, Upsert upsert,
                                           Call returned) {
        List<Object> computed = new ArrayList<>(row.length);
        for (Object value : row) {
            computed.add(value instanceof Atomic atomic ? QueryShape.shape((Filter.Sql) atomic.amount()) : null);
        }
        InsertShape shape = new InsertShape(schema, columns.stream().map(ColumnPlan::name).toList(), 1,
                OnConflict.shape(upsert), returned.keysOnly(), computed);
        String sql = cache.computeIfAbsent(shape, s -> {
            SqlWriter out = SqlWriter.rendering();
            values(out, columns, row);
            return render(schema, columns, upsert, returned, out.sql());
        });
        SqlWriter binds = SqlWriter.bindingOnly();
        values(binds, columns, row);
        binds.bound(conflicts.binds(columns, upsert, returned.action()));
        return new SqlStatement(sql, binds.binds(), returned.layout(), returned.readers(), false);
    }

    /** {@code  VALUES (?, (<sql>))}: each given value bound, each computed one's SQL as written, its values bound. */
    private void values(SqlWriter out, List<ColumnPlan> columns, Object[] row) {
        FilterRenderer sql = new FilterRenderer(plan, out);
        out.append(" VALUES (");
        for (int c = 0; c < columns.size(); c++) {
            out.append(c == 0 ? "" : ", ");
            ColumnPlan column = columns.get(c);
            Object value = row[c];
            if (value instanceof Atomic atomic) {
                sql.refuseAtomic(column);
                sql.sql((Filter.Sql) atomic.amount());
            } else {
                column.written(out, () -> out.bind(column.codec(), value));
            }
        }
        out.append(")");
    }

    private String render(String schema, List<ColumnPlan> columns, int rows, Upsert upsert, Call returned) {
        StringBuilder values = new StringBuilder();
        if (columns.isEmpty()) {
            values.append(" DEFAULT VALUES");
        } else if (rows == 0) {
            unnest(values, columns, schema);
        } else {
            String tuple = "(" + String.join(", ", columns.stream().map(column -> column.written("?")).toList()) + ")";
            values.append(" VALUES ").append(tuple).append((", " + tuple).repeat(rows - 1));
        }
        return render(schema, columns, upsert, returned, values.toString());
    }

    /** {@code INSERT INTO ... (<columns>)<values> ON CONFLICT ... RETURNING ...}. */
    private String render(String schema, List<ColumnPlan> columns, Upsert upsert, Call returned, String values) {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(plan.table(schema));
        if (upsert != null) {
            sql.append(" AS ").append(OnConflict.stored(plan));
        }
        sql.append(columns.isEmpty() ? "" : " (" + join(columns) + ")").append(values);
        if (upsert != null) {
            SqlWriter conflict = SqlWriter.rendering();
            conflicts.render(conflict, schema, columns, upsert, returned.action());
            sql.append(conflict.sql());
        }
        return sql.append(" RETURNING ").append(returned.columns()).toString();
    }

    /** {@code SELECT "a", "b"::jsonb FROM unnest(?::text[], ?::text[]) AS input("a", "b")}. */
    private static void unnest(StringBuilder sql, List<ColumnPlan> columns, String schema) {
        StringBuilder arrays = new StringBuilder();
        sql.append(" SELECT ");
        for (int c = 0; c < columns.size(); c++) {
            Codec codec = columns.get(c).codec();
            String carried = columns.get(c).quoted();
            sql.append(c == 0 ? "" : ", ").append(columns.get(c).written(codec.bulkCarrier() == codec ? carried
                    : codec.fromBulk(carried)));
            arrays.append(c == 0 ? "?::" : ", ?::").append(codec.bulkCarrier().castType(schema)).append("[]");
        }
        sql.append(" FROM unnest(").append(arrays).append(") AS input(").append(join(columns)).append(")");
    }

    static String join(List<ColumnPlan> columns) {
        return String.join(", ", columns.stream().map(ColumnPlan::quoted).toList());
    }
}
