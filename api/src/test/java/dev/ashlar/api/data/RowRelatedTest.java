package dev.ashlar.api.data;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RowRelatedTest {
    record Author(long id, String name) {
    }

    record Comment(long id, String body, Optional<Author> author) {
    }

    record Post(long id, String title, List<Comment> comments, Row editor) {
    }

    private static Row row(String resource, Object... pairs) {
        Map<String, Object> values = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put((String) pairs[i], pairs[i + 1]);
        }
        return Row.of(resource, values);
    }

    @Test
    void carriesLoadedRowsInANewRowAndLeavesTheOldOneAsItWas() {
        Row post = row("post", "id", 1L, "title", "Hello");
        List<Row> comments = new ArrayList<>(List.of(row("comment", "id", 2L, "body", "Nice")));

        Row loaded = post.withRelated("comments", comments);
        comments.clear();

        assertThat(post.loaded("comments")).isFalse();
        assertThat(loaded.related("comments")).hasSize(1);
        assertThat(loaded).isNotEqualTo(post);
        assertThat(loaded.relatedOne("comments")).map(c -> c.getString("body")).contains("Nice");
    }

    @Test
    void mapsRelationshipsOntoListOptionalAndRowComponents() {
        Row ada = row("user", "id", 3L, "name", "Ada");
        Row comment = row("comment", "id", 2L, "body", "Nice").withRelated("author", List.of(ada));
        Row post = row("post", "id", 1L, "title", "Hello").withRelated("comments", List.of(comment))
                .withRelated("editor", List.of());

        Post mapped = post.as(Post.class);

        assertThat(mapped.comments()).containsExactly(new Comment(2L, "Nice", Optional.of(new Author(3L, "Ada"))));
        assertThat(mapped.editor()).isNull();
    }
}
