package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.errorIf;
import static dev.ashlar.api.query.Filter.notNil;
import static dev.ashlar.api.query.Filter.sql;
import static dev.ashlar.api.resource.Type.JSON;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static dev.ashlar.api.resource.Type.arrayOf;
import static dev.ashlar.api.resource.Type.enumOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * AshPostgres's update_test, destroy_test and storage_types_test, and the atomics_test cases no other class restates:
 * conditions that guard an update or a (soft) destroy, a belongs-to unrelated, a JSON list emptied, an array and a
 * required enum set by the server, and values computed on create that the server finds null.
 */
class AshPostgresSuiteUpdateTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("ash_suite_update")
            .resource(Resource.builder("author").table("authors")
                    .integerPrimaryKey("id")
                    .attribute("first_name", TEXT)
                    .attribute("bios", JSON)
                    .build())
            .resource(Resource.builder("post").table("posts")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .attribute("list_of_stuff", JSON)
                    .attribute("full_name", TEXT, a -> a.notNull().defaultValue("someone"))
                    .belongsTo("author", "author")
                    .build())
            .resource(Resource.builder("archived_post").table("archived_posts")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .attribute("deleted_at", TIMESTAMPTZ)
                    .softDelete("deleted_at")
                    .build())
            .resource(Resource.builder("user").table("users")
                    .uuidPrimaryKey("id")
                    .attribute("name", TEXT)
                    .attribute("role", enumOf("admin", "user"), a -> a.notNull().defaultValue("user"))
                    .attribute("role_list", arrayOf(enumOf("admin", "user")), a -> a.notNull().defaultValue(List.of()))
                    .hasOne("invite", "invite", r -> r.sourceAttribute("name").destinationAttribute("name"))
                    .first("invite_role", "invite", "role", Sort.asc("id"))
                    .build())
            .resource(Resource.builder("invite").table("invites")
                    .uuidPrimaryKey("id")
                    .attribute("name", TEXT)
                    .attribute("role", enumOf("admin", "user"), a -> a.notNull().defaultValue("user"))
                    .build())
            .build();

    AshPostgresSuiteUpdateTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE posts, archived_posts, authors, users, invites RESTART IDENTITY CASCADE");
    }

    // update_test

    @Test
    void aConditionThatAFieldMustBeAbsentRefusesTheUpdateWithChangesOrWithout() {
        Row post = ashlar.create("post", Map.of("title", "match"));
        var absent = errorIf(notNil("title"), "must be absent");

        assertThatThrownBy(() -> ashlar.update(post, Map.of("title", "title"), absent))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("must be absent");
        assertThatThrownBy(() -> ashlar.update(post, Map.of(), absent))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.action()).isEqualTo("update"))
                .hasMessageContaining("Invalid post (update): must be absent");
        assertThatThrownBy(() -> ashlar.read("post").where(absent).updateAll(Map.of()))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("must be absent");
        assertThat(ashlar.get("post", post.get("id")).get("title")).isEqualTo("match");
    }

    @Test
    void aBelongsToIsUnrelatedByWritingNullToItsKey() {
        Row author = ashlar.create("author", Map.of("first_name", "is"));
        Row post = ashlar.create("post", Map.of("title", "match", "author_id", author.get("id")));
        Map<String, Object> unrelated = new HashMap<>();
        unrelated.put("author_id", null);

        Row updated = ashlar.update(post, unrelated);

        assertThat(updated.get("author_id")).isNull();
        assertThat(ashlar.read("post").load("author").list()).singleElement()
                .satisfies(p -> assertThat(p.relatedOne("author")).isEmpty());
        assertThat(ashlar.read("author").list()).hasSize(1);
    }

    // destroy_test

    @Test
    void aConditionRefusesADestroyAndASoftDestroyAlikeAndTheRecordsStay() {
        Row post = ashlar.create("post", Map.of("title", "kept"));
        Row archived = ashlar.create("archived_post", Map.of("title", "kept"));
        var confirmed = errorIf(sql("? <> 'CONFIRM'", "NOT CONFIRM"), "must type CONFIRM");

        assertThatThrownBy(() -> ashlar.destroy(post, confirmed))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("must type CONFIRM");
        assertThatThrownBy(() -> ashlar.destroy(archived, confirmed))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("must type CONFIRM");
        assertThat(ashlar.read("post").list()).hasSize(1);
        assertThat(ashlar.read("archived_post").list()).hasSize(1);
        assertThat(db.value("SELECT count(*) FROM archived_posts WHERE deleted_at IS NULL")).isEqualTo(1L);
    }

    // storage_types_test

    @Test
    void aJsonListOfMapsIsEmptiedAndFilledAgainByABulkUpdate() {
        Row author = ashlar.create("author", Map.of("bios", List.of(Map.of("title", "bio1"),
                Map.of("title", "bio2"))));

        List<Row> emptied = ashlar.read("author").where(eq("id", author.get("id")))
                .updateAll(Map.of("bios", List.of()));
        Object stored = db.value("SELECT bios::text FROM authors");
        List<Row> filled = ashlar.read("author").where(eq("id", author.get("id")))
                .updateAll(Map.of("bios", List.of(Map.of("a", 1))));

        assertThat((Object) emptied.get(0).get("bios", List.class)).isEqualTo(List.of());
        assertThat(stored).isEqualTo("[]");
        assertThat((Object) filled.get(0).get("bios", List.class)).isEqualTo(List.of(Map.of("a", 1)));
    }

    // atomics_test

    @Test
    void anAtomicAppendsToARequiredArrayOfEnumValuesOnce() {
        Row user = ashlar.create("user", Map.of("name", "Dude"));
        // The value is cast: before PostgreSQL 14, array_append takes no varchar for a text[].
        Atomic addAdmin = Atomic.sql("array(SELECT DISTINCT unnest(array_append(role_list, ?::text)))", "admin");

        Row once = ashlar.update(user, Map.of("role_list", addAdmin));
        Row twice = ashlar.update(once, Map.of("role_list", addAdmin));

        assertThat((Object) once.get("role_list", List.class)).isEqualTo(List.of("admin"));
        assertThat((Object) twice.get("role_list", List.class)).isEqualTo(List.of("admin"));
    }

    @Test
    void anAtomicSetsARequiredEnumToAFieldOfAHasOneJoinedByName() {
        Row user = ashlar.create("user", Map.of("name", "Dude", "role", "user"));
        ashlar.create("invite", Map.of("name", "Dude", "role", "admin"));
        Row stranger = ashlar.create("user", Map.of("name", "Stranger"));

        Row accepted = ashlar.update(user, Map.of("role", Atomic.of("invite_role")));

        assertThat(accepted.get("role")).isEqualTo("admin");
        assertThatThrownBy(() -> ashlar.update(stranger, Map.of("role", Atomic.of("invite_role"))))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field).containsExactly("role"));
        assertThat(ashlar.get("user", stranger.get("id")).get("role")).isEqualTo("user");
    }

    @Test
    void aConditionReadsTheStoredValueNotTheOneTheUpdateWrites() {
        ashlar.create("post", Map.of("title", "bar"));
        var notFooYet = errorIf(eq("title", "foo"), "is already foo");

        List<Row> first = ashlar.read("post").where(notFooYet).limit(1).updateAll(Map.of("title", "foo"));

        assertThat(first).extracting(r -> r.get("title")).containsExactly("foo");
        assertThatThrownBy(() -> ashlar.read("post").where(notFooYet).limit(1).updateAll(Map.of("title", "foo")))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("is already foo");
    }

    @Test
    void anAtomicCreateOfARequiredFieldTakesTheServersValueAndRefusesItsNullNamingTheField() {
        Row named = ashlar.create("post", Map.of("full_name", Atomic.sql("(SELECT 'name')")));

        assertThat(named.get("full_name")).isEqualTo("name");
        assertThatThrownBy(() -> ashlar.create("post", Map.of("full_name", Atomic.sql("(SELECT NULL)"))))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> {
                    assertThat(e.errors()).extracting(FieldError::field)
                            .containsExactly("full_name");
                    assertThat(e.getMessage()).contains("full_name is required");
                });
        assertThat(ashlar.read("post").list()).hasSize(1);
    }

    @Test
    void aJsonValueComputedWholeByTheServerIsStoredAsItsJson() {
        Row post = ashlar.create("post", Map.of("title", "foo"));

        Row updated = ashlar.update(post, Map.of("list_of_stuff", Atomic.sql("jsonb_build_array(jsonb_build_object("
                + "'foo', jsonb_build_array(jsonb_build_object('a', 1, 'b', jsonb_build_object('c', "
                + "jsonb_build_array(1, 2, ?::integer))))))", "3")));

        assertThat((Object) updated.get("list_of_stuff", List.class)).isEqualTo(
                List.of(Map.of("foo", List.of(Map.of("a", 1, "b", Map.of("c", List.of(1, 2, 3)))))));
    }

    @Test
    void aComputedValueInsideAJsonValueIsRefusedNamingTheFieldAndItsPlaceRatherThanStoredAsItsParts() {
        Row post = ashlar.create("post", Map.of("title", "foo"));
        Map<String, Object> nested = Map.of("list_of_stuff", List.of(Map.of("c", List.of(1, 2, Atomic.sql("3")))));

        for (Runnable write : List.<Runnable>of(() -> ashlar.update(post, nested),
                () -> ashlar.read("post").updateAll(nested), () -> ashlar.create("post", nested),
                () -> ashlar.createAll("post", List.of(nested)))) {
            assertThatThrownBy(write::run).isInstanceOfSatisfying(InvalidDataException.class, e -> {
                assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactly("list_of_stuff");
                assertThat(e.getMessage()).contains("computed value (Atomic) at [0].c[2]", "Atomic.sql(");
            });
        }
        assertThatThrownBy(() -> ashlar.update(post, Map.of("list_of_stuff", Map.of("k", List.of(eq("a", 1))))))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field).containsExactly("list_of_stuff"))
                .hasMessageContaining("computed value (Compare) at k[0]");
        assertThatThrownBy(() -> ashlar.read("post").where(eq("list_of_stuff", List.of(Atomic.sql("3")))).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("list_of_stuff")
                .hasMessageContaining("Filter.sql(...) in a filter");
        assertThat(db.value("SELECT count(*) FROM posts WHERE list_of_stuff IS NOT NULL")).isEqualTo(0L);
    }
}
