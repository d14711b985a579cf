package dev.ashlar.kernel.migrate;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** A transaction:false file run again after an interrupted concurrent index build converges. */
@ExtendWith(PostgresExtension.class)
class IndexLeftoversTest {
    @TempDir
    Path folder;
    TestDatabase db;

    @BeforeEach
    void tableWithValues(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;"
                + "CREATE TABLE items (id int PRIMARY KEY, code text); INSERT INTO items VALUES (1, 'a'), (2, 'b')");
        Files.writeString(folder.resolve("20260101000000_index_items.sql"), "-- migrate:up transaction:false\n"
                + "CREATE UNIQUE INDEX CONCURRENTLY items_code_index ON items (code);\n"
                + "CREATE INDEX CONCURRENTLY \"Items_Id\" ON items (id);\n"
                + "-- migrate:down\nDROP INDEX CONCURRENTLY items_code_index;\n");
    }

    private Object indexes() {
        return db.value("SELECT string_agg(c.relname || '=' || i.indisvalid, ',' ORDER BY c.relname) FROM pg_index i "
                + "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'items'::regclass");
    }

    @Test
    void anInvalidIndexLeftByAFailedBuildIsDroppedAndBuiltAgain() {
        db.execute("INSERT INTO items VALUES (3, 'a')");
        assertThat(catchThrowable(() -> db.execute("CREATE UNIQUE INDEX CONCURRENTLY items_code_index ON items (code)")))
                .isNotNull();
        assertThat(indexes()).isEqualTo("items_code_index=false,items_pkey=true");
        db.execute("DELETE FROM items WHERE id = 3");

        new Migrator(db.dataSource(), folder).migrate();

        assertThat(indexes()).isEqualTo("Items_Id=true,items_code_index=true,items_pkey=true");
        assertThat(db.value("SELECT indisunique FROM pg_index WHERE indexrelid = 'items_code_index'::regclass"))
                .isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
    }

    @Test
    void aValidIndexLeftByABuildThatOutlivedItsMigratorIsKept() {
        db.execute("CREATE UNIQUE INDEX CONCURRENTLY items_code_index ON items (code)");
        db.execute("CREATE INDEX CONCURRENTLY \"Items_Id\" ON items (id)");
        Object oid = db.value("SELECT 'items_code_index'::regclass::oid");

        new Migrator(db.dataSource(), folder).migrate();

        assertThat(indexes()).isEqualTo("Items_Id=true,items_code_index=true,items_pkey=true");
        assertThat(db.value("SELECT 'items_code_index'::regclass::oid")).isEqualTo(oid);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
    }

    @Test
    void anIndexOfTheSameNameOnAnotherTableStillFailsInATransactionalFile() throws IOException {
        Files.writeString(folder.resolve("20260101000000_index_items.sql"), "-- migrate:up\n"
                + "CREATE TABLE others (id int);\nCREATE INDEX items_code_index ON others (id);\n"
                + "-- migrate:down\nDROP TABLE others;\n");
        db.execute("CREATE INDEX items_code_index ON items (code)");

        assertThat(catchThrowable(() -> new Migrator(db.dataSource(), folder).migrate()))
                .isInstanceOf(MigrationException.class).hasMessageContaining("already exists");
        assertThat(db.value("SELECT to_regclass('others') IS NULL")).isEqualTo(true);
    }

    /** A file building an index PostgreSQL names, preceded by a block comment. */
    private Path unnamedIndexFile() throws IOException {
        Path unnamed = Files.createDirectories(folder.resolve("unnamed"));
        Files.writeString(unnamed.resolve("20260101000000_index_codes.sql"), "-- migrate:up transaction:false\n"
                + "/* codes are looked up one by one */ CREATE UNIQUE INDEX CONCURRENTLY ON items (code);\n"
                + "-- migrate:down\nSELECT 1;\n");
        return unnamed;
    }

    @Test
    void anUnnamedConcurrentIndexThatFailsToBuildLeavesNoInvalidIndex() throws IOException {
        Path unnamed = unnamedIndexFile();
        db.execute("INSERT INTO items VALUES (3, 'a')");

        assertThat(catchThrowable(() -> new Migrator(db.dataSource(), unnamed).migrate()))
                .hasMessageContaining("could not create unique index");

        assertThat(indexes()).isEqualTo("items_pkey=true");
    }

    @Test
    void theInvalidIndexOfAnInterruptedUnnamedBuildIsReplacedUnderItsNameWhenTheFileRunsAgain() throws IOException {
        Path unnamed = unnamedIndexFile();
        db.execute("INSERT INTO items VALUES (3, 'a')");
        assertThat(catchThrowable(() -> db.execute("CREATE UNIQUE INDEX CONCURRENTLY ON items (code)"))).isNotNull();
        db.execute("CREATE INDEX CONCURRENTLY ON items (id) WHERE id > 1");
        db.execute("UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'items_id_idx'::regclass");
        assertThat(indexes()).isEqualTo("items_code_idx=false,items_id_idx=false,items_pkey=true");
        db.execute("DELETE FROM items WHERE id = 3");

        new Migrator(db.dataSource(), unnamed).migrate();

        assertThat(indexes()).isEqualTo("items_code_idx=true,items_id_idx=false,items_pkey=true");
        assertThat(db.value("SELECT indisunique FROM pg_index WHERE indexrelid = 'items_code_idx'::regclass"))
                .isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
    }

    /** An index that a rebuild fails to build while {@code items_switch} holds 0 (its function divides by it). */
    private Path reindexFile() throws IOException {
        db.execute("CREATE TABLE items_switch (d int); INSERT INTO items_switch VALUES (1);"
                + "CREATE FUNCTION items_key(int) RETURNS int IMMUTABLE LANGUAGE sql "
                + "AS $$ SELECT $1 / (SELECT d FROM public.items_switch) $$;"
                + "CREATE INDEX items_key_index ON items (items_key(id))");
        Path reindex = Files.createDirectories(folder.resolve("reindex"));
        Files.writeString(reindex.resolve("20260101000000_rebuild.sql"), "-- migrate:up transaction:false\n"
                + "REINDEX INDEX CONCURRENTLY items_key_index;\n-- migrate:down\nSELECT 1;\n");
        return reindex;
    }

    @Test
    void theInvalidCopiesOfAnInterruptedReindexConcurrentlyAreDroppedWhenItRunsAgain() throws IOException {
        Path reindex = reindexFile();
        db.execute("UPDATE items_switch SET d = 0");
        assertThat(catchThrowable(() -> db.execute("REINDEX INDEX CONCURRENTLY items_key_index"))).isNotNull();
        assertThat(indexes()).isEqualTo("items_key_index=true,items_key_index_ccnew=false,items_pkey=true");
        db.execute("UPDATE items_switch SET d = 1");

        new Migrator(db.dataSource(), reindex).migrate();

        assertThat(indexes()).isEqualTo("items_key_index=true,items_pkey=true");
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
    }

    @Test
    void aReindexConcurrentlyThatFailsLeavesNoInvalidCopy() throws IOException {
        Path reindex = reindexFile();
        db.execute("UPDATE items_switch SET d = 0");

        assertThat(catchThrowable(() -> new Migrator(db.dataSource(), reindex).migrate()))
                .hasMessageContaining("division by zero");

        assertThat(indexes()).isEqualTo("items_key_index=true,items_pkey=true");
    }
}
