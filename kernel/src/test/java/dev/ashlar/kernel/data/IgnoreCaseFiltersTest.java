package dev.ashlar.kernel.data;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.containsIgnoreCase;
import static dev.ashlar.api.query.Filter.endsWithIgnoreCase;
import static dev.ashlar.api.query.Filter.eqIgnoreCase;
import static dev.ashlar.api.query.Filter.not;
import static dev.ashlar.api.query.Filter.startsWithIgnoreCase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Text compared but for case (Ebean's ieq, icontains; jOOQ's equalIgnoreCase), its pattern characters as written. */
class IgnoreCaseFiltersTest extends BlogDatabaseTest {

    @BeforeEach
    void posts() {
        db.execute("TRUNCATE posts, scalar_sample");
        for (String title : List.of("Hello World", "HELLO_WORLD", "hello%world", "Say Hello", "Ünïcode Straße")) {
            ashlar.create("post", Map.of("title", title));
        }
    }

    private List<String> titles(Filter filter) {
        return ashlar.read("post").where(filter).sort(Sort.asc("id")).list().stream()
                .map(row -> row.getString("title")).toList();
    }

    @Test
    void equalityButForCaseMatchesTheWholeTextWithItsPatternCharactersAsWritten() {
        assertThat(titles(eqIgnoreCase("title", "hello world"))).containsExactly("Hello World");
        assertThat(titles(eqIgnoreCase("title", "hello_world"))).containsExactly("HELLO_WORLD");
        assertThat(titles(eqIgnoreCase("title", "HELLO%WORLD"))).containsExactly("hello%world");
        assertThat(titles(eqIgnoreCase("title", "hello"))).isEmpty();
        assertThat(titles(eqIgnoreCase("title", "ünïcode strasse"))).isEmpty();
        assertThat(titles(eqIgnoreCase("title", "Ünïcode STRAßE"))).containsExactly("Ünïcode Straße");
        assertThat(titles(not(eqIgnoreCase("title", "HELLO WORLD")))).hasSize(4);
    }

    @Test
    void containsStartsAndEndsButForCaseTakeTheTextAsItIs() {
        assertThat(titles(containsIgnoreCase("title", "O W"))).containsExactly("Hello World");
        assertThat(titles(containsIgnoreCase("title", "o_w"))).containsExactly("HELLO_WORLD");
        assertThat(titles(containsIgnoreCase("title", "HELLO"))).hasSize(4);
        assertThat(titles(startsWithIgnoreCase("title", "hello"))).containsExactly("Hello World", "HELLO_WORLD",
                "hello%world");
        assertThat(titles(startsWithIgnoreCase("title", "HELLO%"))).containsExactly("hello%world");
        assertThat(titles(endsWithIgnoreCase("title", "hello"))).containsExactly("Say Hello");
        assertThat(titles(endsWithIgnoreCase("title", "_WORLD"))).containsExactly("HELLO_WORLD");
    }

    @Test
    void bulkWritesAndJsonPathsTakeThemToo() {
        ashlar.create("scalar_sample", Map.of("doc", Map.of("name", "Ada Lovelace"), "status", "DRAFT"));

        assertThat(ashlar.read("scalar_sample").where(eqIgnoreCase("doc.name", "ADA LOVELACE")).count()).isOne();
        assertThat(ashlar.read("scalar_sample").where(startsWithIgnoreCase("status", "dra")).count()).isOne();
        assertThat(ashlar.read("post").where(containsIgnoreCase("title", "WORLD")).updateAll(Map.of("body", "w")))
                .hasSize(3);
        assertThat(db.value("SELECT count(*) FROM posts WHERE body = 'w'")).isEqualTo(3L);
        assertThat(ashlar.read("post").where(endsWithIgnoreCase("title", "STRASSE")).destroyAll()).isZero();
    }

    @Test
    void aFieldThatIsNotTextOrANullTextIsRefusedNamingIt() {
        assertThatThrownBy(() -> ashlar.read("post").where(eqIgnoreCase("rating", "1")).list())
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).contains("rating"))
                .hasMessageContaining("the IgnoreCase filters need a text attribute, and rating is integer");
        assertThatThrownBy(() -> eqIgnoreCase("title", null)).isInstanceOf(QueryException.class)
                .hasMessageContaining("text");
    }
}
