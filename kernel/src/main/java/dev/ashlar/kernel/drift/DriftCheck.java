package dev.ashlar.kernel.drift;

import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.kernel.drift.Difference.Change;
import dev.ashlar.kernel.drift.SchemaState.TableState;
import dev.ashlar.kernel.migrate.History;
import dev.ashlar.kernel.schema.Table;
import dev.ashlar.spi.schema.Scope;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Compares a live database with what the snapshots say it should be: its main schemas and the given
 * tenant schemas, table by table, column by column (type, nullability, default, identity), and each
 * constraint, index, trigger and policy by name and definition, whoever made it (the kernel or a plugin).
 * The expected schemas are made in stand-in schemas inside one transaction that is rolled back, so
 * the database is left as it was; only the stand-ins' catalog rows are written, and no lock is taken on
 * a live table.
 *
 * <pre>{@code
 * List<Difference> drift = new DriftCheck(dataSource, new SnapshotStore(projectDir).latest()).compare(List.of());
 * }</pre>
 */
public final class DriftCheck {
    private final DataSource dataSource;
    private final Map<String, Table> snapshots;
    private final String history;

    public DriftCheck(DataSource dataSource, Map<String, Table> snapshots) {
        this(dataSource, snapshots, History.DEFAULT_TABLE);
    }

    /** Leaves out the migration history {@code history} ({@code --history-table}), as Ashlar's own tables. */
    public DriftCheck(DataSource dataSource, Map<String, Table> snapshots, String history) {
        this.dataSource = dataSource;
        this.snapshots = Map.copyOf(snapshots);
        this.history = history;
    }

    /** The differences of the main schemas ({@code public} and every schema a snapshot names), then of each tenant schema. */
    public List<Difference> compare(List<String> tenantSchemas) {
        return rolledBack(dataSource, "compare the database with the snapshots",
                connection -> compare(connection, tenantSchemas));
    }

    /**
     * The tables of these schemas as the catalog shows them now, by schema, read in a transaction that is rolled
     * back: two readings compared with {@link #compare(String, SchemaState, SchemaState)} say what changed between
     * them (a rollback rehearsal's check that a down section undid its up section). The migration history
     * {@code history} is left out, as Ashlar's own tables.
     */
    public static Map<String, SchemaState> read(DataSource dataSource, List<String> schemas, String history) {
        return rolledBack(dataSource, "read the schemas " + schemas, connection -> {
            Map<String, SchemaState> states = new TreeMap<>();
            for (String schema : schemas) {
                states.put(schema, SchemaReader.read(connection, schema, history, UnaryOperator.identity()));
            }
            return states;
        });
    }

    private static <T> T rolledBack(DataSource dataSource, String what, Reading<T> reading) {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                return reading.read(connection);
            } finally {
                connection.rollback();
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw DatabaseException.of("Could not " + what + ": " + e.getMessage(), e);
        }
    }

    private interface Reading<T> {
        T read(Connection connection) throws SQLException;
    }

    private List<Difference> compare(Connection connection, List<String> tenantSchemas) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET LOCAL lock_timeout = '5s'");
        }
        ExpectedSchemas expected = ExpectedSchemas.create(connection, snapshots);
        UnaryOperator<String> same = UnaryOperator.identity();
        List<Difference> differences = new ArrayList<>();
        for (String schema : mainSchemas()) {
            SchemaState want = SchemaReader.read(connection, expected.standIn(schema), history, expected.realNames());
            differences.addAll(compare(schema, want, SchemaReader.read(connection, schema, history, same)));
        }
        if (!tenantSchemas.isEmpty()) {
            SchemaState want = SchemaReader.read(connection, ExpectedSchemas.TENANT, history, expected.realNames());
            for (String tenant : tenantSchemas) {
                differences.addAll(compare(tenant, want, SchemaReader.read(connection, tenant, history, same)));
            }
        }
        return differences;
    }

    /** The main schemas it compares: {@code public} and the schemas of the snapshots' main tables, by name. */
    public List<String> mainSchemas() {
        TreeSet<String> schemas = new TreeSet<>(List.of("public"));
        snapshots.values().stream().filter(t -> t.scope() == Scope.MAIN).forEach(t -> schemas.add(t.schema()));
        return List.copyOf(schemas);
    }

    /** How {@code have} differs from {@code want}, both states of {@code schema}: extra, missing or different objects. */
    public static List<Difference> compare(String schema, SchemaState want, SchemaState have) {
        List<Difference> differences = new ArrayList<>();
        TreeSet<String> tables = new TreeSet<>(want.tables().keySet());
        tables.addAll(have.tables().keySet());
        for (String table : tables) {
            TableState wanted = want.tables().get(table);
            TableState found = have.tables().get(table);
            if (wanted == null || found == null) {
                TableState state = wanted == null ? found : wanted;
                differences.add(new Difference(schema, wanted == null ? Change.EXTRA : Change.MISSING, "table", table,
                        String.join(", ", state.columns().keySet().stream().sorted().toList())));
                continue;
            }
            if (!wanted.rowSecurity().equals(found.rowSecurity())) {
                differences.add(new Difference(schema, Change.DIFFERENT, "row level security", table,
                        "is " + found.rowSecurity() + ", expected " + wanted.rowSecurity()));
            }
            named(schema, "column", table, wanted.columns(), found.columns(), differences);
            new TreeSet<>(wanted.objects().keySet()).forEach(kind -> named(schema, kind, table,
                    wanted.objects().get(kind), found.objects().get(kind), differences));
        }
        return differences;
    }

    private static void named(String schema, String kind, String table, Map<String, String> wanted,
                              Map<String, String> found, List<Difference> differences) {
        TreeSet<String> names = new TreeSet<>(wanted.keySet());
        names.addAll(found.keySet());
        for (String name : names) {
            String want = wanted.get(name);
            String have = found.get(name);
            if (want == null) {
                differences.add(new Difference(schema, Change.EXTRA, kind, table + "." + name, have));
            } else if (have == null) {
                differences.add(new Difference(schema, Change.MISSING, kind, table + "." + name, want));
            } else if (!want.equals(have)) {
                differences.add(new Difference(schema, Change.DIFFERENT, kind, table + "." + name,
                        "is " + have + ", expected " + want));
            }
        }
    }
}
