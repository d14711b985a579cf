package dev.ashlar.kernel.data;

import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.testing.RequiresPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Attribute constraints on the writes {@link AttributeConstraintsTest} does not make: a merge, a draft (created and
 * updated by query) and a related record written with its record. Each value that breaks a rule is refused naming the
 * field, and the tables, which hold rows beforehand, keep them as they were.
 */
class AttributeConstraintsOtherWritesTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("constraints_other_writes")
            .resource(Resource.builder("member").table("members").integerPrimaryKey("id")
                    .attribute("login", TEXT, a -> a.notNull().minLength(3).match("^[a-z]+$"))
                    .attribute("age", INTEGER, a -> a.min(0).max(150))
                    .identity("unique_login", "login").draftable().build())
            .resource(Resource.builder("team").table("teams").integerPrimaryKey("id")
                    .attribute("name", TEXT, a -> a.notNull().maxLength(10))
                    .hasMany("players", "player").build())
            .resource(Resource.builder("player").table("players").integerPrimaryKey("id")
                    .attribute("nick", TEXT, a -> a.notNull().maxLength(5))
                    .belongsTo("team", "team").build())
            .build();

    AttributeConstraintsOtherWritesTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void storedRows() {
        db.execute("TRUNCATE members, teams, players RESTART IDENTITY CASCADE");
        db.execute("INSERT INTO members (login, age) VALUES ('ada', 36), ('bob', 41)");
        db.execute("INSERT INTO teams (name) VALUES ('reds')");
        db.execute("INSERT INTO players (nick, team_id) VALUES ('ace', 1)");
    }

    private static void assertRefused(Runnable write, String field, String words) {
        assertThatThrownBy(write::run).isInstanceOfSatisfying(InvalidDataException.class, e -> {
            assertThat(e.errors()).extracting(FieldError::field).containsExactly(field);
            assertThat(e.errors().get(0).message()).contains(words);
        });
    }

    private List<String> members() {
        return db.query("SELECT login, age FROM members ORDER BY id").stream()
                .map(r -> r.get("login") + ":" + r.get("age")).toList();
    }

    @Test
    @RequiresPostgres(value = 15, reason = "MERGE")
    void aMergeRecordBreakingAConstraintIsRefusedWhetherItWouldUpdateOrInsert() {
        Merge sync = Merge.on("login").whenMatched().update().whenNotMatched().insert();

        assertRefused(() -> ashlar.merge("member", List.of(Map.of("login", "ada", "age", 200)), sync), "age",
                "at most 150");
        assertRefused(() -> ashlar.merge("member", List.of(Map.of("login", "cy", "age", 20)), sync), "login",
                "at least 3");
        assertRefused(() -> ashlar.merge("member", List.of(Map.of("login", "bob", "age", 42),
                Map.of("login", "Eve", "age", 30)), sync), "login", "must match the pattern");

        assertThat(members()).containsExactly("ada:36", "bob:41");
        assertThat(ashlar.merge("member", List.of(Map.of("login", "bob", "age", 42)), sync).merged()).isEqualTo(1);
        assertThat(members()).containsExactly("ada:36", "bob:42");
    }

    @Test
    void aDraftIsHeldToTheSameConstraintsWhenCreatedAndWhenUpdatedByQuery() {
        assertRefused(() -> ashlar.create(ashlar.drafts("member"), Map.of("id", 10, "login", "cat", "age", -1)), "age",
                "at least 0");
        ashlar.create(ashlar.drafts("member"), Map.of("id", 10, "login", "cat", "age", 37));

        assertRefused(() -> ashlar.read(ashlar.drafts("member")).where(Filter.eq("id", 10))
                .updateAll(Map.of("login", "CAT")), "login", "must match the pattern");

        assertThat(db.value("SELECT age FROM members_draft WHERE id = 10")).isEqualTo(37);
        assertThat(db.value("SELECT login FROM members_draft WHERE id = 10")).isEqualTo("cat");
        assertThat(ashlar.publish("member", Filter.eq("id", 10))).isEqualTo(1);
        assertThat(members()).containsExactly("ada:36", "bob:41", "cat:37");
    }

    @Test
    void aRelatedRecordBreakingAConstraintRefusesTheWholeWriteAndNothingIsStored() {
        assertThatThrownBy(() -> ashlar.create("team", Map.of("name", "blues",
                        "players", List.of(Map.of("nick", "abc"), Map.of("nick", "toolong"))),
                Manage.relationship("players").create()))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> {
                    assertThat(e.getMessage()).contains("nick").contains("at most 5");
                });
        assertRefused(() -> ashlar.create("team", Map.of("name", "far too long a name",
                "players", List.of(Map.of("nick", "abc"))), Manage.relationship("players").create()), "name",
                "at most 10");

        assertThat(db.value("SELECT count(*) FROM teams")).isEqualTo(1L);
        assertThat(db.query("SELECT nick, team_id FROM players")).containsExactly(Map.of("nick", "ace", "team_id", 1));
    }
}
