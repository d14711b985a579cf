package dev.ashlar.plugins.references;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.spi.plugin.DatabaseError;
import dev.ashlar.spi.plugin.Action;
import dev.ashlar.spi.plugin.QueryContext;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/** The mapper on errors shaped as PostgreSQL reports them (see ReferencesBehaviourTest for the real ones). */
class ReferenceErrorsTest {
    private static final ReferencesPlugin PLUGIN = new ReferencesPlugin();
    private static final Domain BLOG = Blog.withCommentReferences();

    private static DatabaseError violation(String table, String constraint, String detail) {
        return new DatabaseError("23503", "violates foreign key constraint", detail, "public", table, null, constraint);
    }

    private static Optional<AshlarException> map(DatabaseError error, Domain domain, String resource, String action) {
        return PLUGIN.mapError(error, new QueryContext(domain, domain.resource(resource), Action.valueOf(action.toUpperCase(java.util.Locale.ROOT)), null));
    }

    private static List<FieldError> errors(Optional<AshlarException> mapped) {
        return ((InvalidDataException) mapped.orElseThrow()).errors();
    }

    @Test
    void leavesOtherErrorsAndOtherConstraintsToTheNextMapper() {
        assertThat(map(new DatabaseError("23505", "duplicate", null, "public", "comments", null,
                "comments_post_id_fkey"), BLOG, "comment", "create")).isEmpty();
        assertThat(map(violation("comments", "someone_elses_fkey", null), BLOG, "comment", "create")).isEmpty();
        assertThat(map(violation("posts", "comments_post_id_fkey", null), BLOG, "comment", "create")).isEmpty();
    }

    @Test
    void anIgnoredRelationshipHasNoKeyToMap() {
        Domain blog = Blog.withCommentReferences(Reference.reference("post").ignore());

        assertThat(map(violation("comments", "comments_post_id_fkey", null), blog, "comment", "create")).isEmpty();
    }

    @Test
    void anUpsertWithAMissingParentNamesTheRelationship() {
        assertThat(errors(map(violation("comments", "comments_user_id_fkey", null), BLOG, "comment", "upsert")))
                .containsExactly(new FieldError("user", "does not exist"));
    }

    @Test
    void changingTheReferencedKeyOfAParentLeavesChildrenBehind() {
        assertThat(errors(map(violation("comments", "comments_post_id_fkey", null), BLOG, "post", "update")))
                .containsExactly(new FieldError("comments", "would leave comment records behind: delete them first "
                        + "or set on_delete on reference(\"post\") of resource 'comment'"));
    }

    @Test
    void aDeleteThatCascadesIntoARestrictedKeyNamesTheRecordsThatBlockIt() {
        assertThat(errors(map(violation("comments", "comments_post_id_fkey", null), BLOG, "user", "destroy")))
                .extracting(FieldError::field).containsExactly("comment");
    }

    @Test
    void aSelfReferenceTellsTheTwoSidesApartByTheDetail() {
        Resource category = Resource.builder("category").table("categories").integerPrimaryKey("id")
                .attribute("name", TEXT).belongsTo("parent", "category").build();
        Domain shop = Domain.builder("shop").resource(category).build();
        DatabaseError child = violation("categories", "categories_parent_id_fkey",
                "Key (parent_id)=(9) is not present in table \"categories\".");
        DatabaseError parent = violation("categories", "categories_parent_id_fkey",
                "Key (id)=(1) is still referenced from table \"categories\".");

        assertThat(errors(map(child, shop, "category", "update")))
                .containsExactly(new FieldError("parent", "does not exist"));
        assertThat(errors(map(parent, shop, "category", "update"))).extracting(FieldError::message)
                .containsExactly("would leave category records behind: delete them first or set on_delete on "
                        + "reference(\"parent\") of resource 'category'");
    }
}
