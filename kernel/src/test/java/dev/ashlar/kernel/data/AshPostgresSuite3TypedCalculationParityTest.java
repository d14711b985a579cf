package dev.ashlar.kernel.data;

import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.AggregateField;
import dev.ashlar.api.typed.CalculationField;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Relation;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static dev.ashlar.api.typed.Kind.INTEGER;
import static dev.ashlar.api.typed.Kind.TEXT;
import static dev.ashlar.api.typed.Kind.TIMESTAMPTZ;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The typed API's side of {@link AshPostgresSuite3CalculationParityTest}: complex_calculation's reading time read on a
 * page, complex_calculations' latest status (a {@code first} sorted by a calculation of the related records) and a
 * channel's first member's name (a {@code first} through a sorted has-one and a belongsTo, needing no order).
 */
class AshPostgresSuite3TypedCalculationParityTest extends DomainDatabaseTest {

    record Post(Integer id, String title, Integer baseReadingTime) {
        static final Table<Post> POSTS = Table.of("post", Post.class);
        static final Field<Post, Integer> ID = POSTS.integerPrimaryKey("id");
        static final TextField<Post> TITLE = POSTS.attribute("title", TEXT);
        static final Field<Post, Integer> BASE_READING_TIME = POSTS.attribute("base_reading_time", INTEGER);
        static final Relation<Post, Comment> COMMENTS = POSTS.hasMany("comments", Comment.COMMENTS);
        static final AggregateField<Post, Long> PUBLISHED_COMMENTS = POSTS.count("published_comments", COMMENTS,
                Comment.STATUS.eq("published"));
        static final AggregateField<Post, Number> PUBLISHED_READING_TIME = POSTS.sum("published_reading_time",
                COMMENTS, Comment.READING_TIME, Comment.STATUS.eq("published")).withDefault(0);
        static final AggregateField<Post, Integer> LONGEST_PUBLISHED = POSTS.max("longest_published", COMMENTS,
                Comment.READING_TIME, Comment.STATUS.eq("published"));
        static final AggregateField<Post, Integer> SHORTEST_DRAFT = POSTS.min("shortest_draft", COMMENTS,
                Comment.READING_TIME, Comment.STATUS.eq("draft"));
        static final AggregateField<Post, Number> AVERAGE_PUBLISHED = POSTS.avg("average_published", COMMENTS,
                Comment.READING_TIME, Comment.STATUS.eq("published"));
        static final CalculationField<Post, Long> ESTIMATED_READING_TIME = POSTS.calculate("estimated_reading_time",
                Long.class, "coalesce(base_reading_time, 0) + published_reading_time");
        static final Resource RESOURCE = POSTS.builder().table("posts").add(ID, TITLE, BASE_READING_TIME, COMMENTS,
                PUBLISHED_COMMENTS, PUBLISHED_READING_TIME, LONGEST_PUBLISHED, SHORTEST_DRAFT, AVERAGE_PUBLISHED,
                ESTIMATED_READING_TIME).build();
    }

    record Comment(Integer id, Integer readingTime, String status, Integer postId) {
        static final Table<Comment> COMMENTS = Table.of("comment", Comment.class);
        static final Field<Comment, Integer> ID = COMMENTS.integerPrimaryKey("id");
        static final Field<Comment, Integer> READING_TIME = COMMENTS.attribute("reading_time", INTEGER);
        static final TextField<Comment> STATUS = COMMENTS.attribute("status", TEXT);
        static final Relation<Comment, Post> POST = COMMENTS.belongsTo("post", Post.POSTS);
        static final Resource RESOURCE = COMMENTS.builder().table("comments").add(ID, READING_TIME, STATUS, POST)
                .build();
    }

    /** A post with its loaded reading time. */
    record PostReading(Integer id, Long publishedComments, Long estimatedReadingTime) {
    }

    /** A post with the aggregates of its published and draft comments. */
    record PostTimes(Integer id, Integer longestPublished, Integer shortestDraft, java.math.BigDecimal averagePublished) {
    }

    record Skill(Integer id) {
        static final Table<Skill> SKILLS = Table.of("skill", Skill.class);
        static final Field<Skill, Integer> ID = SKILLS.integerPrimaryKey("id");
        static final Relation<Skill, Documentation> DOCUMENTATIONS = SKILLS.hasMany("documentations",
                Documentation.DOCUMENTATIONS);
        static final AggregateField<Skill, String> LATEST_STATUS = SKILLS.first("latest_documentation_status",
                DOCUMENTATIONS, Documentation.STATUS, Documentation.TIMESTAMP.desc());
        static final Resource RESOURCE = SKILLS.builder().table("skills").add(ID, DOCUMENTATIONS, LATEST_STATUS)
                .build();
    }

    record Documentation(Integer id, String status, Instant documentedAt, Instant insertedAt, Integer skillId) {
        static final Table<Documentation> DOCUMENTATIONS = Table.of("documentation", Documentation.class);
        static final Field<Documentation, Integer> ID = DOCUMENTATIONS.integerPrimaryKey("id");
        static final TextField<Documentation> STATUS = DOCUMENTATIONS.attribute("status", TEXT);
        static final Field<Documentation, Instant> DOCUMENTED_AT = DOCUMENTATIONS.attribute("documented_at",
                TIMESTAMPTZ);
        static final Field<Documentation, Instant> INSERTED_AT = DOCUMENTATIONS.attribute("inserted_at", TIMESTAMPTZ);
        static final Relation<Documentation, Skill> SKILL = DOCUMENTATIONS.belongsTo("skill", Skill.SKILLS);
        static final CalculationField<Documentation, Instant> TIMESTAMP = DOCUMENTATIONS.calculate("timestamp",
                Instant.class, "coalesce(documented_at, inserted_at)");
        static final Resource RESOURCE = DOCUMENTATIONS.builder().table("documentations")
                .add(ID, STATUS, DOCUMENTED_AT, INSERTED_AT, SKILL, TIMESTAMP).build();
    }

    /** A skill with its loaded status. */
    record SkillStatus(Integer id, String latestDocumentationStatus) {
    }

    record Channel(Integer id) {
        static final Table<Channel> CHANNELS = Table.of("channel", Channel.class);
        static final Field<Channel, Integer> ID = CHANNELS.integerPrimaryKey("id");
        static final Relation<Channel, Member> FIRST_MEMBER = CHANNELS.hasOne("first_member", Member.MEMBERS,
                r -> r.sort(Sort.asc("created_at")));
        static final Relation<Channel, Member> SECOND_MEMBER = CHANNELS.hasOne("second_member", Member.MEMBERS,
                r -> r.sort(Sort.desc("created_at")));
        static final AggregateField<Channel, String> FIRST_MEMBER_NAME = CHANNELS.first("first_member_name",
                FIRST_MEMBER.then(Member.USER), User.NAME);
        static final AggregateField<Channel, String> SECOND_MEMBER_NAME = CHANNELS.first("second_member_name",
                SECOND_MEMBER.then(Member.USER), User.NAME);
        static final AggregateField<Channel, Long> FIRST_MEMBER_USERS = CHANNELS.count("first_member_users",
                FIRST_MEMBER.then(Member.USER));
        static final Resource RESOURCE = CHANNELS.builder().table("channels")
                .add(ID, FIRST_MEMBER, SECOND_MEMBER, FIRST_MEMBER_NAME, SECOND_MEMBER_NAME, FIRST_MEMBER_USERS)
                .build();
    }

    record Member(Integer id, Instant createdAt, Integer channelId, Integer userId) {
        static final Table<Member> MEMBERS = Table.of("channel_member", Member.class);
        static final Field<Member, Integer> ID = MEMBERS.integerPrimaryKey("id");
        static final Field<Member, Instant> CREATED_AT = MEMBERS.attribute("created_at", TIMESTAMPTZ);
        static final Relation<Member, Channel> CHANNEL = MEMBERS.belongsTo("channel", Channel.CHANNELS);
        static final Relation<Member, User> USER = MEMBERS.belongsTo("user", User.USERS);
        static final Resource RESOURCE = MEMBERS.builder().table("channel_members")
                .add(ID, CREATED_AT, CHANNEL, USER).build();
    }

    record User(Integer id, String name) {
        static final Table<User> USERS = Table.of("user", User.class);
        static final Field<User, Integer> ID = USERS.integerPrimaryKey("id");
        static final TextField<User> NAME = USERS.attribute("name", TEXT);
        static final Resource RESOURCE = USERS.builder().table("users").add(ID, NAME).build();
    }

    /** A channel with its members' names loaded. */
    record ChannelNames(Integer id, String firstMemberName, String secondMemberName, Long firstMemberUsers) {
    }

    AshPostgresSuite3TypedCalculationParityTest() {
        super(Domain.builder("ash_postgres_suite3_typed_calculations").resources(Post.RESOURCE, Comment.RESOURCE,
                Skill.RESOURCE, Documentation.RESOURCE, Channel.RESOURCE, Member.RESOURCE, User.RESOURCE).build());
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE comments, posts, documentations, skills, channel_members, channels, users"
                + " RESTART IDENTITY CASCADE");
    }

    @Test
    void aCalculationOverFilteredAggregatesLoadsOntoAPageOfViews() {
        Post post = ashlar.create(Post.POSTS, new Post(null, "Test Post", 0));
        for (int i = 1; i <= 3; i++) {
            ashlar.create(Comment.COMMENTS, new Comment(null, 30 + i * 10, "published", post.id()));
        }
        ashlar.create(Comment.COMMENTS, new Comment(null, 500, "draft", post.id()));

        List<PostReading> page = ashlar.read(Post.POSTS).where(Post.ID.eq(post.id()))
                .load(Post.PUBLISHED_COMMENTS).load(Post.ESTIMATED_READING_TIME).limit(5).page(PostReading.class)
                .rows();

        assertThat(page).containsExactly(new PostReading(post.id(), 3L, 150L));
        assertThat(ashlar.read(Post.POSTS).where(Post.ESTIMATED_READING_TIME.eq(150L)).count()).isEqualTo(1);
    }

    @Test
    void typedSumsAveragesMinimaAndMaximaTakeAConditionOnTheRelatedRecords() {
        Post post = ashlar.create(Post.POSTS, new Post(null, "Test Post", 0));
        for (int minutes : new int[]{40, 50, 60}) {
            ashlar.create(Comment.COMMENTS, new Comment(null, minutes, "published", post.id()));
        }
        ashlar.create(Comment.COMMENTS, new Comment(null, 500, "draft", post.id()));
        ashlar.create(Comment.COMMENTS, new Comment(null, 45, "draft", post.id()));

        PostTimes times = ashlar.read(Post.POSTS).load(Post.LONGEST_PUBLISHED).load(Post.SHORTEST_DRAFT)
                .load(Post.AVERAGE_PUBLISHED).list(PostTimes.class).get(0);

        assertThat(times.longestPublished()).isEqualTo(60);
        assertThat(times.shortestDraft()).isEqualTo(45);   // the shortest of all comments is 40, published
        assertThat(times.averagePublished()).isEqualByComparingTo("50");
        assertThat(ashlar.read(Post.POSTS).where(Post.LONGEST_PUBLISHED.lt(100)).count()).isEqualTo(1);
    }

    @Test
    void aFirstSortedByACalculationOfTheRelatedRecordsTakesTheLatestByIt() {
        Skill skill = ashlar.create(Skill.SKILLS, new Skill(null));
        ashlar.create(Documentation.DOCUMENTATIONS, new Documentation(null, "demonstrated", null,
                Instant.parse("2026-01-01T00:00:00Z"), skill.id()));
        ashlar.create(Documentation.DOCUMENTATIONS, new Documentation(null, "approved",
                Instant.parse("2026-06-01T00:00:00Z"), Instant.parse("2025-01-01T00:00:00Z"), skill.id()));

        List<SkillStatus> statuses = ashlar.read(Skill.SKILLS).load(Skill.LATEST_STATUS).list(SkillStatus.class);

        assertThat(statuses).containsExactly(new SkillStatus(skill.id(), "approved"));
        assertThat(ashlar.read(Skill.SKILLS).where(Skill.LATEST_STATUS.eq("demonstrated")).count()).isZero();
    }

    @Test
    void aFirstThroughASortedHasOneAndABelongsToReadsTheOneMembersUser() {
        Channel channel = ashlar.create(Channel.CHANNELS, new Channel(null));
        User first = ashlar.create(User.USERS, new User(null, "User 1"));
        User second = ashlar.create(User.USERS, new User(null, "User 2"));
        ashlar.create(Member.MEMBERS, new Member(null, Instant.parse("2026-01-02T00:00:00Z"), channel.id(),
                second.id()));
        ashlar.create(Member.MEMBERS, new Member(null, Instant.parse("2026-01-01T00:00:00Z"), channel.id(),
                first.id()));

        List<ChannelNames> names = ashlar.read(Channel.CHANNELS).load(Channel.FIRST_MEMBER_NAME)
                .load(Channel.SECOND_MEMBER_NAME).load(Channel.FIRST_MEMBER_USERS).list(ChannelNames.class);

        assertThat(names).containsExactly(new ChannelNames(channel.id(), "User 1", "User 2", 1L));
    }
}
