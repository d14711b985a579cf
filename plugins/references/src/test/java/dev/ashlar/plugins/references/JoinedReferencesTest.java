package dev.ashlar.plugins.references;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.Test;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The README's joined inheritance example ({@code dog extending("animal")}) with the references plugin installed: the
 * belongs-to a child inherits keeps its foreign key on the parent's table alone, which holds its column, and a key to
 * the child references the child's table, so the domain migrates and the keys hold.
 */
class JoinedReferencesTest extends ProjectTest {
    static final Resource KEEPER = Resource.builder("keeper").table("keepers").primaryKey("id")
            .attribute("name", TEXT).build();
    static final Resource ANIMAL = Resource.builder("animal").table("animals").primaryKey("id")
            .attribute("name", TEXT, a -> a.notNull())
            .attribute("legs", INTEGER, a -> a.defaultValue(4))
            .belongsTo("keeper", "keeper")
            .hasOne("dog", "dog", r -> r.destinationAttribute("id"))
            .build();
    static final Resource DOG = Resource.builder("dog").table("dogs").extending("animal")
            .attribute("breed", TEXT)
            .build();
    static final Resource TOY = Resource.builder("toy").table("toys").primaryKey("id")
            .attribute("name", TEXT).belongsTo("dog", "dog").build();

    @Test
    void theReadmeDomainMigratesWithTheInheritedKeyOnTheParentsTableOnly() {
        project.migrate(Domain.builder("zoo").resources(KEEPER, ANIMAL, DOG, TOY).build(), "create_zoo");

        assertThat(project.constraintNames()).containsExactly("animals_keeper_id_fkey", "dogs_id_fkey",
                "toys_dog_id_fkey");
        assertThat(project.constraint("animals_keeper_id_fkey")).containsEntry("columns", "keeper_id")
                .containsEntry("referenced", "id");
        assertThat(project.constraint("toys_dog_id_fkey").get("definition"))
                .isEqualTo("FOREIGN KEY (dog_id) REFERENCES dogs(id)");
    }

    @Test
    void theKeysHoldOnTheData() {
        project.migrate(Domain.builder("zoo").resources(KEEPER, ANIMAL, DOG, TOY).build(), "create_zoo");
        db.execute("INSERT INTO keepers (id, name) VALUES (1, 'Ada'); "
                + "INSERT INTO animals (id, name, keeper_id) VALUES (1, 'Rex', 1), (2, 'Tom', 1); "
                + "INSERT INTO dogs (id, breed) VALUES (1, 'collie')");

        assertThatThrownBy(() -> db.execute("INSERT INTO animals (id, name, keeper_id) VALUES (3, 'Stray', 99)"))
                .hasMessageContaining("animals_keeper_id_fkey");
        assertThatThrownBy(() -> db.execute("INSERT INTO toys (id, name, dog_id) VALUES (1, 'ball', 2)"))
                .hasMessageContaining("toys_dog_id_fkey");
        db.execute("INSERT INTO toys (id, name, dog_id) VALUES (1, 'ball', 1)");
        assertThat(db.value("SELECT count(*) FROM toys")).isEqualTo(1L);
    }
}
