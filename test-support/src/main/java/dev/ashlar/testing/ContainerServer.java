package dev.ashlar.testing;

import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/** Starts a PostgreSQL image with Testcontainers; loaded only when {@code ASHLAR_TEST_IMAGE} is set. */
final class ContainerServer {
    private ContainerServer() {
    }

    static PostgresServer start(String image) {
        PostgreSQLContainer<?> container = new PostgreSQLContainer<>(
                DockerImageName.parse(image).asCompatibleSubstituteFor("postgres"));
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "ashlar-postgres-container-stop"));
        return PostgresServer.of(container.getJdbcUrl(), container.getUsername(), container.getPassword(),
                "the container " + image);
    }
}
