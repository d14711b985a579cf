package dev.ashlar.readme;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's Java blocks marked {@code ```java compile} compile together against the current code, so they cannot
 * drift from the API. A block is a whole source file, or, marked {@code ```java compile prelude=NAME}, a fragment:
 * statements (and local classes) that become the body of a method of a subclass of the prelude class {@code NAME} of
 * this package, which declares what the text around the fragment names ({@link ReadmeFields},
 * {@link ReadmeRecords}). A fragment's {@code import} lines go on top of {@link #FRAGMENT_IMPORTS}.
 */
class ReadmeSnippetsTest {
    private static final Pattern BLOCK = Pattern.compile("^```java compile(?: prelude=(\\w+))?\\n(.*?)^```",
            Pattern.DOTALL | Pattern.MULTILINE);
    /** What the README's fragments use without importing it: the API of "Use Ashlar in your project". */
    private static final String FRAGMENT_IMPORTS = """
            import dev.ashlar.api.data.*;
            import dev.ashlar.api.data.Range;
            import dev.ashlar.api.error.*;
            import dev.ashlar.api.query.*;
            import dev.ashlar.api.resource.*;
            import dev.ashlar.api.typed.*;
            import dev.ashlar.kernel.Ashlar;
            import dev.ashlar.kernel.data.*;
            import java.time.Duration;
            import java.util.*;

            import static dev.ashlar.api.query.Filter.*;
            import static dev.ashlar.api.resource.Type.*;
            """;
    /** A fragment's file, named after the line of the README where its block starts. */
    private static final Pattern FRAGMENT_FILE = Pattern.compile("ReadmeLine(\\d+)\\.java$");
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern TYPE = Pattern.compile("^(?:public )?(?:final )?(?:class|interface|record|enum) (\\w+)",
            Pattern.MULTILINE);

    @TempDir
    Path sources;

    @Test
    void theMarkedJavaBlocksOfTheReadmeCompileAgainstTheCurrentCode() throws IOException {
        List<Path> files = writeSnippets(Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8));
        assertThat(files).as("java compile blocks in the README").hasSizeGreaterThanOrEqualTo(3);

        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-d",
                    sources.resolve("classes").toString(), "-proc:none", "-Xlint:all", "-Werror");
            boolean compiled = compiler.getTask(null, fileManager, diagnostics, options, null,
                    fileManager.getJavaFileObjectsFromPaths(files)).call();

            assertThat(diagnostics.getDiagnostics()).extracting(ReadmeSnippetsTest::describe).isEmpty();
            assertThat(compiled).isTrue();
        }
    }

    private List<Path> writeSnippets(String readme) throws IOException {
        List<Path> files = new ArrayList<>();
        Matcher block = BLOCK.matcher(readme);
        while (block.find()) {
            String source = block.group(2);
            if (block.group(1) != null) {
                String className = "ReadmeLine" + (readme.substring(0, block.start()).lines().count() + 1);
                files.add(Files.writeString(sources.resolve(className + ".java"),
                        fragment(block.group(1), className, source)));
                continue;
            }
            Matcher packageName = PACKAGE.matcher(source);
            Matcher type = TYPE.matcher(source);
            assertThat(packageName.find() && type.find()).as("a README java compile block is a whole file with a "
                    + "package and a class:\n%s", source).isTrue();
            Path folder = Files.createDirectories(sources.resolve(packageName.group(1).replace('.', '/')));
            files.add(Files.writeString(folder.resolve(type.group(1) + ".java"), source));
        }
        return files;
    }

    /**
     * The fragment as the body of a method of a subclass of its prelude, in the prelude's package. All that comes
     * before the body is on the first line, so line n of the block is line n + 1 of the file.
     */
    private static String fragment(String prelude, String className, String source) {
        List<String> lines = source.lines().toList();
        String imports = lines.stream().filter(line -> line.startsWith("import ")).collect(Collectors.joining(" "));
        String body = lines.stream().map(line -> line.startsWith("import ") ? "" : line)
                .collect(Collectors.joining("\n"));
        return "package dev.ashlar.readme; " + FRAGMENT_IMPORTS.replace('\n', ' ') + imports + " final class "
                + className + " extends " + prelude + " { void fragment() throws Exception {\n" + body + "\n}}\n";
    }

    private static String describe(Diagnostic<? extends JavaFileObject> diagnostic) {
        String file = diagnostic.getSource() == null ? "" : diagnostic.getSource().getName();
        Matcher fragment = FRAGMENT_FILE.matcher(file);
        String where = fragment.find()
                ? "README.md:" + (Integer.parseInt(fragment.group(1)) + diagnostic.getLineNumber() - 1)
                : file + ":" + diagnostic.getLineNumber();
        return diagnostic.getKind() + " " + where + ": " + diagnostic.getMessage(null);
    }
}
