package dev.ashlar.api.data;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RowTest {
    enum Status { DRAFT, PUBLISHED }

    record Post(long id, String title, Status status, Instant publishedAt, List<String> tags, BigDecimal price) {
    }

    record NeedsAuthor(long id, String author) {
    }

    record Rating(int stars) {
    }

    record Named(long id, String name) {
    }

    private static Row post() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("id", 7);
        values.put("title", "Hello");
        values.put("status", "PUBLISHED");
        values.put("published_at", Instant.parse("2024-01-02T03:04:05Z"));
        values.put("tags", List.of("a", "b"));
        values.put("price", 12L);
        values.put("missing", null);
        return Row.of("post", values);
    }

    @Test
    void mapsOntoARecordBySnakeCaseComponentNamesConvertingLosslessly() {
        Post mapped = post().as(Post.class);

        assertThat(mapped).isEqualTo(new Post(7L, "Hello", Status.PUBLISHED, Instant.parse("2024-01-02T03:04:05Z"),
                List.of("a", "b"), BigDecimal.valueOf(12)));
    }

    @Test
    void mapsARowWhoseFieldsAreExactlyTheComponentsWithAndWithoutConversions() {
        Map<String, Object> exact = new LinkedHashMap<>();
        exact.put("id", 1L);
        exact.put("name", "one");
        Map<String, Object> widened = new LinkedHashMap<>();
        widened.put("id", 2);
        widened.put("name", null);

        assertThat(Row.of("named", exact).as(Named.class)).isEqualTo(new Named(1L, "one"));
        assertThat(Row.of("named", widened).as(Named.class)).isEqualTo(new Named(2L, null));
    }

    @Test
    void typedGettersConvertBetweenCompatibleTypes() {
        Row row = post();

        assertThat(row.getLong("id")).isEqualTo(7L);
        assertThat(row.getEnum("status", Status.class)).isEqualTo(Status.PUBLISHED);
        assertThat(row.getOffsetDateTime("published_at"))
                .isEqualTo(OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC));
        assertThat(row.getList("tags", String.class)).containsExactly("a", "b");
        assertThat(row.getString("missing")).isNull();
        assertThat(Row.of("x", Map.of("u", "2f1c6f1e-8a55-4b7e-9d3a-0c2b5e6f7a81")).getUuid("u"))
                .isEqualTo(UUID.fromString("2f1c6f1e-8a55-4b7e-9d3a-0c2b5e6f7a81"));
    }

    @Test
    void refusesAFieldItDoesNotHoldOrAValueOfAnotherType() {
        assertThatThrownBy(() -> post().get("nope"))
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_QUERY))
                .hasMessageContaining("[id, title, status");
        assertThatThrownBy(() -> post().getInteger("title")).hasMessageContaining("String, which is not a Integer");
        assertThatThrownBy(() -> Row.of("x", Map.of("n", 3_000_000_000L)).getInteger("n"))
                .isInstanceOf(AshlarException.class);
    }

    @Test
    void aPrimitiveTypeReadsTheValueBoxedAndRefusesANullNamingTheBoxedTypeToReadItAs() {
        Row row = post();

        int id = row.get("id", int.class);
        long widened = row.get("id", long.class);

        assertThat(id).isEqualTo(7);
        assertThat(widened).isEqualTo(7L);
        assertThatThrownBy(() -> row.get("missing", int.class))
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_QUERY))
                .hasMessageContaining("Field 'missing' of post is null, which the primitive int cannot hold")
                .hasMessageContaining("read it as Integer");
        assertThatThrownBy(() -> row.get("title", int.class)).hasMessageContaining("String, which is not a int");
    }

    record Arrays(String[] tags, int[] scores, Long[] ids) {
    }

    @Test
    void aListIsReadAsAJavaArrayOfItsElementsAsJooqReadsAnArrayColumn() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("tags", List.of("a", "b"));
        values.put("scores", List.of(3, 4));
        values.put("ids", java.util.Arrays.asList(1, null));
        Row row = Row.of("sample", values);

        Arrays mapped = row.as(Arrays.class);

        assertThat(mapped.tags()).containsExactly("a", "b");
        assertThat(mapped.scores()).containsExactly(3, 4);
        assertThat(mapped.ids()).containsExactly(1L, null);
        assertThat(row.get("tags", String[].class)).containsExactly("a", "b");
        assertThatThrownBy(() -> row.get("ids", long[].class)).isInstanceOf(AshlarException.class)
                .hasMessageContaining("which is not a long[]");
        assertThatThrownBy(() -> row.get("tags", Integer[].class)).isInstanceOf(AshlarException.class);
    }

    @Test
    void refusesARecordWhoseComponentHasNoFieldOrCannotTakeNull() {
        assertThatThrownBy(() -> post().as(NeedsAuthor.class)).hasMessageContaining("component 'author'");
        Map<String, Object> nullStars = new LinkedHashMap<>();
        nullStars.put("stars", null);
        assertThatThrownBy(() -> Row.of("rating", nullStars).as(Rating.class)).hasMessageContaining("cannot take null");
    }

    @Test
    void equalsAnotherRowWithTheSameResourceFieldsAndValues() {
        Row bytes = Row.of("file", Map.of("data", new byte[]{1, 2}));

        assertThat(post()).isEqualTo(post()).hasSameHashCodeAs(post());
        assertThat(bytes).isEqualTo(Row.of("file", Map.of("data", new byte[]{1, 2})));
        assertThat(bytes.toString()).isEqualTo("file{data=<2 bytes>}");
    }
}
