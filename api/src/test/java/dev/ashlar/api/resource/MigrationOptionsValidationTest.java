package dev.ashlar.api.resource;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.DefinitionException.Problem;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.CITEXT;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MigrationOptionsValidationTest {

    private static List<Problem> problems(Domain.Builder builder) {
        try {
            builder.build();
        } catch (DefinitionException e) {
            return e.problems();
        }
        throw new AssertionError("expected the domain to be refused");
    }

    private static Domain.Builder one(ResourceBuilder resource) {
        return Domain.builder("d").resource(resource.build());
    }

    @Test
    void theRecommendedPrimaryKeyIsAGeneratedBigintAndIntegerPrimaryKeyStaysInteger() {
        Resource post = Resource.builder("post").primaryKey("id").build();
        Resource old = Resource.builder("old").integerPrimaryKey("id").build();

        assertThat(post.primaryKey()).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(BIGINT);
            assertThat(a.generated()).isTrue();
        });
        assertThat(old.primaryKey().get(0).type()).isEqualTo(INTEGER);
    }

    @Test
    void refusesACitextAttributeWhenTheDomainDoesNotListTheExtension() {
        assertThat(problems(one(Resource.builder("user").primaryKey("id").attribute("email", CITEXT))))
                .singleElement().hasToString("resource 'user', 'email': is of type citext, which needs the citext "
                        + "extension; list it with Domain.builder(...).extensions(\"citext\")");
        assertThat(problems(one(Resource.builder("doc").primaryKey("id").attribute("embedding", Type.vector(3)))))
                .singleElement().extracting(Problem::field).isEqualTo("embedding");
        assertThat(Domain.builder("d").extensions("citext").resource(Resource.builder("user").primaryKey("id")
                .attribute("email", TEXT, a -> a.migrationType("citext")).build()).build().extensions())
                .containsExactly("citext");
    }

    @Test
    void refusesAMigrationTypeOfTheOtherShapeThanTheAttributeAListOrASingleValue() {
        assertThat(problems(one(Resource.builder("host").primaryKey("id")
                .attribute("paths", Type.arrayOf(TEXT), a -> a.migrationType("ltree"))
                .attribute("address", TEXT, a -> a.migrationType("inet[]"))
                .attribute("kept", Type.arrayOf(TEXT), a -> a.migrationType("inet ARRAY"))
                .attribute("also_kept", Type.arrayOf(TEXT), a -> a.migrationType("varchar(8)[]")))))
                .extracting(Problem::toString).containsExactly(
                        "resource 'host', 'paths': is a list, but its migrationType 'ltree' is no array type; write "
                                + "'ltree[]'",
                        "resource 'host', 'address': is a single value, but its migrationType 'inet[]' is an array "
                                + "type; declare it Type.arrayOf(...) to store lists, or give the element's type");
    }

    @Test
    void refusesIgnoringAnUnknownAttributeOrThePrimaryKey() {
        assertThat(problems(one(Resource.builder("post").primaryKey("id").migrationIgnore("legacy", "id"))))
                .extracting(Problem::toString).containsExactly(
                        "resource 'post', 'legacy': is in migrationIgnore but is no attribute; the resource has [id]",
                        "resource 'post', 'id': is (part of) the primary key, which migrations must create; remove it "
                                + "from migrationIgnore");
    }

    @Test
    void refusesTableOptionsOnATableThatIsNotMigrated() {
        assertThat(problems(one(Resource.builder("legacy").primaryKey("id").migrate(false)
                .createTableOptions("PARTITION BY RANGE (id)").timestamps(t -> t.trigger()))))
                .extracting(Problem::field).containsExactly("createTableOptions", "timestamps");
    }

    @Test
    void refusesMigrationSqlWithASemicolonAndTouchOnUpdateOnANonTimestamp() {
        assertThat(problems(one(Resource.builder("post").primaryKey("id")
                .attribute("code", TEXT, a -> a.migrationType("text; DROP TABLE x"))
                .attribute("count", INTEGER, a -> a.touchOnUpdate()))))
                .extracting(Problem::field).containsExactly("code", "count");
    }

    @Test
    void refusesAnInvalidExtensionNameAndAMinimumVersionBelowThirteen() {
        assertThat(problems(Domain.builder("d").extensions("bad\nname").minimumPostgresVersion(12)
                .resource(Resource.builder("post").primaryKey("id").build())))
                .extracting(Problem::field).containsExactly("extensions", "minimumPostgresVersion");
    }

    @Test
    void refusesAVectorWithoutDimensions() {
        assertThatThrownBy(() -> Type.vector(0)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("vector(0) needs 1 to 16000 dimensions");
    }
}
