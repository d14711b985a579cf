package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An applied file checked out again with other line endings, a byte order mark or a final newline added or removed
 * (a Windows checkout with core.autocrlf, an editor's setting) is the same migration; a change of its text is still a change.
 */
@ExtendWith(PostgresExtension.class)
class LineEndingsTest {
    private static final String NAME = "20260101000000_create_posts.sql";
    private static final String TEXT = "-- migrate:up\nCREATE TABLE posts (id int);\n-- migrate:down\nDROP TABLE posts;\n";

    @TempDir
    Path folder;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    @Test
    void aFileAppliedWithLfAndCheckedOutWithCrlfAndAByteOrderMarkIsStillApplied(TestDatabase db) throws IOException {
        write(TEXT);
        new Migrator(db.dataSource(), folder).migrate();

        write("\uFEFF" + TEXT.replace("\n", "\r\n"));
        file("20260102000000_more.sql", "CREATE TABLE more (id int);");

        assertThat(new Migrator(db.dataSource(), folder).migrate()).extracting(MigrationFile::name)
                .containsExactly("more");
        assertThat(new Migrator(db.dataSource(), folder).status()).extracting(MigrationStatus::state)
                .containsOnly(MigrationStatus.State.APPLIED);
    }

    @Test
    void aFileAppliedWithCrlfAndCheckedOutWithLfIsStillApplied(TestDatabase db) throws IOException {
        write(TEXT.replace("\n", "\r\n"));
        new Migrator(db.dataSource(), folder).migrate();

        write(TEXT);

        assertThat(new Migrator(db.dataSource(), folder).migrate()).isEmpty();
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
    }

    @Test
    void aFinalNewlineAddedOrRemovedByAnEditorIsNoChangeButTrailingWhiteSpaceIs(TestDatabase db) throws IOException {
        write(TEXT);
        new Migrator(db.dataSource(), folder).migrate();

        write(TEXT.substring(0, TEXT.length() - 1).replace("\n", "\r\n"));
        assertThat(new Migrator(db.dataSource(), folder).status()).extracting(MigrationStatus::state)
                .containsExactly(MigrationStatus.State.APPLIED);

        write(TEXT.replace(";\n", "; \n"));
        assertThat(new Migrator(db.dataSource(), folder).status()).extracting(MigrationStatus::state)
                .containsExactly(MigrationStatus.State.CHANGED);
    }

    @Test
    void anEditBesidesTheLineEndingsIsStillAChange(TestDatabase db) throws IOException {
        write(TEXT);
        new Migrator(db.dataSource(), folder).migrate();

        write(TEXT.replace("id int", "id bigint").replace("\n", "\r\n"));

        assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).migrate())
                .isInstanceOfSatisfying(AshlarException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH));
    }

    @Test
    void aFileWrittenWithCrlfAndAByteOrderMarkRunsItsCommentsBodiesStringsAndCopyRowsAsWithLf(TestDatabase db)
            throws IOException {
        String text = String.join("\n", "-- lock-timeout: 5000ms", "-- migrate:up transaction:true",
                "CREATE TABLE notes (id int, body text); -- a note; not a statement",
                "/* a block; /* nested; */ still a comment; */",
                "CREATE FUNCTION shout(t text) RETURNS text LANGUAGE plpgsql AS $body$",
                "BEGIN", "  RETURN upper(t) || $x$;$x$;", "END", "$body$;",
                "DO $$ BEGIN INSERT INTO notes VALUES (1, 'two", "lines'); END $$;",
                "COPY notes (id, body) FROM stdin;", "2\tcopied", "3\t\\N", "\\.",
                "INSERT INTO notes VALUES (4, E'it\\'s');", "-- migrate:down", "DROP FUNCTION shout(text);",
                "DROP TABLE notes;", "");
        write("\uFEFF" + text.replace("\n", "\r\n"));

        assertThat(new Migrator(db.dataSource(), folder).migrate()).singleElement()
                .satisfies(file -> assertThat(file.lockTimeout()).hasMillis(5000));

        assertThat(db.value("SELECT shout('a')")).isEqualTo("A;");
        assertThat(db.value("SELECT string_agg(id || '=' || coalesce(body, 'null'), ',' ORDER BY id) FROM notes"))
                .isEqualTo("1=two\r\nlines,2=copied,3=null,4=it's");
        new Migrator(db.dataSource(), folder).rollback(1);
        assertThat(db.value("SELECT to_regclass('notes') IS NULL")).isEqualTo(true);
    }

    @Test
    void aFileWhoseLinesEndInACarriageReturnAloneIsRefusedSayingSoWithTheReturnShownEscapedAndNothingRuns(
            TestDatabase db) throws IOException {
        write(TEXT.replace("\n", "\r"));

        assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining(NAME).hasMessageContaining("-- migrate:up\\rCREATE TABLE posts")
                .hasMessageContaining("lines end in a carriage return alone").hasMessageContaining("LF")
                .hasMessageNotContaining("\r");
        assertThat(db.value("SELECT to_regclass('posts') IS NULL AND to_regclass('ashlar_schema_migrations') IS NULL"))
                .isEqualTo(true);
    }

    @Test
    void aRefusedLineHoldingATerminalEscapeIsShownEscaped() throws IOException {
        Path file = folder.resolve("20260102000000_marked.sql");
        Files.writeString(file, "-- requires: pg 15\u001b[2J\n-- migrate:up\nSELECT 1;\n");

        assertThatThrownBy(() -> MigrationFile.read(file)).isInstanceOf(MigrationException.class)
                .hasMessageContaining("'-- requires: pg 15\\u001b[2J'").hasMessageNotContaining("\u001b");
    }

    private void write(String text) throws IOException {
        Files.write(folder.resolve(NAME), text.getBytes(StandardCharsets.UTF_8));
    }

    private void file(String name, String up) throws IOException {
        Files.writeString(folder.resolve(name), "-- migrate:up\n" + up + "\n-- migrate:down\n");
    }
}
