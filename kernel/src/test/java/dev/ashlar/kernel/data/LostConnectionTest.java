package dev.ashlar.kernel.data;

import dev.ashlar.api.error.AshlarException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class LostConnectionTest extends BlogDatabaseTest {

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE posts RESTART IDENTITY");
    }

    @Test
    void aConnectionLostInATransactionReportsTheFailingWriteNotTheFailedCleanup() {
        Throwable failure = catchThrowable(() -> ashlar.transaction(tx -> {
            tx.create("post", Map.of("title", "first"));
            db.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE state = 'idle in transaction' "
                    + "AND datname = current_database() AND pid <> pg_backend_pid()");
            return tx.create("post", Map.of("title", "second"));
        }));

        assertThat(failure).isInstanceOf(AshlarException.class).hasMessageNotContaining("Connection is closed")
                .hasMessageContaining("post");
        assertThat(failure.getSuppressed()).isNotEmpty();
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(0L);
    }
}
