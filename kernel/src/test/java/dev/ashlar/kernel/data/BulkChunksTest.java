package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.INTEGER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bulk write whose column cannot travel as one array (a bytea array has no short text literal) goes as multi-row
 * VALUES statements of up to 1,000 rows, in one transaction.
 */
class BulkChunksTest extends DomainDatabaseTest {
    private static final int RECORDS = 2_500;

    BulkChunksTest() {
        super(Domain.builder("bulk_chunks").resource(Resource.builder("blob").table("bulk_blobs")
                .bigintPrimaryKey("id")
                .attribute("n", INTEGER)
                .attribute("parts", Type.arrayOf(Type.BINARY))
                .identity("unique_n", "n")
                .build()).build());
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE bulk_blobs RESTART IDENTITY");
    }

    /** Record i holds n = (i * 7) mod 2,500: every n once, not in the order of the keys the rows get. */
    private static List<Map<String, Object>> records() {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            int n = i * 7 % RECORDS;
            records.add(Map.of("n", n, "parts", List.of(new byte[]{(byte) n, 1}, new byte[]{(byte) (n >> 8)})));
        }
        return records;
    }

    @Test
    void recordsInSeveralStatementsAreEachWrittenOnceAndComeBackInTheirOrder() {
        List<Map<String, Object>> records = records();

        List<Row> created = ashlar.createAll("blob", records);

        assertThat(created).extracting(row -> row.get("n"))
                .containsExactlyElementsOf(records.stream().map(record -> record.get("n")).toList());
        assertThat(db.value("SELECT count(*) FROM bulk_blobs")).isEqualTo((long) RECORDS);
        assertThat(db.value("SELECT count(DISTINCT n) FROM bulk_blobs")).isEqualTo((long) RECORDS);
        // Each key returned is the row that holds the record's values, in all three statements.
        for (int i : List.of(0, 999, 1_000, 2_001, RECORDS - 1)) {
            int n = (Integer) records.get(i).get("n");
            assertThat(db.value("SELECT n FROM bulk_blobs WHERE id = ?", created.get(i).get("id"))).isEqualTo(n);
            assertThat(db.value("SELECT encode(parts[1], 'hex') || ' ' || encode(parts[2], 'hex') FROM bulk_blobs "
                    + "WHERE n = ?", n)).isEqualTo(String.format("%02x01 %02x", n & 0xff, (n >> 8) & 0xff));
        }
    }
}
