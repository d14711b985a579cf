package dev.ashlar.cli;

import dev.ashlar.api.error.AshlarException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Arrays;

/**
 * The {@code ashlar} command. Exit codes: 0 success, 1 failure (or pending changes under --check), 2 bad usage.
 * Every subcommand inherits {@code --help} and {@code --version}; {@code ashlar help CMD} shows a command's help.
 */
@Command(name = "ashlar", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, version = "ashlar 0.1.0",
        description = "Declarative PostgreSQL migrations and data layer for the JVM.",
        subcommands = {CodegenCommand.class, MigrateCommand.class, RollbackCommand.class, StatusCommand.class,
                BaselineCommand.class, RepairCommand.class, InspectCommand.class, CheckCommand.class, LintCommand.class,
                MoveTenantCommand.class, DemoCommand.class, HelpCommand.class})
public final class Main implements Runnable {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        boolean verbose = Arrays.asList(args).contains("--verbose");
        Logging.configure(verbose);
        CommandLine commandLine = new CommandLine(new Main()).setOut(out).setErr(err)
                .setExecutionExceptionHandler((e, line, parsed) -> {
                    if (verbose) {
                        e.printStackTrace(err);
                    }
                    err.println("error: " + message(e));
                    if (!verbose) {
                        err.println("(run with --verbose for details)");
                    }
                    err.flush();
                    return 1;
                });
        return commandLine.execute(args);
    }

    private static String message(Exception e) {
        if (e instanceof AshlarException || e.getMessage() != null && e.getCause() == null) {
            return e.getMessage();
        }
        return e.getMessage() == null ? e.toString() : e.getMessage() + " (" + e.getClass().getSimpleName() + ")";
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
