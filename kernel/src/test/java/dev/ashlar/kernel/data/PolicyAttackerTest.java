package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.error.ForbiddenException;
import dev.ashlar.api.error.NotFoundException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Policy;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Policies ({@code Ashlar.builder().policies(...)}) from the attacker's side: actor 2 reads, counts, sums, loads
 * through relationships, filters by actor 1's fields, updates, destroys, upserts over and creates as actor 1, and
 * gets nothing and changes nothing. Every write is asserted on the rows in the database.
 */
class PolicyAttackerTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("policed")
            .resource(Resource.builder("project").table("projects").bigintPrimaryKey("id")
                    .attribute("name", TEXT).attribute("owner_id", BIGINT)
                    .hasMany("docs", "doc").hasMany("tasks", "task")
                    .count("doc_count", "docs").sum("pages_total", "docs", "pages")
                    .build())
            .resource(Resource.builder("doc").table("docs").bigintPrimaryKey("id")
                    .attribute("title", TEXT, a -> a.notNull()).attribute("pages", INTEGER)
                    .attribute("owner_id", BIGINT, a -> a.notNull())
                    .identity("unique_title", "title")
                    .belongsTo("project", "project")
                    .build())
            .resource(Resource.builder("note").table("notes").bigintPrimaryKey("id")
                    .attribute("body", TEXT).attribute("owner_id", BIGINT)
                    .attribute("deleted_at", TIMESTAMPTZ).softDelete("deleted_at")
                    .build())
            .resource(Resource.builder("task").table("tasks").bigintPrimaryKey("id").attribute("label", TEXT)
                    .belongsTo("project", "project").build())
            .resource(Resource.builder("log").table("logs").bigintPrimaryKey("id").attribute("line", TEXT).build())
            .resource(Resource.builder("memo").table("memos").bigintPrimaryKey("id").attribute("title", TEXT)
                    .attribute("owner_id", BIGINT).draftable().build())
            .build();

    static final Policy DOCS = Policy.on("doc")
            .read(actor -> eq("owner_id", actor.id()))
            .create(actor -> eq("owner_id", actor.id()))
            .update(actor -> eq("owner_id", actor.id()))
            .destroy(actor -> eq("owner_id", actor.id()));
    static final Policy PROJECTS = Policy.on("project").read(Policy.EVERY_ROW);
    static final Policy MEMOS = Policy.on("memo").read(actor -> eq("owner_id", actor.id()))
            .create(actor -> eq("owner_id", actor.id())).update(actor -> eq("owner_id", actor.id()));
    /** Tasks are read by the owner of their project: a policy through a relationship. */
    static final Policy TASKS = Policy.on("task").read(actor -> eq("project.owner_id", actor.id()));
    static final Policy NOTES = Policy.on("note").read(Policy.EVERY_ROW).update(Policy.EVERY_ROW)
            .destroy(actor -> eq("owner_id", actor.id()));

    private Ashlar policed;
    private Ashlar a;
    private Ashlar b;

    PolicyAttackerTest() {
        super(DOMAIN);
    }

    @BeforeAll
    void policed() {
        policed = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN).policies(DOCS, PROJECTS, NOTES, MEMOS, TASKS).build();
        a = policed.withUser(1L);
        b = policed.withUser(2L);
    }

    @AfterAll
    void closed() {
        policed.close();
    }

    @BeforeEach
    void rows() {
        db.execute("TRUNCATE projects, docs, tasks, notes, logs, memos, memos_draft RESTART IDENTITY");
        db.execute("INSERT INTO projects (name, owner_id) VALUES ('shared', 1)");
        db.execute("INSERT INTO docs (title, pages, owner_id, project_id) VALUES "
                + "('a-plan', 10, 1, 1), ('a-salary', 20, 1, 1), ('b-notes', 5, 2, 1)");
        db.execute("INSERT INTO notes (body, owner_id) VALUES ('of a', 1), ('of b', 2)");
        db.execute("INSERT INTO tasks (label, project_id) VALUES ('a task', 1)");
        db.execute("INSERT INTO memos_draft (title, owner_id) VALUES ('a-memo', 1), ('b-memo', 2)");
    }

    private String docs() {
        return String.valueOf(db.value("SELECT string_agg(id || ':' || title || ':' || pages || ':' || owner_id, ',' "
                + "ORDER BY id) FROM docs"));
    }

    private static final String SEEDED = "1:a-plan:10:1,2:a-salary:20:1,3:b-notes:5:2";

    @Test
    void anotherActorsRowsAreNeitherListedCountedSummedNorFoundByKey() {
        assertThat(b.read("doc").list()).extracting(r -> r.get("id")).containsExactly(3L);
        assertThat(b.read("doc").count()).isEqualTo(1);
        assertThat(b.read("doc").sum("pages").intValue()).isEqualTo(5);
        assertThat(b.read("doc").values("title", String.class)).containsExactly("b-notes");
        assertThat(b.read("doc").where(eq("title", "a-salary")).exists()).isFalse();
        assertThat(b.find("doc", 1L)).isEmpty();
        assertThatThrownBy(() -> b.get("doc", 1L)).isInstanceOf(NotFoundException.class);
        assertThat(b.read("doc").groupBy("owner_id").list()).extracting(r -> r.get("owner_id")).containsExactly(2L);
        assertThat(a.read("doc").count()).isEqualTo(2);
    }

    @Test
    void aFilteredGroupValueAndItsRollupCountOnlyTheActorsRowsUnderAReadPolicy() {
        List<Row> rows = b.read("doc").groupBy("project_id").count("docs")
                .count("of_a").filterWhere(eq("owner_id", 1L))
                .sum("pages", "a_pages").filterWhere(eq("title", "a-salary"))
                .rollup().grouping("level").sort(dev.ashlar.api.query.Sort.asc("level")).list();

        assertThat(rows).extracting(r -> r.get("project_id") + " " + r.get("docs") + " " + r.get("of_a") + " "
                + r.get("a_pages") + " " + r.get("level")).containsExactly("1 1 0 null 0", "null 1 0 null 1");
        assertThat(a.read("doc").groupBy("project_id").count("of_a").filterWhere(eq("owner_id", 1L)).list())
                .extracting(r -> r.get("of_a")).containsExactly(2L);
    }

    @Test
    void loadsAggregatesAndFiltersThroughARelationshipSeeOnlyTheActorsRows() {
        Row project = b.read("project").load("docs").load("doc_count").load("pages_total").list().get(0);

        assertThat(project.related("docs")).extracting(r -> r.get("title")).containsExactly("b-notes");
        assertThat(((Number) project.get("doc_count")).longValue()).isEqualTo(1);
        assertThat(((Number) project.get("pages_total")).longValue()).isEqualTo(5);
        assertThat(b.read("project").where(exists("docs", eq("title", "a-salary"))).count()).isZero();
        assertThat(b.read("project").where(gt("pages_total", 5)).count()).isZero();
        assertThat(a.read("project").where(gt("pages_total", 5)).count()).isEqualTo(1);
        assertThat(b.read("doc").where(eq("project.name", "shared")).count()).isEqualTo(1);
    }

    @Test
    void updatesAndDestroysOfAnotherActorsRowsFindNothingAndChangeNothing() {
        assertThatThrownBy(() -> b.update(Row.of("doc", Map.of("id", 1L)), Map.of("title", "pwned")))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> b.destroy(Row.of("doc", Map.of("id", 2L)))).isInstanceOf(NotFoundException.class);
        assertThat(b.read("doc").where(eq("id", 1L)).updateAll(Map.of("pages", 0))).isEmpty();
        assertThat(b.read("doc").where(eq("id", 1L)).updateCount(Map.of("pages", 0))).isZero();
        assertThat(b.read("doc").where(eq("id", 2L)).destroyAll()).isZero();
        assertThat(b.read("doc").where(eq("id", 2L)).destroyAll(Returning.ROWS)).isEmpty();
        assertThat(b.destroyAll(List.of(Row.of("doc", Map.of("id", 1L))))).isZero();

        assertThat(docs()).isEqualTo(SEEDED);
    }

    @Test
    void writesByQueryReachOnlyTheActorsOwnRows() {
        assertThat(b.read("doc").updateCount(Map.of("pages", 0))).isEqualTo(1);
        assertThat(b.read("doc").destroyAll()).isEqualTo(1);

        assertThat(docs()).isEqualTo("1:a-plan:10:1,2:a-salary:20:1");
    }

    @Test
    void anUpsertOverAnotherActorsRecordLeavesItAsItIs() {
        List<Row> written = b.upsert("doc", List.of(Map.of("title", "a-plan", "pages", 0, "owner_id", 2L),
                Map.of("title", "b-new", "pages", 1, "owner_id", 2L)), Upsert.on("unique_title"));

        assertThat(written).extracting(r -> r.get("title")).containsExactly("b-new");
        assertThat(db.value("SELECT string_agg(title || ':' || pages || ':' || owner_id, ',' ORDER BY title) FROM docs"))
                .isEqualTo("a-plan:10:1,a-salary:20:1,b-new:1:2,b-notes:5:2");
    }

    @Test
    void creatingAsAnotherOwnerIsForbiddenNamingResourceActionAndPolicyAndWritesNothing() {
        assertThatThrownBy(() -> b.create("doc", Map.of("title", "planted", "owner_id", 1L)))
                .isInstanceOfSatisfying(ForbiddenException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
                    assertThat(e.resource()).contains("doc");
                    assertThat(e.action()).isEqualTo("create");
                    assertThat(e.policy()).isEqualTo("create");
                }).hasMessageContaining("create policy");
        assertThatThrownBy(() -> b.createAll("doc", List.of(Map.of("title", "mine", "owner_id", 2L),
                Map.of("title", "planted", "owner_id", 1L)))).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> b.create("doc", Map.of("title", "no owner"))).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> b.upsert("doc", List.of(Map.of("title", "planted", "owner_id", 1L)),
                Upsert.on("unique_title"))).isInstanceOf(ForbiddenException.class);

        assertThat(docs()).isEqualTo(SEEDED);
        assertThat(b.create("doc", Map.of("title", "b-own", "owner_id", 2)).get("owner_id")).isEqualTo(2L);
    }

    @Test
    void anUpdateCannotHandTheActorsRowToAnotherOwner() {
        assertThatThrownBy(() -> b.update(Row.of("doc", Map.of("id", 3L)), Map.of("owner_id", 1L)))
                .isInstanceOfSatisfying(ForbiddenException.class, e -> assertThat(e.action()).isEqualTo("update"));
        assertThatThrownBy(() -> b.read("doc").updateAll(Map.of("owner_id", 1L)))
                .isInstanceOf(ForbiddenException.class);

        assertThat(docs()).isEqualTo(SEEDED);
    }

    @Test
    void aHandleWithNoActorIsRefusedUnlessItBypassesPolicies() {
        assertThatThrownBy(() -> policed.read("doc").list()).isInstanceOfSatisfying(ForbiddenException.class, e -> {
            assertThat(e.action()).isEqualTo("read");
            assertThat(e.policy()).isEqualTo("actor");
        }).hasMessageContaining("withUser").hasMessageContaining("bypassPolicies()");
        assertThatThrownBy(() -> policed.read("doc").destroyAll()).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> policed.read("project").load("docs").list()).isInstanceOf(ForbiddenException.class);
        assertThat(policed.read("log").count()).isZero();

        assertThat(policed.bypassPolicies().read("doc").count()).isEqualTo(3);
        assertThat(docs()).isEqualTo(SEEDED);
    }

    @Test
    void anActionThePolicyDoesNotNameIsForbiddenForEveryActor() {
        assertThatThrownBy(() -> a.read("project").updateAll(Map.of("name", "renamed")))
                .isInstanceOfSatisfying(ForbiddenException.class, e -> {
                    assertThat(e.resource()).contains("project");
                    assertThat(e.policy()).isEqualTo("update");
                }).hasMessageContaining("Policy.on(\"project\").update(");

        assertThat(db.value("SELECT name FROM projects")).isEqualTo("shared");
    }

    @Test
    void aSoftDestroyKeepsToTheDestroyPolicyAndMarksOnlyTheActorsRows() {
        assertThat(b.read("note").destroyAll()).isEqualTo(1);

        assertThat(db.query("SELECT id FROM notes WHERE deleted_at IS NOT NULL")).extracting(r -> r.get("id"))
                .containsExactly(2L);
    }

    @Test
    void updatesOfEachRecordByItsKeyCannotHandAnyOfThemToAnotherOwner() {
        b.create("doc", Map.of("title", "b-two", "owner_id", 2L));

        assertThatThrownBy(() -> b.updateAll("doc", List.of(Map.of("id", 3L, "owner_id", 2L),
                Map.of("id", 4L, "owner_id", 1L)))).isInstanceOf(ForbiddenException.class);

        assertThat(db.value("SELECT count(*) FROM docs WHERE owner_id = 2")).isEqualTo(2L);
    }

    @Test
    void draftsKeepToTheirResourcesPolicyAndAnotherActorsDraftIsNeitherReadNorPublished() {
        assertThat(b.read("memo").asDraft().values("title", String.class)).containsExactly("b-memo");
        assertThat(b.publish("memo", eq("title", "a-memo"))).isZero();
        assertThat(b.publish("memo", eq("title", "b-memo"))).isEqualTo(1);

        assertThat(db.value("SELECT string_agg(title, ',' ORDER BY title) FROM memos")).isEqualTo("b-memo");
        assertThat(db.value("SELECT draft_dirty FROM memos_draft WHERE title = 'a-memo'")).isEqualTo(true);
    }

    @Test
    void aReadPolicyThroughARelationshipHoldsForTheResourceAndWhereAnotherReachesIt() {
        assertThat(b.read("task").count()).isZero();
        assertThat(a.read("task").count()).isEqualTo(1);
        assertThat(b.read("project").load("tasks").list().get(0).related("tasks")).isEmpty();
        assertThat(a.read("project").load("tasks").list().get(0).related("tasks")).hasSize(1);
        assertThat(b.read("project").where(exists("tasks")).count()).isZero();
    }

    @Test
    void aPolicyForAResourceTheDomainDoesNotDeclareIsRefusedWhenBuilt() {
        assertThatThrownBy(() -> Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN)
                .policies(Policy.on("dokument").read(Policy.EVERY_ROW)).build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("dokument");
    }
}
