package dev.ashlar.api.error;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class FeatureExceptionsTest {

    @Test
    void notFoundNamesTheResourceAndTheKey() {
        NotFoundException e = NotFoundException.noRecord("post", "update", 42);

        assertThat(e).isInstanceOf(AshlarException.class).hasMessage("Cannot update post: no record with key 42");
        assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(e.resource()).contains("post");
        assertThat(e.field()).isEmpty();
        assertThat(e.sqlState()).isEmpty();
    }

    @Test
    void staleRecordNamesTheVersionAttribute() {
        StaleRecordException e = StaleRecordException.changed("post", "update", "{id=1}", "lock_version", 3);

        assertThat(e).hasMessage("Cannot update post {id=1}: it changed since it was read (lock_version 3). "
                + "Read it again and reapply the change.");
        assertThat(e.code()).isEqualTo(ErrorCode.STALE_RECORD);
        assertThat(e.resource()).contains("post");
        assertThat(e.field()).contains("lock_version");
        assertThat(e.sqlState()).isEmpty();
    }

    @Test
    void queryExceptionsCarryTheResourceTheFieldAndTheCause() {
        IllegalArgumentException cause = new IllegalArgumentException("not a number");
        QueryException onField = QueryException.of("post", "rating", "Filter on post.rating: the value ...", cause);
        QueryException general = QueryException.of("No tenant given");

        assertThat(onField.code()).isEqualTo(ErrorCode.INVALID_QUERY);
        assertThat(onField.resource()).contains("post");
        assertThat(onField.field()).contains("rating");
        assertThat(onField).hasMessage("Filter on post.rating: the value ...").hasCause(cause);
        assertThat(general.resource()).isEmpty();
        assertThat(general.field()).isEmpty();
        assertThat(general.sqlState()).isEmpty();
    }

    @Test
    void databaseExceptionsKeepTheSqlState() {
        SQLException cause = new SQLException("could not serialize access", "40001");
        DatabaseException refused = DatabaseException.refused("post", "title", "The database refused create on post",
                cause.getSQLState(), cause);
        DatabaseException unreachable = DatabaseException.of("No database: pass --url");

        assertThat(refused.code()).isEqualTo(ErrorCode.DATABASE);
        assertThat(refused.resource()).contains("post");
        assertThat(refused.field()).contains("title");
        assertThat(refused.sqlState()).contains("40001");
        assertThat(refused).hasCause(cause);
        assertThat(DatabaseException.withState("Reading failed", "57P01", cause).sqlState()).contains("57P01");
        assertThat(unreachable.sqlState()).isEmpty();
        assertThat(unreachable.code()).isEqualTo(ErrorCode.DATABASE);
    }

    @Test
    void projectFileExceptionsNameTheFile() {
        IOException cause = new IOException("Permission denied");
        ProjectFileException e = ProjectFileException.of("resource_snapshots/public/posts/1.json",
                "Cannot read snapshot resource_snapshots/public/posts/1.json: Permission denied", cause);

        assertThat(e.code()).isEqualTo(ErrorCode.MIGRATION);
        assertThat(e.file()).contains("resource_snapshots/public/posts/1.json");
        assertThat(e.resource()).isEmpty();
        assertThat(e.field()).isEmpty();
        assertThat(e.sqlState()).isEmpty();
        assertThat(e).hasCause(cause);
    }
}
