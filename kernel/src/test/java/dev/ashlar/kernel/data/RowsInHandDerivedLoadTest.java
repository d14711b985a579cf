package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Policy;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static dev.ashlar.api.resource.Type.UUID;
import static dev.ashlar.api.resource.Type.decimal;
import static dev.ashlar.api.query.Filter.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Aggregates and calculations loaded onto rows in hand ({@code ashlar.load(rows, "reply_count")}): each row finds its
 * own record whatever the width of the key it holds, a record deleted since gives null as a read would hide it, and
 * relationships load beside them in the same call.
 */
class RowsInHandDerivedLoadTest extends FreshDomainTest {
    static final Resource NOTE = Resource.builder("note").table("derived_load_notes")
            .bigintPrimaryKey("id")
            .attribute("title", TEXT)
            .attribute("parent_id", BIGINT)
            .attribute("deleted_at", TIMESTAMPTZ)
            .softDelete("deleted_at")
            .hasMany("replies", "note", r -> r.destinationAttribute("parent_id"))
            .count("reply_count", "replies")
            .calculate("shout", String.class, "upper(title)")
            .build();

    static final Resource DOC = Resource.builder("doc").table("derived_load_docs")
            .uuidPrimaryKey("id")
            .attribute("parent_id", UUID)
            .hasMany("replies", "doc", r -> r.destinationAttribute("parent_id"))
            .count("reply_count", "replies")
            .build();

    static final Resource LEDGER = Resource.builder("ledger").table("derived_load_ledgers")
            .attribute("id", decimal(20, 0), a -> a.primaryKey())
            .attribute("parent_id", decimal(20, 0))
            .hasMany("entries", "ledger", r -> r.destinationAttribute("parent_id"))
            .count("entry_count", "entries")
            .build();

    static final Resource MEMO = Resource.builder("memo").table("derived_load_memos")
            .bigintPrimaryKey("id")
            .attribute("owner_id", BIGINT)
            .attribute("parent_id", BIGINT)
            .hasMany("replies", "memo", r -> r.destinationAttribute("parent_id"))
            .count("reply_count", "replies")
            .build();

    private Ashlar notes() {
        Ashlar ashlar = migrated(NOTE);
        db.execute("INSERT INTO derived_load_notes (id, title, parent_id) VALUES (1, 'first', NULL), "
                + "(2, 'second', NULL), (3, 'reply', 1), (4, 'another reply', 1), (5, 'reply to second', 2)");
        return ashlar;
    }

    @Test
    void aRowHoldingAnIntegerForABigintKeyGetsItsRecordsValues() {
        try (Ashlar ashlar = notes()) {
            Row loaded = ashlar.load(List.of(Row.of("note", Map.of("id", 1))), "reply_count", "shout").get(0);

            assertThat(loaded.get("reply_count")).isEqualTo(2L);
            assertThat(loaded.get("shout")).isEqualTo("FIRST");
        }
    }

    @Test
    void aRowHoldingAUuidKeyAsTextInEitherCaseGetsItsRecordsValues() {
        try (Ashlar ashlar = migrated(DOC)) {
            java.util.UUID id = java.util.UUID.randomUUID();
            db.execute("INSERT INTO derived_load_docs (id, parent_id) VALUES ('" + id + "', NULL), "
                    + "(gen_random_uuid(), '" + id + "'), (gen_random_uuid(), '" + id + "')");

            List<Row> loaded = ashlar.load(List.of(Row.of("doc", Map.of("id", id.toString())),
                    Row.of("doc", Map.of("id", id.toString().toUpperCase()))), "reply_count");

            assertThat(loaded).extracting(r -> r.get("reply_count")).containsExactly(2L, 2L);
        }
    }

    @Test
    void aRowHoldingALongForANumericKeyGetsItsRecordsValues() {
        try (Ashlar ashlar = migrated(LEDGER)) {
            db.execute("INSERT INTO derived_load_ledgers (id, parent_id) VALUES (1, NULL), (2, 1), (3, 1), (4, 2)");

            List<Row> loaded = ashlar.load(List.of(Row.of("ledger", Map.of("id", 1L)),
                    Row.of("ledger", Map.of("id", new java.math.BigDecimal("2.0")))), "entry_count");

            assertThat(loaded).extracting(r -> r.get("entry_count")).containsExactly(2L, 1L);
        }
    }

    @Test
    void aRowWithoutItsKeyAmongSeveralIsRefusedNamingItsPositionAndTheFix() {
        try (Ashlar ashlar = notes()) {
            List<Row> rows = List.of(Row.of("note", Map.of("id", 1L)), Row.of("note", Map.of("title", "x")));

            assertThatThrownBy(() -> ashlar.load(rows, "reply_count"))
                    .isInstanceOf(QueryException.class)
                    .hasMessageContaining("row 2 of 2 given to load(...) holds no 'id'")
                    .hasMessageContaining("a select that includes 'id'")
                    .satisfies(e -> {
                        assertThat(((QueryException) e).resource()).hasValue("note");
                        assertThat(((QueryException) e).field()).hasValue("id");
                    });
        }
    }

    @Test
    void rowsInHandLoadedThroughAnActorsHandleComputeOnlyWhatItsReadPolicyLetsItRead() {
        migrated(MEMO).close();
        db.execute("INSERT INTO derived_load_memos (id, owner_id, parent_id) VALUES (1, 1, NULL), (2, 2, NULL), "
                + "(3, 1, 1), (4, 2, 1), (5, 2, 2)");
        try (Ashlar policed = Ashlar.builder().dataSource(db.dataSource())
                .domain(Domain.builder("fresh").resources(MEMO).build())
                .policies(Policy.on("memo").read(actor -> eq("owner_id", actor.id()))).build()) {
            List<Row> rows = List.of(policed.bypassPolicies().get("memo", 1L), policed.bypassPolicies().get("memo", 2L));

            assertThat(policed.withUser(2L).load(rows, "reply_count")).extracting(r -> r.get("reply_count"))
                    .containsExactly(null, 1L);
            assertThat(policed.withUser(1L).load(rows, "reply_count")).extracting(r -> r.get("reply_count"))
                    .containsExactly(1L, null);
            assertThat(policed.bypassPolicies().load(rows, "reply_count")).extracting(r -> r.get("reply_count"))
                    .containsExactly(2L, 1L);
        }
    }

    @Test
    void eachRowGetsItsOwnRecordsValuesInTheOrderGivenWithItsRelationshipsLoadedInTheSameCall() {
        try (Ashlar ashlar = notes()) {
            List<Row> rows = List.of(ashlar.get("note", 2L), ashlar.get("note", 1L), ashlar.get("note", 3L));

            List<Row> loaded = ashlar.load(rows, "reply_count", "replies", "shout");

            assertThat(loaded).extracting(r -> r.get("id"), r -> r.get("title"), r -> r.get("reply_count"),
                            r -> r.get("shout"), r -> r.related("replies").size())
                    .containsExactly(tuple(2L, "second", 1L, "SECOND", 1), tuple(1L, "first", 2L, "FIRST", 2),
                            tuple(3L, "reply", 0L, "REPLY", 0));
        }
    }

    @Test
    void aRecordSoftDeletedSinceItsRowWasReadGivesNullAsAReadWouldHideIt() {
        try (Ashlar ashlar = notes()) {
            List<Row> rows = List.of(ashlar.get("note", 1L), ashlar.get("note", 2L));
            db.execute("UPDATE derived_load_notes SET deleted_at = now() WHERE id IN (2, 4)");

            List<Row> loaded = ashlar.load(rows, "reply_count", "shout");

            assertThat(loaded).extracting(r -> r.get("id"), r -> r.get("reply_count"), r -> r.get("shout"))
                    .containsExactly(tuple(1L, 1L, "FIRST"), tuple(2L, null, null));
        }
    }

    @Test
    void anAggregateLoadedOntoRowsInHandWithAFilterIsRefusedRatherThanComputedWithoutIt() {
        try (Ashlar ashlar = notes()) {
            List<Row> rows = List.of(ashlar.get("note", 1L));

            assertThatThrownBy(() -> ashlar.load(rows, List.of(Load.of("reply_count").where(eq("title", "reply")))))
                    .isInstanceOf(QueryException.class)
                    .hasMessageContaining("'reply_count' of note is an aggregate or calculation")
                    .hasMessageContaining("Load.of(\"reply_count\")");
        }
    }
}
