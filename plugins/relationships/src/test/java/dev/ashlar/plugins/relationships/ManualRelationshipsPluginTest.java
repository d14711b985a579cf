package dev.ashlar.plugins.relationships;

import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.spi.plugin.CustomRelationship;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.ServiceLoader;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

class ManualRelationshipsPluginTest {
    private final ManualRelationshipsPlugin plugin = new ManualRelationshipsPlugin();
    private final ManualRelationship nothing = (parents, context) -> java.util.Map.of();

    @Test
    void isFoundByTheServiceLoader() {
        assertThat(ServiceLoader.load(AshlarPlugin.class).stream().map(ServiceLoader.Provider::type))
                .contains(ManualRelationshipsPlugin.class);
    }

    @Test
    void givesTheKernelEachManualRelationshipKeyedByThePrimaryKey() {
        Resource post = Resource.builder("post").integerPrimaryKey("id")
                .with(ManualRelationships.of(Manual.hasOne("best", "post", nothing))).build();
        Domain domain = Domain.builder("d").resource(post).build();

        List<CustomRelationship> relationships = plugin.relationships(domain, post);

        assertThat(relationships).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("best");
            assertThat(r.sourceAttribute()).isEqualTo("id");
            assertThat(r.many()).isFalse();
            assertThat(r.join(null, null)).isEmpty();
        });
    }

    @Test
    void leavesResourcesWithoutTheSectionAlone() {
        Resource plain = Resource.builder("plain").integerPrimaryKey("id").build();

        assertThat(plugin.relationships(Domain.builder("d").resource(plain).build(), plain)).isEmpty();
    }

    @Test
    void refusesAClashingNameAMissingDestinationAndAnUnknownKey() {
        Resource post = Resource.builder("post").integerPrimaryKey("id").attribute("title", TEXT)
                .with(ManualRelationships.of(Manual.hasMany("title", "comment", nothing),
                        Manual.hasMany("others", "post", nothing).sourceAttribute("slug")))
                .build();

        List<Problem> problems = plugin.validate(Domain.builder("d").resource(post).build(), post);

        assertThat(problems).extracting(Problem::message).anySatisfy(m -> assertThat(m).contains("another attribute"))
                .anySatisfy(m -> assertThat(m).contains("'comment', which is not a resource"))
                .anySatisfy(m -> assertThat(m).contains("'slug', which is not an attribute"));
    }
}
