package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Relation;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.api.typed.UniqueKey;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.ashlar.api.query.Filter.contains;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.in;
import static dev.ashlar.api.query.Filter.lt;
import static dev.ashlar.api.typed.Kind.INTEGER;
import static dev.ashlar.api.typed.Kind.TEXT;
import static dev.ashlar.api.typed.Kind.jsonOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Dates, times, decimals, UUIDs, enums, optionals, bytes and nested records inside an embedded record, written in the
 * JSON form AshPostgres (Ecto) writes, read back exactly, read from other writers' forms, and compared on a path.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedValuesTest {
    enum Mood { CALM, BUSY }

    record Stamp(Instant at, String by) {
    }

    record Bio(Instant seen, OffsetDateTime met, LocalDate born, LocalDateTime wakes, LocalTime lunch, Duration shift,
               BigDecimal salary, UUID badge, Mood mood, Optional<String> nickname, byte[] photo, Stamp last,
               List<Stamp> visits, Map<String, Stamp> byPlace) {
    }

    record Team(Integer id, String name) {
        static final Table<Team> TEAMS = Table.of("emb_team", Team.class);
        static final Field<Team, Integer> ID = TEAMS.integerPrimaryKey("id");
        static final TextField<Team> NAME = TEAMS.attribute("name", TEXT);
        static final Relation<Team, Member> MEMBERS = TEAMS.hasMany("members", Member.MEMBERS,
                r -> r.destinationAttribute("team_id"));
        static final Resource RESOURCE = TEAMS.builder().table("emb_teams").add(ID, NAME, MEMBERS).build();
    }

    record Member(Integer id, String name, Bio bio, Integer teamId) {
        static final Table<Member> MEMBERS = Table.of("emb_member", Member.class);
        static final Field<Member, Integer> ID = MEMBERS.integerPrimaryKey("id");
        static final TextField<Member> NAME = MEMBERS.attribute("name", TEXT, a -> a.notNull());
        static final Field<Member, Bio> BIO = MEMBERS.attribute("bio", jsonOf(Bio.class));
        static final Field<Member, Integer> TEAM_ID = MEMBERS.attribute("team_id", INTEGER);
        static final UniqueKey<Member> UNIQUE_NAME = MEMBERS.identity("unique_name", NAME);
        static final Resource RESOURCE = MEMBERS.builder().table("emb_members").add(ID, NAME, BIO, TEAM_ID,
                UNIQUE_NAME).build();
    }

    record TeamView(Integer id, String name, List<Member> members) {
    }

    private static final Instant SEEN = Instant.parse("2024-05-06T07:08:09.123456789Z");
    private static final UUID BADGE = UUID.fromString("0b9f4c2e-5d1a-4f8e-9c3b-7a6d5e4f3a21");

    private Ashlar ashlar;
    private TestDatabase db;

    @BeforeAll
    void start(TestDatabase db) {
        this.db = db;
        ashlar = Fixtures.ashlar(db, Domain.builder("embedded_values").resource(Team.RESOURCE)
                .resource(Member.RESOURCE).build());
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE emb_members, emb_teams RESTART IDENTITY");
    }

    @AfterAll
    void stop() {
        ashlar.close();
    }

    private static Bio bio(Instant seen) {
        Stamp stamp = new Stamp(seen.plusSeconds(60), "ada");
        return new Bio(seen, OffsetDateTime.of(2024, 5, 6, 9, 8, 9, 100_000_000, ZoneOffset.ofHours(2)),
                LocalDate.of(1990, 2, 3), LocalDateTime.of(2024, 5, 6, 6, 30), LocalTime.of(12, 15, 0, 500_000),
                Duration.ofMinutes(90), new BigDecimal("1234567890123456789.123456789000"), BADGE, Mood.BUSY,
                Optional.empty(), new byte[] {1, 2, 3}, stamp, List.of(stamp), Map.of("home", stamp));
    }

    /** The bio as the database stores it: every time at microsecond precision. */
    private static Bio stored(Instant seen) {
        Bio written = bio(seen);
        Instant micros = Instant.parse("2024-05-06T07:08:09.123457Z");
        Stamp stamp = new Stamp(micros.plusSeconds(60), "ada");
        return new Bio(micros, written.met(), written.born(), written.wakes(), written.lunch(), written.shift(),
                written.salary(), written.badge(), written.mood(), written.nickname(), written.photo(), stamp,
                List.of(stamp), Map.of("home", stamp));
    }

    @Test
    void writesEachValueInTheJsonFormAshPostgresWrites() {
        ashlar.create(Member.MEMBERS, new Member(null, "ada", bio(SEEN), null));

        Map<String, Object> json = db.query("SELECT bio->>'seen' AS seen, bio->>'met' AS met, bio->>'born' AS born, "
                + "bio->>'wakes' AS wakes, bio->>'lunch' AS lunch, bio->>'shift' AS shift, "
                + "(bio->'salary')::text AS salary, jsonb_typeof(bio->'salary') AS salary_type, "
                + "bio->>'badge' AS badge, bio->>'mood' AS mood, jsonb_typeof(bio->'nickname') AS nickname, "
                + "bio->>'photo' AS photo, bio#>>'{last,at}' AS last_at, bio#>>'{visits,0,by}' AS visit_by, "
                + "bio#>>'{byPlace,home,at}' AS home_at, jsonb_typeof(bio->'seen') AS seen_type "
                + "FROM emb_members").get(0);

        assertThat(json).containsEntry("seen", "2024-05-06T07:08:09.123457Z")
                .containsEntry("seen_type", "string")
                .containsEntry("met", "2024-05-06T09:08:09.100000+02:00")
                .containsEntry("born", "1990-02-03")
                .containsEntry("wakes", "2024-05-06T06:30:00.000000")
                .containsEntry("lunch", "12:15:00.000500")
                .containsEntry("shift", "PT1H30M")
                .containsEntry("salary", "1234567890123456789.123456789000")
                .containsEntry("salary_type", "number")
                .containsEntry("badge", BADGE.toString())
                .containsEntry("mood", "BUSY")
                .containsEntry("nickname", "null")
                .containsEntry("photo", "AQID")
                .containsEntry("last_at", "2024-05-06T07:09:09.123457Z")
                .containsEntry("visit_by", "ada")
                .containsEntry("home_at", "2024-05-06T07:09:09.123457Z");
        // The server reads each text as the type it names.
        assertThat(db.value("SELECT (bio->>'seen')::timestamptz = '2024-05-06 07:08:09.123457+00' "
                + "AND (bio->>'shift')::interval = '90 minutes' AND (bio->>'lunch')::time = '12:15:00.0005' "
                + "FROM emb_members")).isEqualTo(true);
    }

    @Test
    void everyValueRoundTripsAtMicrosecondPrecisionThroughEachWrite() {
        Member created = ashlar.create(Member.MEMBERS, new Member(null, "ada", bio(SEEN), null));
        Member updated = ashlar.update(Member.MEMBERS, created, Member.BIO.set(bio(SEEN.plusSeconds(1))));
        List<Member> bulk = ashlar.createAll(Member.MEMBERS, List.of(new Member(null, "bob", bio(SEEN), null),
                new Member(null, "cy", bio(SEEN), null)));
        Member upserted = ashlar.upsert(Member.MEMBERS, new Member(null, "bob", bio(SEEN.plusSeconds(2)), null),
                Member.UNIQUE_NAME.update(Member.BIO));
        Bio withNickname = new Bio(SEEN, null, null, null, null, null, null, null, null, Optional.of("Ada"), null,
                null, null, null);
        ashlar.create(Member.MEMBERS, new Member(null, "dee", withNickname, null));

        assertThat(created.bio()).usingRecursiveComparison().isEqualTo(stored(SEEN));
        assertThat(updated.bio().seen()).isEqualTo(Instant.parse("2024-05-06T07:08:10.123457Z"));
        assertThat(bulk.get(1).bio()).usingRecursiveComparison().isEqualTo(stored(SEEN));
        assertThat(upserted.bio().seen()).isEqualTo(Instant.parse("2024-05-06T07:08:11.123457Z"));
        List<Member> read = ashlar.read(Member.MEMBERS).sort(Member.ID.asc()).list();
        assertThat(read).extracting(m -> m.bio().seen()).containsExactly(Instant.parse("2024-05-06T07:08:10.123457Z"),
                Instant.parse("2024-05-06T07:08:11.123457Z"), Instant.parse("2024-05-06T07:08:09.123457Z"),
                Instant.parse("2024-05-06T07:08:09.123457Z"));
        assertThat(read.get(2).bio()).usingRecursiveComparison().isEqualTo(stored(SEEN));
        assertThat(read.get(2).bio().salary()).isEqualTo(new BigDecimal("1234567890123456789.123456789000"));
        Member dee = ashlar.read(Member.MEMBERS).where(Member.NAME.eq("dee")).one().orElseThrow();
        assertThat(dee.bio().nickname()).contains("Ada");
        assertThat(dee.bio().met()).isNull();
        assertThat(read.get(0).bio().nickname()).isEmpty();
    }

    @Test
    void relatedRecordsLoadsAndTheStringApiReadTheSameValues() {
        Team team = ashlar.create(Team.TEAMS, new Team(null, "core"));
        ashlar.create(Member.MEMBERS, new Member(null, "ada", bio(SEEN), team.id()));
        // The string API writes a map holding times in the same forms.
        ashlar.create("emb_member", Map.of("name", "bob", "team_id", team.id(), "bio", Map.of("born",
                LocalDate.of(2001, 1, 2), "seen", SEEN, "mood", Mood.CALM)));

        TeamView view = ashlar.read(Team.TEAMS).load(Team.MEMBERS, m -> m.sort(Member.ID.asc())).list(TeamView.class)
                .get(0);
        Row loaded = ashlar.load(ashlar.read("emb_team").list().get(0), "members");
        Row bob = ashlar.read("emb_member").where(eq("name", "bob")).first().orElseThrow();

        assertThat(view.members().get(0).bio()).usingRecursiveComparison().isEqualTo(stored(SEEN));
        assertThat(view.members().get(1).bio().born()).isEqualTo(LocalDate.of(2001, 1, 2));
        assertThat(loaded.related("members")).extracting(m -> m.as(Member.class).bio().mood())
                .containsExactlyInAnyOrder(Mood.BUSY, Mood.CALM);
        assertThat(bob.get("bio", Bio.class).seen()).isEqualTo(Instant.parse("2024-05-06T07:08:09.123457Z"));
        assertThat(db.value("SELECT bio->>'born' FROM emb_members WHERE name = 'bob'")).isEqualTo("2001-01-02");
    }

    @Test
    void readsTheFormsOtherWritersStore() {
        // PostgreSQL's text output and to_jsonb, fewer digits, other offsets, a decimal as text (AshPostgres's form).
        db.execute("INSERT INTO emb_members (name, bio) VALUES ('other', jsonb_build_object("
                + "'seen', '2024-05-06 09:08:09.5+02', 'met', to_jsonb('2024-05-06 07:08:09.123456+00'::timestamptz), "
                + "'born', '1990-02-03', 'wakes', '2024-05-06T06:30:00+05:00', 'lunch', '12:15', "
                + "'shift', 'P1DT2H', 'salary', '1234.50', 'badge', '0B9F4C2E-5D1A-4F8E-9C3B-7A6D5E4F3A21', "
                + "'mood', 'CALM', 'photo', 'AQID', 'last', jsonb_build_object('at', '2024-05-06T07:08:09Z'), "
                + "'visits', '[{\"at\": \"2024-05-06T09:08:09+0200\"}]'::jsonb, 'byPlace', '{}'::jsonb, "
                + "'unknown', 1))");

        Bio bio = ashlar.read(Member.MEMBERS).one().orElseThrow().bio();

        assertThat(bio.seen()).isEqualTo(Instant.parse("2024-05-06T07:08:09.500Z"));
        assertThat(bio.met()).isEqualTo(OffsetDateTime.parse("2024-05-06T07:08:09.123456Z"));
        assertThat(bio.wakes()).isEqualTo(LocalDateTime.of(2024, 5, 6, 6, 30));
        assertThat(bio.lunch()).isEqualTo(LocalTime.of(12, 15));
        assertThat(bio.shift()).isEqualTo(Duration.ofHours(26));
        assertThat(bio.salary()).isEqualTo(new BigDecimal("1234.50"));
        assertThat(bio.badge()).isEqualTo(BADGE);
        assertThat(bio.mood()).isEqualTo(Mood.CALM);
        assertThat(bio.nickname()).isEmpty();
        assertThat(bio.photo()).containsExactly(1, 2, 3);
        assertThat(bio.last()).isEqualTo(new Stamp(Instant.parse("2024-05-06T07:08:09Z"), null));
        assertThat(bio.visits()).containsExactly(new Stamp(Instant.parse("2024-05-06T07:08:09Z"), null));
        assertThat(bio.byPlace()).isEmpty();
    }

    @Test
    void aValueThatDoesNotParseFailsNamingTheResourceFieldComponentAndValue() {
        db.execute("INSERT INTO emb_members (name, bio) VALUES ('bad', '{\"born\": \"03/02/1990\"}'), "
                + "('number', '{\"seen\": 1714979289}'), ('visit', '{\"visits\": [{\"at\": \"soon\"}]}'), "
                + "('mood', '{\"mood\": \"ANGRY\"}')");

        assertThatThrownBy(() -> ashlar.read(Member.MEMBERS).where(Member.NAME.eq("bad")).list())
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("emb_member").hasMessageContaining("component 'bio'")
                .hasMessageContaining("component 'born'").hasMessageContaining("\"03/02/1990\" is no LocalDate");
        assertThatThrownBy(() -> ashlar.read(Member.MEMBERS).where(Member.NAME.eq("number")).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("component 'seen'")
                .hasMessageContaining("is read from text").hasMessageContaining("1714979289");
        assertThatThrownBy(() -> ashlar.read("emb_member").where(eq("name", "visit")).first().orElseThrow()
                .get("bio", Bio.class))
                .isInstanceOf(QueryException.class).hasMessageContaining("component 'visits[0].at'")
                .hasMessageContaining("\"soon\" is no Instant");
        assertThatThrownBy(() -> ashlar.read(Member.MEMBERS).where(Member.NAME.eq("mood")).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("component 'mood'")
                .hasMessageContaining("\"ANGRY\"").hasMessageContaining("CALM");
    }

    record Zoned(OffsetTime at, LocalTime late, ZonedDateTime when, Period every) {
    }

    @Test
    void offsetTimesZonedTimesAndPeriodsKeepTheirOffsetsAndATimeRoundsWithinItsDay() {
        ZonedDateTime when = ZonedDateTime.of(2024, 5, 6, 9, 8, 9, 0, ZoneId.of("Europe/Paris"));
        Row written = ashlar.create("emb_member", Map.of("name", "zoned", "bio", Map.of(
                "at", OffsetTime.of(7, 8, 9, 1_499, ZoneOffset.ofHours(-5)),
                "late", LocalTime.of(23, 59, 59, 999_999_600),
                "when", when, "every", Period.of(1, 2, 3))));

        assertThat(db.value("SELECT bio::text FROM emb_members")).isEqualTo("{\"at\": \"07:08:09.000001-05:00\", "
                + "\"late\": \"23:59:59.999999\", \"when\": \"2024-05-06T09:08:09.000000+02:00\", "
                + "\"every\": \"P1Y2M3D\"}");
        assertThat(written.get("bio", Zoned.class)).isEqualTo(new Zoned(OffsetTime.of(7, 8, 9, 1_000,
                ZoneOffset.ofHours(-5)), LocalTime.of(23, 59, 59, 999_999_000),
                when.withZoneSameInstant(ZoneOffset.ofHours(2)), Period.of(1, 2, 3)));
    }

    record Wishes(List<Optional<LocalDate>> days, Map<String, Optional<Instant>> byPlace, Optional<List<Stamp>> last) {
    }

    @Test
    void optionalsInsideListsAndMapsReadAsOptionalsOfTheirElementType() {
        Instant at = Instant.parse("2024-05-06T07:08:09Z");
        Wishes wishes = new Wishes(List.of(Optional.of(LocalDate.of(2024, 5, 6)), Optional.empty()),
                Map.of("home", Optional.of(at)), Optional.of(List.of(new Stamp(at, "ada"))));
        Row written = ashlar.create("emb_member", Map.of("name", "wishes", "bio", wishes));

        assertThat(db.value("SELECT bio::text FROM emb_members")).isEqualTo("{\"days\": [\"2024-05-06\", null], "
                + "\"last\": [{\"at\": \"2024-05-06T07:08:09.000000Z\", \"by\": \"ada\"}], "
                + "\"byPlace\": {\"home\": \"2024-05-06T07:08:09.000000Z\"}}");
        Wishes read = written.get("bio", Wishes.class);
        assertThat(read).isEqualTo(wishes);
        assertThat(read.days().get(0).orElseThrow()).isInstanceOf(LocalDate.class);
        assertThat(read.byPlace().get("home").orElseThrow()).isInstanceOf(Instant.class);
    }

    @Test
    void aPathComparedWithATimeComparesTimesNotText() {
        // As text "2024-05-06T09:00:00+02:00" sorts after "2024-05-06T08:00:00Z"; as a time it is an hour before.
        db.execute("INSERT INTO emb_members (name, bio) VALUES "
                + "('early', '{\"seen\": \"2024-05-06T09:00:00+02:00\", \"born\": \"1990-02-03\", "
                + "\"shift\": \"PT1H30M\", \"badge\": \"" + BADGE + "\"}'), "
                + "('late', '{\"seen\": \"2024-05-06T08:00:00Z\", \"born\": \"2001-01-02\", \"shift\": \"PT2H\"}')");

        assertThat(names(gt("bio.seen", Instant.parse("2024-05-06T07:30:00Z")))).containsExactly("late");
        assertThat(names(lt("bio.seen", OffsetDateTime.parse("2024-05-06T09:30:00+02:00")))).containsExactly("early");
        assertThat(names(gt("bio.born", LocalDate.of(1995, 1, 1)))).containsExactly("late");
        assertThat(names(in("bio.born", List.of(LocalDate.of(1990, 2, 3))))).containsExactly("early");
        assertThat(names(lt("bio.shift", Duration.ofMinutes(100)))).containsExactly("early");
        assertThat(names(eq("bio.badge", BADGE))).containsExactly("early");
        assertThat(ashlar.read(Member.MEMBERS).where(Member.BIO.path("born").lt(LocalDate.of(1995, 1, 1))).list())
                .extracting(Member::name).containsExactly("early");
        assertThatThrownBy(() -> names(contains("bio.born", LocalDate.of(1990, 2, 3))))
                .isInstanceOf(QueryException.class).hasMessageContaining("emb_member.bio.born")
                .hasMessageContaining("give a date or time as the text stored");
    }

    @Test
    void aPathComparedWithATimeOverAStoredValueOfAnotherTypeFailsTheReadAsADatabaseErrorNamingTheValue() {
        // Ashlar writes a LocalDate component as a date; text of another writer's at the path does not convert.
        db.execute("INSERT INTO emb_members (name, bio) VALUES ('dated', '{\"born\": \"1990-02-03\"}'), "
                + "('undated', '{\"born\": \"unknown\", \"seen\": \"soon\", \"badge\": \"b-1\", "
                + "\"shift\": \"long\"}'), ('none', '{\"born\": null}')");
        List<dev.ashlar.api.query.Filter> filters = List.of(gt("bio.born", LocalDate.of(1980, 1, 1)),
                lt("bio.seen", Instant.parse("2024-01-01T00:00:00Z")), eq("bio.badge", BADGE),
                gt("bio.shift", Duration.ofHours(1)));

        for (dev.ashlar.api.query.Filter filter : filters) {
            assertThatThrownBy(() -> names(filter)).isInstanceOfSatisfying(AshlarException.class, e -> {
                assertThat(e).isNotInstanceOf(InvalidDataException.class);
                assertThat(e.code()).isEqualTo(ErrorCode.DATABASE);
                assertThat(e.sqlState().orElseThrow()).isIn("22007", "22P02");
            }).hasMessageContaining("emb_member").hasMessageContaining("invalid input syntax for type")
                    .hasMessageContaining("a JSON path compared as a number, a date or time, a UUID or a Duration");
        }
        db.execute("DELETE FROM emb_members WHERE name = 'undated'");
        assertThat(names(gt("bio.born", LocalDate.of(1980, 1, 1)))).containsExactly("dated");
    }

    private List<String> names(dev.ashlar.api.query.Filter filter) {
        return ashlar.read("emb_member").where(filter).list().stream().map(row -> (String) row.get("name")).toList();
    }
}
