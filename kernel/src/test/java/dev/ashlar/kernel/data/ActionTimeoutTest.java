package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.ActionTimeoutException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@code ashlar.withTimeout(...)}: every statement of an action through the handle is cancelled past its time. */
class ActionTimeoutTest extends BlogDatabaseTest {
    /** A filter that keeps every row after the server has slept this long, once per statement. */
    private static Filter sleeping(double seconds) {
        return Filter.sql("(SELECT true FROM pg_sleep(?))", seconds);
    }

    @BeforeEach
    void onePost() {
        db.execute("TRUNCATE posts RESTART IDENTITY");
        db.execute("INSERT INTO posts (title, rating) VALUES ('first', 1)");
    }

    @Test
    void aReadPastItsTimeoutIsCancelledWithAnErrorNamingTheResourceAndTheTimeout() {
        long start = System.nanoTime();
        ActionTimeoutException e = catchThrowableOfType(ActionTimeoutException.class,
                () -> ashlar.withTimeout(Duration.ofMillis(200)).read("post").where(sleeping(5)).list());
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(e.sqlState()).contains("57014");
        assertThat(e.timeout()).contains(Duration.ofMillis(200));
        assertThat(e.getMessage()).contains("read post").contains("200 ms").contains("Nothing the statement did was kept");
        assertThat(tookMillis).as("cancelled long before the 5 s sleep ends").isLessThan(3_000);
    }

    @Test
    void aReadWithinItsTimeoutAndAHandleWithoutOneRunAsBefore() {
        assertThat(ashlar.withTimeout(Duration.ofSeconds(5)).read("post").where(sleeping(0.05)).list()).hasSize(1);
        assertThat(ashlar.read("post").where(sleeping(0.3)).count()).isEqualTo(1);
    }

    @Test
    void aWriteWaitingPastItsTimeoutForARowLockIsCancelledAndChangesNothing() throws SQLException {
        Row post = ashlar.read("post").first().orElseThrow();
        try (Connection holder = db.dataSource().getConnection(); Statement statement = holder.createStatement()) {
            holder.setAutoCommit(false);
            statement.execute("SELECT * FROM posts FOR UPDATE");

            assertThatThrownBy(() -> ashlar.withTimeout(Duration.ofMillis(300)).update(post, Map.of("title", "new")))
                    .isInstanceOf(ActionTimeoutException.class).hasMessageContaining("update post");
            holder.rollback();
        }
        assertThat(db.value("SELECT title FROM posts")).isEqualTo("first");
    }

    @Test
    void aTimeoutInsideATransactionRollsBackTheWholeTransaction() {
        Ashlar timed = ashlar.withTimeout(Duration.ofMillis(200));

        assertThatThrownBy(() -> timed.inTransaction(tx -> {
            tx.create("post", Map.of("title", "second"));
            tx.read("post").where(sleeping(5)).list();
        })).isInstanceOf(ActionTimeoutException.class);

        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(1L);
    }

    @Test
    void theConnectionOfACancelledStatementServesTheNextAction() {
        Ashlar timed = ashlar.withTimeout(Duration.ofMillis(100));
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> timed.read("post").where(sleeping(2)).count())
                    .isInstanceOf(ActionTimeoutException.class);
        }

        assertThat(timed.read("post").where(eq("title", "first")).list()).hasSize(1);
        assertThat(ashlar.read("post").where(sleeping(0.3)).exists()).isTrue();
    }

    @Test
    void theServersOwnStatementTimeoutIsReportedAsATimeoutWithoutAHandleTimeout() {
        ActionTimeoutException e = catchThrowableOfType(ActionTimeoutException.class, () -> ashlar.inTransaction(tx -> {
            tx.read("post").where(Filter.sql("set_config('statement_timeout', '150ms', true) IS NOT NULL")).list();
            tx.read("post").where(sleeping(5)).list();
        }));

        assertThat(e.timeout()).isEmpty();
        assertThat(e.getMessage()).contains("statement_timeout").contains("read post");
    }

    @Test
    void combinedReadsAndAggregatesTakeTheTimeoutOfTheHandleTheyBeganFrom() {
        Ashlar timed = ashlar.withTimeout(Duration.ofMillis(200));

        assertThatThrownBy(() -> timed.read("post").union(ashlar.read("post").where(sleeping(5))).list())
                .isInstanceOf(ActionTimeoutException.class);
        assertThatThrownBy(() -> timed.read("post").where(sleeping(5)).sum("rating"))
                .isInstanceOf(ActionTimeoutException.class);
        assertThat(timed.withoutTenant().read("post").list()).extracting(row -> row.get("title"))
                .isEqualTo(List.of("first"));
    }

    @Test
    void aTimeoutUnderOneMillisecondIsRefused() {
        assertThatThrownBy(() -> ashlar.withTimeout(Duration.ZERO)).isInstanceOf(QueryException.class)
                .hasMessageContaining("at least one millisecond");
        assertThatThrownBy(() -> ashlar.withTimeout(null)).isInstanceOf(QueryException.class)
                .hasMessageContaining("timeout");
    }

    @Test
    void aTimedHandleKeepsItsTenantAndReadsOrWritesNoOtherTenantsRows() {
        db.execute("DROP TABLE IF EXISTS timed_notes; CREATE TABLE timed_notes (id bigserial PRIMARY KEY, "
                + "org text NOT NULL, body text); INSERT INTO timed_notes (org, body) VALUES ('b', 'secret')");
        Resource note = Resource.builder("note").table("timed_notes").primaryKey("id")
                .attribute("org", TEXT, a -> a.notNull()).attribute("body", TEXT).build();
        try (Ashlar notes = Ashlar.builder().dataSource(db.dataSource())
                .domain(Domain.builder("notes").resource(note).build())
                .install(OneResourceTenancy.column("note", "org", false)).build()) {
            Ashlar attacker = notes.withTenant("a").withTimeout(Duration.ofSeconds(5));
            Ashlar swapped = notes.withTimeout(Duration.ofSeconds(5)).withTenant("a");

            for (Ashlar handle : List.of(attacker, swapped)) {
                assertThat(handle.read("note").list()).isEmpty();
                assertThat(handle.read("note").updateAll(Map.of("body", "stolen"))).isEmpty();
                assertThat(handle.read("note").destroyAll()).isZero();
            }
            attacker.create("note", Map.of("body", "mine"));
        }
        assertThat(db.query("SELECT org || ':' || body AS row FROM timed_notes ORDER BY id"))
                .extracting(row -> row.get("row")).containsExactly("b:secret", "a:mine");
    }
}
