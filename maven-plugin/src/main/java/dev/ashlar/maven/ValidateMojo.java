package dev.ashlar.maven;

import dev.ashlar.kernel.migrate.IgnoreMigrationPatterns;
import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.migrate.MigrationStatus;
import dev.ashlar.kernel.migrate.MigrationStatus.State;
import dev.ashlar.kernel.migrate.ValidationException;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

import java.util.List;

/**
 * Checks the main schema's migration history against the files, running nothing, as {@code ashlar validate} and
 * Flyway's {@code flyway:validate}: fails the build listing every applied file that changed, is missing or was
 * renamed, and passes over pending files, which {@code ashlar:migrate} applies.
 */
@Mojo(name = "validate", requiresDependencyResolution = ResolutionScope.COMPILE_PLUS_RUNTIME, threadSafe = true)
public final class ValidateMojo extends AshlarMojo {
    /**
     * The migrations that pass, as Flyway's {@code ignoreMigrationPatterns}: {@code TYPE:STATE,...}, the type
     * {@code versioned}, {@code repeatable} or {@code *}, the state {@code missing}, {@code pending}, {@code ignored}
     * (pending and older than the newest applied), {@code future} or {@code *}. Default
     * {@code *:pending,*:ignored,*:future}; {@code *:future} alone fails on pending files, as Flyway's default.
     */
    @Parameter(property = "ashlar.ignoreMigrationPatterns")
    String ignoreMigrationPatterns;

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        List<MigrationStatus> statuses;
        IgnoreMigrationPatterns ignored = ignoreMigrationPatterns == null ? IgnoreMigrationPatterns.DEFAULT
                : IgnoreMigrationPatterns.parse(ignoreMigrationPatterns);
        try {
            statuses = projectOnDatabase().validate(ignored);
        } catch (MigrationException e) {
            // After a numbered list of several problems the hint gets a line of its own, so that it does not read as
            // the end of the last problem.
            String hint = e instanceof ValidationException ? "\nFrom Maven: restore the files" : " From Maven: restore "
                    + "the file";
            throw new MojoFailureException(e.getMessage() + hint + ", or run ashlar:repair if the change was meant; "
                    + "-Dashlar.ignoreMigrationPatterns lets pending, late, missing or future migrations pass.", e);
        }
        long applied = statuses.stream().filter(s -> s.state() == State.APPLIED || s.state() == State.BASELINED)
                .count();
        long pending = statuses.stream().filter(MigrationStatus::toRun).count();
        getLog().info("The migration history agrees with the files: " + applied + " applied, " + pending + " pending"
                + (pending > 0 ? " (ashlar:migrate applies them)." : "."));
    }
}
