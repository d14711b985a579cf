package dev.ashlar.api.error;

import java.util.Optional;

/**
 * A file or folder of the project cannot be read or written, or is not in the form Ashlar wrote it in:
 * a snapshot, the migrations folder, a migration file's layout (code {@link ErrorCode#MIGRATION}).
 * {@link #file()} names it. A migration that fails on the server is another failure, with the
 * statement at fault (the kernel's migration exception).
 *
 * <pre>{@code
 * throw ProjectFileException.of(file.toString(), "Snapshot " + file + " is not valid: ...", e);
 * }</pre>
 */
public class ProjectFileException extends AshlarException {
    private static final long serialVersionUID = 1L;

    private final String file;

    private ProjectFileException(String file, String message, Throwable cause) {
        super(ErrorCode.MIGRATION, message, null, null, null, cause, file);
        this.file = file;
    }

    /** A project file that is not in the expected form. */
    public static ProjectFileException of(String file, String message) {
        return new ProjectFileException(file, message, null);
    }

    /** A project file or folder that could not be read or written, or parsed. */
    public static ProjectFileException of(String file, String message, Throwable cause) {
        return new ProjectFileException(file, message, cause);
    }

    /** The file or folder, as the message names it. */
    public Optional<String> file() {
        return Optional.ofNullable(file);
    }
}
