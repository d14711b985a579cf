package dev.ashlar.kernel.data;

import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/** A bulk write that breaks a key names the records that broke it, and never a record that did not. */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OffendingRecordsTest {
    static final Domain DOMAIN = Domain.builder("offending").resource(Resource.builder("place")
                    .table("offending_places")
                    .integerPrimaryKey("id")
                    .attribute("city", TEXT, a -> a.column("city_name"))
                    .attribute("street", TEXT)
                    .attribute("tenant", TEXT)
                    .identity("unique_address", "city", "street")
                    .build())
            .build();

    private TestDatabase db;
    private Ashlar ashlar;

    @BeforeAll
    void start(TestDatabase db) {
        this.db = db;
        ashlar = Fixtures.ashlar(db, DOMAIN, OneResourceTenancy.column("place", "tenant", true));
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE offending_places");
    }

    @AfterAll
    void stop() {
        ashlar.close();
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
}
