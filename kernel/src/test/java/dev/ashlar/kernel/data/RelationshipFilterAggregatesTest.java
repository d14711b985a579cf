package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.ne;
import static dev.ashlar.api.resource.Type.BOOLEAN;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * AshPostgres's tests of relationships read through different read actions (calculation_with_multiple_relationships,
 * aggregate_read_action): here a relationship's own filter is the read action's filter, so two relationships to one
 * resource, one filtered and one not, must each keep their own records in loads, aggregates and paths.
 */
class RelationshipFilterAggregatesTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("relationship_filter_aggregates")
            .resource(Resource.builder("container").table("containers")
                    .integerPrimaryKey("id")
                    .hasOne("item_active", "item", r -> r.filter(eq("active", true)).sort(Sort.asc("id")))
                    .hasOne("item_all", "item", r -> r.sort(Sort.asc("id")))
                    .first("active_item_name", "item_active", "name", Sort.asc("id"))
                    .first("all_item_name", "item_all", "name", Sort.asc("id"))
                    .build())
            .resource(Resource.builder("item").table("items")
                    .integerPrimaryKey("id")
                    .attribute("name", TEXT)
                    .attribute("active", BOOLEAN, a -> a.notNull().defaultValue(false))
                    .belongsTo("container", "container", r -> r.allowNil(false))
                    .build())
            .resource(Resource.builder("ticket_folder").table("ticket_folders")
                    .integerPrimaryKey("id")
                    .hasMany("ticket_lists", "ticket_list")
                    .manyToMany("shared_tickets", "ticket", r -> r.through("ticket_share")
                            .sourceAttributeOnJoin("ticket_folder_id").destinationAttributeOnJoin("ticket_id")
                            .filter(ne("status", "draft")))
                    .manyToMany("all_shared_tickets", "ticket", r -> r.through("ticket_share")
                            .sourceAttributeOnJoin("ticket_folder_id").destinationAttributeOnJoin("ticket_id"))
                    .count("deep_ticket_count_default", "ticket_lists.tickets")
                    .count("deep_ticket_count_all", "ticket_lists.all_tickets")
                    .count("shared_ticket_count_default", "shared_tickets")
                    .count("shared_ticket_count_all", "all_shared_tickets")
                    .build())
            .resource(Resource.builder("ticket_list").table("ticket_lists")
                    .integerPrimaryKey("id")
                    .attribute("name", TEXT)
                    .belongsTo("ticket_folder", "ticket_folder")
                    .hasMany("tickets", "ticket", r -> r.filter(ne("status", "draft")))
                    .hasMany("all_tickets", "ticket")
                    .count("ticket_count_default", "tickets")
                    .count("ticket_count_all", "all_tickets")
                    .count("draft_count_all", "all_tickets", eq("status", "draft"))
                    .build())
            .resource(Resource.builder("ticket").table("tickets")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .attribute("status", TEXT, a -> a.notNull().defaultValue("open"))
                    .belongsTo("ticket_list", "ticket_list")
                    .build())
            .resource(Resource.builder("ticket_share").table("ticket_shares")
                    .integerPrimaryKey("id")
                    .belongsTo("ticket_folder", "ticket_folder", r -> r.allowNil(false))
                    .belongsTo("ticket", "ticket", r -> r.allowNil(false))
                    .build())
            .resource(Resource.builder("ticket_note").table("ticket_notes")
                    .integerPrimaryKey("id")
                    .attribute("body", TEXT)
                    .belongsTo("ticket", "ticket", r -> r.filter(ne("status", "draft")))
                    .belongsTo("any_ticket", "ticket", r -> r.attribute("ticket_id"))
                    .first("ticket_title_default", "ticket", "title", Sort.asc("id"))
                    .first("ticket_title_all", "any_ticket", "title", Sort.asc("id"))
                    .build())
            .build();

    RelationshipFilterAggregatesTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE ticket_notes, ticket_shares, tickets, ticket_lists, ticket_folders, items, containers"
                + " RESTART IDENTITY CASCADE");
    }

    private Row item(Row container, String name, boolean active) {
        return ashlar.create("item", Map.of("container_id", container.get("id"), "name", name, "active", active));
    }

    private Row container() {
        return ashlar.create("container", new HashMap<>());
    }

    @Test
    void eachRelationshipKeepsItsOwnFilterInLoadsAndInTheAggregatesOverIt() {
        Row container = container();
        Row inactive = item(container, "Inactive Item", false);

        Row loaded = ashlar.load(List.of(container), "item_all", "item_active").get(0);
        assertThat(loaded.relatedOne("item_all").orElseThrow().get("id")).isEqualTo(inactive.get("id"));
        assertThat(loaded.relatedOne("item_active")).isEmpty();

        Row both = ashlar.read("container").load("active_item_name").load("all_item_name").one().orElseThrow();
        assertThat(both.get("active_item_name")).isNull();
        assertThat(both.get("all_item_name")).isEqualTo("Inactive Item");
        assertThat(ashlar.read("container").load("active_item_name").one().orElseThrow().get("active_item_name"))
                .isNull();
        assertThat(ashlar.read("container").load("all_item_name").one().orElseThrow().get("all_item_name"))
                .isEqualTo("Inactive Item");
    }

    @Test
    void anActiveItemIsReachedThroughBothRelationships() {
        Row container = container();
        Row active = item(container, "Active Item", true);

        Row loaded = ashlar.read("container").load("item_all").load("item_active")
                .load("active_item_name").load("all_item_name").one().orElseThrow();
        assertThat(loaded.relatedOne("item_all").orElseThrow().get("id")).isEqualTo(active.get("id"));
        assertThat(loaded.relatedOne("item_active").orElseThrow().get("id")).isEqualTo(active.get("id"));
        assertThat(loaded.get("active_item_name")).isEqualTo("Active Item");
        assertThat(loaded.get("all_item_name")).isEqualTo("Active Item");
    }

    @Test
    void severalContainersReadTogetherEachGetTheirOwnItemsThroughEachRelationship() {
        item(container(), "Inactive Item 1", false);
        item(container(), "Active Item 2", true);
        container();

        List<Row> rows = ashlar.read("container").sort(Sort.asc("id"))
                .load("active_item_name").load("all_item_name").list();

        assertThat(rows).extracting(r -> r.get("active_item_name")).containsExactly(null, "Active Item 2", null);
        assertThat(rows).extracting(r -> r.get("all_item_name"))
                .containsExactly("Inactive Item 1", "Active Item 2", null);
        assertThat(ashlar.read("container").where(eq("item_active.name", "Active Item 2")).count()).isEqualTo(1);
        assertThat(ashlar.read("container").where(eq("item_all.name", "Inactive Item 1")).count()).isEqualTo(1);
    }

    /** A folder with one list holding an open and a draft ticket, both shared with the folder; the draft noted. */
    private Row tickets() {
        Row folder = ashlar.create("ticket_folder", new HashMap<>());
        Row list = ashlar.create("ticket_list", Map.of("name", "a list", "ticket_folder_id", folder.get("id")));
        Row open = ashlar.create("ticket", Map.of("title", "open ticket", "status", "open",
                "ticket_list_id", list.get("id")));
        Row draft = ashlar.create("ticket", Map.of("title", "draft ticket", "status", "draft",
                "ticket_list_id", list.get("id")));
        ashlar.create("ticket_share", Map.of("ticket_folder_id", folder.get("id"), "ticket_id", open.get("id")));
        ashlar.create("ticket_share", Map.of("ticket_folder_id", folder.get("id"), "ticket_id", draft.get("id")));
        ashlar.create("ticket_note", Map.of("body", "note on draft", "ticket_id", draft.get("id")));
        return folder;
    }

    @Test
    void countsOverOneRelationshipSeeItsFilterAndTheUnfilteredOneSeesEveryTicket() {
        tickets();

        Row list = ashlar.read("ticket_list").load("ticket_count_default").load("ticket_count_all")
                .load("draft_count_all").one().orElseThrow();

        assertThat(list.get("ticket_count_default")).isEqualTo(1L);
        assertThat(list.get("ticket_count_all")).isEqualTo(2L);
        assertThat(list.get("draft_count_all")).isEqualTo(1L);
    }

    @Test
    void countsOverAManyToManyAndOverAPathTakeTheFilterOfTheLastRelationship() {
        tickets();

        Row folder = ashlar.read("ticket_folder").load("shared_ticket_count_default").load("shared_ticket_count_all")
                .load("deep_ticket_count_default").load("deep_ticket_count_all").one().orElseThrow();

        assertThat(folder.get("shared_ticket_count_default")).isEqualTo(1L);
        assertThat(folder.get("shared_ticket_count_all")).isEqualTo(2L);
        assertThat(folder.get("deep_ticket_count_default")).isEqualTo(1L);
        assertThat(folder.get("deep_ticket_count_all")).isEqualTo(2L);
    }

    @Test
    void firstAggregatesOverAFilteredAndAnUnfilteredBelongsToKeepTheirOwnValues() {
        tickets();

        Row alone = ashlar.read("ticket_note").load("ticket_title_default").one().orElseThrow();
        Row all = ashlar.read("ticket_note").load("ticket_title_all").one().orElseThrow();
        Row both = ashlar.read("ticket_note").load("ticket_title_default").load("ticket_title_all").one().orElseThrow();

        assertThat(alone.get("ticket_title_default")).isNull();
        assertThat(all.get("ticket_title_all")).isEqualTo("draft ticket");
        assertThat(both.get("ticket_title_default")).isNull();
        assertThat(both.get("ticket_title_all")).isEqualTo("draft ticket");
    }

    @Test
    void aFirstAggregateSurvivesASortThroughTheSamePath() {
        tickets();
        Object noteId = ashlar.read("ticket_note").one().orElseThrow().get("id");

        List<Row> rows = ashlar.read("ticket_note").where(eq("id", noteId))
                .sort(Sort.asc("any_ticket.title").nullsLast(), Sort.asc("ticket.title").nullsLast())
                .load("ticket_title_all").list();

        assertThat(rows).extracting(r -> r.get("ticket_title_all")).containsExactly("draft ticket");
    }
}
