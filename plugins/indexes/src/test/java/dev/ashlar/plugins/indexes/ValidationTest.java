package dev.ashlar.plugins.indexes;

import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.ashlar.plugins.indexes.CustomIndexes.index;
import static dev.ashlar.plugins.indexes.CustomStatements.statement;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValidationTest {
    private final IndexesPlugin plugin = new IndexesPlugin();

    private static ResourceBuilder users() {
        return Resource.builder("user").table("users").integerPrimaryKey("id").attribute("email", TEXT)
                .attribute("status", TEXT);
    }

    private List<Problem> problems(Resource resource) {
        Domain domain = Domain.builder("app").resource(resource).build();
        return plugin.validate(domain, domain.resource(resource.name()));
    }

    @Test
    void refusesADefaultNameOver63BytesNamingTheResourceAndTheNameOption() {
        String longField = "a_rather_long_attribute_name_that_goes_on_and_on";
        Resource users = Resource.builder("user").table("users_with_a_long_table_name").integerPrimaryKey("id")
                .attribute(longField, TEXT).with(CustomIndexes.of(index(longField))).build();
        Domain domain = Domain.builder("app").resource(users).build();

        assertThatThrownBy(() -> Plugins.none().with(plugin).check(domain))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("resource 'user'")
                .hasMessageContaining("custom index (" + longField + ") is named 'users_with_a_long_table_name_"
                        + longField + "_index', which is 83 bytes long")
                .hasMessageContaining("with name(\"...\") on the index");
    }

    @Test
    void refusesAnIndexOfAJoinedChildOverAFieldItsParentsTableStoresNamingTheParentButAcceptsItsOwn() {
        Resource animal = Resource.builder("animal").table("animals").integerPrimaryKey("id").attribute("name", TEXT)
                .build();
        Resource dog = Resource.builder("dog").table("dogs").extending("animal").attribute("breed", TEXT)
                .with(CustomIndexes.of(index("name"), index("breed", "id"))).build();
        Domain domain = Domain.builder("zoo").resources(animal, dog).build();

        assertThat(plugin.validate(domain, domain.resource("dog"))).extracting(Problem::toString).containsExactly(
                "resource 'dog', 'dogs_name_index': custom index (name) lists 'name', which resource 'dog' inherits "
                        + "from 'animal', whose table stores it, and an index covers one table: declare the index on "
                        + "'animal'");
    }

    @Test
    void refusesFieldsAndIncludedColumnsThatAreNotAttributesButAcceptsExpressions() {
        List<Problem> problems = problems(users().with(CustomIndexes.of(
                index("emial", "lower(status)", "status DESC").include("nope"))).build());

        assertThat(problems).extracting(Problem::toString).containsExactly(
                "resource 'user', 'users_emial_lower_status_status_desc_index': custom index (emial, lower(status), "
                        + "status DESC) lists 'emial', which is not an attribute of the resource; it has [id, email, "
                        + "status] (a SQL expression such as lower(email) is written with its parentheses)",
                "resource 'user', 'users_emial_lower_status_status_desc_index': custom index (emial, lower(status), "
                        + "status DESC) includes 'nope', which is not an attribute of the resource; it has [id, email, "
                        + "status] (a SQL expression such as lower(email) is written with its parentheses)");
    }

    @Test
    void refusesOptionsThatOnlyAUniqueIndexUsesAndMethodsThatAreNotNames() {
        List<Problem> problems = problems(users().with(CustomIndexes.of(
                index("email").nullsDistinct(false).message("taken").using("gin; DROP TABLE users"),
                index())).build());

        assertThat(problems).extracting(Problem::message).containsExactly(
                "custom index (email) uses 'gin; drop table users', which is not an access method name such as "
                        + "btree, hash, gin, gist, brin or spgist",
                "custom index (email) sets nullsDistinct(false), which only a unique index uses; add unique() or "
                        + "remove it",
                "custom index (email) has a message, which is shown only when a unique index refuses a value; add "
                        + "unique() or remove message(...)",
                "custom index () has no fields; list attributes or SQL expressions: index(\"email\")");
    }

    @Test
    void refusesErrorFieldsOnAnIndexThatIsNotUniqueOrThatAreNotAttributes() {
        List<Problem> problems = problems(users().with(CustomIndexes.of(index("email").errorFields("email"),
                index("lower(email)").unique().errorFields("mail"))).build());

        assertThat(problems).extracting(Problem::message).containsExactly(
                "custom index (email) has errorFields, which get an error only when a unique index refuses a value; "
                        + "add unique() or remove errorFields(...)",
                "custom index (lower(email)) puts its error on 'mail', which is not an attribute of the resource; it "
                        + "has [id, email, status]");
    }

    @Test
    void refusesUniqueAndCoveringIndexesWithMethodsThatPostgresCannotBuildThemWith() {
        List<Problem> problems = problems(users().with(CustomIndexes.of(
                index("email").unique().using("hash"),
                index("status").using("gin").include("email"),
                index("email", "status").unique().using("btree").include("id"))).build());

        assertThat(problems).extracting(Problem::message).containsExactly(
                "custom index (email) is unique and uses hash, but PostgreSQL builds unique indexes with btree only; "
                        + "remove using(\"hash\") or unique()",
                "custom index (status) includes columns and uses gin, but PostgreSQL supports include(...) for "
                        + "btree, gist and spgist indexes only");
    }

    @Test
    void refusesStatementsWithoutUpOrDownOrWithATakenName() {
        List<Problem> problems = problems(users().with(CustomStatements.of(
                statement("audit").up("SELECT 1"),
                statement("audit").up(" ").down(""),
                statement("x".repeat(64)).up("SELECT 1").down(""))).build());

        assertThat(problems).extracting(Problem::toString).containsExactly(
                "resource 'user', 'audit': custom statement 'audit' has no down SQL; give it down(\"...\") with the "
                        + "SQL that undoes up, or down(\"\") when nothing needs undoing",
                "resource 'user', 'audit': custom statement 'audit' is declared twice; give each statement its own "
                        + "name",
                "resource 'user', 'audit': custom statement 'audit' has no SQL to run; give it up(\"...\")",
                "resource 'user', '" + "x".repeat(64) + "': custom statement name '" + "x".repeat(64) + "' is 64 "
                        + "bytes long; PostgreSQL keeps only 63 and would silently truncate it: choose a shorter name "
                        + "in statement(\"...\")");
    }

    @Test
    void refusesAStatementAfterATableNoResourceOfTheDomainHas() {
        assertThat(problems(users().with(CustomStatements.of(statement("v").up("SELECT 1").down("")
                .afterTables("posts"))).build())).extracting(Problem::toString).containsExactly(
                "resource 'user', 'v': custom statement 'v' names afterTables(\"posts\"), which is not a resource of "
                        + "the domain; name a resource, not a table");
    }

    @Test
    void aResourceWithoutTheSectionsHasNoProblemsAndNoObjects() {
        assertThat(problems(users().build())).isEmpty();
    }
}
