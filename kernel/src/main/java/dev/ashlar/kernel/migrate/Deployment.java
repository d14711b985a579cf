package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ErrorCode;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

/**
 * One run of the migrator, as Liquibase's {@code DEPLOYMENTID}: every history row a {@code migrate} or
 * {@code baseline} writes carries the same short id, which {@code status} shows and {@code rollback --deployment ID}
 * undoes. A main-schema run has one; a tenant run has one for all the schemas it migrates. The id reaches the rows
 * through a session setting that the history column's default reads, so that no statement recording a file names it.
 */
public final class Deployment {
    /** The session setting the history's {@code deployment_id} default reads; unset or empty, rows get null. */
    static final String SETTING = "ashlar.deployment_id";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Deployment() {
    }

    /**
     * A new id: the time in base 36 (ordered as runs began, to the millisecond), then four random base-36 characters,
     * so that two runs started in the same millisecond differ: {@code mhf3k2z1a7q4}.
     */
    public static String newId() {
        String random = Integer.toString(RANDOM.nextInt(36 * 36 * 36 * 36), 36);
        return Long.toString(Instant.now().toEpochMilli(), 36) + "0".repeat(4 - random.length()) + random;
    }

    /** Makes the rows written on {@code connection} from now on carry {@code id}, until {@link #end}. */
    static void begin(Connection connection, String id) throws SQLException {
        try (PreparedStatement set = connection.prepareStatement("SELECT set_config('" + SETTING + "', ?, false)")) {
            set.setString(1, id);
            set.execute();
        }
    }

    /**
     * Ends {@link #begin} on a connection that may go back to a pool; a connection that broke is left as it is (it is
     * closed all the same).
     */
    static void end(Connection connection) {
        try (Statement reset = connection.createStatement()) {
            reset.execute("RESET " + SETTING);
        } catch (SQLException e) {
            // The connection broke: it cannot be reused, so nothing is left set for another user of it.
        }
    }

    /**
     * Refuses a blank deployment id before anything connects (an unset variable in a script would otherwise match
     * nothing).
     *
     * @return the id, stripped
     */
    public static String requireId(String id) {
        if (id == null || id.isBlank()) {
            throw new MigrationException(ErrorCode.MIGRATION, "Cannot roll back a deployment: the deployment id given "
                    + "is empty (an unset variable?). 'ashlar status' shows each applied migration's deployment id. "
                    + "Nothing was rolled back.", null);
        }
        return id.strip();
    }
}
