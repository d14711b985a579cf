package dev.ashlar.maven;

import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.project.Project;
import dev.ashlar.spi.schema.Scope;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the migrations and snapshots that bring the schema to the resources:
 * {@code mvn compile ashlar:codegen -Dashlar.name=add_comments}. With {@code -Dashlar.dev} it writes a
 * development migration to iterate on; a later named run squashes them (rolling them back on the
 * configured database first).
 */
@Mojo(name = "codegen", requiresDependencyResolution = ResolutionScope.COMPILE_PLUS_RUNTIME, threadSafe = true)
public final class CodegenMojo extends AshlarMojo {
    /** The migration's name, e.g. add_comments. */
    @Parameter(property = "ashlar.name")
    String name;

    /** Writes a development migration instead of a named one. */
    @Parameter(property = "ashlar.dev", defaultValue = "false")
    boolean dev;

    /** Column renames (posts.title=headline) and table renames (posts=articles); others are drops and adds. */
    @Parameter(property = "ashlar.renames")
    List<String> renames = new ArrayList<>();

    /** Keeps the columns of removed attributes (nullable, marked kept in the snapshot) instead of dropping them. */
    @Parameter(property = "ashlar.dontDropColumns", defaultValue = "false")
    boolean dontDropColumns;

    /**
     * Builds every new index on an existing table concurrently, in a migration file outside a transaction (the
     * default); {@code false} builds them in the migration's transaction, blocking writes during the build.
     */
    @Parameter(property = "ashlar.concurrentIndexes", defaultValue = "true")
    boolean concurrentIndexes;

    @Override
    boolean onDatabase() {
        return false;
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        if (!dev && (name == null || name.isBlank())) {
            throw new MojoFailureException("ashlar:codegen needs a name for the migration: -Dashlar.name=add_comments "
                    + "(or <name> in the plugin's configuration), or -Dashlar.dev for a development migration");
        }
        Project project = projectWithDomain().dataSource(dataSourceIfAny())
                .codegenOptions(new Codegen.Options(dontDropColumns, concurrentIndexes));
        Codegen.Result result = project.generate(dev ? Codegen.DEV : name, Renames.hints(renames));
        if (!result.changed()) {
            getLog().info("No changes: the migrations already match the resources.");
            return;
        }
        result.steps().forEach(step -> getLog().info("  " + step.describe()));
        result.destructive().forEach(reason -> getLog().warn("  DESTRUCTIVE: " + reason));
        result.warnings().forEach(warning -> getLog().warn(warning.message()));
        Path base = mavenProject.getBasedir().toPath();
        result.files().forEach(file -> getLog().info("wrote " + base.relativize(file.toAbsolutePath())));
        Path tenantFolder = Codegen.migrations(folder.toPath(), Scope.TENANT).toAbsolutePath().normalize();
        boolean tenant = result.files().stream()
                .anyMatch(file -> file.toAbsolutePath().normalize().startsWith(tenantFolder));
        // ashlar:migrate alone applies the main schema's files; with tenants, the tenant schemas' after them.
        getLog().info(tenant ? "Review the files, then run ashlar:migrate -Dashlar.tenants, which applies them to the "
                + "main schema, then to every tenant schema." : "Review the files, then run ashlar:migrate.");
    }
}
