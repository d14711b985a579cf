package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.CalculationArgument;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.and;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gte;
import static dev.ashlar.api.query.Filter.in;
import static dev.ashlar.api.query.Filter.lt;
import static dev.ashlar.api.query.Filter.ne;
import static dev.ashlar.api.query.Filter.parent;
import static dev.ashlar.api.resource.Type.BOOLEAN;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * AshPostgres's complex_calculation, complex_calculations and combination_nullable_calc tests, restated: calculations
 * over filtered aggregates read with a page, aggregates whose filter names a calculation of the related records that
 * reads a sorted {@code first} of theirs, a JSON calculation holding a list of the related records' JSON calculation,
 * a channel's name chosen by the reading user (Ash's actor, a calculation argument here), a calculation through a
 * relationship with no attributes filtered on, and a combination loading a calculation that may be null. With them,
 * error_expr's calculation cases: Ash's {@code error(...)} is a condition here ({@code Filter.error}, restated in
 * {@code ErrorExpressionsTest}), so a calculation that fails is one whose SQL the server refuses for a row.
 */
class AshPostgresSuite3CalculationParityTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("ash_postgres_suite3_calculations")
            .resource(Resource.builder("post").table("posts")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .attribute("score", INTEGER)
                    .attribute("base_reading_time", INTEGER)
                    .hasMany("comments", "comment")
                    .hasOne("latest_comment", "comment", r -> r.sort(Sort.desc("created_at")))
                    .count("published_comments", "comments", eq("status", "published"))
                    .sum("published_reading_time", "comments", "reading_time", eq("status", "published"))
                    .aggregate("published_reading_time", a -> a.withDefault(0))
                    .first("latest_comment_title", "latest_comment", "title")
                    .calculate("estimated_reading_time", Long.class,
                            "coalesce(base_reading_time, 0) + published_reading_time")
                    .build())
            .resource(Resource.builder("comment").table("comments")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .attribute("reading_time", INTEGER)
                    .attribute("status", TEXT)
                    .attribute("created_at", TIMESTAMPTZ)
                    .belongsTo("post", "post")
                    .build())
            .resource(Resource.builder("author").table("authors")
                    .integerPrimaryKey("id")
                    .attribute("first_name", TEXT)
                    .attribute("last_name", TEXT)
                    .hasOne("profile", "profile")
                    .first("profile_description", "profile", "description", Sort.asc("id"))
                    .calculate("profile_description_calc", String.class, "profile_description")
                    .build())
            .resource(Resource.builder("profile").table("profiles")
                    .integerPrimaryKey("id")
                    .attribute("description", TEXT)
                    .belongsTo("author", "author")
                    .build())
            .resource(Resource.builder("certification").table("certifications")
                    .integerPrimaryKey("id")
                    .hasMany("skills", "skill")
                    .count("count_of_documented_skills", "skills", and(eq("removed", false), ne("status", "pending")))
                    .count("count_of_approved_skills", "skills", and(eq("removed", false), eq("status", "approved")))
                    .count("count_of_skills", "skills", eq("removed", false))
                    .sum("count_of_skills_ever_demonstrated", "skills", "count_ever_demonstrated")
                    .calculate("all_documentation_approved", Boolean.class,
                            "count_of_skills = count_of_approved_skills")
                    .calculate("some_documentation_created", Boolean.class,
                            "count_of_documented_skills > 0 AND all_documentation_approved = false")
                    .build())
            .resource(Resource.builder("skill").table("skills")
                    .integerPrimaryKey("id")
                    .attribute("removed", BOOLEAN, a -> a.notNull().defaultValue(false))
                    .belongsTo("certification", "certification")
                    .hasMany("documentations", "documentation",
                            r -> r.sort(Sort.desc("timestamp"), Sort.desc("inserted_at")))
                    .first("latest_documentation_status", "documentations", "status", Sort.desc("timestamp"))
                    .count("count_of_demonstrated_documentations", "documentations", eq("status", "demonstrated"))
                    .list("documentation_maps", "documentations", "custom_map", Sort.desc("timestamp"))
                    .calculate("status", String.class, "coalesce(latest_documentation_status, 'pending')")
                    .calculate("count_ever_demonstrated", Integer.class,
                            "CASE WHEN count_of_demonstrated_documentations = 0 THEN 0 ELSE 1 END")
                    .calculate("documentations_custom", Type.JSON,
                            "jsonb_build_object('one', 'One', 'documentations', to_jsonb(documentation_maps))")
                    .build())
            .resource(Resource.builder("documentation").table("documentations")
                    .integerPrimaryKey("id")
                    .attribute("status", TEXT, a -> a.notNull())
                    .attribute("documented_at", TIMESTAMPTZ)
                    .attribute("inserted_at", TIMESTAMPTZ, a -> a.notNull())
                    .belongsTo("skill", "skill")
                    .calculate("custom_map", Type.JSON, "jsonb_build_object('status', status, 'two', 'Two')")
                    .calculate("timestamp", Instant.class, "coalesce(documented_at, inserted_at)")
                    .build())
            .resource(Resource.builder("user").table("users")
                    .integerPrimaryKey("id")
                    .attribute("name", TEXT)
                    .build())
            .resource(Resource.builder("channel").table("channels")
                    .integerPrimaryKey("id")
                    .hasMany("channel_members", "channel_member")
                    .hasOne("first_member", "channel_member", r -> r.sort(Sort.asc("created_at")))
                    .hasOne("second_member", "channel_member", r -> r.sort(Sort.desc("created_at")))
                    .hasOne("dm_channel", "channel", r -> r.sourceAttribute("id").destinationAttribute("id"))
                    .hasOne("dm_channel_with_same_id", "channel",
                            r -> r.noAttributes().filter(eq("id", parent("id"))).sort(Sort.asc("id")))
                    .first("first_member_user_id", "first_member", "user_id")
                    .first("second_member_user_id", "second_member", "user_id")
                    .first("first_member_name", "first_member.user", "name")
                    .first("second_member_name", "second_member.user", "name")
                    .first("dm_channel_foobar", "dm_channel_with_same_id", "foobar")
                    .calculate("foobar", String.class, "'foobar'")
                    .calculate("foo", String.class, "dm_channel_foobar")
                    .calculate("name", String.class, "CASE WHEN first_member_user_id = :actor_id THEN first_member_name"
                                    + " WHEN second_member_user_id = :actor_id THEN second_member_name"
                                    + " ELSE first_member_name || ', ' || second_member_name END",
                            CalculationArgument.of("actor_id", Integer.class).withDefault(null))
                    .build())
            .resource(Resource.builder("channel_member").table("channel_members")
                    .integerPrimaryKey("id")
                    .attribute("created_at", TIMESTAMPTZ, a -> a.notNull())
                    .belongsTo("channel", "channel", r -> r.allowNil(false))
                    .belongsTo("user", "user", r -> r.allowNil(false))
                    .build())
            .build();

    AshPostgresSuite3CalculationParityTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE comments, posts, profiles, authors, documentations, skills, certifications,"
                + " channel_members, channels, users RESTART IDENTITY CASCADE");
    }

    private Row postWithPublishedComments() {
        Row post = ashlar.create("post", Map.of("title", "Test Post", "base_reading_time", 0));
        for (int i = 1; i <= 3; i++) {
            ashlar.create("comment", Map.of("post_id", post.get("id"), "reading_time", 30 + i * 10,
                    "status", "published"));
        }
        ashlar.create("comment", Map.of("post_id", post.get("id"), "reading_time", 500, "status", "draft"));
        return post;
    }

    @Test
    void aCalculationOverFilteredAggregatesGivesTheSameValueOnAPageAndOnAPlainRead() {
        Row post = postWithPublishedComments();

        Page<Row> page = ashlar.read("post").where(eq("id", post.get("id")))
                .load("published_comments").load("estimated_reading_time").limit(5).page();
        Row plain = ashlar.read("post").where(eq("id", post.get("id"))).load("estimated_reading_time")
                .one().orElseThrow();

        assertThat(page.rows()).singleElement().satisfies(row -> {
            assertThat(row.get("estimated_reading_time")).isEqualTo(150L);
            assertThat(row.get("published_comments")).isEqualTo(3L);
        });
        assertThat(page.total()).isEqualTo(1);
        assertThat(plain.get("estimated_reading_time")).isEqualTo(150L);
    }

    @Test
    void aggregatesAndCalculationsLoadOntoRowsInHandAsOntoARead() {
        Row post = postWithPublishedComments();

        Row loaded = ashlar.load(List.of(post), "published_comments", "estimated_reading_time").get(0);

        assertThat(loaded.get("published_comments")).isEqualTo(3L);
        assertThat(loaded.get("estimated_reading_time")).isEqualTo(150L);
    }

    private Row skillWithDocumentation(Row certification, String status) {
        Row skill = ashlar.create("skill", certification == null ? new HashMap<>()
                : Map.of("certification_id", certification.get("id")));
        ashlar.create("documentation", Map.of("skill_id", skill.get("id"), "status", status,
                "inserted_at", Instant.parse("2026-01-01T00:00:00Z")));
        return skill;
    }

    @Test
    void countsOfSkillsFilteredByTheirStatusCalculationFeedCalculationsOfTheCertification() {
        Row certification = ashlar.create("certification", new HashMap<>());
        Row skill = skillWithDocumentation(certification, "demonstrated");

        assertThat(ashlar.read("skill").where(eq("id", skill.get("id"))).load("latest_documentation_status")
                .one().orElseThrow().get("latest_documentation_status")).isEqualTo("demonstrated");
        Row loaded = ashlar.read("certification").load("count_of_skills").load("count_of_approved_skills")
                .load("count_of_documented_skills").load("all_documentation_approved")
                .load("some_documentation_created").one().orElseThrow();

        assertThat(loaded.get("count_of_skills")).isEqualTo(1L);
        assertThat(loaded.get("count_of_approved_skills")).isEqualTo(0L);
        assertThat(loaded.get("count_of_documented_skills")).isEqualTo(1L);
        assertThat(loaded.get("all_documentation_approved")).isEqualTo(false);
        assertThat(loaded.get("some_documentation_created")).isEqualTo(true);
        assertThat(ashlar.read("certification").where(eq("some_documentation_created", true)).count()).isEqualTo(1);
    }

    @Test
    void aLaterDocumentationDecidesTheStatusThroughItsTimestampCalculation() {
        Row certification = ashlar.create("certification", new HashMap<>());
        Row skill = skillWithDocumentation(certification, "demonstrated");
        ashlar.create("documentation", Map.of("skill_id", skill.get("id"), "status", "approved",
                "inserted_at", Instant.parse("2025-01-01T00:00:00Z"),
                "documented_at", Instant.parse("2026-06-01T00:00:00Z")));

        Row loaded = ashlar.read("certification").load("count_of_approved_skills")
                .load("all_documentation_approved").load("some_documentation_created").one().orElseThrow();

        assertThat(loaded.get("count_of_approved_skills")).isEqualTo(1L);
        assertThat(loaded.get("all_documentation_approved")).isEqualTo(true);
        assertThat(loaded.get("some_documentation_created")).isEqualTo(false);
    }

    @Test
    void aSumOfTheSkillsCalculationOverTheirAggregateCountsTheSkillsEverDemonstrated() {
        Row certification = ashlar.create("certification", new HashMap<>());
        skillWithDocumentation(certification, "demonstrated");
        skillWithDocumentation(certification, "performed");

        Row loaded = ashlar.read("certification").load("count_of_skills_ever_demonstrated").one().orElseThrow();

        assertThat(((Number) loaded.get("count_of_skills_ever_demonstrated")).longValue()).isEqualTo(1L);
    }

    @Test
    void aJsonCalculationHoldsTheListOfTheRelatedRecordsJsonCalculation() {
        Row skill = skillWithDocumentation(null, "demonstrated");

        Row loaded = ashlar.read("skill").where(eq("id", skill.get("id"))).load("documentations_custom")
                .one().orElseThrow();

        assertThat(String.valueOf(loaded.get("documentations_custom")).replace(" ", ""))
                .isEqualTo("{\"one\":\"One\",\"documentations\":[{\"two\":\"Two\",\"status\":\"demonstrated\"}]}");
    }

    private Row member(Row channel, Row user, String createdAt) {
        return ashlar.create("channel_member", Map.of("channel_id", channel.get("id"), "user_id", user.get("id"),
                "created_at", Instant.parse(createdAt)));
    }

    @Test
    void aChannelsNameIsTheOtherMembersForTheReadingUserAndBothOtherwise() {
        Row channel = ashlar.create("channel", new HashMap<>());
        Row user1 = ashlar.create("user", Map.of("name", "User 1"));
        Row user2 = ashlar.create("user", Map.of("name", "User 2"));
        Row member1 = member(channel, user1, "2026-01-01T00:00:00Z");
        Row member2 = member(channel, user2, "2026-01-02T00:00:00Z");

        Row loaded = ashlar.read("channel").load("first_member").load("second_member").one().orElseThrow();
        assertThat(loaded.relatedOne("first_member").orElseThrow().get("id")).isEqualTo(member1.get("id"));
        assertThat(loaded.relatedOne("second_member").orElseThrow().get("id")).isEqualTo(member2.get("id"));

        assertThat(name(Map.of("actor_id", user1.get("id")))).isEqualTo("User 1");
        assertThat(name(Map.of("actor_id", user2.get("id")))).isEqualTo("User 2");
        assertThat(name(Map.of())).isEqualTo("User 1, User 2");
    }

    private Object name(Map<String, ?> actor) {
        return ashlar.read("channel").load("name", actor).one().orElseThrow().get("name");
    }

    @Test
    void aRelatedChannelsNameIsReadForTheUserGivenToItsLoad() {
        Row channel = ashlar.create("channel", new HashMap<>());
        Row user1 = ashlar.create("user", Map.of("name", "User 1"));
        Row user2 = ashlar.create("user", Map.of("name", "User 2"));
        member(channel, user1, "2026-01-01T00:00:00Z");
        member(channel, user2, "2026-01-02T00:00:00Z");

        Row loaded = ashlar.read("channel")
                .load("dm_channel", d -> d.load("name", Map.of("actor_id", user1.get("id")))).one().orElseThrow();

        assertThat(loaded.relatedOne("dm_channel").orElseThrow().get("name")).isEqualTo("User 1");
        assertThat(ashlar.read("channel").where(eq("dm_channel.name", "User 2"))
                .arguments("dm_channel.name", Map.of("actor_id", user2.get("id"))).count()).isEqualTo(1);
    }

    @Test
    void aCalculationThroughARelationshipWithNoAttributesFiltersOnItself() {
        ashlar.create("channel", new HashMap<>());

        List<Row> rows = ashlar.read("channel").where(eq("foo", "foobar")).load("foo").list();

        assertThat(rows).singleElement().satisfies(row -> assertThat(row.get("foo")).isEqualTo("foobar"));
    }

    private void posts() {
        for (Object[] post : new Object[][]{{"Zebra", 5}, {"Apple", 25}, {"Dog", 10}, {"Cat", 20}}) {
            ashlar.create("post", Map.of("title", post[0], "score", post[1]));
        }
    }

    @Test
    void aCombinationLoadingACalculationThatMayBeNullKeepsItsSort() {
        posts();
        Object dog = ashlar.read("post").where(eq("title", "Dog")).one().orElseThrow().get("id");
        ashlar.create("comment", Map.of("title", "woof", "post_id", dog, "created_at", Instant.now()));

        List<Row> rows = ashlar.read("post").where(lt("score", 15))
                .compute("sort_order", Long.class, "score * 20").sort(Sort.desc("sort_order"))
                .union(ashlar.read("post").where(gte("score", 15))
                        .compute("sort_order", Long.class, "score * 5").sort(Sort.desc("sort_order")))
                .load("latest_comment_title")
                .sort(Sort.desc("sort_order"), Sort.asc("title")).list();

        assertThat(rows).extracting(row -> row.get("title")).containsExactly("Dog", "Apple", "Cat", "Zebra");
        assertThat(rows).extracting(row -> row.get("latest_comment_title")).containsExactly("woof", null, null, null);
    }

    @Test
    void aCombinationOfAuthorsLoadingACalculationThatMayBeNullKeepsItsSort() {
        for (String name : new String[]{"Zebra", "Apple", "Dog", "Cat"}) {
            Row author = ashlar.create("author", Map.of("first_name", name, "last_name", "User"));
            if (name.equals("Cat")) {
                ashlar.create("profile", Map.of("description", "purrs", "author_id", author.get("id")));
            }
        }

        List<Row> rows = ashlar.read("author").where(in("first_name", List.of("Zebra", "Dog")))
                .compute("sort_order", Long.class, "1000").sort(Sort.desc("sort_order"))
                .union(ashlar.read("author").where(in("first_name", List.of("Apple", "Cat")))
                        .compute("sort_order", Long.class, "500").sort(Sort.desc("sort_order")))
                .load("profile_description_calc")
                .sort(Sort.desc("sort_order"), Sort.asc("first_name")).list();

        assertThat(rows).extracting(row -> row.get("first_name")).containsExactly("Dog", "Zebra", "Apple", "Cat");
        assertThat(rows).extracting(row -> row.get("profile_description_calc"))
                .containsExactly(null, null, null, "purrs");
    }

    @Test
    void aCalculationFailingForARowFailsTheReadWithTheServersErrorInAndOutOfATransaction() {
        ashlar.create("post", Map.of("title", "title"));
        ashlar.create("post", Map.of("title", "fine"));
        String failsForTitlesOfFive = "(100 / (length(title) - 5))::text";

        assertThatThrownBy(() -> ashlar.read("post").calculate("test", String.class, failsForTitlesOfFive)
                .load("test").list()).isInstanceOfSatisfying(DatabaseException.class, e -> {
                    assertThat(e.sqlState()).contains("22012");
                    assertThat(e.getMessage()).contains("post").contains("division by zero");
                });
        assertThatThrownBy(() -> ashlar.transaction(tx -> tx.read("post")
                .calculate("test", String.class, failsForTitlesOfFive).load("test").list()))
                .isInstanceOf(DatabaseException.class).hasMessageContaining("division by zero");
        assertThat(ashlar.read("post").where(eq("title", "fine")).calculate("test", String.class, failsForTitlesOfFive)
                .load("test").list()).extracting(row -> row.get("test")).containsExactly("-100");
    }
}
