package dev.ashlar.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code --schema} of {@code diff-changelog} and {@code snapshot}, which read {@value LiveDomain#SCHEMA} only: the
 * resources they read from a database have no schema, so what they wrote for another would be of public.
 */
final class PublicSchemaOption {
    @Option(names = "--schema", paramLabel = "SCHEMA", defaultValue = LiveDomain.SCHEMA, description = "Only "
            + LiveDomain.SCHEMA + " is read; another schema is refused (compare one with 'ashlar diff --schema').")
    String schema;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** Refuses a schema other than public as bad usage, naming the command and {@code ashlar diff --schema}. */
    void require() {
        if (!LiveDomain.SCHEMA.equals(schema)) {
            throw new ParameterException(command.commandLine(), "'ashlar " + command.name() + "' reads the "
                    + LiveDomain.SCHEMA + " schema only (--schema " + schema + "): it reads each table without its "
                    + "schema, so what it wrote would be of " + LiveDomain.SCHEMA + ". Compare schema "
                    + schema + " of two databases with 'ashlar diff --schema " + schema + "'");
        }
    }
}
