package dev.ashlar.plugins.references;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;

import static dev.ashlar.api.resource.Type.TEXT;

/** The guide's blog: users, posts by users, comments on posts by users; the comments' references vary per test. */
final class Blog {
    private Blog() {
    }

    static Domain withCommentReferences(Reference... references) {
        return Domain.builder("blog").resources(user(), post(), comment(references).build()).build();
    }

    static Resource user() {
        return Resource.builder("user").table("users").integerPrimaryKey("id").attribute("email", TEXT).build();
    }

    static Resource post() {
        return postWithoutComments().hasMany("comments", "comment").build();
    }

    /** A post that does not read its comments back, for comments that do not point at posts. */
    static ResourceBuilder postWithoutComments() {
        return Resource.builder("post").table("posts").integerPrimaryKey("id").attribute("title", TEXT)
                .belongsTo("author", "user");
    }

    static ResourceBuilder comment(Reference... references) {
        ResourceBuilder comment = Resource.builder("comment").table("comments").integerPrimaryKey("id")
                .attribute("body", TEXT).belongsTo("post", "post").belongsTo("user", "user");
        return references.length == 0 ? comment : comment.with(References.of(references));
    }
}
