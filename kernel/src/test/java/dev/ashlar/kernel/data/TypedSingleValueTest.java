package dev.ashlar.kernel.data;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.CalculationField;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

import static dev.ashlar.api.typed.Kind.INTEGER;
import static dev.ashlar.api.typed.Kind.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Typed {@code min}, {@code max} and {@code values(field)} give one field's values without building a record: they
 * work for a calculation, in a record with a primitive component and in one whose constructor refuses nulls.
 */
class TypedSingleValueTest extends MigratedDomainTest {
    record Post(long id, String title, Integer rating) {
        Post {
            Objects.requireNonNull(title, "title");
        }

        static final Table<Post> POSTS = Table.of("post", Post.class);
        static final Field<Post, Long> ID = POSTS.bigintPrimaryKey("id");
        static final TextField<Post> TITLE = POSTS.attribute("title", TEXT);
        static final Field<Post, Integer> RATING = POSTS.attribute("rating", INTEGER);
        static final CalculationField<Post, String> SHOUTED = POSTS.calculate("shouted", String.class, "upper(title)");
        static final Resource RESOURCE = POSTS.builder().table("posts").add(ID, TITLE, RATING, SHOUTED).build();
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
    void minAndMaxOfNoFieldAreRefusedNamingTheArgument() {
        assertThatThrownBy(() -> ashlar.read(Post.POSTS).min(null)).isInstanceOf(QueryException.class)
                .hasMessageContaining("field");
        assertThatThrownBy(() -> ashlar.read(Post.POSTS).max(null)).isInstanceOf(QueryException.class)
                .hasMessageContaining("field");
    }
}
