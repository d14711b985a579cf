package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Reserved words, upper case and spaces as resource, table and attribute names, and a name of 30 characters that is
 * 60 bytes of UTF-8, through every write and read; a derived name past 63 bytes is refused when the domain is built.
 */
class HostileReservedNamesTest extends DomainDatabaseTest {
    private static final String ACCENTS = "\u00e9".repeat(30);

    HostileReservedNamesTest() {
        super(Domain.builder("reserved").resource(Resource.builder("user").table("user").bigintPrimaryKey("id")
                .attribute("order", TEXT).attribute("select", INTEGER).attribute("Mixed Case", TEXT)
                .attribute(ACCENTS, TEXT).identity("k", "order", ACCENTS).build()).build());
    }

    @Test
    void reservedWordsUpperCaseAndSixtyByteNamesAreReadAndWrittenByEveryAction() {
        Row first = ashlar.create("user", Map.of("order", "a", "select", 1, "Mixed Case", "m", ACCENTS, "e"));
        ashlar.createAll("user", List.of(Map.of("order", "b", ACCENTS, "e"), Map.of("order", "c", ACCENTS, "e")));
        ashlar.upsert("user", List.of(Map.of("order", "b", ACCENTS, "e", "select", 2)), Upsert.on("k"));
        ashlar.update(first, Map.of("Mixed Case", "M"));
        ashlar.read("user").where(Filter.eq("order", "a")).updateAll(Map.of("select", Atomic.add(10)));

        assertThat(db.query("SELECT \"order\" || '=' || coalesce(\"select\"::text, '-') || coalesce(\"Mixed Case\", '')"
                + " AS v FROM \"user\" ORDER BY 1")).extracting(row -> row.get("v")).containsExactly("a=11M", "b=2", "c=-");
        assertThat(ashlar.read("user").where(Filter.and(Filter.eq(ACCENTS, "e"), Filter.notNil("select")))
                .sort(Sort.desc("order")).list()).extracting(row -> row.get("order")).containsExactly("b", "a");
        assertThat(ashlar.read("user").groupBy(ACCENTS).count("n").list()).extracting(row -> row.get("n"))
                .containsExactly(3L);
        assertThat(db.query("SELECT indexname FROM pg_indexes WHERE tablename = 'user' ORDER BY 1"))
                .extracting(row -> row.get("indexname")).containsExactly("user_k_index", "user_pkey");
        assertThatThrownBy(() -> ashlar.create("user", Map.of("order", "a", ACCENTS, "e")))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(error -> assertThat(error.field()).isEqualTo("order")));
    }

    @Test
    void anIndexNameOver63BytesThoughUnder63CharactersIsRefusedWhenTheDomainIsBuiltNamingTheFix() {
        String name = "\u00e9".repeat(25);

        assertThatThrownBy(() -> Domain.builder("d").resource(Resource.builder("x").table(name).bigintPrimaryKey("id")
                .attribute(name, TEXT).identity(name, name).build()).build())
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("is 107 bytes long; PostgreSQL keeps only 63")
                .hasMessageContaining("give the identity a shorter name or an indexName");
        assertThatThrownBy(() -> Domain.builder("d").resource(Resource.builder("x").bigintPrimaryKey("id")
                .attribute("\u00e9".repeat(40), TEXT).build()).build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("80 bytes long");
    }
}
