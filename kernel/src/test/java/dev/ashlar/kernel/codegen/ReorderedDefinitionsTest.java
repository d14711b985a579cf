package dev.ashlar.kernel.codegen;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.schema.Scope;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.arrayOf;
import static org.assertj.core.api.Assertions.assertThat;

/** Changes the generator must see as none. */
class ReorderedDefinitionsTest extends FreshSchemaTest {
    private Codegen.Result generate(Domain domain, String name) {
        return new Codegen(project, domain, Plugins.none().with(new TestReferences()), Renames.none(), CLOCK).generate(name);
    }

    private Migrator migrator() {
        return new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).progress(line -> { });
    }

    @Test
    void reorderingAttributesIdentitiesAndRelationshipsWritesNothing() {
        Resource user = Resource.builder("user").table("users").integerPrimaryKey("id").build();
        generate(Domain.builder("blog").resources(user, Resource.builder("post").table("posts").integerPrimaryKey("id")
                .attribute("title", TEXT).attribute("slug", TEXT).attribute("tags", arrayOf(TEXT), a -> a.defaultValue(List.of()))
                .identity("by_slug", "slug").identity("by_title", "title", "slug")
                .belongsTo("author", "user").belongsTo("editor", "user").build()).build(), "create");
        migrator().migrate();

        Codegen.Result again = generate(Domain.builder("blog").resources(Resource.builder("post").table("posts")
                .belongsTo("editor", "user").belongsTo("author", "user")
                .identity("by_title", "title", "slug").identity("by_slug", "slug")
                .attribute("tags", arrayOf(TEXT), a -> a.defaultValue(List.of())).attribute("slug", TEXT).attribute("title", TEXT)
                .integerPrimaryKey("id").build(), user).build(), "reordered");

        assertThat(again.steps()).isEmpty();
        assertThat(again.files()).isEmpty();
    }
}
