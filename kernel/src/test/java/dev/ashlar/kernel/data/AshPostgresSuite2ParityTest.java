package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.JSON;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * AshPostgres test files of the second walk, restated where no other class covers the case: {@code
 * embeddable_resource_test} (a JSON calculation loaded, an embedded list written as nil and read back as nil), and the
 * attribute {@code constraints} its test resources declare ({@code tuple_test}'s "validates constraints" on plain
 * attributes; the constraints themselves are {@link AttributeConstraintsTest}). The README's "AshPostgres mapping"
 * gives the verdict of every case of these files.
 */
class AshPostgresSuite2ParityTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("ash_suite2")
            .resource(Resource.builder("post").table("posts").integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .attribute("first_name", TEXT, a -> a.minLength(1))
                    .attribute("last_name", TEXT, a -> a.minLength(1))
                    .attribute("score", INTEGER, a -> a.min(0))
                    .calculate("calc_returning_json", JSON, "jsonb_build_object('amount', 100, 'currency', 'usd')")
                    .build())
            .resource(Resource.builder("author").table("authors").integerPrimaryKey("id")
                    .attribute("bio", JSON)
                    .build())
            .build();

    AshPostgresSuite2ParityTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE posts, authors RESTART IDENTITY");
    }

    /** embeddable_resource_test: "calculations can load json". */
    @Test
    void aCalculationReturningJsonLoadsTheObjectItBuilds() {
        Row post = ashlar.create("post", Map.of("title", "title"));

        Row loaded = ashlar.read("post").where(eq("id", post.get("id"))).load("calc_returning_json").list().get(0);

        assertThat(loaded.get("calc_returning_json").toString()).contains("\"amount\": 100")
                .contains("\"currency\": \"usd\"");
    }

    /** embeddable_resource_test: "embeds with list attributes set to nil are loaded as nil". */
    @Test
    void anEmbeddedListWrittenAsNullIsReadBackAsNull() {
        Map<String, Object> bio = new HashMap<>();
        bio.put("list_of_strings", null);

        Row author = ashlar.create("author", Map.of("bio", bio));

        assertThat(author.get("bio").toString()).contains("\"list_of_strings\": null");
        assertThat(ashlar.get("author", author.get("id")).get("bio").toString())
                .contains("\"list_of_strings\": null");
        assertThat(db.value("SELECT jsonb_typeof(bio -> 'list_of_strings') FROM authors")).isEqualTo("null");
    }

    /**
     * tuple_test: "tuple type validates constraints": an empty first or last name breaks {@code min_length: 1} and
     * nothing is written; here on attributes, since a composite's fields take no constraints.
     */
    @Test
    void anEmptyNameBreaksItsMinimumLengthAndNothingIsWritten() {
        ashlar.create("post", Map.of("title", "stored", "first_name", "John", "last_name", "Doe"));

        assertThatThrownBy(() -> ashlar.create("post", Map.of("title", "Invalid Post", "first_name", "",
                "last_name", "Doe"))).isInstanceOfSatisfying(InvalidDataException.class,
                e -> assertThat(e.errors()).extracting(f -> f.field()).containsExactly("first_name"));
        assertThatThrownBy(() -> ashlar.createAll("post", List.of(Map.of("title", "Invalid Post",
                "first_name", "John", "last_name", "")))).isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("last_name must have at least 1 characters");

        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(1L);
    }
}
