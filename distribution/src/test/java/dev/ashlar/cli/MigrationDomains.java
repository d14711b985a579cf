package dev.ashlar.cli;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.DomainProvider;
import dev.ashlar.api.resource.Resource;

import static dev.ashlar.api.resource.Type.TEXT;

/** Domains that the migration tests hand the command line, one step of a project's life each. */
final class MigrationDomains {
    private MigrationDomains() {
    }

    static Domain posts(String column, boolean summary) {
        var post = Resource.builder("post").table("posts").integerPrimaryKey("id").attribute(column, TEXT);
        if (summary) {
            post.attribute("summary", TEXT);
        }
        return Domain.builder("blog").resources(post.build()).build();
    }

    public static final class PostsWithTitle implements DomainProvider {
        @Override
        public Domain domain() {
            return posts("title", false);
        }
    }

    public static final class PostsWithHeadline implements DomainProvider {
        @Override
        public Domain domain() {
            return posts("headline", false);
        }
    }

    public static final class PostsWithHeadlineAndSummary implements DomainProvider {
        @Override
        public Domain domain() {
            return posts("headline", true);
        }
    }

    /** Posts whose headlines are unique: a new index on an existing table. */
    public static final class PostsWithUniqueHeadline implements DomainProvider {
        @Override
        public Domain domain() {
            return Domain.builder("blog").resources(Resource.builder("post").table("posts").integerPrimaryKey("id")
                    .attribute("headline", TEXT).attribute("summary", TEXT).identity("unique_headline", "headline")
                    .build()).build();
        }
    }

    /** Organizations, each with a schema of its own holding its notes. */
    public static final class Workspace implements DomainProvider {
        @Override
        public Domain domain() {
            return DemoTenants.domain(false);
        }
    }

    /** The same, with a pinned flag on the notes: a change to a tenant resource. */
    public static final class PinnedWorkspace implements DomainProvider {
        @Override
        public Domain domain() {
            return DemoTenants.domain(true);
        }
    }
}
