package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.StaleRecordException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.spi.plugin.QueryContext;
import dev.ashlar.spi.plugin.SchemaAdmin;
import dev.ashlar.spi.plugin.WriteEvent;
import dev.ashlar.spi.plugin.WriteListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Writes of soft-deleted memos found with ignoreBaseFilter(): a write by key or by query does not apply the base
 * filter, so neither do the reads that explain why it met no record (stale or gone) or that pick and lock the rows it
 * acts on; on a populated, versioned table, with and without a plugin that watches writes.
 */
class BaseFilterWritesTest extends DomainDatabaseTest {
    static final Resource MEMO = Resource.builder("memo").table("bfw_memos").integerPrimaryKey("id")
            .attribute("title", TEXT).attribute("removed_by", TEXT)
            .attribute("lock_version", INTEGER, a -> a.notNull().defaultValue(1))
            .baseFilter("removed_by IS NULL", Filter.isNil("removed_by")).build();

    static final Domain DOMAIN = Domain.builder("bfw").resources(MEMO).build();

    BaseFilterWritesTest() {
        super(DOMAIN);
    }

    private Ashlar versioned;
    private Ashlar watchedVersioned;
    private final Watcher watcher = new Watcher();

    @BeforeAll
    void versioned() {
        versioned = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN).optimisticLock("lock_version").build();
        watchedVersioned = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN).optimisticLock("lock_version")
                .install(watcher).build();
    }

    @AfterAll
    void close() {
        versioned.close();
        watchedVersioned.close();
    }

    /** 100 memos, every tenth removed (10). */
    @BeforeEach
    void memos() {
        db.execute("TRUNCATE bfw_memos; INSERT INTO bfw_memos (id, title, removed_by, lock_version) "
                + "SELECT g, 'm' || g, CASE WHEN g % 10 = 0 THEN 'ops' END, 1 FROM generate_series(1, 100) g");
        watcher.seen.clear();
    }

    private static Map<String, Object> restored() {
        Map<String, Object> restored = new HashMap<>();
        restored.put("removed_by", null);
        return restored;
    }

    private Row trashed(Ashlar ashlar, int id) {
        return ashlar.read("memo").ignoreBaseFilter().where(eq("id", id)).one().orElseThrow();
    }

    @Test
    void aStaleRestoreOfASoftDeletedRecordIsRefusedAsStaleNotAsMissing() {
        Row held = trashed(versioned, 20);
        db.execute("UPDATE bfw_memos SET title = 'edited', lock_version = 2 WHERE id = 20");

        assertThatThrownBy(() -> versioned.update(held, restored())).isInstanceOf(StaleRecordException.class);
        assertThat(db.query("SELECT title, removed_by, lock_version FROM bfw_memos WHERE id = 20"))
                .extracting(r -> r.get("title") + " " + r.get("removed_by") + " " + r.get("lock_version"))
                .containsExactly("edited ops 2");
    }

    @Test
    void aStaleSoftDeletedRowOfUpdateAllByRowsIsRefusedAndNothingIsWritten() {
        Row fresh = trashed(versioned, 30);
        Row held = trashed(versioned, 40);
        db.execute("UPDATE bfw_memos SET title = 'edited', lock_version = 2 WHERE id = 40");

        assertThatThrownBy(() -> versioned.updateAll(List.of(fresh, held), restored()))
                .isInstanceOf(StaleRecordException.class);
        assertThat(db.value("SELECT count(*) FROM bfw_memos WHERE removed_by IS NULL")).isEqualTo(90L);
    }

    @Test
    void anUpdateOfASoftDeletedRecordThatChangesNothingReturnsItAsStored() {
        Row held = trashed(versioned, 50);

        assertThat(versioned.update(held, Map.of("title", "m50")).get("removed_by")).isEqualTo("ops");
        db.execute("UPDATE bfw_memos SET lock_version = 2 WHERE id = 50");
        assertThatThrownBy(() -> versioned.update(held, Map.of("title", "m50")))
                .isInstanceOf(StaleRecordException.class);
    }

    @Test
    void aWatchedResourceRestoresAndDestroysSoftDeletedRecordsByKey() {
        Row restoring = trashed(watchedVersioned, 60);
        Row purging = trashed(watchedVersioned, 70);

        watchedVersioned.update(restoring, restored());
        watchedVersioned.destroy(purging);

        assertThat(watcher.seen).containsExactly("update 60", "destroy 70");
        assertThat(db.query("SELECT id, removed_by FROM bfw_memos WHERE id IN (60, 70) ORDER BY id"))
                .extracting(r -> r.get("id") + " " + r.get("removed_by")).containsExactly("60 null");
    }

    @Test
    void destroyAllReturningTheRowsPurgesTheSoftDeletedRecordsTheCountingDestroyAllPurges() {
        List<Row> purged = versioned.read("memo").where(Filter.in("id", List.of(80, 81))).destroyAll(Returning.ROWS);

        assertThat(purged).extracting(row -> row.get("id")).containsExactlyInAnyOrder(80, 81);
        assertThat(versioned.read("memo").where(eq("id", 90)).destroyAll()).isEqualTo(1);
        assertThat(db.value("SELECT count(*) FROM bfw_memos WHERE id IN (80, 81, 90)")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM bfw_memos")).isEqualTo(97L);
    }

    @Test
    void aWatchedUpdateAllByQueryReachesTheSoftDeletedRecordsAsAnUnwatchedOneDoes() {
        assertThat(watchedVersioned.read("memo").where(Filter.lt("id", 21)).updateCount(Map.of("title", "w")))
                .isEqualTo(20);
        assertThat(versioned.read("memo").where(Filter.gt("id", 80)).updateCount(Map.of("title", "u")))
                .isEqualTo(20);

        assertThat(watcher.seen).hasSize(20).contains("update 10", "update 20");
        assertThat(db.value("SELECT count(*) FROM bfw_memos WHERE title IN ('w', 'u') AND removed_by = 'ops'"))
                .isEqualTo(4L);
    }

    /** Remembers each write it is told of: its action and the record's key. */
    static final class Watcher implements AshlarPlugin, WriteListener {
        final List<String> seen = new ArrayList<>();

        @Override
        public String id() {
            return "memo-watcher";
        }

        @Override
        public void afterWrite(WriteEvent event, QueryContext context, SchemaAdmin schemas) {
            Row record = event.after() != null ? event.after() : event.before();
            seen.add(event.action() + " " + record.get("id"));
        }
    }
}
