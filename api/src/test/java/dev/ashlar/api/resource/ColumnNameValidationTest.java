package dev.ashlar.api.resource;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.DefinitionException.Problem;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/** An attribute stored in a column of another name: the names are checked like every other name. */
class ColumnNameValidationTest {

    private static List<Problem> problems(Resource... resources) {
        try {
            Domain.builder("d").resources(resources).build();
        } catch (DefinitionException e) {
            return e.problems();
        }
        throw new AssertionError("expected the domain to be refused");
    }

    @Test
    void anAttributeKnowsItsColumnAndTheResourceResolvesIt() {
        Resource user = Resource.builder("user").primaryKey("id")
                .attribute("displayName", TEXT, a -> a.column("display_name")).attribute("email", TEXT).build();

        assertThat(user.attribute("displayName").orElseThrow().columnName()).isEqualTo("display_name");
        assertThat(user.columnsOf(List.of("displayName", "email", "id"))).containsExactly("display_name", "email", "id");
    }

    @Test
    void aColumnNamedLikeItsAttributeIsNoOverride() {
        Attribute same = Resource.builder("user").primaryKey("id").attribute("email", TEXT, a -> a.column("email"))
                .build().attribute("email").orElseThrow();

        assertThat(same.column()).isEqualTo(ColumnOptions.NONE);
    }

    @Test
    void refusesAColumnNameOver63BytesNamingTheResourceAndTheAttribute() {
        String longName = "c".repeat(64);

        assertThat(problems(Resource.builder("user").primaryKey("id")
                .attribute("displayName", TEXT, a -> a.column(longName)).build()))
                .singleElement().satisfies(p -> {
                    assertThat(p.resource()).isEqualTo("user");
                    assertThat(p.field()).isEqualTo("displayName");
                    assertThat(p.message()).contains(longName, "is 64 bytes long", "a -> a.column(");
                });
    }

    @Test
    void refusesTwoAttributesStoredInOneColumn() {
        assertThat(problems(Resource.builder("user").primaryKey("id").attribute("name", TEXT)
                .attribute("displayName", TEXT, a -> a.column("name")).build()))
                .extracting(Problem::toString).containsExactly("resource 'user', 'displayName': is stored in column "
                        + "'name', which attribute 'name' already uses; give one of them another column with "
                        + "a -> a.column(\"...\")");
    }

    @Test
    void refusesAnAttributeInTheColumnABelongsToAddsForItsKey() {
        Resource user = Resource.builder("user").primaryKey("id").build();
        Resource post = Resource.builder("post").primaryKey("id")
                .attribute("writer", TEXT, a -> a.column("author_id")).belongsTo("author", "user").build();

        assertThat(problems(user, post)).extracting(Problem::field).containsExactly("author_id");
    }

    @Test
    void refusesAnEmptyColumnName() {
        assertThat(problems(Resource.builder("user").primaryKey("id").attribute("displayName", TEXT,
                a -> a.column("")).build())).singleElement().extracting(Problem::field).isEqualTo("displayName");
    }
}
