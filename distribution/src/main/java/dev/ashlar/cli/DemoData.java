package dev.ashlar.cli;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.cli.demo.Comment;
import dev.ashlar.cli.demo.Post;
import dev.ashlar.cli.demo.User;
import dev.ashlar.kernel.Ashlar;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static dev.ashlar.api.query.Filter.eq;

/**
 * The demo's data act, through the typed API: create, query, update, upsert and destroy records of the
 * blog as Java records, and the refusals that the database and the plugins turn into clear field
 * errors. The last step shows the string API beside it, for names decided at run time.
 */
final class DemoData {
    private final PrintWriter out;
    private final Domain domain;

    DemoData(PrintWriter out, Domain domain) {
        this.out = out;
        this.domain = domain;
    }

    /** A post as the application reads it. */
    record PostSummary(Long id, String title, List<String> tags) {
    }

    void show(DataSource dataSource) {
        try (Ashlar ashlar = Ashlar.builder().dataSource(dataSource).domain(domain).build()) {
            User ada = ashlar.create(User.USERS, User.of("ada@example.com", "Ada"));
            User bob = ashlar.create(User.USERS, User.of("bob@example.com", "Bob"));
            Post post = ashlar.create(Post.POSTS, Post.of("Hello", List.of("intro", "java"), ada));
            ashlar.createAll(Comment.COMMENTS, List.of(Comment.of("First!", 5, post, bob),
                    Comment.of("Nice", null, post, null)));
            out.println("  created Ada, Bob, post #" + post.id() + " (tags " + post.tags()
                    + ") and 2 comments; the second got the default rating "
                    + ashlar.read(Comment.COMMENTS).where(Comment.BODY.eq("Nice")).first().orElseThrow().rating());
            List<PostSummary> tagged = ashlar.read(Post.POSTS).where(Post.TAGS.contains("java")).sort(Post.ID.asc())
                    .list(PostSummary.class);
            out.println("  read posts tagged java, as Java records: " + tagged);
            out.println("  comments rated 4 or more: "
                    + ashlar.read(Comment.COMMENTS).where(Comment.RATING.gte(4)).count());
            Post edited = ashlar.update(Post.POSTS, post, Post.TITLE.set("Hello, world"));
            out.println("  updated the title: " + edited.title());
            ashlar.upsert(User.USERS, List.of(User.of("ada@example.com", "Ada Lovelace")),
                    User.UNIQUE_EMAIL.update(User.NAME));
            out.println("  upserted on the email identity: " + ashlar.read(User.USERS)
                    .where(User.EMAIL.eq("ada@example.com")).first().orElseThrow().name());
            refusals(ashlar, post, ada);
            ashlar.destroy(User.USERS, bob);
            out.println("  destroyed Bob -> his comment stays, without an author (nilify): author_id = "
                    + ashlar.read(Comment.COMMENTS).where(Comment.BODY.eq("First!")).first().orElseThrow().authorId());
            ashlar.destroy(Post.POSTS, edited);
            out.println("  destroyed the post -> its comments go with it (cascade): "
                    + ashlar.read(Comment.COMMENTS).count() + " comments left");
            dynamic(ashlar);
        }
    }

    private void refusals(Ashlar ashlar, Post post, User ada) {
        refused("create a user with Ada's email", () -> ashlar.create(User.USERS, User.of("ada@example.com", null)));
        refused("create a comment rated 9", () -> ashlar.create(Comment.COMMENTS,
                Comment.of("Best post ever", 9, post, null)));
        refused("create a comment on post 42", () -> ashlar.create(Comment.COMMENTS,
                new Comment(null, "Lost", null, 42L, null)));
        refused("create a post without a title", () -> ashlar.create(Post.POSTS, Post.of(null, List.of(), ada)));
        refused("destroy Ada, who wrote a post", () -> {
            ashlar.destroy(User.USERS, ada);
            return ada;
        });
    }

    /** The string API: the same actions with names and values chosen at run time, e.g. from a request. */
    private void dynamic(Ashlar ashlar) {
        String resource = "user";
        Row carol = ashlar.create(resource, Map.of("email", "carol@example.com", "name", "Carol"));
        out.println("  the string API, for names decided at run time: created " + carol.getString("name")
                + ", found " + ashlar.read(resource).where(eq("email", "carol@example.com")).count());
    }

    private void refused(String what, Supplier<?> action) {
        try {
            action.get();
            out.println("  " + what + " -> accepted, which the demo did not expect");
        } catch (AshlarException e) {
            out.println("  " + what + " -> " + e.getMessage());
        }
    }
}
