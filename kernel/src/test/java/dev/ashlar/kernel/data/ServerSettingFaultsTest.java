package dev.ashlar.kernel.data;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ashlar.api.error.ConcurrencyException;
import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Data-layer calls on sessions whose server settings refuse the work: read-only sessions, a lock timeout. */
class ServerSettingFaultsTest extends BlogDatabaseTest {

    @BeforeEach
    void onePost() {
        db.execute("TRUNCATE posts RESTART IDENTITY; INSERT INTO posts (title) VALUES ('kept')");
    }

    /** An Ashlar whose sessions start with these settings ({@code -c name=value ...}), as a server's defaults would. */
    private HikariDataSource poolWith(String options) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl());
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(2);
        config.addDataSourceProperty("options", options);
        return new HikariDataSource(config);
    }

    @Test
    void aWriteOnAReadOnlyServerIsRefusedNamingTheResourceTheDataSourceAndTheFix() {
        try (HikariDataSource pool = poolWith("-c default_transaction_read_only=on");
             Ashlar readOnly = Ashlar.builder().dataSource(pool).domain(Fixtures.BLOG).build()) {
            Throwable create = catchThrowable(() -> readOnly.create("post", Map.of("title", "refused")));
            Throwable inTransaction = catchThrowable(() -> readOnly.transaction(tx -> tx.create("post",
                    Map.of("title", "refused"))));

            for (Throwable failure : new Throwable[]{create, inTransaction}) {
                assertThat(failure).isInstanceOf(DatabaseException.class)
                        .hasMessageStartingWith("Cannot create post on data source 'primary': it is read-only")
                        .hasMessageContaining("default_transaction_read_only")
                        .hasMessageContaining("give Ashlar the writable primary");
                assertThat(((DatabaseException) failure).sqlState()).contains("25006");
            }
            assertThat(readOnly.read("post").list()).hasSize(1);
        }
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(1L);
    }

    @Test
    void aStatementWrittenByHandThatWritesOnAReadOnlyServerIsRefusedSayingSoWithTheFixKeepingTheState() {
        try (HikariDataSource pool = poolWith("-c default_transaction_read_only=on");
             Ashlar readOnly = Ashlar.builder().dataSource(pool).domain(Fixtures.BLOG).build()) {
            Throwable alone = catchThrowable(() -> readOnly.sql("UPDATE posts SET title = ?", "changed").execute());
            Throwable returning = catchThrowable(() -> readOnly.sql("DELETE FROM posts RETURNING id").list());
            Throwable inTransaction = catchThrowable(() -> readOnly.transaction(tx ->
                    tx.sql("INSERT INTO posts (title) VALUES (?)", "refused").execute()));

            for (Throwable failure : new Throwable[]{alone, returning, inTransaction}) {
                assertThat(failure).isInstanceOfSatisfying(DatabaseException.class,
                                e -> assertThat(e.sqlState()).contains("25006"))
                        .hasMessageContaining("failed: the session is read-only")
                        .hasMessageContaining("default_transaction_read_only")
                        .hasMessageContaining("in a read-only transaction")
                        .hasMessageContaining("give Ashlar the writable primary");
            }
            assertThat(alone).hasMessageStartingWith("sql(\"UPDATE posts SET title = ?\", ...) failed");
            assertThat(readOnly.sql("SELECT count(*) FROM posts").value(Long.class)).isEqualTo(1L);
        }
        assertThat(db.value("SELECT string_agg(title, ',') FROM posts")).isEqualTo("kept");
    }

    @Test
    void aWriteThatWaitsPastTheServersLockTimeoutFailsAsALockNotAvailableNamingTheResource() throws Exception {
        try (HikariDataSource pool = poolWith("-c lock_timeout=200");
             Ashlar impatient = Ashlar.builder().dataSource(pool).domain(Fixtures.BLOG).build();
             Connection holder = db.dataSource().getConnection(); Statement lock = holder.createStatement()) {
            dev.ashlar.api.data.Row post = impatient.read("post").list().get(0);
            holder.setAutoCommit(false);
            lock.execute("SELECT * FROM posts FOR UPDATE");

            Throwable failure = catchThrowable(() -> impatient.update(post, Map.of("title", "changed")));
            holder.rollback();

            assertThat(failure).isInstanceOfSatisfying(ConcurrencyException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.LOCK_NOT_AVAILABLE);
                assertThat(e.sqlState()).contains("55P03");
                assertThat(e.resource()).contains("post");
            });
            assertThat(failure).hasMessageStartingWith("Could not update post").hasMessageContaining("lock_timeout")
                    .hasMessageContaining("Try again later");
        }
        assertThat(db.value("SELECT title FROM posts")).isEqualTo("kept");
    }

    @Test
    void aServerOutOfDiskOrMemoryFailsTheActionNamingTheResourceWhatItLacksAndItsHintKeepingTheState() {
        db.execute("CREATE FUNCTION lacking() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN "
                + "IF TG_OP = 'INSERT' THEN RAISE EXCEPTION 'could not extend file \"base/5/16400\": No space left "
                + "on device' USING ERRCODE = '53100', HINT = 'Check free disk space.'; END IF; "
                + "RAISE EXCEPTION 'out of shared memory' USING ERRCODE = '53200', "
                + "HINT = 'You might need to increase \"max_locks_per_transaction\".'; END$$; "
                + "CREATE TRIGGER lacking BEFORE INSERT OR UPDATE ON posts FOR EACH ROW EXECUTE FUNCTION lacking()");
        try {
            dev.ashlar.api.data.Row post = ashlar.read("post").list().get(0);
            Throwable create = catchThrowable(() -> ashlar.create("post", Map.of("title", "refused")));
            Throwable inTransaction = catchThrowable(() -> ashlar.transaction(tx -> tx.create("post",
                    Map.of("title", "refused"))));
            Throwable update = catchThrowable(() -> ashlar.update(post, Map.of("title", "changed")));

            for (Throwable full : new Throwable[]{create, inTransaction}) {
                assertThat(full).isInstanceOfSatisfying(DatabaseException.class,
                        e -> assertThat(e.sqlState()).contains("53100"))
                        .hasMessageStartingWith("Could not create post: the database server's disk is full")
                        .hasMessageContaining("No space left on device").hasMessageContaining("Check free disk space")
                        .hasMessageContaining("wrote nothing").hasMessageContaining("[SQL state 53100]");
            }
            assertThat(update).isInstanceOfSatisfying(DatabaseException.class,
                    e -> assertThat(e.sqlState()).contains("53200"))
                    .hasMessageStartingWith("Could not update post: the database server ran out of memory")
                    .hasMessageContaining("max_locks_per_transaction").hasMessageContaining("wrote nothing");
        } finally {
            db.execute("DROP TRIGGER lacking ON posts; DROP FUNCTION lacking()");
        }
        assertThat(db.value("SELECT string_agg(title, ',') FROM posts")).isEqualTo("kept");
    }
}
