package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.resource.Type.BOOLEAN;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * AshPostgres's ash_required_function_test and required_error_test: a value that only the server knows to be null,
 * computed for an attribute that must have one, is refused naming the resource and that attribute (Ash's
 * {@code Required} error); null alone is missing, while {@code false}, {@code 0} and the empty string are values.
 */
class RequiredValuesTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("required")
            .resource(Resource.builder("post").table("posts").integerPrimaryKey("id")
                    .attribute("title", TEXT, a -> a.notNull())
                    .attribute("score", INTEGER)
                    .attribute("version", INTEGER, a -> a.notNull().defaultValue(1))
                    .attribute("public", BOOLEAN, a -> a.notNull().defaultValue(true))
                    .build())
            .build();

    RequiredValuesTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE posts RESTART IDENTITY");
    }

    private static void refusedAsRequired(ThrowingCallable write, String action, String field) {
        assertThatThrownBy(write).isInstanceOfSatisfying(InvalidDataException.class, e -> {
            assertThat(e.resource()).contains("post");
            assertThat(e.action()).isEqualTo(action);
            assertThat(e.errors()).singleElement().satisfies(f -> {
                assertThat(f.field()).isEqualTo(field);
                assertThat(f.message()).startsWith("is required");
            });
            assertThat(e.getMessage()).contains("post").contains(field + " is required");
        });
    }

    @Test
    void anAtomicUpdateToAValueOnlyTheServerKnowsIsNullIsRefusedNamingTheAttribute() {
        Row post = ashlar.create("post", Map.of("title", "foo"));

        refusedAsRequired(() -> ashlar.read("post").updateAll(Map.of("version", Atomic.sql("score"))), "update",
                "version");
        refusedAsRequired(() -> ashlar.update(post, Map.of("version", Atomic.sql("score"))), "update", "version");
        refusedAsRequired(() -> ashlar.read("post").where(eq("id", post.get("id"))).limit(1)
                .updateCount(Map.of("version", Atomic.sql("score"))), "update", "version");

        assertThat(db.value("SELECT version FROM posts")).isEqualTo(1);
    }

    @Test
    void anAtomicUpdateToANonNullValueStoresIt() {
        Row post = ashlar.create("post", Map.of("title", "foo", "score", 7));

        assertThat(ashlar.update(post, Map.of("version", Atomic.sql("score"))).get("version")).isEqualTo(7);
    }

    @Test
    void nullIsRequiredButFalseZeroAndTheEmptyStringAreValues() {
        Map<String, Object> missing = new HashMap<>();
        missing.put("title", null);
        refusedAsRequired(() -> ashlar.create("post", missing), "create", "title");
        refusedAsRequired(() -> ashlar.createAll("post", List.of(Map.of("title", "ok"), missing)), "create", "title");
        Row post = ashlar.create("post", Map.of("title", "", "version", 0, "public", false));
        refusedAsRequired(() -> ashlar.update(post, missing), "update", "title");

        assertThat(ashlar.get("post", post.get("id"))).satisfies(stored -> {
            assertThat(stored.getString("title")).isEmpty();
            assertThat(stored.get("version")).isEqualTo(0);
            assertThat(stored.get("public")).isEqualTo(false);
        });
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(1L);
    }
}
