package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Policy;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.typed.Kind.BIGINT;
import static dev.ashlar.api.typed.Kind.TEXT;
import static dev.ashlar.api.typed.Kind.TIMESTAMPTZ;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code findMultiple} reads in the scope {@code find} reads in, seen from the side of the one who should not get the
 * rows: a soft-deleted record is null as its {@code find} is empty, and an actor naming the keys of rows its policy
 * hides gets null for them, by name and typed. (Tenants, both strategies: {@code HibernateSuite3StatelessParityTest}.)
 */
class FindMultipleScopeTest extends FreshDomainTest {
    record Memo(Long id, String title, Long ownerId, Instant deletedAt) {
        static final Table<Memo> MEMOS = Table.of("memo", Memo.class);
        static final Field<Memo, Long> ID = MEMOS.bigintPrimaryKey("id");
        static final TextField<Memo> TITLE = MEMOS.attribute("title", TEXT);
        static final Field<Memo, Long> OWNER_ID = MEMOS.attribute("owner_id", BIGINT);
        static final Field<Memo, Instant> DELETED_AT = MEMOS.attribute("deleted_at", TIMESTAMPTZ);
        static final Resource RESOURCE = MEMOS.builder().table("scoped_memos").add(ID, TITLE, OWNER_ID, DELETED_AT)
                .softDelete("deleted_at").build();
    }

    private static List<Object> titles(List<Row> rows) {
        return rows.stream().map(row -> row == null ? null : row.get("title")).toList();
    }

    @Test
    void aSoftDeletedRecordIsNullAsItsFindIsEmpty() {
        try (Ashlar ashlar = migrated(Memo.RESOURCE)) {
            db.execute("INSERT INTO scoped_memos (id, title, owner_id) VALUES (1, 'kept', 1), (2, 'gone', 1)");
            ashlar.destroy(ashlar.get("memo", 2L));

            assertThat(ashlar.find("memo", 2L)).isEmpty();
            assertThat(titles(ashlar.findMultiple("memo", List.of(2L, 1L)))).containsExactly(null, "kept");
            assertThat(ashlar.findMultiple(Memo.MEMOS, List.of(2L, 1L))).extracting(memo -> memo == null ? null
                    : memo.title()).containsExactly(null, "kept");
            assertThat(db.query("SELECT deleted_at FROM scoped_memos WHERE id = 2").get(0).get("deleted_at"))
                    .isNotNull();
        }
    }

    @Test
    void anActorNamingTheKeysOfRowsItsPolicyHidesGetsNullForThem() {
        migrated(Memo.RESOURCE).close();
        Domain domain = Domain.builder("fresh").resources(Memo.RESOURCE).build();
        db.execute("INSERT INTO scoped_memos (id, title, owner_id) VALUES (1, 'of one', 1), (2, 'of two', 2)");
        try (Ashlar policed = Ashlar.builder().dataSource(db.dataSource()).domain(domain)
                .policies(Policy.on("memo").read(actor -> eq("owner_id", actor.id()))).build()) {
            Ashlar two = policed.withUser(2L);

            assertThat(titles(two.findMultiple("memo", List.of(1L, 2L)))).containsExactly(null, "of two");
            assertThat(two.findMultiple(Memo.MEMOS, List.of(1L, 2L))).extracting(memo -> memo == null ? null
                    : memo.title()).containsExactly(null, "of two");
            assertThat(titles(policed.withUser(1L).findMultiple("memo", List.of(1L, 2L))))
                    .containsExactly("of one", null);
        }
    }
}
