package dev.ashlar.kernel.schema;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.RequiresPostgres;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(PostgresExtension.class)
class ServerVersionTest {

    @Test
    void runsOnEverySupportedServer(TestDatabase db) {
        assertThat(db.serverMajorVersion()).isGreaterThanOrEqualTo(13);
        assertThat(db.value("SELECT current_setting('server_version_num')::int / 10000"))
                .isEqualTo(db.serverMajorVersion());
    }

    @Test
    @RequiresPostgres(value = 15, reason = "NULLS NOT DISTINCT")
    void uniqueIndexesCanTreatNullsAsEqualOnFifteenAndLater(TestDatabase db) {
        db.execute("CREATE TABLE codes (code text); CREATE UNIQUE INDEX codes_code ON codes (code) NULLS NOT DISTINCT");
        db.execute("INSERT INTO codes VALUES (NULL)");

        assertThatThrownBy(() -> db.execute("INSERT INTO codes VALUES (NULL)")).hasMessageContaining("duplicate key");
    }
}
