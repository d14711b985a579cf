package dev.ashlar.plugins.indexes;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.plugin.Plugins;
import org.junit.jupiter.api.Test;

import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.plugins.indexes.CustomIndexes.index;
import static dev.ashlar.plugins.indexes.CustomStatements.statement;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Custom indexes of a polymorphic resource: one per table, each named after its table. */
class PolymorphicIndexesTest extends ProjectTest {

    private static ResourceBuilder comment() {
        return Resource.builder("comment").polymorphic("post_comments", "user_comments").primaryKey("id")
                .attribute("body", TEXT);
    }

    @Test
    void eachTableOfAPolymorphicResourceGetsTheIndexUnderItsOwnName() {
        project.apply("create", comment().with(CustomIndexes.of(index("lower(body)").unique())).build());

        assertThat(project.index("post_comments_lower_body_index")).containsEntry("unique", true);
        assertThat(project.index("user_comments_lower_body_index")).containsEntry("unique", true);
        db.execute("INSERT INTO post_comments (body) VALUES ('Same');"
                + "INSERT INTO user_comments (body) VALUES ('same')");
        assertThat(db.value("SELECT count(*) FROM user_comments")).isEqualTo(1L);
    }

    @Test
    void refusesANamedIndexOrAStatementOnAPolymorphicResource() {
        Domain named = Domain.builder("app").resource(comment()
                .with(CustomIndexes.of(index("body").name("comments_body"))).build()).build();
        Domain withStatement = Domain.builder("app").resource(comment()
                .with(CustomStatements.of(statement("touch").up("SELECT 1").down("SELECT 1"))).build()).build();

        assertThatThrownBy(() -> Plugins.none().with(new IndexesPlugin()).check(named))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("is named 'comments_body' on a polymorphic resource")
                .hasMessageContaining("remove name(...)");
        assertThatThrownBy(() -> Plugins.none().with(new IndexesPlugin()).check(withStatement))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("is a statement of a polymorphic resource");
    }
}
