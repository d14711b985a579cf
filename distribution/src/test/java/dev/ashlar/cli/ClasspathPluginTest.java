package dev.ashlar.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** An application's domain and its own plugin, given to the command only through --classpath. */
class ClasspathPluginTest {
    @TempDir
    Path root;

    private static final String SECTION = """
            package com.example;
            public record Stamp(String column) implements dev.ashlar.api.resource.Extension {
                public String plugin() { return "stamp"; }
                public String artifact() { return "com.example:stamp"; }
            }
            """;

    private static final String PLUGIN = """
            package com.example;
            import dev.ashlar.spi.schema.*;
            import java.util.*;
            public final class StampPlugin implements dev.ashlar.spi.plugin.AshlarPlugin,
                    dev.ashlar.spi.plugin.SchemaContributor {
                public String id() { return "stamp"; }
                public List<SchemaObject> schemaObjects(SchemaContext context) {
                    return context.resource().extension(Stamp.class).map(stamp -> List.of(SchemaObject
                            .builder("notes_stamp_comment", ObjectKind.of("comment"))
                            .definition(Map.of("column", stamp.column()))
                            .up("COMMENT ON COLUMN " + context.tableSql() + "." + stamp.column() + " IS 'stamped';")
                            .down("COMMENT ON COLUMN " + context.tableSql() + "." + stamp.column() + " IS NULL;")
                            .build())).orElse(List.of());
                }
            }
            """;

    private static final String DOMAIN = """
            package com.example;
            import dev.ashlar.api.resource.*;
            public final class NotesDomain implements DomainProvider {
                public Domain domain() {
                    return Domain.builder("notes").resource(Resource.builder("note").table("notes")
                            .integerPrimaryKey("id").attribute("body", Type.TEXT).with(new Stamp("body")).build()).build();
                }
            }
            """;

    @Test
    void aPluginOnTheClasspathRecognisesItsSectionOnADomainFromTheSameClasspath() throws IOException {
        Path sources = Files.createDirectories(root.resolve("src/com/example"));
        Path classes = Files.createDirectories(root.resolve("classes"));
        Files.writeString(sources.resolve("Stamp.java"), SECTION);
        Files.writeString(sources.resolve("StampPlugin.java"), PLUGIN);
        Files.writeString(sources.resolve("NotesDomain.java"), DOMAIN);
        int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), "-cp",
                System.getProperty("java.class.path"), sources.resolve("Stamp.java").toString(),
                sources.resolve("StampPlugin.java").toString(), sources.resolve("NotesDomain.java").toString());
        assertThat(compiled).isZero();
        Path services = Files.createDirectories(classes.resolve("META-INF/services"));
        Files.writeString(services.resolve("dev.ashlar.spi.plugin.AshlarPlugin"), "com.example.StampPlugin\n");
        Files.writeString(services.resolve("dev.ashlar.api.resource.DomainProvider"), "com.example.NotesDomain\n");

        StringWriter out = new StringWriter();
        int code = Main.run(new String[] {"codegen", "create_notes", "--dir", root.resolve("project").toString(),
                "--classpath", classes.toString(), "--no-input"}, new PrintWriter(out, true), new PrintWriter(out, true));

        assertThat(code).as(out.toString()).isZero();
        assertThat(out.toString()).contains("create table public.notes")
                .contains("add comment notes_stamp_comment on public.notes");
    }
}
