package dev.ashlar.kernel.codegen;

import dev.ashlar.api.query.Filter;
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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Migrations of joined inheritance ({@code extending(parent)}): a child added to a parent whose table holds rows
 * creates the child's table (its own columns, the parent's key as primary key and cascading foreign key) and keeps
 * every parent row; the snapshot records the key, so generating again changes nothing, and removing the child drops
 * its table alone. A chain added to a populated root creates each level's table keyed by and referencing its parent's.
 */
@ExtendWith(PostgresExtension.class)
class JoinedInheritanceMigrationTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC);
    private static final Resource ANIMAL = Resource.builder("animal").table("animals").primaryKey("id")
            .attribute("name", TEXT, a -> a.notNull())
            .build();
    private static final Resource DOG = Resource.builder("dog").table("dogs").extending("animal")
            .attribute("breed", TEXT)
            .build();

    // A chain: a terrier extends mammal, which extends animal; declared leaf first where it is generated.
    private static final Resource MAMMAL = Resource.builder("mammal").table("mammals").extending("animal")
            .attribute("fur", TEXT)
            .build();
    private static final Resource TERRIER = Resource.builder("terrier").table("terriers").extending("mammal")
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
    void aChildAddedToAPopulatedParentCreatesItsKeyedTableAndKeepsEveryParentRow() throws IOException {
        generate("animals", ANIMAL);
        migrate();
        db.execute("INSERT INTO animals (name) VALUES ('Rex'), ('Tom')");

        Codegen.Result added = generate("dogs", ANIMAL, DOG);
        migrate();

        assertThat(db.query("SELECT id, name FROM animals ORDER BY id")).extracting(r -> r.get("id") + " "
                + r.get("name")).containsExactly("1 Rex", "2 Tom");
        assertThat(db.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'dogs' "
                + "ORDER BY ordinal_position")).extracting(r -> r.get("column_name")).containsExactly("id", "breed");
        assertThat(db.query("SELECT contype, confdeltype, pg_get_constraintdef(oid) AS def FROM pg_constraint "
                + "WHERE conrelid = 'dogs'::regclass ORDER BY contype")).extracting(r -> r.get("contype") + " "
                + r.get("confdeltype") + " " + r.get("def")).containsExactly(
                "f c FOREIGN KEY (id) REFERENCES animals(id) ON DELETE CASCADE", "p   PRIMARY KEY (id)");
        assertThat(added.destructive()).isEmpty();
        String migration = Files.readString(added.files().get(0));
        assertThat(migration).contains("CREATE TABLE", "\"dogs\"", "\"dogs_id_fkey\"", "ON DELETE CASCADE");
        try (Stream<Path> files = Files.walk(project)) {
            assertThat(files.filter(f -> f.toString().contains("dogs") && f.toString().endsWith(".json"))
                    .map(JoinedInheritanceMigrationTest::read)).anyMatch(json -> json.contains("dogs_id_fkey"));
        }
        db.execute("INSERT INTO dogs (id, breed) VALUES (1, 'collie')");
        db.execute("DELETE FROM animals WHERE id = 1");
        assertThat(db.value("SELECT count(*) FROM dogs")).isEqualTo(0L);
    }

    @Test
    void aChildIdentityUnderASoftDeletingParentIsIndexedOnTheChildsOwnColumnsAndMigrates() {
        Resource critter = Resource.builder("critter").table("critters").primaryKey("id")
                .attribute("name", TEXT).attribute("deleted_at", TIMESTAMPTZ).softDelete("deleted_at").build();
        Resource bird = Resource.builder("bird").table("birds").extending("critter")
                .attribute("ring", TEXT).attribute("wings", INTEGER)
                .baseFilter("wings > 0", Filter.gt("wings", 0))
                .identity("unique_ring", "ring")
                .build();

        generate("birds", critter, bird);
        migrate();

        assertThat(db.value("SELECT pg_get_indexdef('birds_unique_ring_index'::regclass)"))
                .isEqualTo("CREATE UNIQUE INDEX birds_unique_ring_index ON public.birds USING btree (ring) "
                        + "WHERE (wings > 0)");
        db.execute("INSERT INTO critters (name) VALUES ('a'), ('b'); INSERT INTO birds VALUES (1, 'r1', 2)");
        assertThatThrownBy(() -> db.execute("INSERT INTO birds VALUES (2, 'r1', 2)"))
                .hasMessageContaining("birds_unique_ring_index");
    }

    @Test
    void generatingAgainChangesNothingAndRemovingTheChildDropsItsTableAlone() {
        generate("zoo", ANIMAL, DOG);
        migrate();
        db.execute("INSERT INTO animals (name) VALUES ('Rex')");

        assertThat(generate("again", ANIMAL, DOG).steps()).isEmpty();
        generate("no_dogs", ANIMAL);
        migrate();

        assertThat(db.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename IN "
                + "('animals', 'dogs')")).extracting(r -> r.get("tablename")).containsExactly("animals");
        assertThat(db.value("SELECT name FROM animals")).isEqualTo("Rex");
    }

    @Test
    void aChainAddedToAPopulatedRootCreatesEachLevelsKeyedTableReferencingItsParentAndKeepsTheRootsRows() {
        generate("animals", ANIMAL);
        migrate();
        db.execute("INSERT INTO animals (name) VALUES ('Rex'), ('Tom')");

        Codegen.Result added = generate("chain", TERRIER, MAMMAL, ANIMAL);
        migrate();

        assertThat(added.destructive()).isEmpty();
        assertThat(db.query("SELECT id, name FROM animals ORDER BY id")).extracting(r -> r.get("id") + " "
                + r.get("name")).containsExactly("1 Rex", "2 Tom");
        assertThat(db.query("SELECT table_name, column_name FROM information_schema.columns WHERE table_name IN "
                + "('mammals', 'terriers') ORDER BY table_name, ordinal_position"))
                .extracting(r -> r.get("table_name") + "." + r.get("column_name")).containsExactly("mammals.id", "mammals.fur", "terriers.id", "terriers.breed");
        assertThat(db.query("SELECT conrelid::regclass::text AS child, contype, confdeltype, "
                + "pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid IN ('mammals'::regclass, "
                + "'terriers'::regclass) ORDER BY 1, 2")).extracting(r -> r.get("child") + " " + r.get("contype") + " "
                + r.get("confdeltype") + " " + r.get("def")).containsExactly(
                "mammals f c FOREIGN KEY (id) REFERENCES animals(id) ON DELETE CASCADE",
                "mammals p   PRIMARY KEY (id)",
                "terriers f c FOREIGN KEY (id) REFERENCES mammals(id) ON DELETE CASCADE",
                "terriers p   PRIMARY KEY (id)");
        assertThat(generate("again", ANIMAL, MAMMAL, TERRIER).steps()).isEmpty();

        db.execute("INSERT INTO mammals VALUES (1, 'short'); INSERT INTO terriers VALUES (1, 'collie')");
        db.execute("DELETE FROM animals WHERE id = 1");
        assertThat(db.value("SELECT count(*) FROM mammals")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM terriers")).isEqualTo(0L);
        assertThat(db.value("SELECT name FROM animals")).isEqualTo("Tom");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
