package dev.ashlar.kernel.data;

import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.testing.RequiresPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A merge of one kind of record in a shared table ({@code discriminator(attribute, value)}): the records it inserts
 * take the kind, one giving another kind is refused, and a stored record of another kind is never met.
 */
@RequiresPostgres(value = 15, reason = "MERGE")
class DiscriminatorMergeTest extends DomainDatabaseTest {
    DiscriminatorMergeTest() {
        super(Domain.builder("merged_kinds")
                .resource(vehicle("car", "car"))
                .resource(vehicle("boat", "boat"))
                .build());
    }

    private static Resource vehicle(String name, String kind) {
        return DiscriminatorTest.vehicle(name, "merged_vehicles", kind).build();
    }

    @BeforeEach
    void emptyTable() {
        db.execute("TRUNCATE merged_vehicles RESTART IDENTITY");
    }

    @Test
    void aMergeInsertsRecordsOfItsKindAndUpdatesNoRecordOfAnother() {
        ashlar.create("boat", Map.of("plate", "B-1", "seats", 4));
        ashlar.create("car", Map.of("plate", "C-1", "seats", 5));

        ashlar.merge("car", List.of(Map.of("plate", "C-1", "seats", 3), Map.of("plate", "N-1", "seats", 2)),
                Merge.on("plate").whenMatched().update("seats").whenNotMatched().insert());
        ashlar.merge("car", List.of(Map.of("plate", "B-1", "seats", 0)),
                Merge.on("plate").whenMatched().update("seats"));

        assertThat(db.query("SELECT kind, plate, seats FROM merged_vehicles ORDER BY plate"))
                .extracting(r -> r.get("kind") + " " + r.get("plate") + " " + r.get("seats"))
                .containsExactly("boat B-1 4", "car C-1 3", "car N-1 2");
    }

    @Test
    void aMergeRecordGivingAnotherKindIsRefusedAndWritesNothing() {
        assertThatThrownBy(() -> ashlar.merge("car", List.of(Map.of("plate", "N-1", "kind", "boat")),
                Merge.on("plate").whenNotMatched().insert()))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("kind");
        assertThat(db.query("SELECT count(*) AS n FROM merged_vehicles").get(0).get("n")).isEqualTo(0L);
    }
}
