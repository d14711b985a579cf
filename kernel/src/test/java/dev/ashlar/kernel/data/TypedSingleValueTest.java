package dev.ashlar.kernel.data;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.CalculationField;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.ListField;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;

import static dev.ashlar.api.typed.Kind.INTEGER;
import static dev.ashlar.api.typed.Kind.OFFSET_DATE_TIME;
import static dev.ashlar.api.typed.Kind.arrayOf;
import static dev.ashlar.api.typed.Kind.rangeOf;
import static dev.ashlar.api.typed.Kind.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Typed {@code min}, {@code max} and {@code values(field)} give one field's values without building a record: they
 * work for a calculation, in a record with a primitive component and in one whose constructor refuses nulls.
 */
class TypedSingleValueTest extends MigratedDomainTest {
    record Post(long id, String title, Integer rating, List<OffsetDateTime> times) {
        Post {
            Objects.requireNonNull(title, "title");
        }

        static final Table<Post> POSTS = Table.of("post", Post.class);
        static final Field<Post, Long> ID = POSTS.bigintPrimaryKey("id");
        static final TextField<Post> TITLE = POSTS.attribute("title", TEXT);
        static final Field<Post, Integer> RATING = POSTS.attribute("rating", INTEGER);
        static final CalculationField<Post, String> SHOUTED = POSTS.calculate("shouted", String.class, "upper(title)");
        static final ListField<Post, OffsetDateTime> TIMES = POSTS.attribute("times", arrayOf(OFFSET_DATE_TIME));
        static final CalculationField<Post, OffsetDateTime> DUE = POSTS.calculate("due", OFFSET_DATE_TIME,
                "times[1] + interval '1 day'");
        static final Resource RESOURCE = POSTS.builder().table("posts").add(ID, TITLE, RATING, SHOUTED, TIMES, DUE)
                .build();
    }

    TypedSingleValueTest() {
        super(Domain.builder("single_values").resource(Post.RESOURCE).build(), Clock.systemUTC(), "create_posts");
    }

    @BeforeEach
    void twoPosts() {
        db.execute("TRUNCATE posts RESTART IDENTITY");
        db.execute("INSERT INTO posts (title, rating) VALUES ('ada', 3), ('bob', 7)");
    }

    @Test
    void minAndMaxOfAFieldWorkInARecordWithAPrimitiveComponentAndAConstructorRefusingNulls() {
        assertThat(ashlar.read(Post.POSTS).max(Post.RATING)).isEqualTo(7);
        assertThat(ashlar.read(Post.POSTS).min(Post.RATING)).isEqualTo(3);
        assertThat(ashlar.read(Post.POSTS).max(Post.ID)).isEqualTo(2L);
        assertThat(ashlar.read(Post.POSTS).min(Post.TITLE)).isEqualTo("ada");
    }

    @Test
    void minAndMaxOfACalculationAreItsValues() {
        assertThat(ashlar.read(Post.POSTS).max(Post.SHOUTED)).isEqualTo("BOB");
        assertThat(ashlar.read(Post.POSTS).min(Post.SHOUTED)).isEqualTo("ADA");
    }

    @Test
    void valuesOfAFieldWorkInARecordWithAPrimitiveComponentAndAConstructorRefusingNulls() {
        assertThat(ashlar.read(Post.POSTS).sort(Post.ID.asc()).values(Post.RATING)).containsExactly(3, 7);
        assertThat(ashlar.read(Post.POSTS).sort(Post.ID.asc()).values(Post.ID)).containsExactly(1L, 2L);
        assertThat(List.of(ashlar.read(Post.POSTS).max(Post.RATING))).singleElement().isInstanceOf(Integer.class);
    }

    @Test
    void anArrayOfOffsetDateTimesAndACalculationOfOneHoldOffsetDateTimesAtUtc() {
        OffsetDateTime noon = OffsetDateTime.parse("2026-06-01T12:00:00+02:00");
        Post created = ashlar.create(Post.POSTS, new Post(0, "cy", null, List.of(noon)));

        Post read = ashlar.get(Post.POSTS, created.id());
        assertThat(read.times()).singleElement().isInstanceOf(OffsetDateTime.class)
                .isEqualTo(OffsetDateTime.parse("2026-06-01T10:00:00Z"));
        assertThat(db.value("SELECT times[1]::text FROM posts WHERE title = 'cy'")).isEqualTo("2026-06-01 10:00:00+00");
        assertThat(ashlar.read(Post.POSTS).max(Post.DUE)).isEqualTo(OffsetDateTime.parse("2026-06-02T10:00:00Z"));
    }

    @Test
    void aRangeOfAKindReadAsAnotherClassIsRefusedWhenDeclared() {
        assertThatThrownBy(() -> rangeOf(OFFSET_DATE_TIME)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("rangeOf(TIMESTAMPTZ)");
    }

    @Test
    void minAndMaxOfNoFieldAreRefusedNamingTheArgument() {
        assertThatThrownBy(() -> ashlar.read(Post.POSTS).min(null)).isInstanceOf(QueryException.class)
                .hasMessageContaining("field");
        assertThatThrownBy(() -> ashlar.read(Post.POSTS).max(null)).isInstanceOf(QueryException.class)
                .hasMessageContaining("field");
    }
}
