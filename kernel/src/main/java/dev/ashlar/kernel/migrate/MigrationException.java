package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;

import java.util.Optional;

/** A migration could not be applied or rolled back; names the file and, when one failed, the statement. */
public class MigrationException extends AshlarException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final String statement;

    public MigrationException(ErrorCode code, String message, String file, String statement, String sqlState,
                              Throwable cause) {
        super(code, message, null, null, sqlState, cause, file);
        this.file = file;
        this.statement = statement;
    }

    public MigrationException(ErrorCode code, String message, String file) {
        this(code, message, file, null, null, null);
    }

    /** The migration file's name. */
    public Optional<String> file() {
        return Optional.ofNullable(file);
    }

    /** The statement that failed. */
    public Optional<String> statement() {
        return Optional.ofNullable(statement);
    }
}
