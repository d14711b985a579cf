package dev.ashlar.maven;

import dev.ashlar.kernel.migrate.MigrationLocks;
import dev.ashlar.kernel.project.Project;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

import java.util.List;

/**
 * Logs who holds the migration locks of the configured database, as {@code ashlar locks} (Liquibase's
 * {@code list-locks}): each session's pid, user, application and address, and the host, process and time of the run
 * that took it. With {@code -Dashlar.release=PID}, ends that session (as {@code ashlar locks --release PID},
 * Liquibase's {@code release-locks}).
 */
@Mojo(name = "locks", requiresDependencyResolution = ResolutionScope.COMPILE_PLUS_RUNTIME, threadSafe = true)
public final class LocksMojo extends AshlarMojo {
    /**
     * End the session of this pid, which must hold a migration lock (the goal without it lists them), and wait until
     * the lock is free: for a holder whose machine or network is gone while the server keeps its session. A run still
     * going on there records nothing more, its file in progress rolled back. Needs the holder's user, a superuser or a
     * member of {@code pg_signal_backend}.
     */
    @Parameter(property = "ashlar.release")
    Integer release;

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        if (release != null && release < 1) {
            throw new MojoFailureException("ashlar.release is " + release + ", which is no session's pid: give the pid "
                    + "ashlar:locks lists for the lock's holder. Nothing was released.");
        }
        Project project = projectOnDatabase();
        if (release != null) {
            MigrationLocks.Held ended = project.releaseLock(release);
            getLog().info("Ended the session of pid " + ended.pid() + ", which held " + ended.name() + ": the lock is "
                    + "free.");
            return;
        }
        List<MigrationLocks.Held> held = project.locks();
        if (held.isEmpty()) {
            getLog().info("No migration lock is held.");
            return;
        }
        getLog().info(held.size() + " migration lock(s) held:");
        held.forEach(lock -> getLog().info("  " + lock.describe()));
    }
}
