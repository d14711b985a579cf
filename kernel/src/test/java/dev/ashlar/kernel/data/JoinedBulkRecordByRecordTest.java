package dev.ashlar.kernel.data;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code Bulk} create of a joined resource (a cat extends pet), whose statement runs once a record anyway: a batch
 * refused at its last record is written again record by record, not by halves, with {@code create()} managements
 * and without. Attempts are counted from the pets' id sequence, which a rollback does not give back.
 */
class JoinedBulkRecordByRecordTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("joined_bulk")
            .resource(Resource.builder("pet").table("rb_pets").integerPrimaryKey("id")
                    .attribute("name", TEXT, a -> a.notNull()).identity("unique_name", "name")
                    .hasMany("shots", "shot").build())
            .resource(Resource.builder("cat").table("rb_cats").extending("pet").attribute("color", TEXT).build())
            .resource(Resource.builder("shot").table("rb_shots").integerPrimaryKey("id")
                    .attribute("name", TEXT, a -> a.notNull()).identity("unique_shot", "name")
                    .belongsTo("pet", "pet").build())
            .build();

    JoinedBulkRecordByRecordTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void onePetAndOneShotStored() {
        db.execute("TRUNCATE rb_pets, rb_cats, rb_shots RESTART IDENTITY CASCADE");
        ashlar.create("pet", Map.of("name", "taken"));
        db.execute("INSERT INTO rb_shots (name, pet_id) SELECT 'taken', id FROM rb_pets");
    }

    /** 32 cats with a shot each, the last one refused by a unique index: its name, or its shot's, is taken. */
    private static List<Map<String, Object>> cats(boolean shotTaken) {
        List<Map<String, Object>> cats = new ArrayList<>();
        for (int c = 0; c < 32; c++) {
            boolean last = c == 31;
            cats.add(Map.of("name", last && !shotTaken ? "taken" : "cat " + c, "color", "grey",
                    "shots", List.of(Map.of("name", last && shotTaken ? "taken" : "shot " + c))));
        }
        return cats;
    }

    /** How many pets the write tried to insert, from the id sequence. */
    private long attempts(Supplier<BulkResult> write, BulkResult[] result) {
        long before = (Long) db.value("SELECT nextval(pg_get_serial_sequence('rb_pets', 'id'))");
        result[0] = write.get();
        return (Long) db.value("SELECT nextval(pg_get_serial_sequence('rb_pets', 'id'))") - before - 1;
    }

    @Test
    void aBulkCreateWithCreateManagementsWritesAFailedBatchAgainRecordByRecordSinceEachCatIsInsertedAlone() {
        BulkResult[] result = new BulkResult[1];

        long attempts = attempts(() -> ashlar.createAll("cat", cats(true), Bulk.collectErrors(),
                Manage.relationship("shots").create()), result);

        // The refused cat alone is written twice: level by level, then one by one to name its shot's place.
        assertThat(attempts).as("cats inserted: the batch, then each cat alone (by halves: 95)").isEqualTo(65L);
        assertThat(result[0].errors()).extracting(BulkResult.Failure::index).containsExactly(31);
        assertThat(result[0].errors().get(0).error().errors().get(0).field()).isEqualTo("shots[0].name");
        assertThat(result[0].rows()).hasSize(31);
        assertThat(db.value("SELECT count(*) FROM rb_pets p JOIN rb_cats c USING (id) JOIN rb_shots s "
                + "ON s.pet_id = p.id WHERE s.name = 'shot ' || substr(p.name, 5)")).isEqualTo(31L);
        assertThat(db.value("SELECT count(*) FROM rb_pets WHERE name = 'cat 31'")).isEqualTo(0L);
    }

    @Test
    void aBulkCreateWritesAFailedBatchAgainRecordByRecordSinceEachCatIsInsertedAlone() {
        List<Map<String, Object>> cats = cats(false).stream().map(cat -> Map.of("name", cat.get("name"),
                "color", cat.get("color"))).toList();
        BulkResult[] result = new BulkResult[1];

        long attempts = attempts(() -> ashlar.createAll("cat", cats, Bulk.collectErrors()), result);

        assertThat(attempts).as("cats inserted: the batch, then each cat alone (by halves: 94)").isEqualTo(64L);
        assertThat(result[0].errors()).extracting(BulkResult.Failure::index).containsExactly(31);
        assertThat(result[0].rows()).hasSize(31);
        assertThat(db.value("SELECT count(*) FROM rb_pets JOIN rb_cats USING (id)")).isEqualTo(31L);
        assertThat(db.value("SELECT count(*) FROM rb_pets WHERE name = 'taken'")).isEqualTo(1L);
    }
}
