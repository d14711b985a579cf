package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.ashlar.api.query.Filter.incoming;
import static dev.ashlar.api.query.Filter.ne;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * AshPostgres's {@code bulk_create_test}, case by case (the README's "AshPostgres mapping" says where each case is and
 * which cannot apply), on tables that already hold rows, and from another tenant's side on a tenant's posts.
 */
class AshPostgresSuiteBulkCreateTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("ash_suite_bulk_create")
            .resource(Resource.builder("organization").table("organizations").uuidPrimaryKey("id")
                    .attribute("name", TEXT)
                    .build())
            .resource(post(Resource.builder("post").table("posts")).belongsTo("organization", "organization")
                    .build())
            .resource(post(Resource.builder("tenant_post").table("tenant_posts"))
                    .attribute("tenant", TEXT, a -> a.notNull())
                    .build())
            .resource(Resource.builder("integer_post").table("integer_posts").integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .build())
            .resource(Resource.builder("record").table("records").uuidPrimaryKey("id")
                    .attribute("full_name", TEXT, a -> a.notNull())
                    .build())
            .build();

    private static dev.ashlar.api.resource.ResourceBuilder post(dev.ashlar.api.resource.ResourceBuilder builder) {
        return builder.uuidPrimaryKey("id")
                .attribute("title", TEXT)
                .attribute("score", INTEGER)
                .attribute("price", INTEGER)
                .attribute("uniq_one", TEXT)
                .attribute("uniq_two", TEXT)
                .attribute("uniq_if_contains_foo", TEXT)
                .identity("uniq_one_and_two", "uniq_one", "uniq_two")
                .identity("uniq_if_contains_foo", List.of("uniq_if_contains_foo"),
                        i -> i.where("uniq_if_contains_foo LIKE '%foo%'"))
                .timestamps();
    }

    AshPostgresSuiteBulkCreateTest() {
        super(DOMAIN, OneResourceTenancy.column("tenant_post", "tenant", false));
    }

    @BeforeAll
    @Override
    void start(TestDatabase database) {
        super.start(database);
        // AshPostgres's post refuses the title "not allowed" by a validation; here the table does, by a check.
        db.execute("ALTER TABLE posts ADD CONSTRAINT posts_title_allowed CHECK (title <> 'not allowed')");
        // The tenant's identities lead with its column, as the tenancy plugin's migrations write them.
        db.execute("DROP INDEX tenant_posts_uniq_one_and_two_index; DROP INDEX tenant_posts_uniq_if_contains_foo_index;"
                + " CREATE UNIQUE INDEX tenant_posts_uniq_one_and_two_index ON tenant_posts (tenant, uniq_one, uniq_two);"
                + " CREATE UNIQUE INDEX tenant_posts_uniq_if_contains_foo_index ON tenant_posts"
                + " (tenant, uniq_if_contains_foo) WHERE uniq_if_contains_foo LIKE '%foo%'");
    }

    /** Every table holds a row that no case writes, so that each case runs on a populated table. */
    @BeforeEach
    void populated() {
        db.execute("TRUNCATE posts, tenant_posts, organizations, records, integer_posts RESTART IDENTITY CASCADE");
        ashlar.create("post", Map.of("title", "aaa standing", "uniq_one", "one", "uniq_two", "standing", "price", 1,
                "uniq_if_contains_foo", "0foo"));
        ashlar.withTenant("b").create("tenant_post", Map.of("title", "b's fred", "uniq_one", "one", "uniq_two", "two",
                "price", 7, "uniq_if_contains_foo", "1foo"));
        ashlar.create("integer_post", Map.of("title", "standing"));
        ashlar.create("record", Map.of("full_name", "standing"));
    }

    private static Map<String, Object> keyed(String title, String one, String two, int price) {
        return Map.of("title", title, "uniq_one", one, "uniq_two", two, "price", price);
    }

    private static Map<String, Object> foo(String title, String uniq, int price) {
        return Map.of("title", title, "uniq_if_contains_foo", uniq, "price", price);
    }

    private List<String> titles(Ashlar handle, String resource) {
        return handle.read(resource).sort(Sort.asc("title")).values("title", String.class);
    }

    private static List<String> titlesAndPrices(List<Row> rows) {
        return rows.stream().map(r -> r.get("title") + ":" + r.get("price")).toList();
    }

    // describe "bulk creates"

    /** "bulk creates insert each input", "bulk creates can be streamed" (the records come back in input order). */
    @Test
    void aBulkCreateInsertsEachRecordAndReturnsThemInTheOrderGiven() {
        List<Row> created = ashlar.createAll("post", List.of(Map.of("title", "george"), Map.of("title", "fred")));

        assertThat(created).extracting(r -> r.get("title")).containsExactly("george", "fred");
        assertThat(created).allSatisfy(r -> assertThat(r.get("id")).isInstanceOf(UUID.class));
        assertThat(titles(ashlar, "post")).containsExactly("aaa standing", "fred", "george");
    }

    /** "bulk creates with atomic_set applies to all records". */
    @Test
    void aValueComputedByTheServerIsSetOnEveryRecordOfABulkCreate() {
        List<Row> created = ashlar.createAll("post", List.of(Map.of("title", "post1", "score", Atomic.sql("100")),
                Map.of("title", "post2", "score", Atomic.sql("? * 2", 50)), Map.of("title", "post3",
                        "score", Atomic.sql("100"))));

        assertThat(created).extracting(r -> r.get("score")).containsExactly(100, 100, 100);
        assertThat(ashlar.read("post").where(dev.ashlar.api.query.Filter.eq("score", 100)).count()).isEqualTo(3);
    }

    /** "bulk creates can upsert": only the fields the upsert names change; the stored titles stay. */
    @Test
    void aBulkUpsertOnATwoFieldIdentityChangesOnlyThePriceOfTheRecordsItMeets() {
        ashlar.createAll("post", List.of(keyed("fred", "one", "two", 10), keyed("george", "three", "four", 20)));

        List<Row> upserted = ashlar.upsert("post", List.of(keyed("something", "one", "two", 1000),
                keyed("else", "three", "four", 20_000)), Upsert.on("uniq_one_and_two").update("price"));

        assertThat(titlesAndPrices(upserted)).containsExactly("fred:1000", "george:20000");
        assertThat(titlesAndPrices(ashlar.read("post").sort(Sort.asc("title")).list()))
                .containsExactly("aaa standing:1", "fred:1000", "george:20000");
    }

    /** "bulk creates with upsert updates update_timestamp". */
    @Test
    void aBulkUpsertThatOverwritesARecordMovesItsUpdateTime() {
        Instant past = Instant.now().minus(60, ChronoUnit.SECONDS).truncatedTo(ChronoUnit.MICROS);
        Row initial = ashlar.createAll("post", List.of(withUpdatedAt(keyed("fred", "one", "two", 10), past))).get(0);

        Row upserted = ashlar.upsert("post", List.of(keyed("something", "one", "two", 1000)),
                Upsert.on("uniq_one_and_two").update("price")).get(0);

        assertThat(initial.get("updated_at")).isEqualTo(past);
        assertThat(titlesAndPrices(List.of(upserted))).containsExactly("fred:1000");
        assertThat((Instant) upserted.get("updated_at")).isAfter(past);
    }

    /**
     * "bulk creates with empty upsert does not update update_timestamp": Ash's {@code upsert_fields: []} is
     * {@code doNothing().returnSkipped()} here, which returns the stored record as it is.
     */
    @Test
    void aBulkUpsertThatChangesNothingKeepsAndReturnsTheStoredRecordAndItsUpdateTime() {
        Instant past = Instant.now().minus(60, ChronoUnit.SECONDS).truncatedTo(ChronoUnit.MICROS);
        ashlar.createAll("post", List.of(withUpdatedAt(keyed("fred", "one", "two", 10), past)));

        List<Row> kept = ashlar.upsert("post", List.of(keyed("something", "one", "two", 1000)),
                Upsert.on("uniq_one_and_two").doNothing().returnSkipped());

        assertThat(kept).singleElement().satisfies(r -> {
            assertThat(titlesAndPrices(List.of(r))).containsExactly("fred:10");
            assertThat(r.get("updated_at")).isEqualTo(past);
            assertThat(r.upsertSkipped()).isTrue();
        });
    }

    /** "bulk creates with upsert does not update update_timestamp when touch_update_defaults? is false". */
    @Test
    void aBulkUpsertKeepingUpdateTimesOverwritesThePriceAndLeavesTheUpdateTime() {
        Instant past = Instant.now().minus(60, ChronoUnit.SECONDS).truncatedTo(ChronoUnit.MICROS);
        ashlar.createAll("post", List.of(withUpdatedAt(keyed("fred", "one", "two", 10), past)));

        Row upserted = ashlar.upsert("post", List.of(keyed("something", "one", "two", 1000)),
                Upsert.on("uniq_one_and_two").update("price").keepUpdateTimes()).get(0);

        assertThat(titlesAndPrices(List.of(upserted))).containsExactly("fred:1000");
        assertThat(upserted.get("updated_at")).isEqualTo(past);
    }

    /**
     * "bulk upsert skips with filter", "bulk upsert skips with upsert_condition": a record whose price is the stored
     * one is kept and not returned; a value the partial identity does not cover ("3") is a new record.
     */
    @Test
    void aConditionalBulkUpsertOnAPartialIdentitySkipsUnchangedRecordsAndInsertsThoseItDoesNotCover() {
        ashlar.createAll("post", List.of(foo("fredfoo", "1foo", 10), foo("georgefoo", "2foo", 20),
                foo("herbert", "3", 30)));

        List<Row> written = ashlar.upsert("post", List.of(foo("fredfoo", "1foo", 10), foo("georgefoo", "2foo", 20_000),
                foo("herbert", "3", 30)), Upsert.on("uniq_if_contains_foo").where(ne("price", incoming("price"))));

        assertThat(titlesAndPrices(written)).containsExactly("georgefoo:20000", "herbert:30");
        assertThat(titlesAndPrices(ashlar.read("post").sort(Sort.asc("title")).list()))
                .containsExactly("aaa standing:1", "fredfoo:10", "georgefoo:20000", "herbert:30", "herbert:30");
    }

    /** "bulk upsert returns skipped records with return_skipped_upsert?". */
    @Test
    void aConditionalBulkUpsertReturningSkippedRecordsMarksTheStoredRecordsItKept() {
        ashlar.createAll("post", List.of(foo("fredfoo", "1foo", 10), foo("georgefoo", "2foo", 20),
                foo("herbert", "3", 30)));

        List<Row> rows = ashlar.upsert("post", List.of(foo("fredfoo", "1foo", 10), foo("georgefoo", "2foo", 20_000),
                foo("herbert", "3", 30)),
                Upsert.on("uniq_if_contains_foo").where(ne("price", incoming("price"))).returnSkipped());

        assertThat(rows).extracting(r -> r.get("title") + ":" + r.get("price") + ":" + r.upsertSkipped())
                .containsExactly("georgefoo:20000:false", "herbert:30:false", "fredfoo:10:true");
    }

    /** "bulk upsert with return_skipped_upsert? when all records are not skipped". */
    @Test
    void aBulkUpsertReturningSkippedRecordsThatMeetsNoStoredRecordReturnsEveryRecordWrittenAndNoError() {
        BulkResult result = ashlar.upsert("post", List.of(foo("fredfoo", "1foo", 100), foo("georgefoo", "2foo", 200)),
                Upsert.on("uniq_if_contains_foo").where(ne("price", incoming("price"))).returnSkipped(),
                Bulk.collectErrors());

        assertThat(result.errors()).isEmpty();
        assertThat(result.rows()).extracting(r -> r.get("title") + ":" + r.get("price") + ":" + r.upsertSkipped())
                .containsExactly("fredfoo:100:false", "georgefoo:200:false");
    }

    /** "bulk creates with integer primary key return records". */
    @Test
    void aBulkCreateWithAnIntegerPrimaryKeyReturnsEachRecordWithItsNewKey() {
        List<Row> created = ashlar.createAll("integer_post", List.of(Map.of("title", "first"),
                Map.of("title", "second"), Map.of("title", "third")));

        assertThat(created).extracting(r -> r.get("title") + ":" + r.get("id"))
                .containsExactly("first:2", "second:3", "third:4");
    }

    // describe "validation errors"

    /** "skips invalid with stop_on_error?: false", "returns errors in the stream". */
    @Test
    void aBulkCreateCollectingErrorsStoresTheValidRecordsAndReportsTheOtherByItsIndex() {
        List<Map<String, Object>> records = List.of(Map.of("title", "fred"), Map.of("title", "not allowed"),
                Map.of("title", "george"));

        BulkResult result = ashlar.createAll("post", records, Bulk.collectErrors());
        BulkResult stopped = ashlar.createAll("post", List.of(Map.of("title", "harry"), Map.of("title", "not allowed"),
                Map.of("title", "ian")), Bulk.collectErrors().batchSize(1).stopOnError());

        assertThat(result.rows()).extracting(r -> r.get("title")).containsExactly("fred", "george");
        assertThat(result.errors()).singleElement().satisfies(failure -> {
            assertThat(failure.index()).isEqualTo(1);
            assertThat(failure.error()).isInstanceOf(InvalidDataException.class);
            assertThat(failure.record()).isSameAs(records.get(1));
        });
        assertThat(stopped.rows()).extracting(r -> r.get("title")).containsExactly("harry");
        assertThat(stopped.errors()).extracting(BulkResult.Failure::index).containsExactly(1);
        assertThat(stopped.skipped()).isEqualTo(1);
        assertThat(titles(ashlar, "post")).containsExactly("aaa standing", "fred", "george", "harry");
    }

    /**
     * "handle allow_nil? false correctly": a missing value is the field's required error naming the record; an empty
     * string is a value here, not Ash's nil.
     */
    @Test
    void aRequiredFieldLeftOutIsAFieldErrorNamingTheRecordWhileAnEmptyStringIsStored() {
        Map<String, Object> missing = new HashMap<>();
        missing.put("full_name", null);

        BulkResult result = ashlar.createAll("record", List.of(Map.of("full_name", ""), missing), Bulk.collectErrors());

        assertThat(result.rows()).extracting(r -> r.get("full_name")).containsExactly("");
        assertThat(result.errors()).singleElement().satisfies(failure -> {
            assertThat(failure.index()).isEqualTo(1);
            assertThat(failure.error().errors()).extracting(e -> e.field()).containsExactly("full_name");
        });
        assertThatThrownBy(() -> ashlar.createAll("record", List.of(Map.of("full_name", "x"), missing)))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("full_name is required")
                .hasMessageContaining("record 2 of 2");
        assertThat(titlesOf("record")).containsExactlyInAnyOrder("", "standing");
    }

    private List<Object> titlesOf(String resource) {
        return ashlar.read(resource).list().stream().map(r -> r.get("full_name")).toList();
    }

    // describe "database errors"

    /** "database errors affect the entire batch", "database errors don't affect other batches". */
    @Test
    void aMissingParentFailsTheWholeBulkCreateUnlessEachRecordIsItsOwnBatch() {
        db.execute("ALTER TABLE posts ADD CONSTRAINT posts_organization_fk FOREIGN KEY (organization_id) "
                + "REFERENCES organizations (id)");
        try {
            List<Map<String, Object>> records = List.of(Map.of("title", "george", "organization_id",
                    UUID.randomUUID()), Map.of("title", "fred"));

            assertThatThrownBy(() -> ashlar.createAll("post", List.of(records.get(1), records.get(0))))
                    .isInstanceOf(InvalidDataException.class).hasMessageContaining("organization_id")
                    .hasMessageContaining("record 2 of 2");
            assertThat(titles(ashlar, "post")).containsExactly("aaa standing");

            BulkResult result = ashlar.createAll("post", records, Bulk.collectErrors().batchSize(1));
            assertThat(result.errors()).extracting(BulkResult.Failure::index).containsExactly(0);
            assertThat(titles(ashlar, "post")).containsExactly("aaa standing", "fred");
        } finally {
            db.execute("ALTER TABLE posts DROP CONSTRAINT posts_organization_fk");
        }
    }

    // tenants: each case above from a tenant's side, beside another tenant's rows

    @Test
    void aTenantsBulkCreateAndUpsertMeetOnlyItsOwnRecordsAndReturnNoneOfAnothersRows() {
        Ashlar a = ashlar.withTenant("a");

        List<Row> created = a.createAll("tenant_post", List.of(keyed("fred", "one", "two", 10),
                keyed("george", "three", "four", 20)));
        List<Row> upserted = a.upsert("tenant_post", List.of(keyed("something", "one", "two", 1000)),
                Upsert.on("uniq_one_and_two").update("price"));
        List<Row> kept = a.upsert("tenant_post", List.of(keyed("else", "three", "four", 20)),
                Upsert.on("uniq_one_and_two").doNothing().returnSkipped());

        assertThat(created).extracting(r -> r.get("tenant")).containsExactly("a", "a");
        assertThat(titlesAndPrices(upserted)).containsExactly("fred:1000");
        assertThat(titlesAndPrices(kept)).containsExactly("george:20");
        assertThat(titlesAndPrices(ashlar.withTenant("b").read("tenant_post").list())).containsExactly("b's fred:7");
        assertThat(db.query("SELECT tenant, title, price FROM tenant_posts ORDER BY tenant, title"))
                .extracting(r -> r.get("tenant") + ":" + r.get("title") + ":" + r.get("price"))
                .containsExactly("a:fred:1000", "a:george:20", "b:b's fred:7");
    }

    @Test
    void aTenantsConditionalUpsertReturningSkippedRecordsNeverReturnsAnotherTenantsStoredRecord() {
        Ashlar a = ashlar.withTenant("a");

        List<Row> rows = a.upsert("tenant_post", List.of(foo("fredfoo", "1foo", 7)),
                Upsert.on("uniq_if_contains_foo").where(ne("price", incoming("price"))).returnSkipped());
        List<Row> again = a.upsert("tenant_post", List.of(foo("fredfoo", "1foo", 7)),
                Upsert.on("uniq_if_contains_foo").where(ne("price", incoming("price"))).returnSkipped());

        assertThat(rows).extracting(r -> r.get("tenant") + ":" + r.get("title") + ":" + r.upsertSkipped())
                .containsExactly("a:fredfoo:false");
        assertThat(again).extracting(r -> r.get("tenant") + ":" + r.get("title") + ":" + r.upsertSkipped())
                .containsExactly("a:fredfoo:true");
        assertThat(ashlar.withTenant("b").read("tenant_post").values("title", String.class))
                .containsExactly("b's fred");
    }

    @Test
    void aTenantsBulkCreateCollectingErrorsReportsARecordNamingAnotherTenantByItsIndexAndWritesNoneOfItsRows() {
        Ashlar a = ashlar.withTenant("a");

        BulkResult result = a.createAll("tenant_post", List.of(Map.of("title", "mine"),
                Map.of("title", "planted", "tenant", "b"), Map.of("title", "also mine")), Bulk.collectErrors());

        assertThat(result.rows()).extracting(r -> r.get("tenant") + ":" + r.get("title"))
                .containsExactly("a:mine", "a:also mine");
        assertThat(result.errors()).singleElement().satisfies(failure -> {
            assertThat(failure.index()).isEqualTo(1);
            assertThat(failure.error().errors()).extracting(e -> e.field()).contains("tenant");
        });
        assertThat(ashlar.withTenant("b").read("tenant_post").values("title", String.class))
                .containsExactly("b's fred");
    }

    private static Map<String, Object> withUpdatedAt(Map<String, Object> record, Instant updatedAt) {
        Map<String, Object> copy = new HashMap<>(record);
        copy.put("updated_at", updatedAt);
        return copy;
    }
}
