package dev.ashlar.plugins.references;

import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.schema.SchemaBuilder;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.ashlar.plugins.references.OnDelete.NILIFY;
import static dev.ashlar.plugins.references.OnDelete.nilify;
import static dev.ashlar.plugins.references.Reference.reference;
import static dev.ashlar.api.resource.Type.INTEGER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Mistakes in a references section are refused when Ashlar reads the domain, each with the option that fixes it. */
class ReferenceRulesTest {

    private static DefinitionException refused(Domain domain) {
        try {
            Project.PLUGINS.check(domain);
        } catch (DefinitionException e) {
            return e;
        }
        throw new AssertionError("expected the domain to be refused");
    }

    @Test
    void aReferenceNamingNoBelongsToIsRefusedWithTheResourceAndRelationship() {
        DefinitionException e = refused(Blog.withCommentReferences(reference("article")));

        assertThat(e.problems()).hasSize(1);
        assertThat(e).hasMessage("Domain 'blog': resource 'comment', 'article': reference(\"article\") names no "
                + "belongsTo relationship of resource 'comment'; its belongsTo relationships are [post, user]");
    }

    @Test
    void anEmptyIndexPredicateIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> Project.PLUGINS.check(Blog.withCommentReferences(reference("post").indexWhere(" "))))
                .hasMessageContaining("resource 'comment', 'post'").hasMessageContaining("indexWhere(\"\") is empty");
    }

    @Test
    void aNameOver63BytesIsRefusedNamingTheNameOption() {
        String longName = "comments_" + "x".repeat(60) + "_fkey";

        assertThatThrownBy(() -> Project.PLUGINS.check(Blog.withCommentReferences(reference("post").name(longName))))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("resource 'comment', 'post': the name(\"" + longName + "\") of the foreign key "
                        + "is 74 bytes long");
    }

    @Test
    void aGeneratedNameOver63BytesAsksForTheNameOption() {
        Resource comment = Resource.builder("comment").table("comments_" + "y".repeat(45)).integerPrimaryKey("id")
                .belongsTo("post", "post").build();

        assertThatThrownBy(() -> Project.PLUGINS.check(Domain.builder("blog").resources(Blog.user(), Blog.post(),
                comment).build())).hasMessageContaining("the generated foreign key name").hasMessageContaining(
                "with name(\"...\")");
    }

    @Test
    void nilifyOfANonNullableColumnIsRefusedBeforeTheFirstDeleteWouldFail() {
        Resource comment = Blog.comment().belongsTo("reply_to", "post", r -> r.allowNil(false))
                .with(References.of(reference("reply_to").onDelete(NILIFY))).build();

        assertThatThrownBy(() -> Project.PLUGINS.check(Domain.builder("blog")
                .resources(Blog.user(), Blog.post(), comment).build()))
                .hasMessageContaining("onDelete(NILIFY) would set 'reply_to_id' to null, but it is not nullable");
    }

    @Test
    void nilifyMayOnlyNameColumnsOfTheKey() {
        assertThatThrownBy(() -> Project.PLUGINS.check(Blog.withCommentReferences(
                reference("post").onDelete(nilify("user_id")))))
                .hasMessageContaining("onDelete(nilify(...)) names 'user_id', which is not a column of this key; "
                        + "its columns are [post_id]");
    }

    /** Comments whose key to posts is (post_id, org_id), MATCH FULL, nilifying these columns on delete. */
    private static Domain matchFullNilifying(String... columns) {
        Resource post = Resource.builder("post").table("posts").integerPrimaryKey("id")
                .attribute("org_id", INTEGER, a -> a.notNull()).identity("per_org", "id", "org_id").build();
        Resource comment = Resource.builder("comment").table("comments").integerPrimaryKey("id")
                .attribute("org_id", INTEGER).belongsTo("post", "post")
                .with(References.of(reference("post").matchWith("org_id", "org_id").match(Match.FULL)
                        .onDelete(nilify(columns)))).build();
        return Domain.builder("blog").resources(post, comment).build();
    }

    @Test
    void matchFullWithNilifyOfPartOfTheKeyIsRefusedBecauseEveryParentDeleteWouldFail() {
        assertThatThrownBy(() -> Project.PLUGINS.check(matchFullNilifying("post_id")))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("resource 'comment', 'post': match(FULL) with onDelete(nilify([post_id])) would "
                        + "leave the key [post_id, org_id] partly null, which MATCH FULL forbids")
                .hasMessageContaining("nilify all of [post_id, org_id] or use match(SIMPLE)");
    }

    @Test
    void matchFullWithNilifyOfTheWholeKeyIsAccepted() {
        Project.PLUGINS.check(matchFullNilifying("post_id", "org_id"));
    }

    @Test
    void initiallyDeferredNeedsDeferrable() {
        assertThatThrownBy(() -> Project.PLUGINS.check(Blog.withCommentReferences(
                reference("post").initiallyDeferred(true))))
                .hasMessageContaining("initiallyDeferred(true) needs deferrable(true)");
    }

    /** Comments keyed to the post and its org_id refuse the post given, whose keys make no such pair unique. */
    private static void compositeKeyRefusedBy(Resource post) {
        Resource comment = Resource.builder("comment").table("comments").integerPrimaryKey("id")
                .attribute("org_id", INTEGER).belongsTo("post", "post")
                .with(References.of(reference("post").matchWith("org_id", "org_id"))).build();

        assertThatThrownBy(() -> Project.PLUGINS.check(Domain.builder("blog").resources(post, comment).build()))
                .hasMessageContaining("references post [id, org_id], which neither its primary key nor any of its "
                        + "identities makes unique");
    }

    @Test
    void aCompositeKeyMustReferenceAUniqueSetOfColumns() {
        compositeKeyRefusedBy(Resource.builder("post").table("posts").integerPrimaryKey("id")
                .attribute("org_id", INTEGER).build());
    }

    @Test
    void aKeyToOneAttributeOfATwoAttributeIdentityMustMatchTheOther() {
        Resource dept = Resource.builder("dept").table("depts").integerPrimaryKey("id").attribute("code", INTEGER)
                .attribute("org_id", INTEGER).identity("code_org", "code", "org_id").build();
        Resource plain = Resource.builder("employee").table("employees").integerPrimaryKey("id")
                .attribute("org_id", INTEGER).belongsTo("dept", "dept", r -> r.destinationAttribute("code")).build();

        assertThatThrownBy(() -> Project.PLUGINS.check(Domain.builder("hr").resources(dept, plain).build()))
                .hasMessageContaining("references dept [code], which neither its primary key nor any of its "
                        + "identities makes unique");
        Project.PLUGINS.check(Domain.builder("hr").resources(dept, Resource.builder("employee").table("employees")
                .integerPrimaryKey("id").attribute("org_id", INTEGER)
                .belongsTo("dept", "dept", r -> r.destinationAttribute("code"))
                .with(References.of(reference("dept").matchWith("org_id", "org_id"))).build()).build());
    }

    @Test
    void aCompositeKeyToAPartialIdentityIsRefusedAsPostgreSQLWouldRefuseIt() {
        compositeKeyRefusedBy(Resource.builder("post").table("posts").integerPrimaryKey("id").attribute("org_id", INTEGER)
                .identity("id_org", List.of("id", "org_id"), i -> i.where("org_id IS NOT NULL")).build());
    }

    @Test
    void matchWithMustNameAttributesOnBothSides() {
        DefinitionException e = refused(Blog.withCommentReferences(reference("post").matchWith("org", "tenant")));

        assertThat(e.problems()).extracting(p -> p.message()).anyMatch(m -> m.startsWith("matchWith(\"org\", ...)"))
                .anyMatch(m -> m.startsWith("matchWith(..., \"tenant\")"));
    }

    @Test
    void aResourceThatListsTheSameRelationshipTwiceIsRefused() {
        assertThatThrownBy(() -> Project.PLUGINS.check(Blog.withCommentReferences(reference("post"), reference("post"))))
                .hasMessageContaining("is listed twice in the references section");
    }

    @Test
    void usingTheSectionWithoutThePluginFailsNamingTheJarToAdd() {
        Domain blog = Blog.withCommentReferences(reference("post"));

        assertThatThrownBy(() -> new SchemaBuilder(blog, Plugins.none()).build())
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("uses the 'references' section, but no plugin 'references' is installed. Add "
                        + "dev.ashlar:ashlar-references to the class path");
    }

    @Test
    void withoutThePluginABelongsToHasNoKey() {
        assertThat(new SchemaBuilder(Blog.withCommentReferences(), Plugins.none()).build().tables())
                .allSatisfy(table -> assertThat(table.objects()).isEmpty());
    }
}
