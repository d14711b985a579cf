package dev.ashlar.readme;

import dev.ashlar.cli.Main;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "Use Ashlar in your project", walked as a newcomer walks it: its domain and application, copied from the
 * README, compile; {@code ashlar codegen create_blog --dir . --classpath target/classes} writes what the README says;
 * and the application, run twice from the project's folder, migrates and prints what the README says it prints. Only
 * the database the application connects to is this test's (the README's {@code localhost:5432/blog}).
 */
@ExtendWith(PostgresExtension.class)
class ReadmeQuickStartTest {
    private static final String SECTION = "## Use Ashlar in your project";
    private static final Pattern JAVA_FILE = Pattern.compile("^```java compile\\n(package [\\w.]+;.*?public final class "
            + "(\\w+).*?)^```", Pattern.DOTALL | Pattern.MULTILINE);
    private static final String README_URL = "\"jdbc:postgresql://localhost:5432/blog\"";
    private static final String README_USER = "setUsername(\"blog\")";
    private static final Pattern CODEGEN = Pattern.compile("^path/to/ashlar/ashlar (codegen [^#\\n]+?)\\s*$",
            Pattern.MULTILINE);
    private static final String README_OUTPUT = "prints `Hello by Ada`";

    @TempDir
    Path project;

    @Test
    void theQuickStartsDomainGeneratesItsMigrationAndItsApplicationMigratesAndPrintsHelloByAda(TestDatabase db)
            throws Exception {
        String section = theSection();
        assertThat(section).as("the output the test expects is the README's").contains(README_OUTPUT);
        Path classes = compileTheSectionsClasses(section, db);
        Files.createDirectories(classes.resolve("META-INF/services"));
        Files.writeString(classes.resolve("META-INF/services/dev.ashlar.api.resource.DomainProvider"),
                "com.example.blog.BlogDomain\n");

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(theSectionsCodegenCommand(section), new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        String migration = theOnlyMigration();
        assertThat(migration).contains("CREATE TABLE \"public\".\"authors\"", "CREATE TABLE \"public\".\"posts\"",
                "CREATE UNIQUE INDEX \"authors_unique_email_index\"", "FOREIGN KEY (\"author_id\") REFERENCES",
                "-- migrate:down", "DROP TABLE \"public\".\"posts\"", "DROP INDEX", "DROP CONSTRAINT");
        assertThat(project.resolve("resource_snapshots/public/authors")).isDirectory();

        assertThat(runTheApplication(classes, db)).isEqualTo("Hello by Ada\n");
        assertThat(runTheApplication(classes, db)).as("one line more on each run").isEqualTo("Hello by Ada\nHello by Ada\n");
        assertThat(db.value("SELECT count(*) FROM authors")).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM pg_constraint WHERE conname = 'posts_author_id_fkey' AND contype = 'f'"))
                .isEqualTo(1L);
    }

    private static String theSection() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        return readme.substring(readme.indexOf(SECTION), readme.indexOf("\n## ", readme.indexOf(SECTION) + 1));
    }

    /** The section's {@code ashlar codegen ...} line, its folders ({@code --dir}, {@code --classpath}) in the project. */
    private String[] theSectionsCodegenCommand(String section) {
        Matcher line = CODEGEN.matcher(section);
        assertThat(line.find()).as("the section's codegen command").isTrue();
        String[] args = line.group(1).split(" +");
        for (int i = 1; i < args.length; i++) {
            if (args[i - 1].equals("--dir") || args[i - 1].equals("--classpath")) {
                args[i] = project.resolve(args[i]).normalize().toString();
            }
        }
        return args;
    }

    /** The section's whole-file Java blocks but the test class, the application pointed at {@code db}. */
    private Path compileTheSectionsClasses(String section, TestDatabase db) throws IOException {
        Path sources = Files.createDirectories(project.resolve("src/main/java/com/example/blog"));
        List<String> files = new ArrayList<>();
        Matcher block = JAVA_FILE.matcher(section);
        while (block.find()) {
            String source = block.group(1);
            if (block.group(2).equals("BlogApp")) {
                assertThat(source).as("the application connects as the README says").contains(README_URL, README_USER);
                source = source.replace(README_URL, "\"" + db.jdbcUrl() + "\"")
                        .replace(README_USER, "setUsername(\"" + db.user() + "\")");
            }
            files.add(Files.writeString(sources.resolve(block.group(2) + ".java"), source).toString());
        }
        assertThat(files).as("the section's domain and application").hasSize(2);
        Path classes = Files.createDirectories(project.resolve("target/classes"));
        List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-d", classes.toString(),
                "-proc:none");
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        StringWriter errors = new StringWriter();
        assertThat(compiler.getTask(errors, null, null, options, null,
                compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjectsFromStrings(files))
                .call()).as(errors.toString()).isTrue();
        return classes;
    }

    private String theOnlyMigration() throws IOException {
        try (Stream<Path> files = Files.list(project.resolve("migrations"))) {
            List<Path> migrations = files.toList();
            assertThat(migrations).hasSize(1);
            assertThat(migrations.get(0).getFileName().toString()).matches("\\d{14}_create_blog\\.sql");
            return Files.readString(migrations.get(0));
        }
    }

    /** {@code mvn exec:java -Dexec.mainClass=com.example.blog.BlogApp} from the project's folder: its standard output. */
    private String runTheApplication(Path classes, TestDatabase db) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = project.resolve("target/application.log");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                classes + System.getProperty("path.separator") + System.getProperty("java.class.path"),
                "com.example.blog.BlogApp").directory(project.toFile()).redirectError(log.toFile());
        builder.environment().put("BLOG_DATABASE_PASSWORD", db.password());
        Process application = builder.start();
        String output = new String(application.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(application.waitFor(60, TimeUnit.SECONDS)).as("the application ends").isTrue();
        assertThat(application.exitValue()).as(output + Files.readString(log)).isZero();
        return output;
    }
}
