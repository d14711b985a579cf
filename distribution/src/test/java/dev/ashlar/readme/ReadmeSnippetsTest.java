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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's Java blocks marked {@code ```java compile} are whole source files; they compile
 * together against the current code, so the quick start cannot drift from the API.
 */
class ReadmeSnippetsTest {
    private static final Pattern BLOCK = Pattern.compile("^```java compile\\n(.*?)^```", Pattern.DOTALL | Pattern.MULTILINE);
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
            String source = block.group(1);
            Matcher packageName = PACKAGE.matcher(source);
            Matcher type = TYPE.matcher(source);
            assertThat(packageName.find() && type.find()).as("a README java compile block is a whole file with a "
                    + "package and a class:\n%s", source).isTrue();
            Path folder = Files.createDirectories(sources.resolve(packageName.group(1).replace('.', '/')));
            files.add(Files.writeString(folder.resolve(type.group(1) + ".java"), source));
        }
        return files;
    }

    private static String describe(Diagnostic<? extends JavaFileObject> diagnostic) {
        return diagnostic.getKind() + " " + (diagnostic.getSource() == null ? "" : diagnostic.getSource().getName())
                + ":" + diagnostic.getLineNumber() + ": " + diagnostic.getMessage(null);
    }
}
