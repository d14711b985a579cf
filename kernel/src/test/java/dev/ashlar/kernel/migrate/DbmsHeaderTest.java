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
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Liquibase's changeset attribute {@code dbms}, restated as a {@code -- dbms:} header: a file for other databases is
 * left out of every run on PostgreSQL (not applied, not recorded, not pending), one that names {@code postgresql}
 * applies, a name of some other database is taken as one, and a misspelling of {@code postgresql} is refused before
 * anything runs.
 */
@ExtendWith(PostgresExtension.class)
class DbmsHeaderTest {
    @TempDir
    Path folder;
    TestDatabase db;

    @BeforeEach
    void populatedSchema(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        write("20260101000000_create_posts.sql", "", "CREATE TABLE posts (id int PRIMARY KEY, title text);\n"
                + "INSERT INTO posts SELECT g, 'post ' || g FROM generate_series(1, 500) g;");
    }

    @Test
    void aFileForOtherDatabasesIsNeitherAppliedNorRecordedNorPendingWhileItsPostgresqlTwinOfTheSameVersionApplies()
            throws IOException {
        write("20260102000000_index_titles_oracle.sql", "-- dbms: oracle, mssql\n",
                "CREATE INDEX posts_title_oracle ON posts (title);");
        write("20260102000000_index_titles.sql", "-- dbms: postgresql\n",
                "CREATE INDEX posts_title_index ON posts (title);");
        write("20260103000000_mysql_engine.sql", "-- dbms: MySQL\n", "ALTER TABLE posts ENGINE = InnoDB;");

        assertThat(migrator().migrate()).extracting(MigrationFile::fileName)
                .containsExactly("20260101000000_create_posts.sql", "20260102000000_index_titles.sql");

        assertThat(db.value("SELECT string_agg(version || ' ' || name, ',' ORDER BY version) "
                + "FROM ashlar_schema_migrations")).isEqualTo("20260101000000 create_posts,20260102000000 index_titles");
        assertThat(db.value("SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes "
                + "WHERE tablename = 'posts'")).isEqualTo("posts_pkey,posts_title_index");
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(500L);
        assertThat(migrator().status()).extracting(MigrationStatus::state)
                .containsOnly(MigrationStatus.State.APPLIED).hasSize(2);
        assertThat(migrator().migrate()).isEmpty();
    }

    @Test
    void negationsAllAndNoneDecideAsLiquibaseDoes() throws IOException {
        write("20260102000000_not_h2.sql", "-- dbms: !h2\n", "CREATE TABLE not_h2 (id int);");
        write("20260103000000_not_postgresql.sql", "-- dbms: !postgresql\n", "CREATE TABLE not_postgresql (id int);");
        write("20260104000000_all.sql", "-- dbms: all, oracle\n", "CREATE TABLE for_all (id int);");
        write("20260105000000_none.sql", "-- dbms: none, postgresql\n", "CREATE TABLE for_none (id int);");
        write("20260106000000_others_named.sql", "-- dbms: !h2, mysql\n", "CREATE TABLE others_named (id int);");

        migrator().migrate();

        assertThat(db.value("SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables "
                + "WHERE table_schema = 'public' AND table_name NOT LIKE 'ashlar\\_%'"))
                .isEqualTo("for_all,not_h2,posts");
        assertThat(db.value("SELECT string_agg(version, ',' ORDER BY version) FROM ashlar_schema_migrations"))
                .isEqualTo("20260101000000,20260102000000,20260104000000");
    }

    @Test
    void aMisspellingOfPostgresqlIsRefusedNamingTheFileTheLineAndPostgresqlBeforeAnythingRuns() throws IOException {
        for (String misspelt : List.of("postgres", "pg", "PgSQL", "postgressql")) {
            write("20260102000000_index_titles.sql", "-- dbms: " + misspelt + "\n",
                    "CREATE INDEX posts_title_index ON posts (title);");

            assertThatThrownBy(() -> migrator().migrate()).as(misspelt).isInstanceOf(MigrationException.class)
                    .hasMessageContaining("Line 1 of migration ")
                    .hasMessageContaining("20260102000000_index_titles.sql, '-- dbms: " + misspelt + "', names '"
                            + misspelt.toLowerCase(Locale.ROOT) + "', which Liquibase's dbms takes for another "
                            + "database: PostgreSQL's name there is 'postgresql'");

            assertThat(db.value("SELECT to_regclass('posts') IS NULL AND to_regclass('ashlar_schema_migrations') "
                    + "IS NULL")).as("the first file did not run either").isEqualTo(true);
        }
    }

    @Test
    void aNameOfADatabaseOfALiquibaseExtensionIsAnotherDatabaseSoItsFileIsLeftOut() throws IOException {
        write("20260102000000_keyspace.sql", "-- dbms: cassandra\n", "CREATE KEYSPACE app;");
        write("20260102000000_index_titles.sql", "-- dbms: postgresql, !mongodb\n",
                "CREATE INDEX posts_title_index ON posts (title);");

        assertThat(migrator().migrate()).extracting(MigrationFile::fileName)
                .containsExactly("20260101000000_create_posts.sql", "20260102000000_index_titles.sql");

        assertThat(db.value("SELECT string_agg(version || ' ' || name, ',' ORDER BY version) "
                + "FROM ashlar_schema_migrations")).isEqualTo("20260101000000 create_posts,20260102000000 index_titles");
        assertThat(db.value("SELECT to_regclass('posts_title_index') IS NOT NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(500L);
    }

    @Test
    void aMisspelledOrRepeatedHeaderAndAnEmptyNameAreRefusedRatherThanIgnored() throws IOException {
        write("20260102000000_upper.sql", "-- DBMS: postgresql\n", "SELECT 1;");
        assertThatThrownBy(() -> migrator().migrate()).hasMessageContaining("write the '-- dbms:' header exactly so, "
                + "e.g. '-- dbms: postgresql'");

        write("20260102000000_upper.sql", "-- dbms: postgresql\n-- dbms: h2\n", "SELECT 1;");
        assertThatThrownBy(() -> migrator().migrate()).hasMessageContaining("repeats a header. Give a file one "
                + "'-- dbms:' line");

        write("20260102000000_upper.sql", "-- dbms: postgresql, ,h2\n", "SELECT 1;");
        assertThatThrownBy(() -> migrator().migrate()).hasMessageContaining("has an empty name");
        assertThat(db.value("SELECT to_regclass('ashlar_schema_migrations') IS NULL")).isEqualTo(true);
    }

    @Test
    void aTenantFileMayNamePostgresqlWhileOtherHeadersOfTheMainSchemaStayRefused() {
        MigrationFile forPostgresql = MigrationFile.parse(folder.resolve("20260102000000_tenant_notes.sql"),
                "-- dbms: postgresql\n-- migrate:up\nCREATE TABLE notes (id int);\n");
        MigrationFile tagged = MigrationFile.parse(folder.resolve("20260103000000_tenant_tags.sql"),
                "-- dbms: postgresql\n-- tag: v1\n-- migrate:up\nCREATE TABLE tags (id int);\n");

        assertThat(FileFilters.noneIn(List.of(forPostgresql))).containsExactly(forPostgresql);
        assertThatThrownBy(() -> FileFilters.noneIn(List.of(tagged))).hasMessageContaining("20260103000000_tenant_tags");
    }

    private Migrator migrator() {
        return new Migrator(db.dataSource(), folder);
    }

    private void write(String name, String headers, String up) throws IOException {
        Files.writeString(folder.resolve(name), headers + "-- migrate:up\n" + up + "\n-- migrate:down\nSELECT 1;\n");
    }
}
