package dev.ashlar.kernel.migrate;

import java.sql.SQLException;
import java.util.Set;

/**
 * A {@code CREATE ... IF NOT EXISTS} of an object that another session created at the same moment. {@code IF NOT
 * EXISTS} does not guard against a concurrent creator: the loser fails in one of several ways, depending on how far it
 * got when the winner committed — the object already exists (42P07 for a table, 42P06 for a schema), the table's row
 * type already exists (42710), or the catalog's unique index refuses the name (23505) — and each means the object is
 * there now.
 */
public final class CreationRace {
    private static final Set<String> LOST = Set.of("42P07", "42P06", "42710", "23505");

    private CreationRace() {
    }

    /**
     * Whether the creation failed only because another session created the same object first, so that the caller
     * goes on with that object.
     *
     * @param e what the creation statement threw
     * @return true for the SQL states above
     */
    public static boolean lost(SQLException e) {
        return LOST.contains(e.getSQLState());
    }
}
