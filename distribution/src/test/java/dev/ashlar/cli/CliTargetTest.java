package dev.ashlar.cli;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.DomainProvider;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.plugins.tenancy.Multitenancy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The target a project's migrations are generated for is recorded by its first generation: later ones
 * use it without {@code --target}, another target is refused with how to switch, and switching writes the
 * migration that changes the tables over.
 */
class CliTargetTest {
    @TempDir
    Path project;
    private String out;
    private String err;

    /** Posts with a tenant column: on Citus, distributed by it. */
    public static final class Posts implements DomainProvider {
        @Override
        public Domain domain() {
            return Domain.builder("blog").resources(Resource.builder("post").table("posts").integerPrimaryKey("id")
                    .attribute("org_id", TEXT, a -> a.notNull()).attribute("title", TEXT)
                    .with(Multitenancy.attribute("org_id")).build()).build();
        }
    }

    private int codegen(String... args) {
        List<String> all = new ArrayList<>(List.of("codegen"));
        all.addAll(List.of(args));
        all.addAll(List.of("--domain", Posts.class.getName(), "--no-input", "--dir", project.toString()));
        StringWriter output = new StringWriter();
        StringWriter errors = new StringWriter();
        int code = Main.run(all.toArray(String[]::new), new PrintWriter(output, true), new PrintWriter(errors, true));
        out = output.toString();
        err = errors.toString();
        return code;
    }

    private List<String> migrations() throws IOException {
        try (Stream<Path> files = Files.list(project.resolve("migrations"))) {
            return files.sorted().map(f -> {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
    }

    private String recorded() throws IOException {
        return Files.readString(project.resolve("resource_snapshots/target")).strip();
    }

    @Test
    void theFirstGenerationRecordsItsTargetAndLaterOnesUseItWithoutTheOption() throws IOException {
        assertThat(codegen("create_blog", "--target", "citus")).isZero();
        assertThat(migrations()).singleElement().asString()
                .contains("create_distributed_table('\"public\".\"posts\"', 'org_id')");
        assertThat(recorded()).isEqualTo("citus");

        assertThat(codegen("--check")).as(out + err).isZero();
        assertThat(out).contains("Migrations are up to date.");
    }

    @Test
    void anotherTargetIsRefusedWithHowToSwitchAndNothingIsWritten() throws IOException {
        assertThat(codegen("create_blog", "--target", "citus")).isZero();

        assertThat(codegen("one_server", "--target", "postgresql")).isNotZero();
        assertThat(err).contains("generated for citus (recorded in resource_snapshots/target), not postgresql")
                .contains("would undistribute the tables made for Citus")
                .contains("'ashlar codegen NAME --target postgresql --switch-target'");
        assertThat(migrations()).hasSize(1);
        assertThat(recorded()).isEqualTo("citus");
    }

    @Test
    void switchingWritesTheMigrationThatUndistributesAndRecordsTheNewTarget() throws IOException {
        assertThat(codegen("create_blog", "--target", "citus")).isZero();

        assertThat(codegen("one_server", "--target", "postgresql", "--switch-target")).as(err).isZero();
        assertThat(out).contains("now generated for postgresql");
        // The table is undistributed first; its key, which Citus made take the distribution column, then loses it
        // as on any populated table: built concurrently, swapped in, and a file that builds the old key for a rollback.
        assertThat(migrations()).hasSize(5);
        assertThat(migrations().get(1))
                .contains("undistribute_table('\"public\".\"posts\"', cascade_via_foreign_keys => true)");
        assertThat(migrations().get(2))
                .contains("CREATE UNIQUE INDEX CONCURRENTLY \"posts_pkey_next\" ON \"public\".\"posts\" (\"id\")");
        assertThat(migrations().get(3)).contains("PRIMARY KEY USING INDEX \"posts_pkey_next\"");
        assertThat(recorded()).isEqualTo("postgresql");
        assertThat(codegen("--check")).isZero();
        assertThat(codegen("--switch-target", "--check")).isNotZero();
        assertThat(err).contains("--switch-target needs the --target to switch to");
    }

    @Test
    void aRecordedTargetThatIsNoTargetNamesTheFile() throws IOException {
        Files.createDirectories(project.resolve("resource_snapshots"));
        Files.writeString(project.resolve("resource_snapshots/target"), "citsu\n");

        assertThat(codegen("create_blog")).isNotZero();
        assertThat(err).contains("resource_snapshots").contains("says 'citsu', which is no target");
    }
}
