package dev.ashlar.cli;

import dev.ashlar.testing.TestDatabase;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of the command line on a project folder and a test database.
 *
 * @param code the exit code
 * @param out  what it printed
 * @param err  what it printed as errors
 */
record CliRun(int code, String out, String err) {

    /** A run on the project folder and, when the command connects to a database ({@code lint} does not), on {@code db}. */
    static CliRun of(Path project, TestDatabase db, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--dir", project.toString()));
        if (connects(args[0])) {
            all.addAll(List.of("--url", db.urlWithCredentials()));
        }
        return of(all.toArray(String[]::new));
    }

    private static boolean connects(String command) {
        return Main.commandLine(command).getSubcommands().get(command).getCommandSpec().findOption("--url") != null;
    }

    /** A run with exactly these arguments. */
    static CliRun of(String... args) {
        StringWriter output = new StringWriter();
        StringWriter errors = new StringWriter();
        int code = Main.run(args, new PrintWriter(output, true), new PrintWriter(errors, true));
        return new CliRun(code, output.toString(), errors.toString());
    }
}
