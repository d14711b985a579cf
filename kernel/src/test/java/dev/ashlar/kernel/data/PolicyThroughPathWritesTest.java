package dev.ashlar.kernel.data;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Policy;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.RequiresPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A policy whose rules follow a relationship ({@code eq("project.owner_id", actor.id())}) from the attacker's side on
 * writes: updates and destroys by query reach only the rows of the actor's projects; an upsert or a merge, which
 * meets the stored record in one statement and cannot follow the relationship there, is refused naming the policy.
 */
class PolicyThroughPathWritesTest extends DomainDatabaseTest {
    static final Policy TASKS = Policy.on("task").read(actor -> eq("project.owner_id", actor.id()))
            .create(Policy.EVERY_ROW).update(actor -> eq("project.owner_id", actor.id()))
            .destroy(actor -> eq("project.owner_id", actor.id()));

    private Ashlar policed;
    private Ashlar b;

    PolicyThroughPathWritesTest() {
        super(PolicyAttackerTest.DOMAIN);
    }

    @BeforeAll
    void policed() {
        policed = Ashlar.builder().dataSource(db.dataSource()).domain(PolicyAttackerTest.DOMAIN)
                .policies(PolicyAttackerTest.PROJECTS, TASKS).build();
        b = policed.withUser(2L);
    }

    @AfterAll
    void closed() {
        policed.close();
    }

    @BeforeEach
    void rows() {
        db.execute("TRUNCATE projects, tasks RESTART IDENTITY");
        db.execute("INSERT INTO projects (name, owner_id) VALUES ('of a', 1), ('of b', 2)");
        db.execute("INSERT INTO tasks (label, project_id) VALUES ('a task', 1), ('b task', 2)");
    }

    private String tasks() {
        return String.valueOf(db.value("SELECT string_agg(id || ':' || label || ':' || project_id, ',' ORDER BY id) "
                + "FROM tasks"));
    }

    @Test
    void updatesAndDestroysKeepToTheRowsOfTheActorsProjects() {
        assertThat(b.read("task").updateCount(Map.of("label", "x"))).isEqualTo(1);
        assertThat(b.read("task").where(eq("id", 1L)).destroyAll()).isZero();
        assertThat(tasks()).isEqualTo("1:a task:1,2:x:2");
    }

    @Test
    void anUpsertWhosePolicyFollowsARelationshipIsRefusedNamingThePolicyAndWritesNothing() {
        assertThatThrownBy(() -> b.upsert("task", List.of(Map.of("id", 1L, "label", "pwned", "project_id", 1L)),
                Upsert.onPrimaryKey())).isInstanceOf(QueryException.class)
                .hasMessageContaining("policy of task").hasMessageContaining("'project'");
        assertThat(tasks()).isEqualTo("1:a task:1,2:b task:2");
    }

    @Test
    @RequiresPostgres(value = 15, reason = "MERGE")
    void aMergeWhosePolicyFollowsARelationshipIsRefusedNamingThePolicyAndWritesNothing() {
        assertThatThrownBy(() -> b.merge("task", List.of(Map.of("id", 1L, "label", "pwned")),
                Merge.on("id").whenMatched().update())).isInstanceOf(QueryException.class)
                .hasMessageContaining("policy of task").hasMessageContaining("'project'");
        assertThat(tasks()).isEqualTo("1:a task:1,2:b task:2");
    }
}
