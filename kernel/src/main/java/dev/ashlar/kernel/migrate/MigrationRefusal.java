package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.spi.plugin.DatabaseError;

import java.sql.SQLException;

/**
 * A migration run the server refused before it applied anything (no privilege, a read-only database, no {@code public}
 * schema, no connection): the server's message with what it means and what fixes it. The main schema's runs and the
 * tenant runs say it alike.
 */
public final class MigrationRefusal {
    private MigrationRefusal() {
    }

    /**
     * @param action  what could not be done ("migrate public")
     * @param schemas the schemas the run creates in, as a grant names them ("schema \"public\"")
     * @param grant   the grant that gives them, without its role ("GRANT CREATE ON SCHEMA \"public\"")
     * @param tables  Ashlar's tables the run reads and writes
     */
    public static DatabaseException of(String action, SQLException e, String schemas, String grant, String tables) {
        return DatabaseException.withState("Could not " + action + ": " + e.getMessage()
                + hint(e, schemas, grant, tables), e.getSQLState(), e);
    }

    /**
     * What the refusal means and the fix, to add to the server's message: empty for an error that is no refusal.
     *
     * @see #of
     */
    public static String hint(SQLException e, String schemas, String grant, String tables) {
        String hint = "";
        if ("42501".equals(e.getSQLState())) {
            // PostgreSQL 15 took CREATE on public from every role: a migrating role that is no owner meets this first.
            hint = ". The migrating role needs USAGE and CREATE on " + schemas + " (" + grant + " TO the role; "
                    + "PostgreSQL 15 and later no longer grant it on public to every role), and SELECT, INSERT, UPDATE, "
                    + "DELETE on Ashlar's tables " + tables + "; or migrate as their owner. Nothing was applied";
        } else if ("25006".equals(e.getSQLState())) {
            // A hot standby, or a database or role with default_transaction_read_only on, refuses every write.
            hint = ". The database takes no writes: it is a read replica or standby, or default_transaction_read_only "
                    + "is on for it or the role. Migrate the primary (its URL), or turn the setting off";
        } else if (DatabaseError.connectionRefusal(e.getSQLState()) != null) {
            hint = ". " + DatabaseError.connectionRefusal(e.getSQLState());
        } else if ("3F000".equals(e.getSQLState())) {
            // A hardened database may have dropped public, where every migrator keeps the table of its lock's runs.
            hint = ". Ashlar keeps the table of its migration lock, " + AdvisoryLock.TABLE + ", in schema public: "
                    + "create it (CREATE SCHEMA public) or migrate a database that has it. Nothing was applied";
        }
        return hint;
    }
}
