package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ConcurrencyException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.kernel.data.TransactionOptions;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/** The level and access mode of a transaction: set when it begins, checked when one runs inside it. */
final class TransactionModes {
    /** The longest pause before running a transaction again, growing with each attempt up to it. */
    private static final long MAX_PAUSE_MILLIS = 200;

    private TransactionModes() {
    }

    /**
     * Sets the level and mode as the transaction's first statement (PostgreSQL takes them only before any query):
     * the driver sends its BEGIN in the same round trip.
     */
    static void set(Connection connection, TransactionOptions options) {
        if (options.isolationLevel() == null && !options.isReadOnly()) {
            return;
        }
        String level = options.isolationLevel() == null ? "" : " ISOLATION LEVEL " + options.isolationLevel().sql();
        String mode = options.isReadOnly() ? " READ ONLY" : "";
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET TRANSACTION" + level + (level.isEmpty() || mode.isEmpty() ? "" : ",") + mode);
        } catch (SQLException e) {
            throw ErrorMapper.unmapped(e, "Setting the transaction's isolation level and access mode");
        }
    }

    /**
     * Checks that a transaction can run inside the one open on the connection, as a savepoint: at its level and, when
     * it asks to be read only, in a read-only one. It cannot be run again on its own.
     */
    static void requireInside(Connection connection, TransactionOptions options) {
        if (options.maxAttempts() > 1) {
            throw new AshlarException(ErrorCode.INVALID_QUERY, "A transaction with attempts(" + options.maxAttempts()
                    + ") cannot run inside another: a serialization failure or deadlock rolls back the outermost "
                    + "transaction whole, so only it can run again. Give the attempts to the outermost transaction");
        }
        if (options.isolationLevel() == null && !options.isReadOnly()) {
            return;
        }
        String level;
        boolean readOnly;
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT current_setting('transaction_isolation'), "
                     + "current_setting('transaction_read_only')")) {
            row.next();
            level = row.getString(1);
            readOnly = "on".equals(row.getString(2));
        } catch (SQLException e) {
            throw ErrorMapper.unmapped(e, "Reading the transaction's isolation level");
        }
        if (options.isolationLevel() != null && !level.equalsIgnoreCase(options.isolationLevel().sql())) {
            throw new AshlarException(ErrorCode.INVALID_QUERY, "A transaction at " + options.isolationLevel()
                    + " cannot run inside one that is already " + level.toUpperCase(Locale.ROOT) + ": PostgreSQL "
                    + "sets the level once, for the whole transaction. Give the level to the outermost transaction");
        }
        if (options.isReadOnly() && !readOnly) {
            throw new AshlarException(ErrorCode.INVALID_QUERY, "A read-only transaction cannot run inside one that "
                    + "can write: PostgreSQL sets the access mode for the whole transaction. Make the outermost "
                    + "transaction read only (TransactionOptions.defaults().readOnly()), or leave readOnly() out");
        }
    }

    /** Waits a random while before attempt {@code attempt + 1}, so that two transactions that met do not meet again. */
    static void pause(int attempt, ConcurrencyException failure) {
        long bound = Math.min(MAX_PAUSE_MILLIS, 10L << Math.min(attempt, 5));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(bound + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.addSuppressed(e);
            throw failure;
        }
    }
}
