package dev.ashlar.cli;

import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.kernel.project.ConnectRetries;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.time.Duration;

/** Which database, for the commands that connect to one: {@code --url}, {@code --user}, {@code --password}. */
final class DatabaseOptions {
    @Option(names = "--url", paramLabel = "URL", description = "The database: a JDBC URL, postgres://user:password@host/db, or "
            + "'embedded' (default: the ASHLAR_DATABASE_URL variable).", defaultValue = "${env:ASHLAR_DATABASE_URL}")
    String url;

    @Option(names = "--user", paramLabel = "USER", description = "The database user, when the URL names none (default: the "
            + "ASHLAR_DATABASE_USER variable).")
    String user;

    @Option(names = "--password", paramLabel = "PASSWORD", arity = "0..1", interactive = true,
            prompt = "Password for the database: ", description = "The user's password, when the "
            + "URL holds none; without a value, asked for on the console (default: the ASHLAR_DATABASE_PASSWORD "
            + "variable, which other users of the machine cannot read in its process list).")
    char[] password;

    @Option(names = "--connect-retries", paramLabel = "N", description = "When the database does not answer yet "
            + "(refused, starting up, too many connections), try again N times, after 1s, 2s, 4s ... (at most 2m "
            + "apart) before failing (default: ${DEFAULT-VALUE}).", defaultValue = "0")
    int connectRetries;

    @Option(names = "--connect-retries-interval", paramLabel = "DURATION", converter =
            TimeoutOptions.DurationConverter.class, description = "The longest wait between two connection retries "
            + "(Flyway's connectRetriesInterval; e.g. 10s, 500ms; a bare number is seconds; default: 2m).")
    Duration connectRetriesInterval;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** The retries {@code --connect-retries} and {@code --connect-retries-interval} ask for. */
    private ConnectRetries connectRetries() {
        return connectRetriesInterval == null ? ConnectRetries.of(connectRetries)
                : new ConnectRetries(connectRetries, connectRetriesInterval);
    }

    /** The database of {@code project} (whose folder keeps an embedded server's data), with a pool of one. */
    Database open(ProjectOptions project) {
        return open(project, 1);
    }

    /** The database, with a pool big enough for {@code jobs} parallel workers plus the migration lock. */
    Database open(ProjectOptions project, int jobs) {
        project.requireDir();
        if (connectRetries < 0) {
            // Bad usage (exit 2), as --jobs 0 is, whenever picocli runs the command.
            String message = "--connect-retries is " + connectRetries + ": give 0 (no retry) or more";
            throw command == null ? DatabaseException.of(message) : new ParameterException(command.commandLine(), message);
        }
        return Database.open(url, Database.Login.of(user, password == null ? null : new String(password)),
                project.dir.resolve(".ashlar").resolve("postgres"), jobs + 1, connectRetries(),
                command == null ? System.err::println : command.commandLine().getErr()::println);
    }
}
