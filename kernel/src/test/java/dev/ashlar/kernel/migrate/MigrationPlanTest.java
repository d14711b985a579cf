package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Choosing what a rollback undoes: the newest applied files, never more than asked, never from the wrong end. */
class MigrationPlanTest {
    private static final Path FOLDER = Path.of("migrations");

    private static MigrationFile file(String version, String name) {
        return MigrationFile.parse(FOLDER.resolve(version + "_" + name + ".sql"),
                "-- migrate:up\nCREATE TABLE " + name + " (id int);\n-- migrate:down\nDROP TABLE " + name + ";\n");
    }

    private static History.Entry applied(MigrationFile file) {
        return new History.Entry(file.version(), file.name(), file.checksum(), MigrationFile.CHECKSUM_ALGORITHM,
                Instant.EPOCH, 1, false, null, null);
    }

    /** Three files, the first two applied. */
    private static MigrationPlan twoOfThreeApplied() {
        MigrationFile notes = file("20260101000000", "notes");
        MigrationFile votes = file("20260102000000", "votes");
        MigrationFile tags = file("20260103000000", "tags");
        return MigrationPlan.of("public", FOLDER, List.of(notes, votes, tags),
                Map.of(notes.version(), applied(notes), votes.version(), applied(votes)));
    }

    private static List<String> versions(List<MigrationFile> files) {
        return files.stream().map(MigrationFile::version).toList();
    }

    @Test
    void oneStepUndoesTheNewestAppliedFileOnly() {
        assertThat(versions(twoOfThreeApplied().lastApplied(1))).containsExactly("20260102000000");
    }

    @Test
    void moreStepsThanAppliedFilesUndoEveryAppliedFileNewestFirst() {
        assertThat(versions(twoOfThreeApplied().lastApplied(Integer.MAX_VALUE)))
                .containsExactly("20260102000000", "20260101000000");
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -2, -1, 0})
    void aStepCountBelowOneIsRefusedInsteadOfUndoingEverythingOrFailingInSubList(int steps) {
        MigrationPlan plan = twoOfThreeApplied();

        assertThatThrownBy(() -> plan.lastApplied(steps))
                .isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.MIGRATION))
                .hasMessageContaining("Cannot roll back " + steps + " steps")
                .hasMessageContaining("must be at least 1")
                .hasMessageContaining("Nothing was rolled back");
    }

    @Test
    void aCallerCanCheckTheStepCountBeforeItConnects() {
        assertThat(MigrationPlan.requireSteps(3)).isEqualTo(3);
        assertThatThrownBy(() -> MigrationPlan.requireSteps(-1)).isInstanceOf(MigrationException.class);
    }
}
