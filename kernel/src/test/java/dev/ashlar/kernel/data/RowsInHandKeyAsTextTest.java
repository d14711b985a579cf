package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.StaleRecordException;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.INTEGER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Versioned rows in hand holding their uuid key as text (from JSON, say): a destroy of one changed since it was read is
 * refused as stale, as it is when the row holds the UUID, rather than counted as a record gone.
 */
class RowsInHandKeyAsTextTest extends FreshDomainTest {
    static final Resource DOC = Resource.builder("doc").table("text_key_docs")
            .uuidPrimaryKey("id")
            .attribute("lock_version", INTEGER, a -> a.notNull().defaultValue(1))
            .optimisticLock("lock_version")
            .build();

    @Test
    void aStaleRowHoldingItsUuidKeyAsTextIsRefusedAndItsRecordKept() {
        try (Ashlar ashlar = migrated(DOC)) {
            java.util.UUID id = java.util.UUID.randomUUID();
            java.util.UUID other = java.util.UUID.randomUUID();
            db.execute("INSERT INTO text_key_docs (id, lock_version) VALUES ('" + id + "', 2), ('" + other + "', 1)");
            List<Row> rows = List.of(Row.of("doc", Map.of("id", id.toString().toUpperCase(), "lock_version", 1)),
                    Row.of("doc", Map.of("id", other.toString(), "lock_version", 1)));

            assertThatThrownBy(() -> ashlar.destroyAll(rows)).isInstanceOf(StaleRecordException.class);
            assertThat(db.value("SELECT count(*) FROM text_key_docs")).isEqualTo(2L);
        }
    }
}
