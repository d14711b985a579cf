package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.count;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.ne;
import static dev.ashlar.api.query.Filter.parent;
import static dev.ashlar.api.query.Filter.Operator.GTE;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Relationships from a resource to itself, as AshPostgres's posts have them (a parent post, linked posts through
 * {@code post_links}): each subquery and load names its own copy of the table, so the outer row is never mistaken
 * for a related one. Root has children a and b, a has child c; root links to a and c, a links back to root; root is
 * tagged x twice and y once.
 */
class SelfReferenceTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("self_reference")
            .resource(Resource.builder("post").table("posts")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .attribute("score", INTEGER)
                    .belongsTo("parent", "post")
                    .hasMany("children", "post", r -> r.destinationAttribute("parent_id"))
                    .manyToMany("linked", "post", r -> r.through("post_link")
                            .sourceAttributeOnJoin("source_id").destinationAttributeOnJoin("destination_id"))
                    .manyToMany("tags", "tag", r -> r.through("post_tag"))
                    .count("child_count", "children")
                    .count("grandchild_count", "children.children")
                    .count("linked_count", "linked")
                    .sum("linked_score", "linked", "score")
                    .list("linked_titles", "linked", "title", Sort.asc("title"))
                    .count("tag_count", "tags")
                    .list("tag_names", "tags", "name", Sort.asc("name"))
                    .first("parent_title", "parent", "title", Sort.asc("id"))
                    .calculate("child_score", Long.class, "child_count * 10")
                    .build())
            .resource(Resource.builder("post_link").table("post_links")
                    .belongsTo("source", "post", r -> r.primaryKey().allowNil(false))
                    .belongsTo("destination", "post", r -> r.primaryKey().allowNil(false))
                    .build())
            .resource(Resource.builder("tag").table("tags")
                    .integerPrimaryKey("id")
                    .attribute("name", TEXT)
                    .build())
            .resource(Resource.builder("post_tag").table("post_tags")
                    .integerPrimaryKey("id")
                    .belongsTo("post", "post", r -> r.allowNil(false))
                    .belongsTo("tag", "tag", r -> r.allowNil(false))
                    .build())
            .build();

    SelfReferenceTest() {
        super(DOMAIN);
    }

    @BeforeAll
    void data() {
        Row root = ashlar.create("post", Map.of("title", "root", "score", 1));
        Row a = ashlar.create("post", Map.of("title", "a", "score", 2, "parent_id", root.get("id")));
        ashlar.create("post", Map.of("title", "b", "score", 3, "parent_id", root.get("id")));
        Row c = ashlar.create("post", Map.of("title", "c", "score", 4, "parent_id", a.get("id")));
        ashlar.create("post_link", Map.of("source_id", root.get("id"), "destination_id", a.get("id")));
        ashlar.create("post_link", Map.of("source_id", root.get("id"), "destination_id", c.get("id")));
        ashlar.create("post_link", Map.of("source_id", a.get("id"), "destination_id", root.get("id")));
        Row x = ashlar.create("tag", Map.of("name", "x"));
        Row y = ashlar.create("tag", Map.of("name", "y"));
        ashlar.create("post_tag", Map.of("post_id", root.get("id"), "tag_id", x.get("id")));
        ashlar.create("post_tag", Map.of("post_id", root.get("id"), "tag_id", x.get("id")));
        ashlar.create("post_tag", Map.of("post_id", root.get("id"), "tag_id", y.get("id")));
    }

    private static List<String> titles(List<Row> rows) {
        return rows.stream().map(r -> r.getString("title")).toList();
    }

    @Test
    void aggregatesOverARelationshipToTheSameResourceCountTheRelatedRowsNotTheRowItself() {
        List<Row> rows = ashlar.read("post").sort(Sort.asc("title")).load("child_count").load("grandchild_count")
                .load("linked_count").load("linked_score").load("linked_titles").load("parent_title")
                .load("child_score").load("tag_count").load("tag_names").list();

        assertThat(rows).extracting(r -> r.get("title") + " " + r.get("child_count") + "/" + r.get("grandchild_count")
                + " " + r.get("linked_count") + ":" + r.get("linked_score") + ":" + r.get("linked_titles")
                + " " + r.get("parent_title") + " " + r.get("child_score") + " " + r.get("tag_count") + ":"
                + r.get("tag_names")).containsExactly(
                "a 1/0 1:1:[root] root 10 0:[]",
                "b 0/0 0:null:[] root 0 0:[]",
                "c 0/0 0:null:[] a 0 0:[]",
                "root 2/1 2:6:[a, c] null 20 3:[x, x, y]");
    }

    @Test
    void filtersAndSortsThroughARelationshipToTheSameResourceFollowItOneStepAtATime() {
        assertThat(titles(ashlar.read("post").where(exists("children")).sort(Sort.asc("title")).list()))
                .containsExactly("a", "root");
        assertThat(titles(ashlar.read("post").where(exists("children.children")).list())).containsExactly("root");
        assertThat(titles(ashlar.read("post").where(exists("children", gt("child_count", 0L))).list()))
                .containsExactly("root");
        assertThat(titles(ashlar.read("post").where(eq("parent.title", "root")).sort(Sort.asc("title")).list()))
                .containsExactly("a", "b");
        assertThat(titles(ashlar.read("post").where(eq("linked.title", "a")).list())).containsExactly("root");
        assertThat(titles(ashlar.read("post").where(eq("linked.linked.title", "root")).list())).containsExactly("root");
        assertThat(ashlar.read("post").where(exists("linked", eq("title", parent("title")))).list()).isEmpty();
        assertThat(titles(ashlar.read("post").where(exists("linked", ne("title", parent("title"))))
                .sort(Sort.asc("title")).list())).containsExactly("a", "root");
        assertThat(titles(ashlar.read("post").sort(Sort.desc("linked").byCount(), Sort.asc("title")).list()))
                .containsExactly("root", "a", "b", "c");
        assertThat(titles(ashlar.read("post").sort(Sort.desc("child_score"), Sort.asc("title")).list()))
                .containsExactly("root", "a", "b", "c");
        assertThat(titles(ashlar.read("post").where(count("tags", GTE, 3)).list())).containsExactly("root");
    }

    @Test
    void loadsOfARelationshipToTheSameResourceNestAndLimitPerParent() {
        List<Row> limited = ashlar.read("post").sort(Sort.asc("title"))
                .load("linked", l -> l.sort(Sort.desc("title")).limit(1)).list();
        Row c = ashlar.read("post").where(eq("title", "c")).load("parent.parent").list().get(0);
        Row withCounts = ashlar.read("post").where(eq("title", "root"))
                .load("children", ch -> ch.where(gt("child_count", 0L)).load("child_score")).list().get(0);

        assertThat(ashlar.read("post").where(eq("title", "root")).load("children.children").list().get(0)
                .related("children")).extracting(r -> r.getString("title") + titles(r.related("children")))
                .containsExactly("a[c]", "b[]");
        assertThat(limited).extracting(r -> r.getString("title") + titles(r.related("linked")))
                .containsExactly("a[root]", "b[]", "c[]", "root[c]");
        assertThat(c.relatedOne("parent").orElseThrow().relatedOne("parent").orElseThrow().get("title"))
                .isEqualTo("root");
        assertThat(withCounts.related("children")).extracting(r -> r.getString("title") + ":" + r.get("child_score"))
                .containsExactly("a:10");
        assertThat(ashlar.read("post").where(eq("title", "root")).load("tags", t -> t.sort(Sort.asc("name")))
                .list().get(0).related("tags")).extracting(t -> t.getString("name")).containsExactly("x", "x", "y");
    }

    @Test
    void aReadDistinctByAnAttributeKeepsOneChildOfEachParent() {
        assertThat(titles(ashlar.read("post").distinct("parent_id").sort(Sort.desc("score")).load("child_count")
                .list())).containsExactly("c", "b", "root");
    }
}
