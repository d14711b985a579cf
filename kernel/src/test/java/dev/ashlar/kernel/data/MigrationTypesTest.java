package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.contains;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.in;
import static dev.ashlar.api.query.Filter.like;
import static dev.ashlar.api.query.Filter.sql;
import static dev.ashlar.api.query.Filter.startsWith;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Text attributes stored in a column of another type ({@code migrationType("ltree")}, {@code "inet"}): their values
 * are sent for the server to read as that type, which alone checks them.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MigrationTypesTest {
    static final Domain DOMAIN = Domain.builder("migration_types").extensions("ltree")
            .resource(Resource.builder("node").table("typed_nodes")
                    .integerPrimaryKey("id")
                    .attribute("path", TEXT, a -> a.migrationType("ltree"))
                    .attribute("address", TEXT, a -> a.migrationType("INET"))
                    .build())
            .build();

    private TestDatabase db;
    private Ashlar ashlar;

    @BeforeAll
    void start(TestDatabase db) {
        this.db = db;
        db.execute("CREATE EXTENSION IF NOT EXISTS ltree");
        ashlar = Fixtures.ashlar(db, DOMAIN);
    }

    @AfterAll
    void stop() {
        ashlar.close();
    }

    @BeforeEach
    void nodes() {
        db.execute("TRUNCATE typed_nodes");
        ashlar.create("node", Map.of("id", 1, "path", "top.science", "address", "10.0.0.1"));
        ashlar.createAll("node", List.of(Map.of("id", 2, "path", "top.science.astro", "address", "10.0.0.2"),
                Map.of("id", 3, "path", "top.art", "address", "192.168.1.1")));
    }

    private List<Object> ids(Filter filter) {
        return ashlar.read("node").where(filter).sort(Sort.asc("id")).list().stream().map(row -> row.get("id"))
                .toList();
    }

    @Test
    void valuesAreStoredAsTheColumnsTypeComparedAndSortedAsIt() {
        assertThat(db.query("SELECT pg_typeof(path)::text AS p, pg_typeof(address)::text AS a FROM typed_nodes "
                + "LIMIT 1")).containsExactly(Map.of("p", "ltree", "a", "inet"));
        assertThat(ids(eq("path", "top.science"))).containsExactly(1);
        assertThat(ids(in("address", List.of("10.0.0.2", "192.168.1.1")))).containsExactly(2, 3);
        assertThat(ids(sql("path <@ ?::ltree", "top.science"))).containsExactly(1, 2);
        assertThat(ashlar.read("node").sort(Sort.asc("path")).list()).extracting(row -> row.get("path"))
                .containsExactly("top.art", "top.science", "top.science.astro");

        Row art = ashlar.read("node").where(eq("id", 3)).first().orElseThrow();
        ashlar.update(art, Map.of("path", "top.arts"));
        assertThat(db.value("SELECT count(*) FROM typed_nodes WHERE path = 'top.arts'::ltree")).isEqualTo(1L);
    }

    @Test
    void likeAndContainsMatchTheTextFormOfAColumnThatHasNoneOfItsOwn() {
        assertThat(ids(like("path", "top.sci%"))).containsExactly(1, 2);
        assertThat(ids(startsWith("path", "top.science."))).containsExactly(2);
        assertThat(ids(contains("path", "art"))).containsExactly(3);
        assertThat(ids(contains("address", "10.0.0."))).containsExactly(1, 2);
        assertThat(ids(like("address", "%/32"))).as("an inet's text form has its netmask").containsExactly(1, 2, 3);
    }

    @Test
    void minAndMaxOfATypeTheServerHasNoneOfAreRefusedSayingHowToReadTheValue() {
        for (String name : List.of("min", "max")) {
            assertThatThrownBy(() -> {
                Object value = name.equals("min") ? ashlar.read("node").min("path") : ashlar.read("node").max("path");
            })
                    .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).contains("path"))
                    .hasMessageContaining(name + "(\"path\") of node: PostgreSQL has no " + name
                            + " of a ltree attribute")
                    .hasMessageContaining(".first()");
        }
        assertThat(ashlar.read("node").sort(Sort.desc("path")).first().orElseThrow().get("path"))
                .isEqualTo("top.science.astro");
    }

    @Test
    void aValueTheServerRefusesForTheColumnsTypeIsAFieldErrorNamingTheAttributeAndNothingIsWritten() {
        assertThatThrownBy(() -> ashlar.create("node", Map.of("id", 4, "path", "top..x")))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(error -> {
                            assertThat(error.field()).isEqualTo("path");
                            assertThat(error.message()).startsWith("is not a valid ltree: ").contains("syntax error");
                        }));
        assertThatThrownBy(() -> ashlar.createAll("node", List.of(Map.of("id", 4, "address", "10.0.0.4"),
                Map.of("id", 5, "address", "nope"))))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(error -> {
                            assertThat(error.field()).isEqualTo("address");
                            assertThat(error.message()).isEqualTo("is not a valid inet: invalid input syntax for type "
                                    + "inet: \"nope\"; give it in the type's text form");
                        }));
        Row science = ashlar.read("node").where(eq("id", 1)).first().orElseThrow();
        assertThatThrownBy(() -> ashlar.update(science, Map.of("path", "a b")))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors())
                        .extracting(error -> error.field()).containsExactly("path"));

        assertThat(db.value("SELECT count(*) FROM typed_nodes")).isEqualTo(3L);
        assertThat(db.value("SELECT path::text FROM typed_nodes WHERE id = 1")).isEqualTo("top.science");
    }

    @Test
    void aBulkCreateCollectingErrorsReportsTheRecordTheServerRefusesAndStoresTheOthers() {
        BulkResult result = ashlar.createAll("node", List.of(Map.of("id", 4, "path", "ok.one"),
                Map.of("id", 5, "path", "bad path"), Map.of("id", 6, "path", "ok.two")), Bulk.collectErrors());

        assertThat(result.errors()).singleElement().satisfies(failure -> {
            assertThat(failure.index()).isEqualTo(1);
            assertThat(failure.error().errors()).extracting(error -> error.field()).containsExactly("path");
        });
        assertThat(db.query("SELECT id FROM typed_nodes WHERE id > 3 ORDER BY id")).extracting(row -> row.get("id"))
                .containsExactly(4, 6);
    }
}
