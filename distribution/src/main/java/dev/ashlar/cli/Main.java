package dev.ashlar.cli;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ControlCharacters;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * The {@code ashlar} command. Exit codes: 0 success, 1 failure (or pending changes under --check), 2 bad usage.
 * Every subcommand inherits {@code --help} and {@code --version}; {@code ashlar help CMD} shows a command's help.
 */
@Command(name = "ashlar", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, versionProvider = Main.Version.class,
        description = "Declarative PostgreSQL migrations and data layer for the JVM.")
public final class Main implements Callable<Integer> {
    /** The version the command's jar was built as ({@code Implementation-Version} of its manifest). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String built = Main.class.getPackage().getImplementationVersion();
            return new String[] {"ashlar " + (built == null ? "(run from classes, not from a built jar)" : built)};
        }
    }

    /**
     * The subcommands, in the order the help lists them. Picocli reads a command's annotations, and
     * those of its options' types, when the command is added; a command line naming one subcommand
     * adds only that one, which takes a tenth of a second off the start of every command.
     */
    private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("codegen", CodegenCommand::new);
        COMMANDS.put("migrate", MigrateCommand::new);
        COMMANDS.put("rollback", RollbackCommand::new);
        COMMANDS.put("status", StatusCommand::new);
        COMMANDS.put("validate", ValidateCommand::new);
        COMMANDS.put("baseline", BaselineCommand::new);
        COMMANDS.put("repair", RepairCommand::new);
        COMMANDS.put("checksum", ChecksumCommand::new);
        COMMANDS.put("tag", TagCommand::new);
        COMMANDS.put("locks", LocksCommand::new);
        COMMANDS.put("clean", CleanCommand::new);
        COMMANDS.put("inspect", InspectCommand::new);
        COMMANDS.put("check", CheckCommand::new);
        COMMANDS.put("diff", DiffCommand::new);
        COMMANDS.put("diff-changelog", DiffChangelogCommand::new);
        COMMANDS.put("snapshot", SnapshotCommand::new);
        COMMANDS.put("lint", LintCommand::new);
        COMMANDS.put("move-tenant", MoveTenantCommand::new);
        COMMANDS.put("demo", DemoCommand::new);
        COMMANDS.put("help", HelpCommand::new);
    }

    @Spec
    CommandSpec spec;

    // run() reads --verbose from the raw arguments; declared here too so that it may come before the command.
    @Option(names = "--verbose", scope = ScopeType.LOCAL, description = "Show stack traces and the engine's log.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        boolean verbose = Arrays.asList(args).contains("--verbose");
        Logging.configure(verbose);
        CommandLine commandLine = commandLine(args.length > 0 && !"help".equals(args[0]) ? args[0] : null)
                .setOut(out).setErr(err)
                .setParameterExceptionHandler(Main::badUsage)
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

    /** The command line with the one subcommand named, or with all of them when {@code name} names none. */
    static CommandLine commandLine(String name) {
        CommandLine commandLine = new CommandLine(new Main());
        Supplier<Object> one = name == null ? null : COMMANDS.get(name);
        if (one != null) {
            commandLine.addSubcommand(name, one.get());
        } else {
            COMMANDS.forEach((each, command) -> commandLine.addSubcommand(each, command.get()));
        }
        // After the subcommands: picocli hands a converter only to those already added.
        return commandLine.registerConverter(Integer.class, Main::wholeNumber)
                .registerConverter(int.class, Main::wholeNumber);
    }

    /** An option's number, refused in words a user reads ("not a whole number") rather than picocli's "not an int". */
    static Integer wholeNumber(String value) {
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is " + (value.matches("[-+]?\\d+")
                    ? "out of range: give a whole number up to " + Integer.MAX_VALUE : "not a whole number"));
        }
    }

    /**
     * Bad usage (an unknown command or option, a missing or invalid value): the error, picocli's suggestions of
     * what was meant, and where the options are listed, rather than the whole usage of the command; exit code 2.
     */
    private static int badUsage(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        // picocli quotes the argument as given: a control character in it must not reach the terminal raw.
        Optional<String> elsewhere = otherToolName(e).or(() -> optionOfOtherCommands(e));
        // picocli words a NAME=VALUE option's refusal "Value for option option '--placeholder'".
        err.println("error: " + ControlCharacters.escape(asTyped(e, args,
                elsewhere.orElse(unmatched(e)).replace("option option '", "option '"))));
        if (elsewhere.isEmpty()) {
            printSuggestions(e, err);
        }
        String command = e.getCommandLine().getCommandSpec().qualifiedName();
        err.println("Run '" + command + " --help' for " + (e.getCommandLine().getParent() == null ? "the commands."
                : "its options."));
        err.flush();
        return 2;
    }

    /**
     * The message naming the option by the name the command line gave it: picocli names an option of several names by
     * its longest ({@code --project} for a {@code --dir} given no value), which the user may never have written.
     */
    private static String asTyped(CommandLine.ParameterException e, String[] args, String message) {
        // A missing value names its option in getMissing(), an invalid one in getArgSpec().
        CommandLine.Model.ArgSpec spec = e instanceof CommandLine.MissingParameterException missing
                && missing.getMissing().size() == 1 ? missing.getMissing().get(0) : e.getArgSpec();
        if (!(spec instanceof CommandLine.Model.OptionSpec option) || option.names().length < 2) {
            return message;
        }
        for (int i = args.length - 1; i >= 0; i--) {
            for (String name : option.names()) {
                if (args[i].equals(name) || args[i].startsWith(name + "=")) {
                    return message.replace("'" + option.longestName() + "'", "'" + name + "'");
                }
            }
        }
        return message;
    }

    /**
     * The commands or options near what was mistyped, worded as picocli words them, or nothing when none is near:
     * picocli's own list holds names that merely share letters with it ({@code migrat} brought {@code validate}).
     */
    private static void printSuggestions(CommandLine.ParameterException e, PrintWriter err) {
        if (!(e instanceof CommandLine.UnmatchedArgumentException unmatched) || unmatched.getUnmatched().isEmpty()) {
            return;
        }
        String typed = unmatched.getUnmatched().get(0).split("=", 2)[0];
        CommandLine line = e.getCommandLine();
        if (unmatched.isUnknownOption()) {
            List<String> options = line.getCommandSpec().options().stream().filter(option -> !option.hidden())
                    .flatMap(option -> Arrays.stream(option.names())).filter(name -> name.startsWith("--")).toList();
            List<String> near = Suggestions.near(typed, options);
            if (!near.isEmpty()) {
                err.println("Possible solutions: " + String.join(", ", near));
            }
        } else if (!line.getSubcommands().isEmpty()) {
            String command = line.getCommandSpec().qualifiedName();
            List<String> near = Suggestions.near(typed, List.copyOf(line.getSubcommands().keySet()));
            if (!near.isEmpty()) {
                err.println("Did you mean: " + String.join(" or ", near.stream().map(name -> command + " " + name)
                        .toList()) + "?");
            }
        }
    }

    /**
     * What picocli could not match, named alone: its own message lists every argument from there on, so a mistyped
     * {@code --ur} or command would print the URL after it, password and all, as if it were unknown too.
     */
    private static String unmatched(CommandLine.ParameterException e) {
        if (!(e instanceof CommandLine.UnmatchedArgumentException unmatched) || unmatched.getUnmatched().isEmpty()) {
            return e.getMessage();
        }
        String first = unmatched.getUnmatched().get(0);
        if (first.startsWith("-")) {
            return "Unknown option: '" + first.split("=", 2)[0] + "'";
        }
        return e.getCommandLine().getParent() == null ? "'" + first + "' is not an ashlar command"
                : "Unexpected argument: '" + first + "'";
    }

    /** A command or option of Flyway or Liquibase, named with what Ashlar calls it, rather than with look-alikes. */
    private static Optional<String> otherToolName(CommandLine.ParameterException e) {
        if (!(e instanceof CommandLine.UnmatchedArgumentException unmatched) || unmatched.getUnmatched().isEmpty()) {
            return Optional.empty();
        }
        CommandLine line = e.getCommandLine();
        String first = unmatched.getUnmatched().get(0);
        String option = first.split("=", 2)[0];
        if (line.getParent() != null && option.startsWith("-") && !option.startsWith("--")
                && line.getCommandSpec().findOption("-" + option) != null) {
            return Optional.of(unmatched(e) + ": options take two dashes, -" + option);
        }
        // An option of Ashlar's own, given to the wrong command, is named by optionOfOtherCommands; codegen's
        // --target (a Citus target) is not what a Flyway user giving it to migrate means.
        if (option.startsWith("--") && !"--target".equals(option) && !commandsTaking(option).isEmpty()) {
            return Optional.empty();
        }
        return OtherToolNames.explain(line.getParent() == null ? null : line.getCommandName(), first)
                .map(hint -> unmatched(e) + ": " + hint);
    }

    private static List<String> commandsTaking(String option) {
        // Each command once, under its name: an alias (gen-resources for inspect) is the same command.
        return commandLine(null).getSubcommands().entrySet().stream()
                .filter(command -> command.getKey().equals(command.getValue().getCommandName()))
                .filter(command -> command.getValue().getCommandSpec().findOption(option) != null)
                .map(Map.Entry::getKey).toList();
    }

    /**
     * An option that other commands take, given to one that does not use it (e.g. {@code lint --url}): which
     * command refused it and which take it, rather than picocli's "Unknown option".
     */
    private static Optional<String> optionOfOtherCommands(CommandLine.ParameterException e) {
        if (!(e instanceof CommandLine.UnmatchedArgumentException unmatched) || e.getCommandLine().getParent() == null) {
            return Optional.empty();
        }
        for (String argument : unmatched.getUnmatched()) {
            String option = argument.split("=", 2)[0];
            if (!option.startsWith("--")) {
                continue;
            }
            List<String> takers = commandsTaking(option);
            if (!takers.isEmpty()) {
                String command = e.getCommandLine().getCommandName();
                return Optional.of("'ashlar " + command + "' does not take " + option + ", which would do nothing "
                        + "there: leave it out (it is an option of " + String.join(", ", takers) + ")");
            }
        }
        return Optional.empty();
    }

    private static String message(Exception e) {
        if (e instanceof AshlarException) {
            return e.getMessage();
        }
        if (e.getMessage() != null && e.getCause() == null) {
            return ControlCharacters.escape(e.getMessage());
        }
        return ControlCharacters.escape(e.getMessage() == null ? e.toString()
                : e.getMessage() + " (" + e.getClass().getSimpleName() + ")");
    }

    /** No command named: the usage goes to the error stream and the exit code is 2, as for any bad usage. */
    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("error: name a command, e.g. 'ashlar status' ('ashlar help COMMAND' describes one)");
        spec.commandLine().usage(err);
        return 2;
    }
}
