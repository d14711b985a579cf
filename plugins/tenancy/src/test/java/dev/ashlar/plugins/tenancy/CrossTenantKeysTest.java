package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tenant-column resources without foreign keys: a tenant can store the keys of another tenant's rows, and no
 * relationship followed from its own rows (to-one, to-many, many-to-many, in loads, filters, sorts or aggregates)
 * ever reaches them, nor do the other tenant's reads see the planted rows.
 */
class CrossTenantKeysTest extends MigratedDomainTest {
    static final Resource TENANT = Resource.builder("tenant").table("tenants")
            .attribute("id", TEXT, a -> a.primaryKey()).with(ManageTenant.template("t_", "id")).build();
    static final Resource NOTE = Resource.builder("note").table("notes").integerPrimaryKey("id")
            .attribute("org_id", TEXT, a -> a.notNull()).attribute("title", TEXT)
            .hasMany("remarks", "remark", r -> r.destinationAttribute("note_id"))
            .hasOne("remark", "remark", r -> r.destinationAttribute("note_id"))
            .manyToMany("tags", "tag", r -> r.through("note_tag"))
            .count("count_of_remarks", "remarks")
            .list("tag_names", "tags", "name", Sort.asc("name"))
            .with(Multitenancy.attribute("org_id"))
            .build();
    static final Resource REMARK = Resource.builder("remark").table("remarks").integerPrimaryKey("id")
            .attribute("org_id", TEXT, a -> a.notNull()).attribute("body", TEXT)
            .belongsTo("note", "note")
            .first("note_title", "note", "title", Sort.asc("id"))
            .with(Multitenancy.attribute("org_id"))
            .build();
    static final Resource TAG = Resource.builder("tag").table("tags").integerPrimaryKey("id")
            .attribute("org_id", TEXT, a -> a.notNull()).attribute("name", TEXT)
            .manyToMany("notes", "note", r -> r.through("note_tag"))
            .with(Multitenancy.attribute("org_id"))
            .build();
    static final Resource NOTE_TAG = Resource.builder("note_tag").table("note_tags").integerPrimaryKey("id")
            .attribute("org_id", TEXT, a -> a.notNull())
            .belongsTo("note", "note").belongsTo("tag", "tag")
            .with(Multitenancy.attribute("org_id"))
            .build();
    static final Domain DOMAIN = Domain.builder("app").resources(TENANT, NOTE, REMARK, TAG, NOTE_TAG).build();

    CrossTenantKeysTest() {
        super(DOMAIN, "t_");
    }

    @Test
    void rowsPointingAtAnotherTenantsRowsNeverLoadFilterOrAggregateThem() {
        Ashlar a = ashlar.withTenant("a");
        Ashlar b = ashlar.withTenant("b");
        Row noteA = a.create("note", Map.of("title", "secret-of-a"));
        Row tagA = a.create("tag", Map.of("name", "tag-of-a"));
        a.create("note_tag", Map.of("note_id", noteA.get("id"), "tag_id", tagA.get("id")));
        a.create("remark", Map.of("note_id", noteA.get("id"), "body", "remark-of-a"));
        // Without foreign keys, b can store keys of a's rows: each is a way b might try to reach them.
        Row noteB = b.create("note", Map.of("title", "note-of-b"));
        b.create("remark", Map.of("note_id", noteA.get("id"), "body", "planted"));
        b.create("note_tag", Map.of("note_id", noteB.get("id"), "tag_id", tagA.get("id")));
        b.create("note_tag", Map.of("note_id", noteA.get("id"), "tag_id", tagA.get("id")));

        assertThat(b.read("remark").load("note").list()).flatExtracting(r -> r.related("note")).isEmpty();
        assertThat(b.load(b.read("remark").list(), "note")).flatExtracting(r -> r.related("note")).isEmpty();
        assertThat(b.read("remark").where(eq("note.title", "secret-of-a")).count()).isZero();
        assertThat(b.read("remark").where(exists("note", eq("title", "secret-of-a"))).count()).isZero();
        assertThat(b.read("remark").load("note_title").list()).extracting(r -> r.get("note_title"))
                .containsOnlyNulls();
        assertThat(b.read("note").load("tags").list()).flatExtracting(r -> r.related("tags")).isEmpty();
        assertThat(b.read("note").load("tag_names").list()).extracting(r -> r.get("tag_names"))
                .containsExactly(List.of());
        assertThat(b.read("note").where(eq("tags.name", "tag-of-a")).count()).isZero();
        assertThat(b.read("note_tag").load("tag").load("note").list())
                .flatExtracting(r -> r.related("tag")).isEmpty();
        assertThat(b.read("remark").sort(Sort.asc("note.title")).list()).extracting(r -> r.getString("body"))
                .containsExactly("planted");
        assertThat(a.read("note").load("remarks").load("count_of_remarks").load("tags").list()).singleElement()
                .satisfies(note -> {
                    assertThat(note.related("remarks")).extracting(r -> r.getString("body"))
                            .containsExactly("remark-of-a");
                    assertThat(note.get("count_of_remarks")).isEqualTo(1L);
                    assertThat(note.related("tags")).extracting(r -> r.getString("name")).containsExactly("tag-of-a");
                });
        assertThat(a.read("tag").load("notes").list()).flatExtracting(r -> r.related("notes"))
                .extracting(r -> r.getString("title")).containsExactly("secret-of-a");
    }
}
