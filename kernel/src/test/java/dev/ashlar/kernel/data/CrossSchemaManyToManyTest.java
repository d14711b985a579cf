package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
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

import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * AshPostgres's cross_schema_many_to_many_test: a profile and its join table in one schema, the interests in
 * another, loaded and filtered both ways.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossSchemaManyToManyTest {
    static final Domain DOMAIN = Domain.builder("cross_schema")
            .resource(Resource.builder("profile").table("profile").schema("profiles").uuidPrimaryKey("id")
                    .attribute("description", TEXT)
                    .manyToMany("interests", "interest", r -> r.through("profile_interest"))
                    .build())
            .resource(Resource.builder("interest").table("interest").schema("interests").uuidPrimaryKey("id")
                    .attribute("name", TEXT)
                    .manyToMany("profiles", "profile", r -> r.through("profile_interest"))
                    .build())
            .resource(Resource.builder("profile_interest").table("profile_interest").schema("profiles")
                    .belongsTo("profile", "profile", r -> r.primaryKey().allowNil(false))
                    .belongsTo("interest", "interest", r -> r.primaryKey().allowNil(false))
                    .build())
            .build();

    private Ashlar ashlar;

    @BeforeAll
    void start(TestDatabase db) {
        db.execute("CREATE SCHEMA IF NOT EXISTS profiles; CREATE SCHEMA IF NOT EXISTS interests");
        ashlar = Fixtures.ashlar(db, DOMAIN);
    }

    @AfterAll
    void stop() {
        ashlar.close();
    }

    @Test
    void aManyToManyLoadsAndFiltersAcrossSchemas() {
        Row profile = ashlar.create("profile", Map.of("description", "Test"));
        Row interest = ashlar.create("interest", Map.of("name", "eating"));
        ashlar.create("profile_interest", Map.of("profile_id", profile.get("id"), "interest_id", interest.get("id")));

        Row loaded = ashlar.read("interest").where(eq("id", interest.get("id"))).load("profiles").one().orElseThrow();
        assertThat(loaded.related("profiles")).extracting(r -> r.get("description")).containsExactly("Test");
        assertThat(ashlar.read("profile").where(exists("interests", eq("name", "eating"))).list()).hasSize(1);
        assertThat(ashlar.read("profile").where(eq("interests.name", "eating")).load("interests").list())
                .singleElement().satisfies(p -> assertThat(p.related("interests")).hasSize(1));
    }
}
