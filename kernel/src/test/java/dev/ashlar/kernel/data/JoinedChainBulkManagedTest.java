package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code Bulk} {@code createAll} with {@code Manage} on the leaf of a joined chain (a dog extends mammal, which
 * extends animal, whose vaccinations it inherits): a record refused for a related record's data leaves no row at any
 * level of the chain, nor any related record; the others are written at every level with theirs.
 */
class JoinedChainBulkManagedTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("chain_bulk")
            .resource(Resource.builder("animal").table("cb_animals").primaryKey("id")
                    .attribute("name", TEXT, a -> a.notNull()).hasMany("vaccinations", "vaccination").build())
            .resource(Resource.builder("mammal").table("cb_mammals").extending("animal").attribute("fur", TEXT)
                    .build())
            .resource(Resource.builder("dog").table("cb_dogs").extending("mammal").attribute("breed", TEXT).build())
            .resource(Resource.builder("vaccination").table("cb_vaccinations").integerPrimaryKey("id")
                    .attribute("name", TEXT, a -> a.notNull()).belongsTo("animal", "animal").build())
            .build();

    JoinedChainBulkManagedTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE cb_animals, cb_mammals, cb_dogs, cb_vaccinations RESTART IDENTITY CASCADE");
    }

    @Test
    void aDogRefusedForAVaccinationLeavesNoRowAtAnyLevelAndTheOthersAreWrittenWithTheirs() {
        BulkResult result = ashlar.createAll("dog", List.of(
                        Map.of("name", "Rex", "fur", "short", "breed", "collie",
                                "vaccinations", List.of(Map.of("name", "rabies"))),
                        Map.of("name", "Bad", "fur", "long", "breed", "pug", "vaccinations", List.of(Map.of())),
                        Map.of("name", "Fido", "fur", "wiry", "breed", "terrier",
                                "vaccinations", List.of(Map.of("name", "distemper")))),
                Bulk.collectErrors(), Manage.relationship("vaccinations").create());

        assertThat(result.errors()).extracting(BulkResult.Failure::index).containsExactly(1);
        assertThat(result.errors().get(0).error().errors().get(0).field()).isEqualTo("vaccinations[0].name");
        assertThat(result.rows()).extracting(r -> r.get("breed")).containsExactly("collie", "terrier");
        assertThat(result.rows()).extracting(r -> r.related("vaccinations").stream().map(v -> v.get("name"))
                .toList()).containsExactly(List.of("rabies"), List.of("distemper"));
        assertThat(db.value("SELECT count(*) FROM cb_animals WHERE name = 'Bad'")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM cb_mammals WHERE fur = 'long'")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM cb_dogs WHERE breed = 'pug'")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM cb_animals a JOIN cb_mammals m USING (id) JOIN cb_dogs d USING (id)"))
                .isEqualTo(2L);
        assertThat(db.query("SELECT a.name AS dog, v.name AS vaccination FROM cb_vaccinations v JOIN cb_animals a "
                + "ON a.id = v.animal_id ORDER BY v.id")).containsExactly(Map.of("dog", "Rex", "vaccination",
                "rabies"), Map.of("dog", "Fido", "vaccination", "distemper"));
    }
}
