package dev.ashlar.maven;

import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.lint.Finding;
import dev.ashlar.kernel.project.Project;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

import java.util.List;

/**
 * Fails the build when the resources and the snapshots disagree (a migration is missing), or while
 * development migrations remain to be squashed; for CI, bound to {@code verify} by default. Needs no
 * database.
 */
@Mojo(name = "check", defaultPhase = LifecyclePhase.VERIFY,
        requiresDependencyResolution = ResolutionScope.COMPILE_PLUS_RUNTIME, threadSafe = true)
public final class CheckMojo extends AshlarMojo {
    /** Also fail on a migration linter finding that no allow list or comment allows (as {@code codegen --check --strict}). */
    @Parameter(property = "ashlar.strict", defaultValue = "false")
    boolean strict;

    @Override
    boolean onDatabase() {
        return false;
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        Project project = projectWithDomain();
        Codegen.Result pending = project.check(Renames.none());
        List<String> dev = project.devVersions();
        List<Finding> lint = strict ? project.lint().unallowed() : List.of();
        lint.forEach(finding -> getLog().warn(finding.message()));
        if (!pending.changed() && dev.isEmpty() && lint.isEmpty()) {
            getLog().info("Migrations are up to date.");
            return;
        }
        StringBuilder failure = new StringBuilder();
        if (pending.changed()) {
            failure.append("The resources and the snapshots in ").append(folder)
                    .append(" disagree: migrations are pending. Run mvn compile ashlar:codegen -Dashlar.name=NAME "
                            + "and commit the files. Pending changes:");
            pending.steps().forEach(step -> failure.append("\n  ").append(step.describe()));
        }
        if (!dev.isEmpty()) {
            failure.append(failure.length() == 0 ? "" : "\n").append(dev.size()).append(" development migration(s) ")
                    .append(dev).append(" remain: squash them with ashlar:codegen -Dashlar.name=NAME.");
        }
        if (!lint.isEmpty()) {
            failure.append(failure.length() == 0 ? "" : "\n").append(lint.size()).append(" migration lint finding(s) ")
                    .append("are not allowed: fix them, or allow their rules in ashlar.properties (lint.allow).");
        }
        throw new MojoFailureException(failure.toString());
    }
}
