package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ErrorCode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;

/**
 * A {@code CREATE ... IF NOT EXISTS} of an object that another session created at the same moment. {@code IF NOT
 * EXISTS} does not guard against a concurrent creator: the loser fails in one of several ways, depending on how far it
 * got when the winner committed — the object already exists (42P07 for a table, 42P06 for a schema), the table's row
 * type already exists (42710), or the catalog's unique index refuses the name (23505). The same states come from an
 * object of another kind holding the name (a type, a view), so a lost race is told from a clash by looking for the
 * object afterwards.
 */
public final class CreationRace {
    private static final Set<String> LOST = Set.of("42P07", "42P06", "42710", "23505");
    private static final Map<String, String> KINDS = Map.of("v", "view", "m", "materialized view", "S", "sequence",
            "i", "index", "I", "partitioned index", "f", "foreign table", "c", "composite type");

    private CreationRace() {
    }

    /**
     * Whether the creation may have failed only because another session created the same object first.
     *
     * @param e what the creation statement threw
     * @return true for the SQL states above
     */
    public static boolean lost(SQLException e) {
        return LOST.contains(e.getSQLState());
    }

    /**
     * Returns when the table a failed {@code CREATE TABLE IF NOT EXISTS} was to create is there, made by another
     * session; otherwise throws. Call it outside any failed transaction (after rolling back to a savepoint).
     *
     * @param table the table's qualified, quoted name
     * @param e     what the creation statement threw
     * @throws MigrationException when an object of another kind holds the name, naming it and the fix
     * @throws SQLException       {@code e}, when neither the table nor a clashing object is found, or it was no race
     */
    public static void requireTable(Connection connection, String table, SQLException e) throws SQLException {
        if (!lost(e)) {
            throw e;
        }
        String relkind;
        boolean type;
        try (PreparedStatement query = connection.prepareStatement("SELECT (SELECT relkind::text FROM "
                + "pg_catalog.pg_class WHERE oid = to_regclass(?)), to_regtype(?) IS NOT NULL")) {
            query.setString(1, table);
            query.setString(2, table);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                relkind = row.getString(1);
                type = row.getBoolean(2);
            }
        }
        if ("r".equals(relkind) || "p".equals(relkind)) {
            return;
        }
        String clash = relkind != null ? KINDS.getOrDefault(relkind, "relation") : type ? "type" : null;
        if (clash == null) {
            throw e;
        }
        throw new MigrationException(ErrorCode.MIGRATION, "Cannot create Ashlar's table " + table + ": a " + clash
                + " of that name already exists. Rename or drop that " + clash
                + ", then run again.", null, null, e.getSQLState(), e);
    }
}
