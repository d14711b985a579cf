package dev.ashlar.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code ashlar} command lines the README shows, in shell blocks and in inline code, name commands and options the
 * command has: a renamed option or a command that went away fails here, not in a newcomer's terminal.
 */
class ReadmeCommandsTest {
    /** {@code ashlar COMMAND ...} up to a comment, another command or the end of the line. */
    private static final Pattern COMMAND = Pattern.compile("(?:^|[\\s/])ashlar ([a-z][a-z-]*)((?:(?!\\bashlar )[^&|;])*)");
    private static final Pattern OPTION = Pattern.compile("--[a-z][a-z-]*");
    private static final Pattern INLINE = Pattern.compile("`([^`\\n]+)`");

    @Test
    void everyCommandAndOptionOfTheReadmesCommandLinesExists() throws IOException {
        CommandLine ashlar = Main.commandLine(null);
        List<String> unknown = new ArrayList<>();
        int options = 0;
        for (String line : commandLines(Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8))) {
            Matcher command = COMMAND.matcher(line.replaceAll("(^|\\s)#.*", ""));
            while (command.find()) {
                CommandLine sub = ashlar.getSubcommands().get(command.group(1));
                if (sub == null) {
                    unknown.add("no command '" + command.group(1) + "' in: " + line);
                    continue;
                }
                Matcher option = OPTION.matcher(command.group(2));
                while (option.find()) {
                    options++;
                    if (sub.getCommandSpec().findOption(option.group()) == null) {
                        unknown.add("no option " + option.group() + " of '" + command.group(1) + "' in: " + line);
                    }
                }
            }
        }
        assertThat(options).as("options checked").isGreaterThan(30);
        assertThat(unknown).isEmpty();
    }

    /** The lines of the shell (and unmarked) blocks, and the inline code of the text around them. */
    private static List<String> commandLines(String readme) {
        List<String> lines = new ArrayList<>();
        StringBuilder prose = new StringBuilder();
        String fence = null;
        for (String line : readme.split("\n")) {
            if (line.startsWith("```")) {
                fence = fence == null ? line.substring(3).trim() : null;
            } else if (fence == null) {
                prose.append(line).append('\n');
            } else if (List.of("bash", "sh", "shell", "").contains(fence)) {
                lines.add(line);
            }
        }
        Matcher inline = INLINE.matcher(prose);
        while (inline.find()) {
            lines.add(inline.group(1));
        }
        return lines;
    }
}
