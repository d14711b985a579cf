package dev.ashlar.integration;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.plugins.checks.CheckConstraints;
import dev.ashlar.plugins.indexes.CustomIndexes;
import dev.ashlar.plugins.indexes.CustomStatements;
import dev.ashlar.plugins.references.OnDelete;
import dev.ashlar.plugins.references.OnUpdate;
import dev.ashlar.plugins.references.Reference;
import dev.ashlar.plugins.references.References;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.UnaryOperator;

import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.DATE;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.JSON;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static dev.ashlar.api.resource.Type.arrayOf;
import static dev.ashlar.api.resource.Type.enumOf;
import static dev.ashlar.api.resource.Type.pgEnum;
import static dev.ashlar.api.resource.Type.rangeOf;
import static dev.ashlar.integration.GenerationRoundTrip.domain;
import static dev.ashlar.integration.GenerationRoundTrip.resource;
import static dev.ashlar.plugins.checks.Check.check;
import static dev.ashlar.plugins.indexes.CustomIndexes.index;
import static dev.ashlar.plugins.indexes.CustomStatements.statement;
import static dev.ashlar.plugins.references.Reference.reference;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each change of a populated schema, as AshPostgres's and Liquibase's generator tests make them, proved both ways by
 * {@link GenerationRoundTrip}.
 */
class GeneratedMigrationRoundTripTest extends RoundTripGround {
    GeneratedMigrationRoundTripTest() {
        super("Archive");
    }

    private Codegen.Result roundTrip(Domain domain, String name, String... hints) {
        return generations.roundTrip(domain, name, hints);
    }

    @Test
    void attributesRenamedRetypedAndGivenOtherDefaultsKeepTheirRows() {
        roundTrip(domain(resource("post", "posts").integerPrimaryKey("id").attribute("title", TEXT)
                .attribute("code", TEXT).attribute("score", INTEGER, a -> a.defaultValue(1))), "create");
        db.execute("INSERT INTO posts (title, code, score) VALUES ('a', '1', 2), (NULL, '22', NULL)");

        roundTrip(domain(resource("post", "posts").integerPrimaryKey("id").attribute("headline", TEXT)
                .attribute("code", INTEGER).attribute("score", BIGINT, a -> a.defaultValue(5))), "change",
                "posts.title=headline");

        assertThat(db.query("SELECT headline, code, score FROM posts ORDER BY id")).extracting(row -> row.get("headline")
                + "/" + row.get("code") + "/" + row.get("score")).containsExactly("a/1/2", "null/22/null");
    }

    @Test
    void aForeignKeysActionsDeferralAndNameChangeBothWays() {
        UnaryOperator<ResourceBuilder> author = a -> a.integerPrimaryKey("id").attribute("name", TEXT);
        UnaryOperator<Reference> plain = r -> r;
        List<UnaryOperator<Reference>> variants = List.of(plain,
                r -> r.onDelete(OnDelete.DELETE).onUpdate(OnUpdate.UPDATE),
                r -> r.onDelete(OnDelete.DELETE).onUpdate(OnUpdate.UPDATE).deferrable(true).initiallyDeferred(true),
                r -> r.onDelete(OnDelete.NILIFY).name("posts_to_authors"),
                r -> r.onDelete(OnDelete.RESTRICT).index(true));
        for (int i = 0; i < variants.size(); i++) {
            roundTrip(domain(author.apply(resource("author", "authors")), resource("post", "posts")
                    .integerPrimaryKey("id").belongsTo("author", "author")
                    .with(References.of(variants.get(i).apply(reference("author"))))), "reference_" + i);
            if (i == 0) {
                db.execute("INSERT INTO authors (name) VALUES ('a'); INSERT INTO posts (author_id) VALUES (1)");
            }
        }
    }

    @Test
    void checksAndCustomIndexesOfEveryKindAreAddedChangedAndRemoved() {
        UnaryOperator<ResourceBuilder> user = u -> u.integerPrimaryKey("id").attribute("email", TEXT)
                .attribute("tags", arrayOf(TEXT)).attribute("data", JSON).attribute("status", TEXT);
        roundTrip(domain(user.apply(resource("user", "users"))), "create");
        db.execute("INSERT INTO users (email, tags, status) VALUES ('a', '{x}', 'on'), ('b', '{y}', 'off')");

        roundTrip(domain(user.apply(resource("user", "users"))
                .with(CheckConstraints.of(check("known_status").expression("status IN ('on', 'off')")))
                .with(CustomIndexes.of(index("email").unique().where("email IS NOT NULL"),
                        index("status").include("email"), index("tags").using("gin"),
                        index("data").using("gin").name("users_data_gin"),
                        index("lower(email)").name("users_lower_email")))), "add");
        roundTrip(domain(user.apply(resource("user", "users"))
                .with(CheckConstraints.of(check("known_status").expression("status IN ('on', 'off', 'gone')")))
                .with(CustomIndexes.of(index("email").unique().where("email IS NOT NULL AND status = 'on'"),
                        index("status").include("email", "id").concurrently(), index("tags").using("gin")))), "change");
        roundTrip(domain(user.apply(resource("user", "users"))), "remove");
    }

    @Test
    void customStatementsRunTheirUpAndTheirDown() {
        UnaryOperator<ResourceBuilder> post = p -> p.integerPrimaryKey("id").attribute("title", TEXT);
        roundTrip(domain(post.apply(resource("post", "posts"))), "create");

        roundTrip(domain(post.apply(resource("post", "posts")).with(CustomStatements.of(statement("title_length")
                .up("CREATE INDEX posts_title_length ON posts (length(title));")
                .down("DROP INDEX posts_title_length;")))), "statement");
        roundTrip(domain(post.apply(resource("post", "posts")).with(CustomStatements.of(statement("title_length")
                .up("CREATE INDEX posts_title_length_id ON posts (length(title), id);")
                .down("DROP INDEX posts_title_length_id;")))), "changed_statement");
        roundTrip(domain(post.apply(resource("post", "posts"))), "no_statement");
    }

    @Test
    void renamedAndRemovedTablesTakeTheirReferencesAlong() {
        UnaryOperator<ResourceBuilder> post = p -> p.integerPrimaryKey("id").attribute("title", TEXT)
                .identity("unique_title", "title");
        UnaryOperator<ResourceBuilder> comment = c -> c.integerPrimaryKey("id").belongsTo("post", "post")
                .with(References.of(reference("post")));
        roundTrip(domain(post.apply(resource("post", "posts")), comment.apply(resource("comment", "comments"))),
                "create");
        db.execute("INSERT INTO posts (title) VALUES ('a'); INSERT INTO comments (post_id) VALUES (1)");

        roundTrip(domain(post.apply(resource("post", "articles")), comment.apply(resource("comment", "comments"))),
                "rename_posts", "posts=articles");
        roundTrip(domain(post.apply(resource("post", "articles")), comment.apply(resource("comment", "remarks"))),
                "rename_comments", "comments=remarks");
        // Dropping a table drops its rows: its undo creates it empty, so no row may refer to it when the key comes back.
        db.execute("UPDATE remarks SET post_id = NULL");
        roundTrip(domain(resource("comment", "remarks").integerPrimaryKey("id").attribute("post_id", INTEGER)),
                "remove_articles");
    }

    @Test
    void enumTypesAndRangesChangeWithTheirRows() {
        roundTrip(domain(resource("post", "posts").integerPrimaryKey("id")
                .attribute("state", pgEnum("post_state", "draft", "live"), a -> a.defaultValue("draft"))
                .attribute("kind", enumOf("a", "b"), a -> a.defaultValue("a")).attribute("span", rangeOf(DATE))
                .attribute("seats", rangeOf(INTEGER))), "create");
        db.execute("INSERT INTO posts (state, kind, span, seats) VALUES ('live', 'b', '[2026-01-01,2026-02-01)', "
                + "'[1,5)'), (DEFAULT, DEFAULT, NULL, 'empty')");

        roundTrip(domain(resource("post", "posts").integerPrimaryKey("id")
                .attribute("state", pgEnum("post_state_v2", "draft", "live", "gone"), a -> a.defaultValue("gone"))
                .attribute("kind", pgEnum("Kind Of", "a", "b", "it's"), a -> a.defaultValue("it's"))
                .attribute("span", rangeOf(TIMESTAMPTZ)).attribute("seats", rangeOf(BIGINT))), "retype");

        assertThat(db.query("SELECT state::text, kind::text, seats::text FROM posts ORDER BY id")).extracting(row -> row.get("state") + "/" + row.get("kind") + "/"
                + row.get("seats")).containsExactly("live/b/[1,5)", "draft/a/empty");
    }

    @Test
    void reservedWordsAndMixedCaseNamesAreQuotedEverywhere() {
        UnaryOperator<ResourceBuilder> order = o -> o.integerPrimaryKey("id").attribute("group", INTEGER)
                .identity("unique_select", "select")
                .with(CheckConstraints.of(check("positive").expression("\"group\" > 0")))
                .with(CustomIndexes.of(index("group", "select")));
        roundTrip(domain(order.apply(resource("order", "Order").schema("Archive")
                .attribute("select", TEXT, a -> a.column("From")))), "create");
        db.execute("INSERT INTO \"Archive\".\"Order\" (\"From\", \"group\") VALUES ('x', 1)");

        roundTrip(domain(order.apply(resource("order", "Order").schema("Archive")
                .attribute("select", TEXT, a -> a.column("Where")))), "rename_column");
        roundTrip(domain(order.apply(resource("order", "User").schema("Archive")
                .attribute("select", TEXT, a -> a.column("Where")))), "rename_table", "Order=User");

        assertThat(db.value("SELECT \"Where\" FROM \"Archive\".\"User\"")).isEqualTo("x");
    }
}
