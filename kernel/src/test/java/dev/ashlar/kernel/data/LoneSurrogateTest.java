package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A UTF-16 surrogate without its pair is refused on the field, where the driver would store it as '?'. */
class LoneSurrogateTest extends BlogDatabaseTest {
    private static final String LONE_HIGH = "ab\uD83Dc";
    private static final String LONE_LOW = "\uDE00";

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE scalar_sample, array_sample");
    }

    private FieldError refused(String resource, Map<String, Object> values) {
        InvalidDataException e = catchThrowableOfType(InvalidDataException.class,
                () -> ashlar.create(resource, values));
        assertThat(e).as("%s refused", values.keySet()).isNotNull();
        return e.errors().get(0);
    }

    @Test
    void textVarcharArraysAndJsonRefuseALoneSurrogateNamingTheField() {
        assertThat(refused("scalar_sample", Map.of("txt", LONE_HIGH)).field()).isEqualTo("txt");
        assertThat(refused("scalar_sample", Map.of("short_text", LONE_LOW)).field()).isEqualTo("short_text");
        assertThat(refused("array_sample", Map.of("txt_list", List.of("fine", LONE_LOW))).field())
                .isEqualTo("txt_list");
        assertThat(refused("scalar_sample", Map.of("doc", Map.of("note", LONE_HIGH))).field()).isEqualTo("doc");
        assertThat(refused("scalar_sample", Map.of("doc", "{\"note\": \"" + LONE_LOW + "\"}")).field())
                .isEqualTo("doc");
        assertThat(refused("scalar_sample", Map.of("txt", LONE_HIGH)).message())
                .contains("lone UTF-16 surrogate").contains("\\ud83d").contains("index 2");

        assertThat(db.value("SELECT count(*) FROM scalar_sample")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM array_sample")).isEqualTo(0L);
    }

    @Test
    void anEnumStoredAsTextRefusesALoneSurrogate() {
        assertThat(refused("scalar_sample", Map.of("status", "DRAFT" + LONE_LOW)).field()).isEqualTo("status");
        assertThat(db.value("SELECT count(*) FROM scalar_sample")).isEqualTo(0L);
    }

    @Test
    void aBulkCreateRefusesItWithoutStoringAnyRecord() {
        InvalidDataException e = catchThrowableOfType(InvalidDataException.class, () -> ashlar.createAll(
                "scalar_sample", List.of(Map.of("txt", "fine"), Map.of("txt", LONE_HIGH))));

        assertThat(e.errors()).singleElement().satisfies(error -> assertThat(error.field()).isEqualTo("txt"));
        assertThat(db.value("SELECT count(*) FROM scalar_sample")).isEqualTo(0L);
    }

    @Test
    void aPairedSurrogateIsOneCharacterStoredWhole() {
        String smile = "smile \uD83D\uDE00";
        Row created = ashlar.create("scalar_sample", Map.of("txt", smile, "doc", Map.of("note", smile)));

        assertThat(db.value("SELECT txt FROM scalar_sample")).isEqualTo(smile);
        assertThat(db.value("SELECT doc ->> 'note' FROM scalar_sample")).isEqualTo(smile);
        assertThat(db.value("SELECT length(txt) FROM scalar_sample")).isEqualTo(7);
        assertThat(created.getString("txt")).isEqualTo(smile);
    }

    @Test
    void jsonTextEscapingASurrogateWithoutItsPairIsRefusedNamingTheFieldInEveryWrite() {
        Row kept = ashlar.create("scalar_sample", Map.of("doc", "{\"smile\": \"\\ud83d\\ude00\"}"));
        List<ThrowingCallable> writes = List.of(
                () -> ashlar.create("scalar_sample", Map.of("doc", "{\"note\": \"\\ud83d\"}")),
                () -> ashlar.create("scalar_sample", Map.of("doc", "[\"\\uDE00 after a low half alone\"]")),
                () -> ashlar.create("scalar_sample", Map.of("doc", "{\"\\ud800\": 1}")),
                () -> ashlar.createAll("scalar_sample", List.of(Map.of("doc", "{}"), Map.of("doc", "\"\\udbff\""))),
                () -> ashlar.create("array_sample", Map.of("doc_list", List.of("{}", "\"\\udc00\""))),
                () -> ashlar.update(kept, Map.of("doc", "\"\\ud83dx\"")));

        for (ThrowingCallable write : writes) {
            assertThatThrownBy(write).isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors())
                    .singleElement().satisfies(error -> {
                        assertThat(error.field()).isIn("doc", "doc_list");
                        assertThat(error.message()).contains("surrogate without its pair", "jsonb cannot store");
                    }));
        }
        assertThat(db.value("SELECT doc ->> 'smile' FROM scalar_sample")).isEqualTo("\uD83D\uDE00");
        assertThat(db.value("SELECT count(*) FROM scalar_sample")).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM array_sample")).isEqualTo(0L);
    }
}
