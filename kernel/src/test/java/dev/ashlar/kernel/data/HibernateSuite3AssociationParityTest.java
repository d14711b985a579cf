package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Hibernate ORM's {@code orderby}, {@code manytomany} and {@code onetoone} tests restated on Ashlar: a collection's
 * {@code @OrderBy} is a relationship's own sort, a {@code @ManyToMany} a relationship through a join resource, a
 * {@code @OneToOne} a {@code hasOne} over a unique foreign key. Each asserted on PostgreSQL's rows.
 */
class HibernateSuite3AssociationParityTest extends DomainDatabaseTest {
    HibernateSuite3AssociationParityTest() {
        super(Domain.builder("hibernate_suite3_associations")
                .resource(Resource.builder("task").table("tasks").integerPrimaryKey("id")
                        .attribute("title", TEXT)
                        .hasMany("task_versions", "task_version", r -> r.sort(Sort.desc("id")))
                        .build())
                .resource(Resource.builder("task_version").table("task_versions").integerPrimaryKey("id")
                        .attribute("name", TEXT)
                        .belongsTo("task", "task", r -> r.allowNil(false))
                        .belongsTo("assignee", "member")
                        .build())
                .resource(Resource.builder("member").table("members").integerPrimaryKey("id")
                        .attribute("name", TEXT)
                        .manyToMany("groups", "team", r -> r.through("membership").sort(Sort.asc("name")))
                        .hasOne("passport", "passport")
                        .build())
                .resource(Resource.builder("team").table("teams").integerPrimaryKey("id")
                        .attribute("name", TEXT)
                        .build())
                .resource(Resource.builder("membership").table("memberships")
                        .belongsTo("member", "member", r -> r.primaryKey().allowNil(false))
                        .belongsTo("team", "team", r -> r.primaryKey().allowNil(false))
                        .build())
                .resource(Resource.builder("passport").table("passports").integerPrimaryKey("id")
                        .attribute("number", TEXT)
                        .belongsTo("member", "member", r -> r.allowNil(false))
                        .identity("one_per_member", "member_id")
                        .build())
                .build());
    }

    @BeforeEach
    void emptyTables() {
        db.execute("TRUNCATE tasks, task_versions, members, teams, memberships, passports RESTART IDENTITY");
    }

    private Row member(String name) {
        return ashlar.create("member", Map.of("name", name));
    }

    /**
     * {@code orderby.OrderByTest#testOrderBy} ({@code @OrderBy("id DESC")} on a {@code @OneToMany}) and
     * {@code OrderByToOneTest} (a query sorted by a to-one's field): a task's versions load in the relationship's
     * order, a load sorting itself in its own, and versions read sorted by their assignee's name.
     */
    @Test
    void aCollectionLoadsInItsOwnOrderAndAQuerySortsByAToOnesField() {
        Row task = ashlar.create("task", Map.of("title", "ship"));
        Row zed = member("Zed");
        Row amy = member("Amy");
        ashlar.createAll("task_version", List.of(
                Map.of("name", "tv1", "task_id", task.get("id"), "assignee_id", zed.get("id")),
                Map.of("name", "tv2", "task_id", task.get("id"), "assignee_id", amy.get("id"))));

        assertThat(ashlar.read("task").load("task_versions").first().orElseThrow().related("task_versions"))
                .extracting(row -> row.get("name")).containsExactly("tv2", "tv1");
        assertThat(ashlar.read("task").load("task_versions", v -> v.sort(Sort.asc("name"))).first().orElseThrow()
                .related("task_versions")).extracting(row -> row.get("name")).containsExactly("tv1", "tv2");
        assertThat(ashlar.read("task_version").sort(Sort.asc("assignee.name")).values("name", String.class))
                .containsExactly("tv2", "tv1");
    }

    /**
     * {@code OrderByTest}'s {@code @ManyToMany @OrderBy("name")}, {@code manytomany.ManyToManyTest},
     * {@code manytomany.ordered.OrderedManyToManyTest} and {@code ManyToManyHqlMemberOfQueryTest}: a member's groups
     * load through the join table in name order; a link removed is a join row deleted, the group itself kept, and a
     * query by a group's name (HQL's {@code member of}) follows.
     */
    @Test
    void aManyToManyLoadsThroughItsJoinTableInItsOrderAndFollowsItsLinks() {
        Row ada = member("Ada");
        Row g2 = ashlar.create("team", Map.of("name", "g2"));
        Row g1 = ashlar.create("team", Map.of("name", "g1"));
        ashlar.createAll("membership", List.of(Map.of("member_id", ada.get("id"), "team_id", g2.get("id")),
                Map.of("member_id", ada.get("id"), "team_id", g1.get("id"))));

        assertThat(ashlar.read("member").load("groups").first().orElseThrow().related("groups"))
                .extracting(row -> row.get("name")).containsExactly("g1", "g2");

        ashlar.read("membership").where(eq("team_id", g1.get("id"))).destroyAll();
        assertThat(ashlar.read("member").load("groups").first().orElseThrow().related("groups"))
                .extracting(row -> row.get("name")).containsExactly("g2");
        assertThat(ashlar.read("team").where(eq("name", "g2")).count()).isEqualTo(1);
        assertThat(db.query("SELECT count(*) AS n FROM memberships").get(0).get("n")).isEqualTo(1L);
        assertThat(ashlar.read("member").where(eq("groups.name", "g1")).count()).isZero();
    }

    /**
     * {@code onetoone.bidirectional.BiDirectionalOneToOneFetchTest}, {@code onetoone.optional.OptionalOneToOneTest}
     * and {@code onetoone.uniqueconstraint.NamedUniqueConstraintTest}: a member's passport loads as one record, a
     * member without one loads none, the passport finds its member's name, and a second passport for one member is
     * refused by the unique foreign key, naming its field.
     */
    @Test
    void aOneToOneLoadsOneRecordOrNoneAndASecondIsRefusedByTheUniqueKey() {
        Row ada = member("Ada");
        member("Bob");
        ashlar.create("passport", Map.of("number", "P-1", "member_id", ada.get("id")));

        List<Row> members = ashlar.read("member").load("passport").sort(Sort.asc("name")).list();
        assertThat(members.get(0).relatedOne("passport")).map(row -> row.get("number")).contains("P-1");
        assertThat(members.get(1).relatedOne("passport")).isEmpty();
        assertThat(ashlar.read("passport").where(eq("member.name", "Ada")).values("number", String.class))
                .containsExactly("P-1");

        assertThatThrownBy(() -> ashlar.create("passport", Map.of("number", "P-2", "member_id", ada.get("id"))))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors())
                        .extracting(error -> error.field()).contains("member_id"));
        assertThat(db.query("SELECT number FROM passports")).extracting(r -> r.get("number")).containsExactly("P-1");
    }
}
