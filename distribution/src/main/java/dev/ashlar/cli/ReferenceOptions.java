package dev.ashlar.cli;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.kernel.project.ConnectRetries;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The second database of {@code diff} and {@code diff-changelog}: the one {@code --url}'s is compared with (Liquibase's
 * {@code referenceUrl}, {@code referenceUsername}, {@code referencePassword}).
 */
final class ReferenceOptions {
    @Option(names = "--reference-url", required = true, paramLabel = "URL", description = "The reference database, "
            + "the one --url's is compared with and made like: a JDBC URL or postgres://user:password@host/db.")
    String url;

    @Option(names = "--reference-user", paramLabel = "USER", description = "The reference database's user, when "
            + "its URL names none.")
    String user;

    @Option(names = "--reference-password", paramLabel = "PASSWORD", arity = "0..1", interactive = true,
            prompt = "Password for the reference database: ", description = "Its user's password, when the URL holds "
            + "none; without a value, asked for on the console.")
    char[] password;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /**
     * The reference database. What the connection's messages say of {@code --url}, {@code --user} and
     * {@code --password} is said of these options.
     */
    Database open(ProjectOptions project) {
        try {
            return Database.open(url, Database.Login.of(user, password == null ? null : new String(password)),
                    project.dir.resolve(".ashlar").resolve("postgres"), 1, ConnectRetries.of(0),
                    command.commandLine().getErr()::println);
        } catch (AshlarException e) {
            throw new AshlarException(e.code(), "--reference-url: " + e.getMessage()
                    .replace("--url (or ASHLAR_DATABASE_URL)", "--reference-url").replace("--url", "--reference-url")
                    .replace("--user", "--reference-user").replace("--password", "--reference-password"), e);
        }
    }
}
