package dev.ashlar.spring.boot;

import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.migrate.MigrationStatus;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import javax.sql.DataSource;
import java.sql.Connection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Ashlar's health: down when the database does not answer or migrations are pending, missing or changed since
 * applied (the schema is not the one the application was built for), up over baselined and future ones; the replicas in and out of rotation
 * when the read replicas plugin runs.
 */
public class AshlarHealthIndicator extends AbstractHealthIndicator {
    private static final int VALID_SECONDS = 2;
    /**
     * The states that say the schema is not the one this build expects. A baselined migration is in the database
     * (an adopted one), and a future one was applied by a newer release (a rolling deploy, a rollback of the
     * application): neither is a reason to take the instance out of service.
     */
    private static final Set<MigrationStatus.State> NOT_APPLIED = EnumSet.of(MigrationStatus.State.PENDING,
            MigrationStatus.State.OUTDATED, MigrationStatus.State.PARTIAL, MigrationStatus.State.MISSING,
            MigrationStatus.State.CHANGED, MigrationStatus.State.FAILED);

    private final DataSource dataSource;
    private final AshlarMigrations migrations;
    private final Ashlar ashlar;
    private final BiConsumer<Ashlar, Health.Builder> replicas;

    AshlarHealthIndicator(DataSource dataSource, AshlarMigrations migrations, Ashlar ashlar,
                          BiConsumer<Ashlar, Health.Builder> replicas) {
        super("Ashlar health check failed");
        this.dataSource = dataSource;
        this.migrations = migrations;
        this.ashlar = ashlar;
        this.replicas = replicas;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.isValid(VALID_SECONDS)) {
                builder.down().withDetail("database", "not answering");
                return;
            }
        }
        List<MigrationStatus> status = migrations.status();
        List<String> behind = status.stream().filter(m -> NOT_APPLIED.contains(m.state()))
                .map(m -> m.version() + " " + m.state().name().toLowerCase(java.util.Locale.ROOT)).toList();
        builder.withDetail("database", "reachable").withDetail("migrations", status.size() - behind.size());
        if (behind.isEmpty()) {
            builder.up();
        } else {
            builder.down().withDetail("notApplied", behind);
        }
        replicas.accept(ashlar, builder);
    }
}
