package dev.ashlar.kernel.data;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;
import dev.ashlar.testing.RequiresPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two records of a merge that give different fields, and so go in different statements, yet find the same stored
 * record as PostgreSQL compares their {@code on} values (a case-insensitive text, one instant at two offsets): the
 * merge is refused naming both records and writes nothing, as one statement would be, rather than the second
 * statement changing again (or updating what the first inserted) the record the first wrote.
 */
@RequiresPostgres(value = 15, reason = "MERGE")
class MergeSameStoredRecordTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("merge_same_row").extensions("citext")
            .resource(Resource.builder("contact").table("merge_contacts").integerPrimaryKey("id")
                    .attribute("email", Type.CITEXT, a -> a.notNull()).attribute("name", Type.TEXT)
                    .attribute("score", Type.INTEGER).build())
            .resource(Resource.builder("reading").table("merge_readings").integerPrimaryKey("id")
                    .attribute("taken_at", Type.TIMESTAMPTZ, a -> a.notNull()).attribute("celsius", Type.INTEGER)
                    .attribute("note", Type.TEXT).build())
            .build();
    static final Merge SYNC = Merge.on("email").whenMatched().update().whenNotMatched().insert();

    MergeSameStoredRecordTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void storedContacts() {
        db.execute("TRUNCATE merge_contacts, merge_readings RESTART IDENTITY");
        db.execute("INSERT INTO merge_contacts (email, name, score) SELECT 'user' || i || '@example.org', 'User ' || i,"
                + " i FROM generate_series(1, 40) AS i");
        db.execute("INSERT INTO merge_readings (taken_at, celsius) SELECT timestamptz '2026-01-01 00:00Z' + i * "
                + "interval '1 hour', i FROM generate_series(1, 24) AS i");
    }

    private List<String> contacts() {
        return db.query("SELECT id, email, name, score FROM merge_contacts WHERE id IN (7, 41) OR email = 'new@x.org' "
                + "ORDER BY id").stream().map(r -> r.get("id") + ":" + r.get("email") + ":" + r.get("name") + ":"
                + r.get("score")).toList();
    }

    @Test
    void twoRecordsFindingOneStoredRecordAsTheServerComparesAreRefusedAndNothingIsWritten() {
        assertThatThrownBy(() -> ashlar.merge("contact", List.of(Map.of("email", "USER7@example.org", "name", "Seven"),
                Map.of("email", "user7@example.org", "score", 700)), SYNC))
                .isInstanceOf(QueryException.class).hasMessageContaining("records 1 and 2")
                .hasMessageContaining("email").hasMessageContaining("give each record once");

        assertThat(contacts()).containsExactly("7:user7@example.org:User 7:7");
    }

    @Test
    void aRecordCannotUpdateWhatAnotherRecordOfTheMergeInserted() {
        assertThatThrownBy(() -> ashlar.merge("contact", List.of(Map.of("email", "new@x.org", "name", "New"),
                Map.of("email", "NEW@x.org", "score", 1)), SYNC))
                .isInstanceOf(QueryException.class).hasMessageContaining("records 1 and 2");

        assertThat(contacts()).containsExactly("7:user7@example.org:User 7:7");
        assertThat(db.value("SELECT count(*) FROM merge_contacts")).isEqualTo(40L);
    }

    @Test
    void oneInstantGivenAtTwoOffsetsIsOneStoredRecord() {
        OffsetDateTime utc = OffsetDateTime.of(2026, 1, 1, 5, 0, 0, 0, ZoneOffset.UTC);
        assertThatThrownBy(() -> ashlar.merge("reading", List.of(Map.of("taken_at", utc, "celsius", 50),
                Map.of("taken_at", utc.withOffsetSameInstant(ZoneOffset.ofHours(2)), "note", "late")),
                Merge.on("taken_at").whenMatched().update().whenNotMatched().insert()))
                .isInstanceOf(QueryException.class).hasMessageContaining("records 1 and 2");

        assertThat(db.query("SELECT celsius, coalesce(note, '-') AS note FROM merge_readings WHERE id = 5"))
                .containsExactly(Map.of("celsius", 5, "note", "-"));
    }

    @Test
    void recordsFindingDifferentStoredRecordsInSeveralStatementsAreAllMerged() {
        MergeResult result = ashlar.merge("contact", List.of(Map.of("email", "USER7@example.org", "name", "Seven"),
                Map.of("email", "user8@example.org", "score", 800), Map.of("email", "new@x.org", "name", "New")), SYNC);

        assertThat(result.merged()).isEqualTo(3);
        assertThat(contacts()).containsExactly("7:user7@example.org:Seven:7", "41:new@x.org:New:null");
        assertThat(db.value("SELECT score FROM merge_contacts WHERE id = 8")).isEqualTo(800);
    }
}
