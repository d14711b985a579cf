package dev.ashlar.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every public type that users or plugin authors compile against (api and spi, outside internal
 * packages) says what it is for in Javadoc. Read from the sources: Javadoc is not in class files.
 */
class PublicTypesAreDocumentedTest {
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "^public (?:final |abstract |sealed |non-sealed )*(?:class|interface|record|enum|@interface) (\\w+)",
            Pattern.MULTILINE);

    @Test
    void everyPublicApiAndSpiTypeHasJavadoc() throws IOException {
        List<String> undocumented = new ArrayList<>();
        for (String module : List.of("api", "spi")) {
            Path sources = Path.of("..", module, "src", "main", "java");
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    if (file.toString().contains("/internal/")) {
                        continue;
                    }
                    String text = Files.readString(file);
                    Matcher type = PUBLIC_TYPE.matcher(text);
                    if (type.find() && !documented(text.substring(0, type.start()))) {
                        undocumented.add(module + ": " + type.group(1));
                    }
                }
            }
        }
        assertThat(undocumented).as("public types without Javadoc").isEmpty();
    }

    /** Whether the text before a declaration ends with a Javadoc comment, annotations aside. */
    private static boolean documented(String before) {
        String trimmed = before.replaceAll("(?m)^\\s*@\\w+(\\([^)]*\\))?\\s*$", "").stripTrailing();
        return trimmed.endsWith("*/") && trimmed.lastIndexOf("/**") >= 0;
    }
}
