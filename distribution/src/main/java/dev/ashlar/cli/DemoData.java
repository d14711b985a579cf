package dev.ashlar.cli;

import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.data.Upsert;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static dev.ashlar.api.query.Filter.contains;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gte;

/**
 * The demo's data act, through the data layer: create, query, update, upsert and destroy records of
 * the blog, and the refusals that the database and the plugins turn into clear field errors.
 */
final class DemoData {
    private final PrintWriter out;
    private final Domain domain;

    DemoData(PrintWriter out, Domain domain) {
        this.out = out;
        this.domain = domain;
    }

    /** A post as the application reads it. */
    record PostSummary(Integer id, String title, List<String> tags) {
    }

    void show(DataSource dataSource) {
        try (Ashlar ashlar = Ashlar.builder().dataSource(dataSource).domain(domain).build()) {
            Row ada = ashlar.create("user", Map.of("email", "ada@example.com", "name", "Ada"));
            Row bob = ashlar.create("user", Map.of("email", "bob@example.com", "name", "Bob"));
            Row post = ashlar.create("post", Map.of("title", "Hello", "tags", List.of("intro", "java"),
                    "author_id", ada.getUuid("id")));
            ashlar.createAll("comment", List.of(
                    Map.of("body", "First!", "rating", 5, "post_id", post.getInteger("id"), "author_id", bob.getUuid("id")),
                    Map.of("body", "Nice", "post_id", post.getInteger("id"))));
            out.println("  created Ada, Bob, post #" + post.getInteger("id") + " (tags " + post.getList("tags", String.class)
                    + ") and 2 comments; the second got the default rating "
                    + ashlar.read("comment").where(eq("body", "Nice")).first().orElseThrow().getInteger("rating"));
            List<PostSummary> tagged = ashlar.read("post").where(contains("tags", "java")).sort(Sort.asc("id"))
                    .list(PostSummary.class);
            out.println("  read posts tagged java, as Java records: " + tagged);
            out.println("  comments rated 4 or more: " + ashlar.read("comment").where(gte("rating", 4)).count());
            Row edited = ashlar.update(post, Map.of("title", "Hello, world"));
            out.println("  updated the title: " + edited.getString("title"));
            ashlar.upsert("user", List.of(Map.of("email", "ada@example.com", "name", "Ada Lovelace")),
                    Upsert.on("unique_email").update("name"));
            out.println("  upserted on the email identity: " + ashlar.read("user").where(eq("email", "ada@example.com"))
                    .first().orElseThrow().getString("name"));
            refusals(ashlar, post, ada);
            ashlar.destroy(bob);
            out.println("  destroyed Bob -> his comment stays, without an author (nilify): author_id = "
                    + ashlar.read("comment").where(eq("body", "First!")).first().orElseThrow().get("author_id"));
            ashlar.destroy(edited);
            out.println("  destroyed the post -> its comments go with it (cascade): "
                    + ashlar.read("comment").count() + " comments left");
        }
    }

    private void refusals(Ashlar ashlar, Row post, Row ada) {
        refused("create a user with Ada's email", () -> ashlar.create("user", Map.of("email", "ada@example.com")));
        refused("create a comment rated 9", () -> ashlar.create("comment",
                Map.of("body", "Best post ever", "rating", 9, "post_id", post.getInteger("id"))));
        refused("create a comment on post 42", () -> ashlar.create("comment", Map.of("body", "Lost", "post_id", 42)));
        refused("create a post without a title", () -> ashlar.create("post", Map.of("author_id", ada.getUuid("id"))));
        refused("destroy Ada, who wrote a post", () -> {
            ashlar.destroy(ada);
            return ada;
        });
    }

    private void refused(String what, Supplier<Row> action) {
        try {
            action.get();
            out.println("  " + what + " -> accepted, which the demo did not expect");
        } catch (AshlarException e) {
            out.println("  " + what + " -> " + e.getMessage());
        }
    }
}
