package dev.ashlar.kernel.migrate;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.tenant.TenantMigrator;
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
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Lock and statement timeouts given in code that PostgreSQL cannot take as meant: zero or negative (which it, or a
 * clamp, would turn into waiting for ever or into a millisecond), or past its 32-bit milliseconds. Each is refused when
 * given, naming the bound and the range, before anything runs; the extremes it takes migrate.
 */
@ExtendWith(PostgresExtension.class)
class MigrationBoundsTest {
    @TempDir
    Path folder;

    @BeforeEach
    void oneFile(TestDatabase db) throws IOException {
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        Files.writeString(folder.resolve("20260101000000_notes.sql"), "-- migrate:up\nCREATE TABLE notes (id int);\n"
                + "-- migrate:down\nDROP TABLE notes;\n");
    }

    @Test
    void aLockOrStatementTimeoutOfZeroNegativeOrPastWhatPostgresHoldsIsRefusedNamingTheBound(TestDatabase db) {
        for (Duration wrong : List.of(Duration.ZERO, Duration.ofMillis(-5), Duration.ofNanos(999_999),
                Duration.ofMillis(Integer.MAX_VALUE + 1L), Duration.ofDays(36_500), Duration.ofSeconds(Long.MAX_VALUE),
                ChronoUnit.FOREVER.getDuration(), Duration.ofSeconds(Long.MIN_VALUE))) {
            assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).lockTimeout(wrong))
                    .isInstanceOf(MigrationException.class)
                    .hasMessage("lockTimeout(" + wrong + ") is not a bound PostgreSQL takes: give from 1 ms to about "
                            + "596 hours (2,147,483,647 ms), or null for no bound");
            assertThatThrownBy(() -> Timeouts.none().withStatement(wrong)).isInstanceOf(MigrationException.class)
                    .hasMessageStartingWith("statementTimeout(" + wrong + ") is not a bound PostgreSQL takes");
            assertThatThrownBy(() -> new TenantMigrator(db.dataSource(), folder).lockTimeout(wrong))
                    .isInstanceOf(MigrationException.class).hasMessageStartingWith("lockTimeout(" + wrong + ")");
        }
        assertThatThrownBy(() -> new Codegen(folder, Domain.builder("d").build(), Plugins.none(), Renames.none(),
                Clock.systemUTC()).lockTimeout(Duration.ofDays(36_500))).isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("lockTimeout(PT876000H) is not a bound PostgreSQL takes");
        assertThatThrownBy(() -> new Codegen(folder, Domain.builder("d").build(), Plugins.none(), Renames.none(),
                Clock.systemUTC()).lockTimeout(ChronoUnit.FOREVER.getDuration())).isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("lockTimeout(" + ChronoUnit.FOREVER.getDuration() + ") is not a bound");
        assertThat(db.value("SELECT to_regclass('public.ashlar_schema_migrations') IS NULL")).isEqualTo(true);
    }

    @Test
    void theShortestAndLongestBoundsPostgresTakesMigrate(TestDatabase db) {
        new Migrator(db.dataSource(), folder).timeouts(Timeouts.none().withLock(Duration.ofMillis(Integer.MAX_VALUE))
                .withStatement(Duration.ofMillis(Integer.MAX_VALUE))).migrate();
        new Migrator(db.dataSource(), folder).lockTimeout(Duration.ofMillis(1)).rollback(1);

        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(0L);
    }
}
