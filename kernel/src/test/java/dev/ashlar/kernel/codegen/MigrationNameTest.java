package dev.ashlar.kernel.codegen;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.plugin.Plugins;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The name given to {@code codegen NAME}: made portable, and refused before anything is written when it cannot be. */
class MigrationNameTest {
    @TempDir
    Path project;

    private Codegen codegen() {
        Domain domain = Domain.builder("d").resources(Resource.builder("note").table("notes").primaryKey("id").build())
                .build();
        return new Codegen(project, domain, Plugins.none(), Renames.none(), Clock.systemUTC());
    }

    @Test
    void aNameOverSixtyThreeCharactersIsRefusedBeforeAnythingIsWritten() {
        assertThatThrownBy(() -> codegen().generate("add_" + "x".repeat(300)))
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MIGRATION))
                .hasMessageStartingWith("A migration name is at most 63 characters, and 'add_xxx")
                .hasMessageContaining("has 304: give a shorter name");

        assertThat(Files.exists(project.resolve("migrations"))).isFalse();
        assertThat(Files.exists(project.resolve("resource_snapshots"))).isFalse();
    }

    @Test
    void aNameIsMadeOfLowerCaseWordsWhateverSeparatorsItHolds() {
        assertThat(Codegen.fileName("../Add Comments/now")).isEqualTo("add_comments_now");
        assertThat(Codegen.fileName("y".repeat(63))).hasSize(63);
        assertThatThrownBy(() -> Codegen.fileName("\u00e9\u00e9"))
                .hasMessageContaining("The migration name '\u00e9\u00e9' has no letter a-z or digit")
                .hasMessageContaining("lowercase ASCII letters, digits and '_'");
    }
}
