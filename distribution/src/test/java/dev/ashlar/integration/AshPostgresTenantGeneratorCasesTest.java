package dev.ashlar.integration;

import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.plugins.checks.CheckConstraints;
import dev.ashlar.plugins.references.OnDelete;
import dev.ashlar.plugins.references.References;
import dev.ashlar.plugins.tenancy.Multitenancy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.UnaryOperator;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.decimal;
import static dev.ashlar.integration.GenerationRoundTrip.domain;
import static dev.ashlar.integration.GenerationRoundTrip.resource;
import static dev.ashlar.plugins.checks.Check.check;
import static dev.ashlar.plugins.references.Reference.reference;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * AshPostgres's migration generator cases for schema-per-tenant resources, whose migrations go to the tenant
 * migrations: each is proved both ways on a tenant schema holding rows, after the main schema's.
 */
class AshPostgresTenantGeneratorCasesTest extends RoundTripGround {
    private static final String TENANT = "org_a";

    AshPostgresTenantGeneratorCasesTest() {
        super(TENANT);
    }

    @BeforeEach
    void tenant() {
        generations.withTenant(TENANT);
    }

    @Test
    void aTenantTableGainsAndLosesAPrimaryKeyColumnWithRowsInIt() {
        UnaryOperator<ResourceBuilder> post = p -> p.uuidPrimaryKey("id").with(Multitenancy.context());
        generations.roundTrip(domain(post.apply(resource("post", "posts")).attribute("title", TEXT, a -> a.notNull())),
                "create");
        db.execute("INSERT INTO org_a.posts (title) VALUES ('a'), ('b')");

        generations.roundTrip(domain(post.apply(resource("post", "posts"))
                .attribute("title", TEXT, a -> a.notNull().primaryKey())), "composite_key");

        assertThat(generations.catalog()).contains("constraint posts.posts_pkey PRIMARY KEY (id, title)");
        generations.roundTrip(domain(post.apply(resource("post", "posts")).attribute("title", TEXT, a -> a.notNull())),
                "plain_key");
        assertThat(db.value("SELECT count(*) FROM org_a.posts")).isEqualTo(2L);
    }

    @Test
    void aTenantTableReferencesAGlobalTableAndItsIdentityIsRebuiltWhenItsPredicateChanges() {
        UnaryOperator<ResourceBuilder> comment = c -> c.uuidPrimaryKey("id").attribute("title", TEXT)
                .belongsTo("author", "author").with(Multitenancy.context());
        ResourceBuilder author = resource("author", "authors").uuidPrimaryKey("id").attribute("name", TEXT);
        generations.roundTrip(domain(author, comment.apply(resource("comment", "comments"))
                .identity("title", List.of("title"), i -> i.where("title <> 'x'"))), "create");
        db.execute("INSERT INTO authors (id, name) VALUES ('00000000-0000-0000-0000-000000000001', 'a'); "
                + "INSERT INTO org_a.comments (title, author_id) VALUES ('a', '00000000-0000-0000-0000-000000000001'), "
                + "('x', NULL), ('x', NULL)");

        generations.roundTrip(domain(resource("author", "authors").uuidPrimaryKey("id").attribute("name", TEXT),
                comment.apply(resource("comment", "comments")).identity("title", List.of("title"),
                        i -> i.where("title NOT IN ('x', 'y')")).with(References.of(reference("author")
                        .onDelete(OnDelete.NILIFY)))), "change");

        assertThat(generations.catalog()).anyMatch(line -> line.startsWith("constraint comments.comments_author_id_fkey "
                + "FOREIGN KEY (author_id) REFERENCES authors(id) ON DELETE SET NULL"));
        db.execute("DELETE FROM authors");
        assertThat(db.value("SELECT count(*) FROM org_a.comments WHERE author_id IS NULL")).isEqualTo(3L);
    }

    @Test
    void aTenantTableRenamesAColumnAndItselfKeepingRowsIdentityAndCheck() {
        generations.roundTrip(domain(resource("post", "posts").integerPrimaryKey("id").attribute("title", TEXT)
                .attribute("price", INTEGER).identity("title", "title").with(Multitenancy.context())
                .with(CheckConstraints.of(check("positive").expression("price > 0")))), "create");
        db.execute("INSERT INTO org_a.posts (title, price) VALUES ('a', 1), ('b', 2)");

        generations.roundTrip(domain(resource("post", "articles").integerPrimaryKey("id").attribute("headline", TEXT)
                .attribute("price", INTEGER).identity("title", "headline").with(Multitenancy.context())
                .with(CheckConstraints.of(check("positive").expression("price > 0")))), "rename",
                "posts=articles", "articles.title=headline");

        assertThat(db.query("SELECT headline FROM org_a.articles ORDER BY id")).extracting(r -> r.get("headline"))
                .containsExactly("a", "b");
        assertThat(generations.catalog()).contains("constraint articles.articles_positive_check CHECK ((price > 0))")
                .anyMatch(line -> line.startsWith("index articles_title_index") && line.endsWith("(headline)"));
    }

    @Test
    void aTenantColumnsPrecisionDefaultAndNullabilityChangeOnRows() {
        UnaryOperator<ResourceBuilder> post = p -> p.integerPrimaryKey("id").with(Multitenancy.context());
        generations.roundTrip(domain(post.apply(resource("post", "posts")).attribute("price", decimal(10, 2))
                .attribute("status", TEXT, a -> a.defaultValue("new"))), "create");
        db.execute("INSERT INTO org_a.posts (price) VALUES (1.25), (2.5)");

        generations.roundTrip(domain(post.apply(resource("post", "posts")).attribute("price", decimal(12, 4),
                a -> a.notNull()).attribute("status", TEXT, a -> a.notNull().defaultValue("draft"))), "widen");

        assertThat(generations.catalog()).contains("column posts.price numeric(12,4) not null",
                "column posts.status text not null default 'draft'::text");
        assertThat(db.value("SELECT sum(price) FROM org_a.posts")).hasToString("3.7500");
    }
}
