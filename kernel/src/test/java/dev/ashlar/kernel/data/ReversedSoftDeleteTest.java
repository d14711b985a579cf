package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.in;
import static dev.ashlar.api.resource.Type.BOOLEAN;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Destroys that clear a flag ({@code softDeleteClearing("active")}; Hibernate's {@code @SoftDelete(strategy =
 * ACTIVE)}, restating its {@code ReversedSoftDeleteTests}): records live while {@code active} is true, a destroy sets
 * it to false, and reads, counts, aggregates and loads see the live ones only.
 */
class ReversedSoftDeleteTest extends DomainDatabaseTest {
    record Member(Integer id, String name, Integer teamId, Boolean active) {
        static final Table<Member> MEMBERS = Table.of("member", Member.class);
        static final Field<Member, Integer> ID = MEMBERS.integerPrimaryKey("id");
        static final TextField<Member> NAME = MEMBERS.attribute("name", Kind.TEXT);
        static final Field<Member, Integer> TEAM = MEMBERS.attribute("team_id", Kind.INTEGER);
        static final Field<Member, Boolean> ACTIVE = MEMBERS.attribute("active", Kind.BOOLEAN);
        static final Resource RESOURCE = MEMBERS.builder().table("members").add(ID, NAME, TEAM, ACTIVE)
                .identity("unique_name", "name").softDeleteClearing(ACTIVE.name()).build();
    }

    private static final Domain DOMAIN = Domain.builder("reversed")
            .resource(Resource.builder("team").table("teams").integerPrimaryKey("id").attribute("name", TEXT)
                    .hasMany("members", "member", r -> r.destinationAttribute("team_id"))
                    .count("member_count", "members").build())
            .resource(Member.RESOURCE)
            .build();

    ReversedSoftDeleteTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void populated() {
        db.execute("TRUNCATE teams, members RESTART IDENTITY");
        db.execute("INSERT INTO teams (name) VALUES ('red'), ('blue')");
        db.execute("INSERT INTO members (name, team_id) SELECT 'member ' || i, 1 + i % 2 FROM generate_series(1, 10) i");
    }

    @Test
    void theFlagIsANotNullColumnDefaultingToTrueSoEveryInsertedRowIsLive() {
        assertThat(db.query("SELECT a.attnotnull, pg_get_expr(d.adbin, d.adrelid) AS def, t.typname FROM pg_attribute a "
                + "JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid "
                + "AND d.adnum = a.attnum WHERE a.attrelid = 'members'::regclass AND a.attname = 'active'"))
                .containsExactly(Map.of("attnotnull", true, "def", "true", "typname", "bool"));
        assertThat(db.value("SELECT count(*) FROM members WHERE active")).isEqualTo(10L);
        assertThat(db.value("SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = 'members'::regclass "
                + "AND NOT indisprimary")).asString().endsWith("WHERE (active IS TRUE)");
    }

    @Test
    void aDestroyClearsTheFlagAndReadsCountsAndFindNoLongerSeeTheRecord() {
        Member third = ashlar.read(Member.MEMBERS).where(Member.ID.eq(3)).one().orElseThrow();

        ashlar.destroy(Member.MEMBERS, third);

        assertThat(db.value("SELECT active FROM members WHERE id = 3")).isEqualTo(false);
        assertThat(db.value("SELECT count(*) FROM members")).isEqualTo(10L);
        assertThat(ashlar.find("member", 3)).isEmpty();
        assertThat(ashlar.read(Member.MEMBERS).count()).isEqualTo(9L);
        assertThat(ashlar.read("member").ignoreBaseFilter().where(eq("active", false)).list())
                .extracting(r -> r.get("id")).containsExactly(3);
        assertThatThrownBy(() -> ashlar.destroy(Member.MEMBERS, third))
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void destroyAllOfRowsOrOfAReadClearsOnlyTheLiveRecordsAndCountsThose() {
        db.execute("UPDATE members SET active = false WHERE id = 5");

        int inHand = ashlar.destroyAll(ashlar.read("member").where(in("id", List.of(1, 2))).list());
        int byRead = ashlar.read("member").ignoreBaseFilter().where(in("id", List.of(4, 5, 6))).destroyAll();

        assertThat(inHand).isEqualTo(2);
        assertThat(byRead).isEqualTo(2);
        assertThat(db.query("SELECT id FROM members WHERE NOT active ORDER BY id")).extracting(r -> r.get("id"))
                .containsExactly(1, 2, 4, 5, 6);
        assertThat(db.value("SELECT count(*) FROM members")).isEqualTo(10L);
    }

    @Test
    void relationshipLoadsAndAggregatesLeaveTheClearedRecordsOut() {
        ashlar.read("member").where(in("id", List.of(1, 3, 4))).destroyAll();

        List<Row> teams = ashlar.read("team").sort(Sort.asc("id")).load("members").load("member_count").list();

        assertThat(teams).extracting(t -> t.get("name"), t -> t.get("member_count"),
                t -> t.related("members").stream().map(m -> m.get("id")).sorted().toList())
                .containsExactly(tuple("red", 4L, List.of(2, 6, 8, 10)), tuple("blue", 3L, List.of(5, 7, 9)));
    }

    @Test
    void permanentlyDeletesTheRowsForRealAndPurgesTheClearedOnes() {
        ashlar.destroy(ashlar.get("member", 7));

        int purged = ashlar.permanently().read("member").ignoreBaseFilter().where(eq("active", false)).destroyAll();
        ashlar.permanently().destroy(ashlar.get("member", 8));

        assertThat(purged).isEqualTo(1);
        assertThat(db.query("SELECT id FROM members WHERE id IN (7, 8)")).isEmpty();
        assertThat(db.value("SELECT count(*) FROM members WHERE active")).isEqualTo(8L);
    }

    @Test
    void aClearedRecordFreesItsNameAndAnUpsertWritingTheFlagTrueBringsItBack() {
        ashlar.destroy(ashlar.get("member", 9));
        Row again = ashlar.create("member", Map.of("name", "member 9", "team_id", 2));
        assertThat(again.get("id")).isNotEqualTo(9);
        assertThat(again.get("active")).isEqualTo(true);
        ashlar.permanently().destroy(again);

        ashlar.upsert("member", List.of(Map.of("id", 9, "name", "member 9", "active", true)),
                Upsert.onPrimaryKey());

        assertThat(ashlar.find("member", 9)).map(r -> r.get("active")).contains(true);
        assertThat(ashlar.read("member").count()).isEqualTo(10L);
    }

    @Test
    void anUpsertThatLeavesTheFlagOutKeepsAClearedRecordDeleted() {
        ashlar.destroy(ashlar.get("member", 10));

        ashlar.upsert("member", List.of(Map.of("id", 10, "name", "renamed")), Upsert.onPrimaryKey());

        assertThat(db.query("SELECT name, active FROM members WHERE id = 10"))
                .containsExactly(Map.of("name", "renamed", "active", false));
        assertThat(ashlar.find("member", 10)).isEmpty();
    }

    @Test
    void anUpsertOnTheNameInsertsBesideAClearedRecordOfThatNameAndUpdatesTheLiveOne() {
        ashlar.destroy(ashlar.get("member", 4));

        ashlar.upsert("member", List.of(Map.of("name", "member 4", "team_id", 2),
                Map.of("name", "member 5", "team_id", 1)), Upsert.on("unique_name"));

        assertThat(db.query("SELECT id, team_id, active FROM members WHERE name IN ('member 4', 'member 5') "
                + "ORDER BY id")).containsExactly(Map.of("id", 4, "team_id", 1, "active", false),
                Map.of("id", 5, "team_id", 1, "active", true), Map.of("id", 11, "team_id", 2, "active", true));
    }

    @Test
    void aNullWrittenByHandCountsAsDeleted() {
        db.execute("ALTER TABLE members ALTER COLUMN active DROP NOT NULL; UPDATE members SET active = NULL WHERE id = 2");
        try {
            assertThat(ashlar.find("member", 2)).isEmpty();
            assertThat(ashlar.read("member").count()).isEqualTo(9L);
        } finally {
            db.execute("UPDATE members SET active = true WHERE id = 2; ALTER TABLE members ALTER COLUMN active SET NOT NULL");
        }
    }

    @Test
    void aFlagThatIsNoBooleanOrDefaultsToFalseIsRefusedWhenTheDomainIsBuilt() {
        assertThatThrownBy(() -> Domain.builder("bad").resource(Resource.builder("account").integerPrimaryKey("id")
                .attribute("active", Type.TIMESTAMPTZ).softDeleteClearing("active").build()).build())
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.getMessage())
                        .contains("account", "active", "softDeleteClearing(\"active\")", "make it BOOLEAN"));
        assertThatThrownBy(() -> Domain.builder("bad").resource(Resource.builder("account").integerPrimaryKey("id")
                .attribute("active", BOOLEAN, a -> a.defaultValue(false)).softDeleteClearing("active").build()).build())
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.getMessage())
                        .contains("account", "active", "born deleted"));
        assertThatThrownBy(() -> Domain.builder("bad").resource(Resource.builder("account").integerPrimaryKey("id")
                .softDeleteClearing("live").build()).build())
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.getMessage())
                        .contains("softDeleteClearing(\"live\")", "no such attribute"));
    }
}
