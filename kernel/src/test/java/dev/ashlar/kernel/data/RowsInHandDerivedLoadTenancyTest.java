package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Aggregates and calculations loaded onto rows in hand ({@code ashlar.load(rows, "reply_count")}) from the attacker's
 * side: the records are read again in the handle's tenant, so tenant B's handle given a row naming tenant A's key
 * computes nothing of A's record, and A's rows given to B's handle are refused; under a tenant column and under a
 * schema per tenant.
 */
class RowsInHandDerivedLoadTenancyTest extends FreshDomainTest {
    static final Resource NOTE = Resource.builder("note").table("derived_notes")
            .bigintPrimaryKey("id")
            .attribute("title", TEXT)
            .attribute("parent_id", BIGINT)
            .attribute("tenant", TEXT)
            .hasMany("replies", "note", r -> r.destinationAttribute("parent_id"))
            .count("reply_count", "replies")
            .calculate("shout", String.class, "upper(title)")
            .build();

    private Ashlar with(Object plugin) {
        migrated(NOTE).close();
        return Ashlar.builder().dataSource(db.dataSource()).domain(Domain.builder("fresh").resources(NOTE).build())
                .install((dev.ashlar.spi.plugin.AshlarPlugin) plugin).build();
    }

    private static Map<String, Object> derived(Row row) {
        return Map.of("reply_count", String.valueOf(row.get("reply_count")), "shout", String.valueOf(row.get("shout")));
    }

    /**
     * A's record 1 loads its own values; A's row given to B's handle is refused, and a row B forges with A's key
     * computes what B's handle holds under that key.
     */
    private static void bComputesNothingOfAsRecord(Ashlar a, Ashlar b, String aTenant, String aReplies,
                                                   Map<String, Object> forgedByB) {
        Row aSecret = a.get("note", 1L);

        assertThat(derived(a.load(List.of(aSecret), "reply_count", "shout").get(0)))
                .isEqualTo(Map.of("reply_count", aReplies, "shout", "A-SECRET"));
        assertThatThrownBy(() -> b.load(List.of(aSecret), "reply_count")).isInstanceOf(QueryException.class)
                .hasMessageContaining("This note record belongs to tenant '" + aTenant + "'")
                .satisfies(e -> assertThat(((QueryException) e).resource()).hasValue("note"));
        Row forged = b.load(List.of(Row.of("note", Map.of("id", 1L))), "reply_count", "shout").get(0);
        assertThat(derived(forged)).isEqualTo(forgedByB);
    }

    @Test
    void underATenantColumnBsLoadOfARowNamingAsKeyComputesNothingOfAsRecord() {
        try (Ashlar ashlar = with(OneResourceTenancy.column("note", "tenant", false))) {
            db.execute("INSERT INTO derived_notes (id, title, parent_id, tenant) VALUES (1, 'a-secret', NULL, 'a'), "
                    + "(2, 'a-reply', 1, 'a'), (3, 'b-own', NULL, 'b'), (4, 'b-reply-to-a', 1, 'b')");
            Ashlar b = ashlar.withTenant("b");

            bComputesNothingOfAsRecord(ashlar.withTenant("a"), b, "a", "1", Map.of("reply_count", "null", "shout", "null"));
            assertThat(derived(b.load(List.of(b.get("note", 3L)), "reply_count", "shout").get(0)))
                    .isEqualTo(Map.of("reply_count", "0", "shout", "B-OWN"));
        }
    }

    @Test
    void underASchemaPerTenantBsLoadOfTheSameKeyComputesBsOwnRecord() {
        try (Ashlar ashlar = with(OneResourceTenancy.schemas("note"))) {
            for (String schema : List.of("derived_a", "derived_b")) {
                db.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema
                        + "; CREATE TABLE " + schema + ".derived_notes (LIKE public.derived_notes INCLUDING ALL)");
            }
            db.execute("INSERT INTO derived_a.derived_notes (id, title, parent_id) VALUES (1, 'a-secret', NULL), "
                    + "(2, 'a-reply', 1), (3, 'a-reply-two', 1)");
            db.execute("INSERT INTO derived_b.derived_notes (id, title, parent_id) VALUES (1, 'b-own', NULL)");
            bComputesNothingOfAsRecord(ashlar.withTenant("derived_a"), ashlar.withTenant("derived_b"), "derived_a", "2",
                    Map.of("reply_count", "0", "shout", "B-OWN"));
        }
    }
}
