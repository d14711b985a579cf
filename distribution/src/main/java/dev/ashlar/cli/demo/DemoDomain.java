package dev.ashlar.cli.demo;

import dev.ashlar.plugins.checks.CheckConstraints;
import dev.ashlar.plugins.references.References;
import dev.ashlar.plugins.indexes.CustomIndexes;
import dev.ashlar.plugins.indexes.CustomStatements;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.DomainProvider;
import dev.ashlar.api.resource.Resource;

import static dev.ashlar.plugins.checks.Check.check;
import static dev.ashlar.plugins.references.OnDelete.DELETE;
import static dev.ashlar.plugins.references.OnDelete.NILIFY;
import static dev.ashlar.plugins.references.Reference.reference;
import static dev.ashlar.plugins.indexes.CustomIndexes.index;
import static dev.ashlar.plugins.indexes.CustomStatements.statement;

/**
 * The demo's blog: users, their posts, and comments on posts. {@link #first()} is where the demo
 * starts; {@link #second()} is the same domain a feature later. Deleting a post deletes its comments
 * (a cascade); deleting a user keeps the comments they wrote, without an author (a nilify); and in
 * the later domain a rating must lie between 1 and 5 (a check with a message).
 *
 * <p>The resources are built from the typed symbols declared on the records {@link User}, {@link Post}
 * and {@link Comment}: the same constants build the tables and query them, and plugin sections attach
 * with {@code .with(...)} as on any resource.
 */
public final class DemoDomain implements DomainProvider {

    @Override
    public Domain domain() {
        return first();
    }

    public static Domain first() {
        return blog(false);
    }

    /**
     * Posts gain a publication time, longer titles and indexes for tag and publication queries; users a
     * trigger that stamps updates; comments a required rating from 1 to 5.
     */
    public static Domain second() {
        return blog(true);
    }

    private static Domain blog(boolean later) {
        var user = User.USERS.builder().table("users")
                .add(User.ID, User.EMAIL, User.NAME, User.INSERTED_AT, User.UPDATED_AT, User.UNIQUE_EMAIL);
        var post = Post.POSTS.builder().table("posts")
                .add(Post.ID, later ? Post.LONGER_TITLE : Post.TITLE, Post.BODY, Post.TAGS, Post.AUTHOR, Post.COMMENTS);
        if (later) {
            post.add(Post.PUBLISHED_AT).with(CustomIndexes.of(
                    index("tags").using("gin"),
                    index("published_at").where("published_at IS NOT NULL")));
            user.with(CustomStatements.of(statement("update_updated_at").up("""
                    CREATE FUNCTION users_set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
                    CREATE TRIGGER update_updated_at BEFORE UPDATE ON users
                    FOR EACH ROW EXECUTE FUNCTION users_set_updated_at();
                    """).down("DROP TRIGGER update_updated_at ON users;\nDROP FUNCTION users_set_updated_at();")));
        }
        return Domain.builder("blog").resources(user.build(), post.build(), comment(later)).build();
    }

    private static Resource comment(boolean later) {
        var comment = Comment.COMMENTS.builder().table("comments")
                .add(Comment.ID, Comment.BODY, later ? Comment.REQUIRED_RATING : Comment.RATING, Comment.POST,
                        Comment.AUTHOR)
                .with(References.of(reference("post").onDelete(DELETE), reference("author").onDelete(NILIFY)));
        if (later) {
            comment.with(CheckConstraints.of(check("rating_range").expression("rating BETWEEN 1 AND 5")
                    .attributes("rating").message("must be between 1 and 5")));
        }
        return comment.build();
    }
}
