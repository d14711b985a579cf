package dev.ashlar.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every failure says "run with --verbose for details", so every command must take --verbose. */
class CliVerboseOptionTest {

    static List<String> commands() {
        return Main.commandLine(null).getSubcommands().keySet().stream()
                .filter(name -> !name.equals("help"))
                .toList();
    }

    @ParameterizedTest
    @MethodSource("commands")
    void everyCommandListsVerboseInItsHelp(String command) {
        StringWriter output = new StringWriter();
        StringWriter errors = new StringWriter();

        int code = Main.run(new String[] {command, "--help"}, new PrintWriter(output, true),
                new PrintWriter(errors, true));

        assertThat(code).isZero();
        assertThat(output.toString()).contains("--verbose");
        assertThat(errors.toString()).isEmpty();
    }

    @Test
    void demoParsesVerbose() {
        CommandLine.ParseResult parsed = Main.commandLine(null).parseArgs("demo", "--verbose");

        assertThat(parsed.subcommand().matchedOptionValue("--verbose", false)).isTrue();
    }
}
