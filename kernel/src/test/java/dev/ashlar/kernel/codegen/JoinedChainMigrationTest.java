package dev.ashlar.kernel.codegen;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Migrations of a chain of joined inheritance (a dog extends mammal, which extends animal): added to a root whose
 * table holds rows, each level's table is created keyed by its parent's key and referencing the parent's table on
 * delete cascade, every root row kept; generating again changes nothing.
 */
@ExtendWith(PostgresExtension.class)
class JoinedChainMigrationTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC);
    private static final Resource ANIMAL = Resource.builder("animal").table("animals").primaryKey("id")
            .attribute("name", TEXT, a -> a.notNull())
            .build();
    private static final Resource MAMMAL = Resource.builder("mammal").table("mammals").extending("animal")
            .attribute("fur", TEXT)
            .build();
    private static final Resource DOG = Resource.builder("dog").table("dogs").extending("mammal")
            .attribute("breed", TEXT)
            .build();

    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    private Codegen.Result generate(String name, Resource... resources) {
        return new Codegen(project, Domain.builder("zoo").resources(resources).build(), Plugins.none(),
                Renames.hints(List.of()), CLOCK).generate(name);
    }

    private void migrate() {
        new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).migrate();
    }

    @Test
    void aChainAddedToAPopulatedRootCreatesEachLevelsKeyedTableReferencingItsParentAndKeepsTheRootsRows() {
        generate("animals", ANIMAL);
        migrate();
        db.execute("INSERT INTO animals (name) VALUES ('Rex'), ('Tom')");

        Codegen.Result added = generate("chain", DOG, MAMMAL, ANIMAL);
        migrate();

        assertThat(added.destructive()).isEmpty();
        assertThat(db.query("SELECT id, name FROM animals ORDER BY id")).extracting(r -> r.get("id") + " "
                + r.get("name")).containsExactly("1 Rex", "2 Tom");
        assertThat(columns("mammals")).containsExactly("id", "fur");
        assertThat(columns("dogs")).containsExactly("id", "breed");
        assertThat(db.query("SELECT conrelid::regclass::text AS child, contype, confdeltype, "
                + "pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid IN ('mammals'::regclass, "
                + "'dogs'::regclass) ORDER BY 1, 2")).extracting(r -> r.get("child") + " " + r.get("contype") + " "
                + r.get("confdeltype") + " " + r.get("def")).containsExactly(
                "dogs f c FOREIGN KEY (id) REFERENCES mammals(id) ON DELETE CASCADE",
                "dogs p   PRIMARY KEY (id)",
                "mammals f c FOREIGN KEY (id) REFERENCES animals(id) ON DELETE CASCADE",
                "mammals p   PRIMARY KEY (id)");
        assertThat(generate("again", ANIMAL, MAMMAL, DOG).steps()).isEmpty();

        db.execute("INSERT INTO mammals VALUES (1, 'short'); INSERT INTO dogs VALUES (1, 'collie')");
        db.execute("DELETE FROM animals WHERE id = 1");
        assertThat(db.value("SELECT count(*) FROM mammals")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM dogs")).isEqualTo(0L);
        assertThat(db.value("SELECT name FROM animals")).isEqualTo("Tom");
    }

    private List<Object> columns(String table) {
        return db.query("SELECT column_name FROM information_schema.columns WHERE table_name = ? AND table_schema = "
                + "'public' ORDER BY ordinal_position", table).stream().map(r -> r.get("column_name")).toList();
    }
}
