package dev.ashlar.kernel.drift;

import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.kernel.diff.Differ;
import dev.ashlar.kernel.diff.MigrationStep;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.schema.Table;
import dev.ashlar.spi.schema.ObjectKind;
import dev.ashlar.spi.schema.Scope;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * The schemas the snapshots describe, made for real so that PostgreSQL prints their definitions as it
 * prints the live ones: the DDL that creates every snapshot table from nothing, run inside the caller's
 * transaction (which rolls it back) in stand-in schemas, {@code ashlar_drift_1}, ... for the main
 * schemas and {@code ashlar_drift_tenant} for the tenant tables. Generated DDL names main tables
 * qualified and tenant tables bare, so the stand-ins replace the quoted schema names and come first on
 * the search path.
 */
final class ExpectedSchemas {
    static final String TENANT = "ashlar_drift_tenant";

    /** Real main schema to its stand-in. */
    private final Map<String, String> standIns;

    private ExpectedSchemas(Map<String, String> standIns) {
        this.standIns = standIns;
    }

    /** Creates the stand-ins and the snapshot tables in them, on a connection whose transaction is rolled back after. */
    static ExpectedSchemas create(Connection connection, Map<String, Table> snapshots) throws SQLException {
        Map<String, String> standIns = new LinkedHashMap<>();
        TreeSet<String> main = new TreeSet<>(List.of("public"));
        snapshots.values().stream().filter(t -> t.scope() == Scope.MAIN).forEach(t -> main.add(t.schema()));
        main.forEach(schema -> standIns.put(schema, "ashlar_drift_" + (standIns.size() + 1)));
        ExpectedSchemas expected = new ExpectedSchemas(standIns);
        try (Statement statement = connection.createStatement()) {
            // On Citus the stand-ins stay local, whatever the cluster does with new schemas.
            statement.execute("SELECT set_config('citus.enable_schema_based_sharding', 'off', true) FROM pg_extension "
                    + "WHERE extname = 'citus'");
            for (String standIn : expected.schemas()) {
                statement.execute("CREATE SCHEMA " + Identifiers.quote(standIn));
            }
            for (MigrationStep step : new Differ(Renames.none()).diff(Map.of(), new ArrayList<>(snapshots.values()))) {
                if (!(step instanceof MigrationStep.CreateSchema) && !distributes(step)) {
                    statement.execute("SET LOCAL search_path = " + Identifiers.quote(step.scope() == Scope.TENANT
                            ? TENANT : expected.standIn("public")) + ", public");
                    statement.execute(expected.rewrite(step.up()));
                }
            }
        }
        return expected;
    }

    /**
     * Whether the step distributes a table on Citus: left out, since a table's distribution is no part of what
     * PostgreSQL prints of it, and would copy the empty stand-in to every node.
     */
    private static boolean distributes(MigrationStep step) {
        return step instanceof MigrationStep.AddObject add && add.object().kind().equals(ObjectKind.DISTRIBUTION);
    }

    /** The stand-in of a main schema. */
    String standIn(String schema) {
        return standIns.getOrDefault(schema, schema);
    }

    private Iterable<String> schemas() {
        TreeSet<String> schemas = new TreeSet<>(standIns.values());
        schemas.add(TENANT);
        return schemas;
    }

    /**
     * The step's SQL in the stand-ins. Inside a transaction an index cannot be built concurrently, and need not be:
     * the stand-in tables are empty and nobody else sees them.
     */
    private String rewrite(String sql) {
        String rewritten = sql.replace(" CONCURRENTLY", "");
        for (Map.Entry<String, String> standIn : standIns.entrySet()) {
            rewritten = rewritten.replace(Identifiers.quote(standIn.getKey()) + ".",
                    Identifiers.quote(standIn.getValue()) + ".");
        }
        return rewritten;
    }

    /**
     * What a definition read in a stand-in says in the real schemas: another stand-in's qualifier becomes the real
     * schema's, or nothing for {@code public}, which is on the search path of every reading.
     */
    UnaryOperator<String> realNames() {
        return text -> {
            String real = text;
            for (Map.Entry<String, String> standIn : standIns.entrySet()) {
                real = SchemaReader.requalified(real, standIn.getValue(),
                        "public".equals(standIn.getKey()) ? "" : standIn.getKey() + ".");
            }
            return real;
        };
    }
}
