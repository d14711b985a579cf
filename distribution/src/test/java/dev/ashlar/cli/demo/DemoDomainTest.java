package dev.ashlar.cli.demo;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.plugins.checks.CheckConstraints;
import dev.ashlar.plugins.indexes.CustomIndexes;
import dev.ashlar.plugins.indexes.CustomStatements;
import dev.ashlar.plugins.references.References;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static dev.ashlar.api.resource.Type.arrayOf;
import static dev.ashlar.api.resource.Type.varchar;
import static dev.ashlar.plugins.checks.Check.check;
import static dev.ashlar.plugins.indexes.CustomIndexes.index;
import static dev.ashlar.plugins.indexes.CustomStatements.statement;
import static dev.ashlar.plugins.references.OnDelete.DELETE;
import static dev.ashlar.plugins.references.OnDelete.NILIFY;
import static dev.ashlar.plugins.references.Reference.reference;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's domain, built from typed declarations with plugin sections attached, is the very domain
 * the string DSL described before it (kept here as it was): the same resources, so the same migrations.
 */
class DemoDomainTest {

    @ParameterizedTest(name = "later: {0}")
    @ValueSource(booleans = {false, true})
    void theTypedDomainIsTheOneTheStringDslDescribed(boolean later) {
        Domain typed = later ? DemoDomain.second() : DemoDomain.first();

        // Plugin sections compare by content through their text: not every section defines equals.
        assertThat(typed.resources()).hasToString(strings(later).resources().toString());
    }

    private static Domain strings(boolean later) {
        var user = Resource.builder("user").table("users")
                .uuidPrimaryKey("id")
                .attribute("email", TEXT, a -> a.notNull())
                .attribute("name", TEXT)
                .timestamps()
                .identity("unique_email", "email");
        var post = Resource.builder("post").table("posts")
                .primaryKey("id")
                .attribute("title", varchar(later ? 300 : 120), a -> a.notNull())
                .attribute("body", TEXT)
                .attribute("tags", arrayOf(TEXT), a -> a.notNull().defaultSql("'{}'"))
                .belongsTo("author", "user", r -> r.allowNil(false))
                .hasMany("comments", "comment");
        if (later) {
            post.attribute("published_at", TIMESTAMPTZ).with(CustomIndexes.of(
                    index("tags").using("gin"),
                    index("published_at").where("published_at IS NOT NULL")));
            user.with(CustomStatements.of(statement("update_updated_at").up("""
                    CREATE FUNCTION users_set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
                    CREATE TRIGGER update_updated_at BEFORE UPDATE ON users
                    FOR EACH ROW EXECUTE FUNCTION users_set_updated_at();
                    """).down("DROP TRIGGER update_updated_at ON users;\nDROP FUNCTION users_set_updated_at();")));
        }
        var comment = Resource.builder("comment").table("comments")
                .primaryKey("id")
                .attribute("body", TEXT, a -> a.notNull())
                .attribute("rating", INTEGER, later ? a -> a.notNull().defaultValue(3) : a -> { })
                .belongsTo("post", "post", r -> r.allowNil(false))
                .belongsTo("author", "user")
                .with(References.of(reference("post").onDelete(DELETE), reference("author").onDelete(NILIFY)));
        if (later) {
            comment.with(CheckConstraints.of(check("rating_range").expression("rating BETWEEN 1 AND 5")
                    .attributes("rating").message("must be between 1 and 5")));
        }
        return Domain.builder("blog").resources(user.build(), post.build(), comment.build()).build();
    }
}
