package dev.ashlar.kernel.data;

import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/** A bulk write that breaks a key names the records that broke it, and never a record that did not. */
class OffendingRecordsTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("offending").resource(Resource.builder("place")
                    .table("offending_places")
                    .integerPrimaryKey("id")
                    .attribute("city", TEXT, a -> a.column("city_name"))
                    .attribute("street", TEXT)
                    .attribute("tenant", TEXT)
                    .identity("unique_address", "city", "street")
                    .build())
            .resource(Resource.builder("sign").table("offending_signs")
                    .integerPrimaryKey("id")
                    .attribute("code", TEXT)
                    .attribute("label", TEXT)
                    .identity("unique_code", "code")
                    .identity("unique_label", "label")
                    .build())
            .build();

    OffendingRecordsTest() {
        super(DOMAIN, OneResourceTenancy.column("place", "tenant", true));
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE offending_places, offending_signs");
    }

    private String message(Runnable write) {
        try {
            write.run();
        } catch (InvalidDataException e) {
            return e.errors().get(0).message();
        }
        throw new AssertionError("the write was not refused");
    }

    @Test
    void aCompositeKeyWithParenthesesAndQuotesNamesTheRecordThatRepeatsIt() {
        String message = message(() -> ashlar.withTenant("acme").createAll("place", List.of(
                Map.of("city", "O'Hare (IL)", "street", "\"Main\""), Map.of("city", "Rome", "street", "Via"),
                Map.of("city", "O'Hare (IL)", "street", "\"Main\""))));

        assertThat(message).endsWith("(records 1 and 3 of 3, which repeat the key)");
    }

    @Test
    void recordsWhoseKeysOnlyReadAlikeWithTheirCommasAreNotNamedForEachOther() {
        ashlar.withTenant("acme").create("place", Map.of("city", "a", "street", "b, c"));

        String message = message(() -> ashlar.withTenant("acme").createAll("place", List.of(
                Map.of("city", "a, b", "street", "c"), Map.of("city", "a", "street", "b, c"))));

        assertThat(message).doesNotContain("records 1 and 2");
        assertThat(db.value("SELECT count(*) FROM offending_places")).isEqualTo(1L);
    }

    @Test
    void aTenantScopedKeyNamesTheRecordOfThatTenant() {
        ashlar.withTenant("acme").create("place", Map.of("city", "Oslo", "street", "Gate"));

        String message = message(() -> ashlar.withTenant("acme").createAll("place", List.of(
                Map.of("city", "Bergen", "street", "Gate"), Map.of("city", "Oslo", "street", "Gate"))));

        assertThat(message).endsWith("(record 2 of 2)");
    }

    @Test
    void anUpsertMeetingAnotherIdentityNamesTheRecordThatTookIt() {
        ashlar.create("sign", Map.of("code", "a", "label", "Stop"));

        String message = message(() -> ashlar.upsert("sign", List.of(Map.of("code", "b", "label", "Go"),
                Map.of("code", "c", "label", "Stop")), Upsert.on("unique_code")));

        assertThat(message).endsWith("(record 2 of 2)");
    }

    @Test
    void anUpsertGivingOneKeyTwiceNamesBothRecords() {
        String message = message(() -> ashlar.upsert("sign", List.of(Map.of("code", "b", "label", "Go"),
                Map.of("code", "x", "label", "Yield"), Map.of("code", "b", "label", "Walk")), Upsert.on("unique_code")));

        assertThat(message).isEqualTo("the same identity appears twice in one upsert; send each record once "
                + "(records 1 and 3 of 3, which repeat the key)");
        assertThat(db.value("SELECT count(*) FROM offending_signs")).isEqualTo(0L);
    }
}
