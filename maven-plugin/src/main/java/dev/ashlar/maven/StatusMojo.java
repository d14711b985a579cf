package dev.ashlar.maven;

import dev.ashlar.kernel.migrate.MigrationStatus;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

import java.util.List;
import java.util.Locale;

/** Lists the main schema's migrations: applied, baselined, pending, changed or missing. */
@Mojo(name = "status", requiresDependencyResolution = ResolutionScope.COMPILE_PLUS_RUNTIME, threadSafe = true)
public final class StatusMojo extends AshlarMojo {
    @Override
    void run() throws MojoExecutionException {
        List<MigrationStatus> statuses = projectOnDatabase().status();
        for (MigrationStatus status : statuses) {
            getLog().info(String.format(Locale.ROOT, "  %-9s %s_%s", status.state().name().toLowerCase(Locale.ROOT),
                    status.version(), status.name()));
        }
        long pending = statuses.stream().filter(s -> s.state() == MigrationStatus.State.PENDING).count();
        getLog().info(pending == 0 ? "Everything is applied." : pending + " pending: run ashlar:migrate.");
    }
}
