package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * AshPostgres's schema_test: an author in {@code public} and its profile in the schema {@code profiles}, created,
 * read, filtered across the relationship both ways, and an aggregate through it filtered on and loaded (Ashlar
 * asks a {@code first} for an order even through a has-one).
 */
class CrossSchemaRelationshipsTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("schemas")
            .resource(Resource.builder("author").table("authors").uuidPrimaryKey("id")
                    .attribute("first_name", TEXT)
                    .hasOne("profile", "profile")
                    .first("profile_description", "profile", "description", Sort.asc("id"))
                    .build())
            .resource(Resource.builder("profile").table("profile").schema("profiles").uuidPrimaryKey("id")
                    .attribute("description", TEXT)
                    .belongsTo("author", "author")
                    .build())
            .build();

    private Row author;

    CrossSchemaRelationshipsTest() {
        super(DOMAIN);
    }

    @Override
    @BeforeAll
    void start(TestDatabase database) {
        database.execute("CREATE SCHEMA IF NOT EXISTS profiles");
        super.start(database);
    }

    @BeforeEach
    void anAuthor() {
        db.execute("TRUNCATE authors, profiles.profile");
        author = ashlar.create("author", Map.of("first_name", "ada"));
    }

    private Row profile(String description) {
        return ashlar.create("profile", Map.of("description", description, "author_id", author.get("id")));
    }

    @Test
    void aRecordInAnotherSchemaIsCreatedThereAndReadBack() {
        assertThat(profile("foo").get("description")).isEqualTo("foo");

        assertThat(db.value("SELECT description FROM profiles.profile")).isEqualTo("foo");
        assertThat(ashlar.read("profile").list()).extracting(r -> r.get("description")).containsExactly("foo");
    }

    @Test
    void filtersGoAcrossTheSchemasBothWays() {
        Row profile = profile("foo");
        ashlar.create("author", Map.of("first_name", "bob"));

        assertThat(ashlar.read("author").where(eq("profile.id", profile.get("id"))).list())
                .extracting(r -> r.get("id")).containsExactly(author.get("id"));
        assertThat(ashlar.read("profile").where(eq("author.id", author.get("id"))).list())
                .extracting(r -> r.get("id")).containsExactly(profile.get("id"));
    }

    @Test
    void anAggregateAcrossTheSchemasFiltersAndLoads() {
        profile("foo");
        ashlar.create("author", Map.of("first_name", "bob"));

        assertThat(ashlar.read("author").where(eq("profile_description", "foo")).load("profile_description").list())
                .singleElement().satisfies(r -> {
                    assertThat(r.get("id")).isEqualTo(author.get("id"));
                    assertThat(r.get("profile_description")).isEqualTo("foo");
                });
        assertThat(ashlar.read("author").where(eq("id", author.get("id"))).load("profile_description").one()
                .orElseThrow().get("profile_description")).isEqualTo("foo");
    }
}
