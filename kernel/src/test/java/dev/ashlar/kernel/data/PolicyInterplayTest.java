package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.ForbiddenException;
import dev.ashlar.api.error.NotFoundException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.error.StaleRecordException;
import dev.ashlar.api.resource.Converter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Policy;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.RequiresPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.and;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.not;
import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Policies where they meet the other features: a merge's records against a rule over a converted field, a publish
 * over a record the actor may not change, a direct control replacing a record a hidden record still holds, and an
 * update of a record the actor may read but not change. Actor 2 attacks actor 1's rows; each case asserts the rows.
 */
class PolicyInterplayTest extends DomainDatabaseTest {
    enum Role { USER, ADMIN }

    static final Domain DOMAIN = Domain.builder("policy_interplay")
            .resource(Resource.builder("account").table("accounts").bigintPrimaryKey("id")
                    .attribute("email", TEXT, a -> a.notNull()).attribute("owner_id", BIGINT, a -> a.notNull())
                    .attribute("role", Converter.ordinal(Role.class, INTEGER), a -> a.notNull().defaultValue(Role.USER))
                    .identity("unique_email", "email").build())
            .resource(Resource.builder("author").table("authors").bigintPrimaryKey("id").attribute("name", TEXT)
                    .build())
            .resource(Resource.builder("post").table("posts").bigintPrimaryKey("id").attribute("title", TEXT)
                    .attribute("owner_id", BIGINT).belongsTo("author", "author").build())
            .resource(Resource.builder("memo").table("memos").bigintPrimaryKey("id").attribute("title", TEXT)
                    .attribute("owner_id", BIGINT).draftable().build())
            .resource(Resource.builder("doc").table("docs").bigintPrimaryKey("id").attribute("title", TEXT)
                    .attribute("owner_id", BIGINT)
                    .attribute("lock_version", INTEGER, a -> a.notNull().defaultValue(1))
                    .optimisticLock("lock_version").build())
            .build();

    static final Policy ACCOUNTS = Policy.on("account").read(actor -> eq("owner_id", actor.id()))
            .update(actor -> eq("owner_id", actor.id()))
            .create(actor -> and(eq("owner_id", actor.id()), not(eq("role", Role.ADMIN))));
    static final Policy POSTS = Policy.on("post").read(actor -> eq("owner_id", actor.id()))
            .create(actor -> eq("owner_id", actor.id())).update(actor -> eq("owner_id", actor.id()))
            .destroy(actor -> eq("owner_id", actor.id()));
    static final Policy MEMOS = Policy.on("memo").read(actor -> eq("owner_id", actor.id()))
            .create(actor -> eq("owner_id", actor.id())).update(actor -> eq("owner_id", actor.id()));
    static final Policy DOCS = Policy.on("doc").read(Policy.EVERY_ROW)
            .create(actor -> eq("owner_id", actor.id())).update(actor -> eq("owner_id", actor.id()));

    private Ashlar policed;
    private Ashlar b;

    PolicyInterplayTest() {
        super(DOMAIN);
    }

    @BeforeAll
    void policed() {
        policed = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN)
                .policies(ACCOUNTS, POSTS, MEMOS, DOCS).build();
        b = policed.withUser(2L);
    }

    @AfterAll
    void closed() {
        policed.close();
    }

    @BeforeEach
    void rows() {
        db.execute("TRUNCATE accounts, authors, posts, memos, memos_draft, docs RESTART IDENTITY");
        db.execute("INSERT INTO accounts (email, owner_id, role) VALUES ('a@x', 1, 1)");
        db.execute("INSERT INTO authors (name) VALUES ('Ada')");
        db.execute("INSERT INTO posts (title, owner_id, author_id) VALUES ('a-post', 1, 1), ('b-post', 2, 1)");
        db.execute("INSERT INTO memos (title, owner_id) VALUES ('a-live', 1)");
        db.execute("INSERT INTO docs (title, owner_id) VALUES ('a-doc', 1)");
    }

    @Test
    @RequiresPostgres(value = 15, reason = "MERGE")
    void aMergeIsHeldToTheCreateRuleByTheRecordsOwnValuesNotTheirStoredForms() {
        assertThatThrownBy(() -> b.create("account", Map.of("email", "b@x", "owner_id", 2L, "role", Role.ADMIN)))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> b.merge("account", List.of(Map.of("email", "b@x", "owner_id", 2L, "role",
                Role.ADMIN)), Merge.on("email").whenNotMatched().insert())).isInstanceOf(ForbiddenException.class);

        b.merge("account", List.of(Map.of("email", "b@x", "owner_id", 2L, "role", Role.USER)),
                Merge.on("email").whenNotMatched().insert());

        assertThat(db.query("SELECT email, owner_id, role FROM accounts ORDER BY id")).containsExactly(
                Map.of("email", "a@x", "owner_id", 1L, "role", 1), Map.of("email", "b@x", "owner_id", 2L, "role", 0));
    }

    @Test
    void aPublishOverARecordTheActorMayNotChangeIsRefusedAndLeavesItsDraftUnpublished() {
        db.execute("INSERT INTO memos_draft (id, title, owner_id) VALUES (1, 'b-draft', 2)");

        assertThatThrownBy(() -> b.publish("memo", eq("title", "b-draft"))).isInstanceOf(QueryException.class)
                .hasMessageContaining("Nothing was published");

        assertThat(db.query("SELECT id, title, owner_id FROM memos")).containsExactly(
                Map.of("id", 1L, "title", "a-live", "owner_id", 1L));
        assertThat(db.value("SELECT draft_live FROM memos_draft WHERE id = 1")).isEqualTo(false);
    }

    @Test
    void aDirectControlReplacingAnAuthorKeepsItWhileAPostTheActorCannotReadStillHoldsIt() {
        Row own = b.read("post").where(eq("title", "b-post")).list().get(0);

        b.update(own, Map.of("author", Map.of("name", "Bob")), Manage.relationship("author").directControl());

        assertThat(db.query("SELECT id, name FROM authors ORDER BY id")).containsExactly(
                Map.of("id", 1L, "name", "Ada"), Map.of("id", 2L, "name", "Bob"));
        assertThat(db.query("SELECT title, author_id FROM posts ORDER BY id")).containsExactly(
                Map.of("title", "a-post", "author_id", 1L), Map.of("title", "b-post", "author_id", 2L));
    }

    @Test
    void anUpdateOfARecordTheActorMayReadButNotChangeIsNotFoundRatherThanStale() {
        Row others = b.read("doc").list().get(0);

        assertThatThrownBy(() -> b.update(others, Map.of("title", "defaced")))
                .isInstanceOf(NotFoundException.class).isNotInstanceOf(StaleRecordException.class);

        assertThat(db.query("SELECT title, owner_id, lock_version FROM docs")).containsExactly(
                Map.of("title", "a-doc", "owner_id", 1L, "lock_version", 1));
    }
}
