package dev.ashlar.maven;

import dev.ashlar.kernel.migrate.FileChecksum;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Logs the checksum of a main-schema migration file as the history records it, and the one the history holds for it,
 * as {@code ashlar checksum FILE} (Liquibase's {@code calculate-checksum}). Fails the build when the applied file
 * changed since, where the command exits non-zero.
 */
@Mojo(name = "checksum", requiresDependencyResolution = ResolutionScope.COMPILE_PLUS_RUNTIME, threadSafe = true)
public final class ChecksumMojo extends AshlarMojo {
    /** The file's name ({@code 20260101000000_create_posts.sql}, {@code R__views.sql}) or its version. */
    @Parameter(property = "ashlar.file")
    String file;

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        if (file == null || file.isBlank()) {
            throw new MojoFailureException("Give the migration file: -Dashlar.file=NAME (<file> in the configuration), "
                    + "its name, such as 20260101000000_create_posts.sql, or its version.");
        }
        FileChecksum checksum = projectOnDatabase().checksum(file.strip());
        getLog().info(checksum.file() + "  " + checksum.algorithm() + ":" + checksum.checksum());
        if (checksum.recorded() == null) {
            getLog().info("Not applied.");
            return;
        }
        if (!checksum.holds()) {
            throw new MojoFailureException("The history holds " + checksum.recorded() + " for " + checksum.file()
                    + ": the file changed since it was applied. Restore it from version control, or run ashlar:repair "
                    + "to record its new text if that was on purpose.");
        }
        getLog().info("The history " + checksum.held() + ".");
    }
}
