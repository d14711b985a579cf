package dev.ashlar.kernel.data;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Drafts of kinds of record in one shared table ({@code discriminator(...)} with {@code draftable(...)}): a kind's
 * drafts are read, created and published as its records are, never reaching another kind's drafts.
 */
class DiscriminatorDraftsTest extends DomainDatabaseTest {
    DiscriminatorDraftsTest() {
        super(Domain.builder("drafted_kinds")
                .resource(vehicle("car", "car"))
                .resource(vehicle("boat", "boat"))
                .build());
    }

    private static Resource vehicle(String name, String kind) {
        return DiscriminatorTest.vehicle(name, "drafted_vehicles", kind).draftable().build();
    }

    @BeforeEach
    void emptyTables() {
        db.execute("TRUNCATE drafted_vehicles, drafted_vehicles_draft RESTART IDENTITY");
    }

    @Test
    void aKindsDraftsAreCreatedReadCountedAndPublishedWithoutAnotherKindsDrafts() {
        db.execute("INSERT INTO drafted_vehicles_draft (id, kind, plate, seats) VALUES (100, 'boat', 'B-1', 4)");
        ashlar.create(ashlar.drafts("car"), Map.of("id", 1, "plate", "C-1", "seats", 5));

        assertThat(ashlar.read("car").asDraft().values("plate", String.class)).containsExactly("C-1");
        assertThat(ashlar.read("car").asDraft().count()).isEqualTo(1);
        assertThat(ashlar.read(ashlar.drafts("car")).where(Filter.eq("id", 100)).updateCount(Map.of("seats", 0)))
                .isZero();
        assertThat(ashlar.publish("car", Filter.gt("id", 0))).isEqualTo(1);

        assertThat(db.query("SELECT kind, plate, seats FROM drafted_vehicles ORDER BY plate"))
                .extracting(r -> r.get("kind") + " " + r.get("plate") + " " + r.get("seats"))
                .containsExactly("car C-1 5");
        assertThat(db.query("SELECT kind, plate, seats FROM drafted_vehicles_draft ORDER BY plate"))
                .extracting(r -> r.get("kind") + " " + r.get("plate") + " " + r.get("seats"))
                .containsExactly("boat B-1 4", "car C-1 5");
    }

    @Test
    void aDraftWhoseKeyAnotherKindsRecordHoldsIsNotPublishedOverItNorMarkedPublished() {
        db.execute("INSERT INTO drafted_vehicles (id, kind, plate, seats) VALUES (1, 'boat', 'B-1', 4)");
        db.execute("INSERT INTO drafted_vehicles_draft (id, kind, plate, seats, draft_live) "
                + "VALUES (1, 'car', 'C-1', 5, true)");
        Object dirty = db.value("SELECT draft_dirty FROM drafted_vehicles_draft WHERE id = 1");

        assertThatThrownBy(() -> ashlar.publish("car", Filter.eq("id", 1))).isInstanceOf(QueryException.class)
                .hasMessageContaining("Nothing was published");

        assertThat(db.query("SELECT kind, plate, seats FROM drafted_vehicles"))
                .extracting(r -> r.get("kind") + " " + r.get("plate") + " " + r.get("seats"))
                .containsExactly("boat B-1 4");
        assertThat(dirty).isEqualTo(true);
        assertThat(db.value("SELECT draft_dirty FROM drafted_vehicles_draft WHERE id = 1")).isEqualTo(dirty);
    }
}
