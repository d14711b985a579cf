package dev.ashlar.kernel.data;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ForbiddenException;
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
import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Related records written with their record ({@link Manage}) keep to the related resource's policy: actor 2 cannot
 * link, create as another owner, update or destroy actor 1's documents through a project it may write.
 */
class ManagedRelationshipPolicyTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("managed_policed")
            .resource(Resource.builder("project").table("projects").bigintPrimaryKey("id")
                    .attribute("name", TEXT).hasMany("docs", "doc").build())
            .resource(Resource.builder("doc").table("docs").bigintPrimaryKey("id")
                    .attribute("title", TEXT, a -> a.notNull()).attribute("owner_id", BIGINT, a -> a.notNull())
                    .belongsTo("project", "project").build())
            .build();
    static final Policy PROJECTS = Policy.on("project").read(Policy.EVERY_ROW).create(Policy.EVERY_ROW)
            .update(Policy.EVERY_ROW).destroy(Policy.EVERY_ROW);
    static final Policy DOCS = Policy.on("doc")
            .read(actor -> eq("owner_id", actor.id()))
            .create(actor -> eq("owner_id", actor.id()))
            .update(actor -> eq("owner_id", actor.id()))
            .destroy(actor -> eq("owner_id", actor.id()));

    private Ashlar policed;
    private Ashlar attacker;

    ManagedRelationshipPolicyTest() {
        super(DOMAIN);
    }

    @BeforeAll
    void policed() {
        policed = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN).policies(PROJECTS, DOCS).build();
        attacker = policed.withUser(2L);
    }

    @AfterAll
    void closed() {
        policed.close();
    }

    @BeforeEach
    void populated() {
        db.execute("TRUNCATE projects, docs RESTART IDENTITY CASCADE");
        db.execute("INSERT INTO projects (name) VALUES ('shared')");
        db.execute("INSERT INTO docs (title, owner_id, project_id) VALUES ('secret', 1, 1), ('mine', 2, 1)");
    }

    private List<Map<String, Object>> docs() {
        return db.query("SELECT id, title, owner_id, project_id FROM docs ORDER BY id");
    }

    @Test
    void anotherActorsDocumentIsNeitherLinkedNorMovedByANestedAppend() {
        List<Map<String, Object>> before = docs();

        assertThatThrownBy(() -> attacker.create("project", Map.of("name", "mine too", "docs", List.of(1L)),
                Manage.relationship("docs").append())).isInstanceOf(AshlarException.class);

        assertThat(docs()).isEqualTo(before);
        assertThat(db.value("SELECT count(*) FROM projects")).isEqualTo(1L);
    }

    @Test
    void aNestedCreateAsAnotherOwnerIsForbiddenAndWritesNothing() {
        List<Map<String, Object>> before = docs();

        assertThatThrownBy(() -> attacker.create("project", Map.of("name", "forged",
                        "docs", List.of(Map.of("title", "planted", "owner_id", 1L))),
                Manage.relationship("docs").create())).isInstanceOf(ForbiddenException.class);

        assertThat(docs()).isEqualTo(before);
        assertThat(db.value("SELECT count(*) FROM projects")).isEqualTo(1L);
    }

    @Test
    void directControlOfASharedProjectNeverUpdatesNorDestroysAnotherActorsDocuments() {
        var project = attacker.read("project").where(eq("id", 1L)).list().get(0);

        attacker.update(project, Map.of("docs", List.of(Map.of("id", 2L, "title", "mine, renamed", "owner_id", 2L))),
                Manage.relationship("docs").directControl());
        assertThatThrownBy(() -> attacker.update(project, Map.of("docs",
                        List.of(Map.of("id", 1L, "title", "defaced", "owner_id", 2L))),
                Manage.relationship("docs").directControl())).isInstanceOf(AshlarException.class);
        attacker.update(project, Map.of("docs", List.of()), Manage.relationship("docs").directControl());

        assertThat(docs()).extracting(row -> row.get("title")).containsExactly("secret");
        assertThat(docs().get(0)).containsEntry("owner_id", 1L).containsEntry("project_id", 1L);
    }
}
