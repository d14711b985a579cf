package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Read;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.errorIf;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.isNil;
import static dev.ashlar.api.query.Filter.or;
import static dev.ashlar.api.query.Filter.sql;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.JSON;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static dev.ashlar.api.resource.Type.arrayOf;
import static dev.ashlar.api.resource.Type.decimal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * AshPostgres's atomics_test, bulk_update_test and bulk_destroy_test, restated where no other test class covers the
 * case already; bulk_create_test is {@link AshPostgresSuiteBulkCreateTest}.
 */
class AshPostgresSuiteWritesTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("ash_suite_writes")
            .resource(Resource.builder("author").table("authors")
                    .integerPrimaryKey("id")
                    .attribute("first_name", TEXT)
                    .attribute("last_name", TEXT)
                    .hasMany("posts", "post")
                    .build())
            .resource(Resource.builder("post").table("posts")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .attribute("price", INTEGER)
                    .attribute("score", INTEGER)
                    .attribute("decimal", decimal(10, 2))
                    .attribute("uniq_one", TEXT)
                    .attribute("uniq_two", TEXT)
                    .attribute("role_list", arrayOf(TEXT))
                    .attribute("list_of_stuff", JSON)
                    .attribute("metadata", JSON)
                    .attribute("column_mappings", arrayOf(JSON))
                    .attribute("datetime", TIMESTAMPTZ)
                    .attribute("full_name", TEXT, a -> a.notNull().defaultValue("someone"))
                    .attribute("uniq_custom_two", TEXT)
                    .identity("uniq_custom", "uniq_custom_two")
                    .attribute("created_at", TIMESTAMPTZ)
                    .timestamps()
                    .belongsTo("author", "author")
                    .hasMany("comments", "comment")
                    .identity("uniq_one_and_two", "uniq_one", "uniq_two")
                    .first("author_first_name", "author", "first_name", Sort.asc("id"))
                    .build())
            .resource(Resource.builder("comment").table("comments")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .belongsTo("post", "post")
                    .build())
            .build();

    AshPostgresSuiteWritesTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE comments, posts, authors RESTART IDENTITY CASCADE");
    }

    // atomics_test

    @Test
    void anAtomicSubtractionFromADecimalTakesAWholeNumberOrADecimal() {
        Row post = ashlar.create("post", Map.of("title", "foo", "decimal", new BigDecimal("1")));

        Row once = ashlar.update(post, Map.of("decimal", Atomic.subtract(2)));
        Row twice = ashlar.update(once, Map.of("decimal", Atomic.subtract(new BigDecimal("2"))));

        assertThat((BigDecimal) once.get("decimal")).isEqualByComparingTo("-1");
        assertThat((BigDecimal) twice.get("decimal")).isEqualByComparingTo("-3");
    }

    @Test
    void jsonHoldingListsOfMapsOfListsIsWrittenAndReadBackWhole() {
        Row post = ashlar.create("post", Map.of("title", "foo", "price", 1));
        List<Object> stuff = List.of(Map.of("foo", List.of(Map.of("a", 1, "b", Map.of("c", List.of(1, 2, 3))))));

        Row updated = ashlar.update(post, Map.of("list_of_stuff", stuff));

        assertThat((Object) updated.get("list_of_stuff", List.class)).isEqualTo(stuff);
        assertThat((Object) ashlar.get("post", post.get("id")).get("list_of_stuff", List.class)).isEqualTo(stuff);
    }

    @Test
    void aBulkUpdateFilteredThroughARelationshipSetsAFieldFromTheRelatedRecordsDeclaredFirstValue() {
        Row author = ashlar.create("author", Map.of("first_name", "John", "last_name", "Doe"));
        ashlar.create("post", Map.of("price", 1, "author_id", author.get("id")));

        List<Row> updated = ashlar.read("post").where(eq("author.last_name", "Doe"))
                .updateAll(Map.of("title", Atomic.of("author_first_name")));
        List<Row> none = ashlar.read("post").where(isNil("author.last_name"))
                .updateAll(Map.of("title", Atomic.sql("'nobody'")));

        assertThat(updated).extracting(r -> r.get("title")).containsExactly("John");
        assertThat(none).isEmpty();
    }

    @Test
    void aValidationOverExistingCommentsRefusesTheUpdateAndTheDestroy() {
        Row post = ashlar.create("post", Map.of("title", "foo", "price", 1));
        ashlar.create("comment", Map.of("post_id", post.get("id"), "title", "foo"));
        String updating = "Can only update if Post has no comments";
        String deleting = "Can only delete if Post has no comments";

        assertThatThrownBy(() -> ashlar.update(post, Map.of("title", "bar"), errorIf(exists("comments"), updating)))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining(updating);
        assertThatThrownBy(() -> ashlar.destroy(post, errorIf(exists("comments"), deleting)))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining(deleting);
        assertThat(ashlar.get("post", post.get("id")).get("title")).isEqualTo("foo");
    }

    @Test
    void aValidationWithoutAFieldBesideOneAtomicChangeFailsWithItsMessageInEveryKindOfUpdate() {
        Row post = ashlar.create("post", Map.of("title", "bar", "score", 5));
        ashlar.create("post", Map.of("title", "other", "score", 9));
        Read limited = ashlar.read("post").where(eq("id", post.get("id"))).limit(1);

        List<Row> fine = limited.where(atMost(10, 4)).updateAll(Map.of("score", Atomic.add(4)));

        assertThat(fine).extracting(r -> r.get("score")).containsExactly(9);
        assertThatThrownBy(() -> limited.where(atMost(10, 12)).updateAll(Map.of("score", Atomic.add(12))))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("must be less than or equal to 10");
        assertThatThrownBy(() -> limited.where(atMost(10, 12)).updateCount(Map.of("score", Atomic.add(12))))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("must be less than or equal to 10");
        assertThatThrownBy(() -> ashlar.update(fine.get(0), Map.of("score", Atomic.add(12)), atMost(10, 12)))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("must be less than or equal to 10");
        assertThat(ashlar.read("post").sort(Sort.asc("id")).list()).extracting(r -> r.get("score"))
                .containsExactly(9, 9);
    }

    private static Filter atMost(int limit, int amount) {
        return errorIf(sql("score + ? > ?", amount, limit), "must be less than or equal to " + limit);
    }

    @Test
    void anAtomicCreateComputesFromTheRowsStoredWhenEachInsertRuns() {
        for (int i = 1; i <= 2; i++) {
            ashlar.create("post", Map.of("title", "initial_" + i, "price", i));
        }
        Atomic count = Atomic.sql("(SELECT count(*) FROM posts)");

        List<Object> scores = new java.util.ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            scores.add(ashlar.create("post", Map.of("title", "new_" + i, "score", count)).get("score"));
        }
        Row overridden = ashlar.create("post", Map.of("title", "test", "score", Atomic.sql("100")));

        assertThat(scores).containsExactly(2, 3, 4);
        assertThat(overridden.get("score")).isEqualTo(100);
    }

    @Test
    void aBulkUpdateOfAnEmptyTableReturnsNothing() {
        assertThat(ashlar.read("post").updateAll(Map.of("title", "new_title"))).isEmpty();
    }

    @Test
    void aBulkUpdateSortedAndLimitedChangesOnlyTheRowsTheReadGives() {
        ashlar.createAll("post", List.of(Map.of("title", "george"), Map.of("title", "fred")));

        ashlar.read("post").sort(Sort.asc("title")).limit(1)
                .updateAll(Map.of("title", Atomic.sql("title || ?", "_stuff")));

        assertThat(titles()).containsExactly("fred_stuff", "george");
    }

    @Test
    void aBulkUpdateFilteredThroughAnOrWithARelationshipKeepsRowsWithoutARelatedRecord() {
        ashlar.createAll("post", List.of(Map.of("title", "fred"), Map.of("title", "george")));

        ashlar.read("post").where(or(eq("author.first_name", "fred"), eq("title", "fred")))
                .updateAll(Map.of("title", Atomic.sql("title || ?", "_stuff")));

        assertThat(titles()).containsExactly("fred_stuff", "george");
    }

    @Test
    void aLimitedBulkUpdateFilteredByAParentReferenceWritesAMapWithNumberKeys() {
        Row post = ashlar.create("post", Map.of("title", "fred"));
        ashlar.create("comment", Map.of("title", "fred", "post_id", post.get("id")));
        ashlar.create("post", Map.of("title", "george"));

        List<Row> updated = ashlar.read("post").limit(1)
                .where(exists("comments", eq("title", dev.ashlar.api.query.Filter.parent("title"))))
                .updateAll(Map.of("metadata", Map.of(1, 2)));

        assertThat(updated).extracting(r -> r.get("title")).containsExactly("fred");
        assertThat((Object) updated.get(0).get("metadata", Map.class)).isEqualTo(Map.of("1", 2));
    }

    @Test
    void aBulkUpdateSetsATimestampAndTouchesTheUpdateTime() {
        ashlar.createAll("post", List.of(Map.of("title", "fred"), Map.of("title", "george")));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);

        List<Row> updated = ashlar.read("post").updateAll(Map.of("datetime", now));

        assertThat(updated).hasSize(2).allSatisfy(r -> {
            assertThat(r.get("datetime")).isEqualTo(now);
            assertThat((Instant) r.get("updated_at")).isAfterOrEqualTo(now.minusSeconds(60));
        });
    }

    @Test
    void aBulkUpdateThatTakesAUniqueValueTwiceIsTheFieldErrorAndChangesNothing() {
        ashlar.createAll("post", List.of(Map.of("uniq_one", "fred", "uniq_custom_two", "weasley1"),
                Map.of("uniq_one", "fred", "uniq_custom_two", "weasley2")));

        assertThatThrownBy(() -> ashlar.read("post").updateAll(Map.of("uniq_custom_two", "weasley")))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors())
                        .extracting(dev.ashlar.api.error.FieldError::field).containsExactly("uniq_custom_two"));
        assertThat(ashlar.read("post").sort(Sort.asc("id")).list()).extracting(r -> r.get("uniq_custom_two"))
                .containsExactly("weasley1", "weasley2");
    }

    @Test
    void aBulkUpdateToNullOfARequiredFieldIsItsRequiredErrorWhileAnEmptyStringIsAValue() {
        ashlar.create("post", Map.of("full_name", "foo"));
        Map<String, Object> none = new HashMap<>();
        none.put("full_name", null);

        assertThatThrownBy(() -> ashlar.read("post").updateAll(none))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors())
                        .extracting(dev.ashlar.api.error.FieldError::field).containsExactly("full_name"));
        assertThat(ashlar.read("post").list()).extracting(r -> r.get("full_name")).containsExactly("foo");
        assertThat(ashlar.read("post").updateAll(Map.of("full_name", ""))).extracting(r -> r.get("full_name"))
                .containsExactly("");   // a value, where Ash would take it as nil
    }

    @Test
    void anArrayOfJsonRecordsIsCreatedInBulkAndUpdated() {
        List<Object> mappings = List.of(Map.of("column", 1, "attribute", "foo"));
        BulkResult created = ashlar.createAll("post", List.of(Map.of("column_mappings", mappings)),
                Bulk.collectErrors());

        List<Row> updated = ashlar.read("post").updateAll(Map.of("column_mappings",
                List.of(Map.of("column", 2, "attribute", "bar"), Map.of("column", 3, "attribute", "baz"))));

        assertThat(created.errors()).isEmpty();
        assertThat(created.rows().get(0).as(Mappings.class).column_mappings()).containsExactly(new Mapping(1, "foo"));
        assertThat(updated).singleElement().satisfies(r -> assertThat(r.as(Mappings.class).column_mappings())
                .containsExactly(new Mapping(2, "bar"), new Mapping(3, "baz")));
        ashlar.create("comment", Map.of("title", "c", "post_id", updated.get(0).get("id")));
        assertThat(ashlar.read("comment").load("post").list(CommentView.class)).singleElement()
                .satisfies(c -> assertThat(c.post().column_mappings()).containsExactly(new Mapping(2, "bar"),
                        new Mapping(3, "baz")));
        assertThat(ashlar.read("post").list(Mappings.class)).singleElement()
                .satisfies(p -> assertThat(p.column_mappings()).hasSize(2).allSatisfy(m ->
                        assertThat(m).isInstanceOf(Mapping.class)));
    }

    @Test
    void aRecordTakingALoadedRelationshipReadsTheArrayOfJsonValuesAsRecordsStraightOrFromTheRow() {
        Row post = ashlar.create("post", Map.of("role_list", List.of("admin"),
                "column_mappings", List.of(Map.of("column", 1, "attribute", "foo"))));
        ashlar.create("comment", Map.of("title", "c", "post_id", post.get("id")));

        PostWithComments straight = ashlar.read("post").load("comments").list(PostWithComments.class).get(0);
        PostWithComments fromRow = ashlar.read("post").load("comments").list().get(0).as(PostWithComments.class);

        assertThat(List.of(straight, fromRow)).allSatisfy(p -> {
            assertThat(p.column_mappings()).containsExactly(new Mapping(1, "foo"));
            assertThat(p.role_list()).containsExactly("admin");
            assertThat(p.comments()).extracting(CommentRow::title).containsExactly("c");
        });
    }

    @Test
    void anArrayOfJsonValuesKeepsANullElementAndAJsonNullAsNull() {
        ashlar.create("post", Map.of("title", "t"));
        db.execute("UPDATE posts SET column_mappings = "
                + "ARRAY[NULL, 'null', '{\"column\": 1, \"attribute\": \"a\"}']::jsonb[]");

        assertThat(ashlar.read("post").list(Mappings.class).get(0).column_mappings())
                .containsExactly(null, null, new Mapping(1, "a"));
        assertThat(ashlar.read("post").load("comments").list().get(0).as(PostWithComments.class).column_mappings())
                .containsExactly(null, null, new Mapping(1, "a"));
    }

    @Test
    void anElementOfAnArrayOfJsonValuesThatIsNoRecordIsRefusedNamingTheResourceComponentAndIndex() {
        ashlar.create("post", Map.of("title", "t"));
        db.execute("UPDATE posts SET column_mappings = ARRAY['{\"column\": 1}', '{\"column\": \"x\"}']::jsonb[]");

        assertThatThrownBy(() -> ashlar.read("post").load("comments").list().get(0).as(PostWithComments.class))
                .hasMessageContaining("Rows of post").hasMessageContaining("component 'column_mappings'")
                .hasMessageContaining("element 1");
        assertThatThrownBy(() -> ashlar.read("post").load("comments").list(PostWithComments.class))
                .hasMessageContaining("Rows of post").hasMessageContaining("component 'column_mappings'")
                .hasMessageContaining("element 1");
        assertThatThrownBy(() -> ashlar.read("post").list(Mappings.class))
                .hasMessageContaining("Rows of post").hasMessageContaining("component 'column_mappings'")
                .hasMessageContaining("element 1");
    }

    // bulk_destroy_test

    @Test
    void aBulkDestroyOfAnEmptyTableDeletesNothing() {
        assertThat(ashlar.read("post").destroyAll()).isZero();
        assertThat(ashlar.read("post").destroyAll(Returning.ROWS)).isEmpty();
    }

    @Test
    void aBulkDestroyThroughAnOrWithARelationshipAndASelectReturnsTheDeletedRows() {
        ashlar.createAll("post", List.of(Map.of("title", "fred"), Map.of("title", "george")));

        List<Row> removed = ashlar.read("post").where(or(eq("author.first_name", "fred"), eq("title", "fred")))
                .select("title").destroyAll(Returning.ROWS);

        assertThat(removed).extracting(r -> r.get("title")).containsExactly("fred");
        assertThat(titles()).containsExactly("george");
    }

    @Test
    void aBulkDestroyOfWhichOneRecordIsStillReferencedIsRefusedAndDeletesNone() {
        List<Row> posts = ashlar.createAll("post", List.of(Map.of("title", "fred"), Map.of("title", "george")));
        db.execute("CREATE TABLE permalinks (post_id integer REFERENCES posts (id))");
        try {
            db.value("INSERT INTO permalinks VALUES (?) RETURNING post_id", posts.get(0).get("id"));

            assertThatThrownBy(() -> ashlar.destroyAll(posts)).isInstanceOf(InvalidDataException.class)
                    .hasMessageContaining("post").hasMessageContaining("permalinks");
            assertThatThrownBy(() -> ashlar.read("post").destroyAll()).isInstanceOf(InvalidDataException.class)
                    .hasMessageContaining("post").hasMessageContaining("permalinks");
            assertThat(titles()).containsExactly("fred", "george");
        } finally {
            db.execute("DROP TABLE permalinks");
        }
    }

    record Mapping(int column, String attribute) {
    }

    record Mappings(Integer id, List<Mapping> column_mappings) {
    }

    record CommentView(Integer id, Mappings post) {
    }

    record CommentRow(Integer id, String title) {
    }

    record PostWithComments(Integer id, List<String> role_list, List<Mapping> column_mappings,
                            List<CommentRow> comments) {
    }

    private List<Object> titles() {
        return ashlar.read("post").sort(Sort.asc("title")).list().stream().map(r -> r.get("title")).toList();
    }
}
