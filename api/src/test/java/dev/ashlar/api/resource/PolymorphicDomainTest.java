package dev.ashlar.api.resource;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.api.query.Query;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How a domain takes polymorphic resources: one resource per table, and every mistake refused with its fix. */
class PolymorphicDomainTest {

    private static ResourceBuilder comment() {
        return Resource.builder("comment").polymorphic().primaryKey("id")
                .attribute("body", TEXT).attribute("resource_id", BIGINT);
    }

    private static ResourceBuilder post() {
        return Resource.builder("post").table("posts").primaryKey("id");
    }

    private static List<Problem> problems(Resource... resources) {
        try {
            Domain.builder("blog").resources(resources).build();
        } catch (DefinitionException e) {
            return e.problems();
        }
        throw new AssertionError("expected the domain to be refused");
    }

    @Test
    void theDomainServesAPolymorphicResourceOncePerTableNamedByRelationshipsOrItself() {
        Domain domain = Domain.builder("blog").resources(
                post().hasMany("comments", "comment", r -> r.table("post_comments").destinationAttribute("resource_id"))
                        .build(),
                comment().polymorphic("archived_comments").build()).build();

        assertThat(domain.resources()).extracting(Resource::name)
                .containsExactly("post", "comment@archived_comments", "comment@post_comments");
        assertThat(domain.resource("comment@post_comments").table()).isEqualTo("post_comments");
        assertThat(domain.resource("post").relationship("comments").orElseThrow().destination())
                .isEqualTo("comment@post_comments");
        assertThat(domain.polymorphicTables("comment")).contains(List.of("archived_comments", "post_comments"));
        assertThat(domain.find("comment")).isEmpty();
    }

    @Test
    void aQueryAndANameGiveTheTableAfterTheResourcesName() {
        assertThat(Query.of("comment").withTable("post_comments").resource()).isEqualTo("comment@post_comments");
        assertThat(Query.of("comment@post_comments").withTable("user_comments").resource())
                .isEqualTo("comment@user_comments");
        assertThat(Resource.inTable("comment", "post_comments")).isEqualTo("comment@post_comments");
        assertThat(Resource.withoutTable("comment@post_comments")).isEqualTo("comment");
    }

    @Test
    void refusesAPolymorphicResourceNoRelationshipGivesATableSayingHowToDeclareOne() {
        assertThat(problems(post().build(), comment().build())).singleElement().satisfies(p -> {
            assertThat(p.resource()).isEqualTo("comment");
            assertThat(p.message()).contains("is polymorphic, but no relationship names a table for it")
                    .contains(".polymorphic(\"comments\")");
        });
    }

    @Test
    void refusesATableNameOverSixtyThreeBytesNamingTheRelationship() {
        String longName = "t".repeat(64);
        assertThat(problems(post().hasMany("comments", "comment", r -> r.table(longName)).build(),
                comment().polymorphic("comments").build())).singleElement().satisfies(p -> {
                    assertThat(p.resource()).isEqualTo("post");
                    assertThat(p.field()).isEqualTo("comments");
                    assertThat(p.message()).contains("table name '" + longName + "'").contains("63");
                });
    }

    @Test
    void refusesATableOptionOnADestinationWithATableOfItsOwn() {
        Resource note = Resource.builder("note").table("notes").primaryKey("id").attribute("post_id", BIGINT).build();
        assertThat(problems(post().hasMany("notes", "note", r -> r.table("post_notes")).build(), note))
                .singleElement().satisfies(p -> {
                    assertThat(p.resource()).isEqualTo("post");
                    assertThat(p.field()).isEqualTo("notes");
                    assertThat(p.message()).contains("has a table of its own ('notes')")
                            .contains("remove r.table(\"post_notes\")");
                });
    }

    @Test
    void refusesARelationshipToAPolymorphicResourceThatNamesNoTable() {
        assertThat(problems(post().hasMany("comments", "comment", r -> r.destinationAttribute("resource_id")).build(),
                comment().polymorphic("comments").build())).singleElement().satisfies(p -> {
                    assertThat(p.field()).isEqualTo("comments");
                    assertThat(p.message()).contains("points at polymorphic resource 'comment'")
                            .contains("r -> r.table(\"...\")");
                });
    }

    @Test
    void refusesAPolymorphicTableThatIsAnotherResourcesTable() {
        assertThat(problems(post().build(), comment().polymorphic("posts").build())).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("table 'posts' is also a table of resource 'post'"));
    }

    @Test
    void refusesAnIdentityIndexNamedAlikeInEveryTable() {
        Resource comment = comment().polymorphic("comments")
                .identity("unique_body", List.of("body"), o -> o.indexName("comment_body_index")).build();

        assertThat(problems(comment)).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("unique_body");
            assertThat(p.message()).contains("remove indexName(...)");
        });
    }

    @Test
    void aMistakeInAPolymorphicResourceIsReportedOnceUnderItsDeclaredName() {
        Resource comment = comment().polymorphic("post_comments", "user_comments").belongsTo("author", "writer")
                .build();

        assertThat(problems(comment)).singleElement().satisfies(p -> {
            assertThat(p.resource()).isEqualTo("comment");
            assertThat(p.field()).isEqualTo("author");
            assertThat(p.message()).contains("points at resource 'writer', which is not in the domain");
        });
    }

    @Test
    void refusesAResourceNameHoldingTheTableSeparator() {
        assertThat(problems(Resource.builder("comment@posts").table("c").primaryKey("id").build()))
                .anySatisfy(p -> assertThat(p.message()).contains("holds '@'"));
    }

    @Test
    void refusesATableOfItsOwnOnAPolymorphicResource() {
        assertThatThrownBy(() -> comment().table("comments").build()).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("a polymorphic resource has no table of its own");
    }

    @Test
    void refusesAManyToManyToAPolymorphicResource() {
        Resource link = Resource.builder("post_comment").table("post_comment").primaryKey("id")
                .attribute("post_id", BIGINT).attribute("comment_id", BIGINT).build();

        assertThat(problems(post().manyToMany("comments", "comment", r -> r.through("post_comment")).build(), link,
                comment().polymorphic("comments").build())).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("which a many-to-many cannot reach"));
    }

    @Test
    void refusesATableOptionOnAManyToMany() {
        assertThatThrownBy(() -> post().manyToMany("tags", "tag", r -> r.through("post_tag").table("x")))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("the option table");
    }
}
