package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** A create whose generated key is already stored says the key's sequence is behind, and how to move it. */
class LaggingSequenceTest extends BlogDatabaseTest {

    @BeforeEach
    void importedWithTheirOwnKeys() {
        db.execute("TRUNCATE posts RESTART IDENTITY CASCADE");
        ashlar.createAll("post", List.of(Map.of("id", 1, "title", "imported"), Map.of("id", 2, "title", "too")));
    }

    @Test
    void aCreateWhoseGeneratedKeyIsTakenSaysTheSequenceIsBehindAndHowToMoveIt() {
        InvalidDataException e = (InvalidDataException) catchThrowable(() -> ashlar.create("post",
                Map.of("title", "new")));

        FieldError error = e.errors().get(0);
        assertThat(error.field()).isEqualTo("id");
        assertThat(error.message()).startsWith("has already been taken: the database generated this key")
                .contains("SELECT setval(pg_get_serial_sequence('");
        db.execute(error.message().substring(error.message().indexOf("SELECT setval")));
        Row created = ashlar.create("post", Map.of("title", "new"));
        assertThat(created.getInteger("id")).isEqualTo(3);
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(3L);
    }

    @Test
    void aCreateGivingATakenKeyKeepsThePlainMessage() {
        InvalidDataException e = (InvalidDataException) catchThrowable(() -> ashlar.create("post",
                Map.of("id", 2, "title", "again")));

        assertThat(e.errors()).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("id");
            assertThat(error.message()).isEqualTo("has already been taken");
        });
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(2L);
    }

    @Test
    void aCreateOfManyWhoseGeneratedKeysAreTakenSaysTheSequenceIsBehind() {
        InvalidDataException e = (InvalidDataException) catchThrowable(() -> ashlar.createAll("post",
                List.of(Map.of("title", "x"), Map.of("title", "y"))));

        assertThat(e.errors().get(0).message()).contains("its sequence is behind the keys already stored");
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(2L);
    }
}
