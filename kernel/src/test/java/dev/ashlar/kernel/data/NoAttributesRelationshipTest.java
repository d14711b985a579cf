package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.and;
import static dev.ashlar.api.query.Filter.count;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.ne;
import static dev.ashlar.api.query.Filter.not;
import static dev.ashlar.api.query.Filter.Operator.GTE;
import static dev.ashlar.api.query.Filter.parent;
import static dev.ashlar.api.resource.Type.BOOLEAN;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Relationships with no attributes (Ash's {@code no_attributes? true}), related by their filter alone: the posts of
 * the same category, every admin user. Posts and users both belong to a tenant through a column.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NoAttributesRelationshipTest {
    private static final Domain DOMAIN = Domain.builder("no_attributes")
            .resource(Resource.builder("member").table("na_members")
                    .integerPrimaryKey("id")
                    .attribute("name", TEXT)
                    .attribute("admin", BOOLEAN)
                    .attribute("tenant", TEXT)
                    .build())
            .resource(Resource.builder("note").table("na_notes")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .attribute("category", TEXT)
                    .attribute("tenant", TEXT)
                    .hasMany("same_category", "note", r -> r.noAttributes()
                            .filter(and(eq("category", parent("category")), ne("id", parent("id"))))
                            .sort(Sort.asc("title")))
                    .hasMany("admins", "member", r -> r.noAttributes().filter(eq("admin", true))
                            .sort(Sort.asc("name")))
                    .hasOne("first_admin", "member", r -> r.noAttributes().filter(eq("admin", true))
                            .sort(Sort.asc("name")))
                    .count("count_same_category", "same_category")
                    .count("count_admins", "admins")
                    .build())
            .build();

    private Ashlar ashlar;

    @BeforeAll
    void start(TestDatabase db) {
        ashlar = Fixtures.ashlar(db, DOMAIN, OneResourceTenancy.column("member", "tenant", true),
                OneResourceTenancy.column("note", "tenant", true));
        member("Ann", true, "acme");
        member("Abe", true, "acme");
        member("Al", false, "acme");
        member("Gus", true, "globex");
        member("Gil", false, "globex");
        note("a-tools-1", "tools", "acme");
        note("a-tools-2", "tools", "acme");
        note("a-books", "books", "acme");
        note("g-tools", "tools", "globex");
        note("g-books", "books", "globex");
    }

    private void member(String name, boolean admin, String tenant) {
        ashlar.create("member", Map.of("name", name, "admin", admin, "tenant", tenant));
    }

    private void note(String title, String category, String tenant) {
        ashlar.create("note", Map.of("title", title, "category", category, "tenant", tenant));
    }

    @AfterAll
    void stop() {
        ashlar.close();
    }

    /** Each note's title and the values of its related rows' field, read for the tenant (null: every tenant). */
    private Map<String, List<Object>> loaded(String tenant, String relationship, String field) {
        var read = ashlar.read("note").sort(Sort.asc("title")).load(relationship);
        Map<String, List<Object>> byTitle = new LinkedHashMap<>();
        for (Row note : (tenant == null ? read : read.tenant(tenant)).list()) {
            byTitle.put(note.getString("title"), note.related(relationship).stream().map(r -> r.get(field)).toList());
        }
        return byTitle;
    }

    private List<String> titles(String tenant, dev.ashlar.api.query.Filter filter) {
        return ashlar.read("note").tenant(tenant).where(filter).sort(Sort.asc("title")).list().stream()
                .map(r -> r.getString("title")).toList();
    }

    @Test
    void loadsEveryRecordItsFilterRelatesWithNoAttributeLinkingThem() {
        assertThat(loaded("acme", "admins", "name")).containsExactly(
                Map.entry("a-books", List.of("Abe", "Ann")),
                Map.entry("a-tools-1", List.of("Abe", "Ann")),
                Map.entry("a-tools-2", List.of("Abe", "Ann")));
        assertThat(loaded(null, "admins", "name")).as("a handle without a tenant reaches all")
                .containsEntry("g-books", List.of("Abe", "Ann", "Gus"));
        assertThat(loaded("acme", "first_admin", "name")).containsEntry("a-books", List.of("Abe"));
    }

    @Test
    void loadsRecordsRelatedThroughTheParentsFieldsInTheFilter() {
        assertThat(loaded("acme", "same_category", "title")).containsExactly(
                Map.entry("a-books", List.of()),
                Map.entry("a-tools-1", List.of("a-tools-2")),
                Map.entry("a-tools-2", List.of("a-tools-1")));
        assertThat(ashlar.read("note").tenant("acme").where(eq("title", "a-tools-1"))
                .load("same_category", l -> l.where(eq("title", "none"))).list().get(0).related("same_category"))
                .as("the load's own filter is and-ed").isEmpty();
    }

    record Member(String name) {
    }

    record NoteWithAdmins(String title, List<Member> admins) {
    }

    @Test
    void loadsOntoRecordsAndRanksALimitPerParent() {
        assertThat(ashlar.read("note").tenant("acme").where(eq("title", "a-books")).load("admins")
                .list(NoteWithAdmins.class)).containsExactly(
                new NoteWithAdmins("a-books", List.of(new Member("Abe"), new Member("Ann"))));
        assertThat(ashlar.read("note").tenant("acme").sort(Sort.asc("title"))
                .load("admins", l -> l.sort(Sort.desc("name")).limit(1)).list())
                .extracting(r -> r.getString("title") + ":" + r.related("admins").get(0).get("name"))
                .containsExactly("a-books:Ann", "a-tools-1:Ann", "a-tools-2:Ann");
    }

    @Test
    void filtersAndCountsThroughIt() {
        assertThat(titles("acme", exists("same_category"))).containsExactly("a-tools-1", "a-tools-2");
        assertThat(titles("acme", not(exists("same_category")))).containsExactly("a-books");
        assertThat(titles("acme", exists("admins", eq("name", "Ann"))))
                .containsExactly("a-books", "a-tools-1", "a-tools-2");
        assertThat(titles("acme", count("admins", GTE, 2))).hasSize(3);
        assertThat(titles("acme", eq("first_admin.name", "Abe"))).hasSize(3);
        assertThat(ashlar.read("note").tenant("acme").sort(Sort.asc("title")).load("count_same_category")
                .load("count_admins").list()).extracting(r -> r.getString("title") + ":"
                        + r.get("count_same_category") + ":" + r.get("count_admins"))
                .containsExactly("a-books:0:2", "a-tools-1:1:2", "a-tools-2:1:2");
    }

    @Test
    void anotherTenantNeverReachesTheFirstTenantsRecordsThroughIt() {
        assertThat(loaded("globex", "admins", "name")).containsExactly(
                Map.entry("g-books", List.of("Gus")), Map.entry("g-tools", List.of("Gus")));
        assertThat(loaded("globex", "same_category", "title")).as("acme's tools are not globex's")
                .containsExactly(Map.entry("g-books", List.of()), Map.entry("g-tools", List.of()));
        assertThat(titles("globex", exists("admins", eq("name", "Ann")))).isEmpty();
        assertThat(titles("globex", exists("same_category"))).isEmpty();
        assertThat(titles("globex", eq("first_admin.name", "Abe"))).isEmpty();
        assertThat(ashlar.read("note").tenant("globex").load("count_admins").load("count_same_category").list())
                .extracting(r -> r.get("count_admins") + "/" + r.get("count_same_category"))
                .containsOnly("1/0");
    }

    @Test
    void refusesAttributesOnARelationshipWithNone() {
        assertThatThrownBy(() -> Resource.builder("note").integerPrimaryKey("id")
                .hasMany("admins", "member", r -> r.noAttributes().destinationAttribute("note_id")))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("admins", "destinationAttribute", "noAttributes()");
        assertThatThrownBy(() -> Resource.builder("note").integerPrimaryKey("id")
                .belongsTo("owner", "member", r -> r.noAttributes()))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("owner", "noAttributes");
    }
}
