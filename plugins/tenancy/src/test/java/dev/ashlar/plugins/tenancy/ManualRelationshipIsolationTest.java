package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.plugins.relationships.Manual;
import dev.ashlar.plugins.relationships.ManualRelationship;
import dev.ashlar.plugins.relationships.ManualRelationships;
import dev.ashlar.plugins.relationships.ManualRelationshipsPlugin;
import dev.ashlar.spi.plugin.Join;
import dev.ashlar.spi.plugin.LoadContext;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.in;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Manual relationships (a loader of the application's and a join) from the attacker's side: tenant {@code t_b}
 * loads, filters and sorts through one from a main-schema board to a tenant column's notes, and through one between
 * two schema-per-tenant resources, where tenant {@code t_a}'s rows hold the keys of {@code t_b}'s. As the tables'
 * owner, so no row-level security hides a leak; every test asserts on the rows.
 */
@ExtendWith(PostgresExtension.class)
class ManualRelationshipIsolationTest {
    static final String A = "t_a";
    static final String B = "t_b";

    /** The children whose key column holds a parent's key, read through the data layer for the read's tenant. */
    record ByKey(String destination, String key) implements ManualRelationship {
        @Override
        public Map<Object, List<Row>> load(List<Row> parents, LoadContext context) {
            List<Object> keys = parents.stream().map(parent -> parent.get("id")).toList();
            return context.reader().read(Query.of(destination).withFilter(in(key, keys))).stream()
                    .collect(Collectors.groupingBy(child -> child.get(key)));
        }

        @Override
        public Optional<Join> join(Query source, Query children) {
            return Optional.of(new Join("id", key, null));
        }
    }

    /** The comments whose title is a post's title, by a join whose filter is SQL naming the table alone. */
    record Titled() implements ManualRelationship {
        @Override
        public Map<Object, List<Row>> load(List<Row> parents, LoadContext context) {
            return Map.of();
        }

        @Override
        public Optional<Join> join(Query source, Query children) {
            return Optional.of(new Join("id", "post_id", Filter.sql("title IN (SELECT title FROM posts)")));
        }
    }

    static final Resource BOARD = Resource.builder("board").table("boards").integerPrimaryKey("id")
            .attribute("name", TEXT)
            .with(ManualRelationships.of(Manual.hasMany("kids", "note", new ByKey("note", "board_id"))))
            .build();
    static final Resource NOTE = Resource.builder("note").table("notes").integerPrimaryKey("id")
            .attribute("org_id", TEXT, a -> a.notNull())
            .attribute("title", TEXT)
            .belongsTo("board", "board")
            .with(Multitenancy.attribute("org_id").global(true))
            .build();
    static final Resource POST = Resource.builder("post").table("posts").integerPrimaryKey("id")
            .attribute("title", TEXT)
            .with(ManualRelationships.of(Manual.hasMany("kids", "comment", new ByKey("comment", "post_id")),
                    Manual.hasMany("titled", "comment", new Titled())))
            .with(Multitenancy.context())
            .build();
    static final Resource COMMENT = Resource.builder("comment").table("comments").integerPrimaryKey("id")
            .attribute("title", TEXT)
            .belongsTo("post", "post")
            .with(Multitenancy.context())
            .build();
    static final Domain DOMAIN = Domain.builder("manual_isolation").resources(TwoTenants.TENANT, BOARD, NOTE, POST,
            COMMENT).build();

    @TempDir
    Path project;
    TestDatabase db;
    Ashlar owner;

    @BeforeEach
    void twoTenantsWithChildrenOfTheSameKeys(TestDatabase db) {
        this.db = db;
        owner = TwoTenants.created(db, project, DOMAIN, new ManualRelationshipsPlugin());
        Object board = owner.create("board", Map.of("name", "shared")).get("id");
        for (String tenant : List.of(A, B)) {
            Ashlar handle = owner.withTenant(tenant);
            handle.create("note", Map.of("title", tenant + "-kid", "board_id", board));
            Object post = handle.create("post", Map.of("title", tenant + "-post")).get("id");
            handle.create("comment", Map.of("title", tenant + "-kid", "post_id", post));
        }
    }

    @AfterEach
    void close() {
        owner.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"board", "post"})
    void aManualRelationshipLoadsFiltersAndSortsOnlyTheCallersRows(String parent) {
        Ashlar b = owner.withTenant(B);

        assertThat(b.read(parent).load("kids").list()).flatExtracting(r -> r.related("kids"))
                .extracting(r -> r.getString("title")).containsExactly("t_b-kid");
        assertThat(b.read(parent).where(exists("kids", eq("title", "t_a-kid"))).count()).isZero();
        assertThat(b.read(parent).where(eq("kids.title", "t_a-kid")).count()).isZero();
        assertThat(b.read(parent).where(exists("kids", eq("title", "t_b-kid"))).count()).isEqualTo(1L);
        assertThat(b.read(parent).sort(Sort.desc("kids").byCount()).load("kids").list())
                .flatExtracting(r -> r.related("kids")).extracting(r -> r.getString("title"))
                .containsExactly("t_b-kid");
        assertThat(b.read(parent).where(exists("kids", eq("title", "t_a-kid")))
                .updateCount(Map.of(parent.equals("board") ? "name" : "title", "b was here"))).isZero();

        assertThat(db.query("SELECT name FROM boards")).extracting(r -> r.get("name")).containsExactly("shared");
        assertThat(db.query("SELECT title FROM notes WHERE org_id = 't_a'")).extracting(r -> r.get("title"))
                .containsExactly("t_a-kid");
        assertThat(db.query("SELECT p.title || '/' || c.title AS row FROM t_a.posts p JOIN t_a.comments c "
                + "ON c.post_id = p.id")).extracting(r -> r.get("row")).containsExactly("t_a-post/t_a-kid");
    }

    @org.junit.jupiter.api.Test
    void aManualJoinsFilterInSqlReadsTheReadingTenantsTablesAfterAnotherTenantsActionInOneTransaction() {
        Ashlar b = owner.withTenant(B);
        Object post = b.read("post").first().orElseThrow().get("id");
        b.create("comment", Map.of("title", "t_a-post", "post_id", post));

        List<Long> seen = owner.transaction(tx -> {
            tx.withTenant(A).read("post").where(Filter.sql("title IS NOT NULL")).list();
            return List.of(tx.withTenant(B).read("post").where(exists("titled")).count(),
                    tx.withTenant(B).read("post").where(eq("titled.title", "t_a-post")).count());
        });

        assertThat(seen).containsExactly(0L, 0L);
        assertThat(b.read("post").where(exists("titled")).count()).isZero();
    }
}
