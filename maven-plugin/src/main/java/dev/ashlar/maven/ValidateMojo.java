package dev.ashlar.maven;

import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.migrate.MigrationStatus;
import dev.ashlar.kernel.migrate.MigrationStatus.State;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

import java.util.List;

/**
 * Checks the main schema's migration history against the files, running nothing, as {@code ashlar validate} and
 * Flyway's {@code flyway:validate}: fails the build naming the first applied file that changed or is missing, and
 * passes over pending files, which {@code ashlar:migrate} applies.
 */
@Mojo(name = "validate", requiresDependencyResolution = ResolutionScope.COMPILE_PLUS_RUNTIME, threadSafe = true)
public final class ValidateMojo extends AshlarMojo {
    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        List<MigrationStatus> statuses;
        try {
            statuses = projectOnDatabase().validate();
        } catch (MigrationException e) {
            throw new MojoFailureException(e.getMessage() + " From Maven: restore the file, or run ashlar:repair if "
                    + "the change was meant.", e);
        }
        long applied = statuses.stream().filter(s -> s.state() == State.APPLIED || s.state() == State.BASELINED)
                .count();
        long pending = statuses.stream().filter(MigrationStatus::toRun).count();
        getLog().info("The migration history agrees with the files: " + applied + " applied, " + pending + " pending"
                + (pending > 0 ? " (ashlar:migrate applies them)." : "."));
    }
}
