package dev.ashlar.spring.boot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(PostgresExtension.class)
class AshlarActuatorTest {
    TestDatabase db;

    @BeforeEach
    void empty(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    private static JsonNode json(Object report) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        return mapper.readTree(mapper.writeValueAsString(report));
    }

    @Test
    void theEndpointListsTheAppliedMigrationsAndCountsTheTenants() throws Exception {
        try (ConfigurableApplicationContext app = NotesApplication.start(db)) {
            JsonNode report = json(app.getBean(AshlarEndpoint.class).migrations());

            assertThat(report.get("applied").asLong()).isEqualTo(1);
            assertThat(report.get("pending").asLong()).isZero();
            assertThat(report.get("changed").asLong()).isZero();
            JsonNode first = report.get("migrations").get(0);
            assertThat(first.get("version").asText()).isEqualTo("20261201100000");
            assertThat(first.get("state").asText()).isEqualTo("applied");
            assertThat(first.get("appliedAt").asText()).isNotBlank();
            assertThat(report.get("tenants").get("total").asLong()).isZero();
        }
    }

    @Test
    void theEndpointShowsPendingAndChangedMigrations() throws Exception {
        try (ConfigurableApplicationContext app = NotesApplication.start(db, "ashlar.migrate.enabled=false")) {
            AshlarEndpoint endpoint = app.getBean(AshlarEndpoint.class);
            assertThat(json(endpoint.migrations()).get("pending").asLong()).isEqualTo(1);

            app.getBean(AshlarMigrations.class).migrate();
            db.execute("UPDATE ashlar_schema_migrations SET checksum = 'edited'");
            JsonNode report = json(endpoint.migrations());
            assertThat(report.get("changed").asLong()).isEqualTo(1);
            assertThat(report.get("migrations").get(0).get("state").asText()).isEqualTo("changed");
        }
    }

    @Test
    void healthIsUpWhenTheDatabaseAnswersAndEveryMigrationIsApplied() {
        try (ConfigurableApplicationContext app = NotesApplication.start(db)) {
            Health health = app.getBean(AshlarHealthIndicator.class).health(true);

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("database", "reachable").containsEntry("migrations", 1);
        }
    }

    @Test
    void healthIsDownWhileMigrationsArePending() {
        try (ConfigurableApplicationContext app = NotesApplication.start(db, "ashlar.migrate.enabled=false")) {
            Health health = app.getBean(AshlarHealthIndicator.class).health(true);

            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails().get("notApplied").toString()).contains("20261201100000 pending");
        }
    }

    @Test
    void healthGoesDownWhenTheDatabaseStopsAnswering() throws InterruptedException {
        try (ConfigurableApplicationContext app = NotesApplication.start(db)) {
            AshlarHealthIndicator indicator = app.getBean(AshlarHealthIndicator.class);
            assertThat(indicator.health(true).getStatus()).isEqualTo(Status.UP);
            try {
                refuseConnections(true);
                assertThat(indicator.health(true).getStatus()).isEqualTo(Status.DOWN);
            } finally {
                refuseConnections(false);
            }
            assertThat(upWithin(indicator, 10_000)).as("up again once it answers").isTrue();
        }
    }

    /** Whether the health is up within this many milliseconds (the pool reconnects with a back-off). */
    private static boolean upWithin(AshlarHealthIndicator indicator, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (indicator.health(true).getStatus() != Status.UP) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    /** The database stops taking connections and drops those it has, as when it goes down. */
    private void refuseConnections(boolean refuse) {
        try (var admin = dev.ashlar.testing.PostgresServer.get().adminConnection();
             var statement = admin.createStatement()) {
            statement.execute("ALTER DATABASE \"" + db.name() + "\" ALLOW_CONNECTIONS " + !refuse);
            if (refuse) {
                statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                        + db.name() + "' AND application_name = '" + NotesApplication.APPLICATION + "'");
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
