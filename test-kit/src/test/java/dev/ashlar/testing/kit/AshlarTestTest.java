package dev.ashlar.testing.kit;

import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/** A user's test class as the README shows it: the project's migrations applied to a fresh database. */
@AshlarTest(migrations = "src/test/resources/migrations")
class AshlarTestTest {
    private static final String FIXTURE = "ashlar.test.fixture";

    @BeforeAll
    static void seed(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO notes (body, pinned) VALUES ('seeded before all', true)");
        }
    }

    @Test
    void theClassDatabaseHasEveryMigrationApplied(TestDatabase db) {
        assertThat(db.query("SELECT column_name, data_type, is_nullable FROM information_schema.columns "
                + "WHERE table_schema = 'public' AND table_name = 'notes' ORDER BY ordinal_position"))
                .extracting(row -> row.get("column_name") + " " + row.get("data_type") + " " + row.get("is_nullable"))
                .containsExactly("id integer NO", "body text NO", "pinned boolean NO");
        assertThat(db.query("SELECT version, name FROM ashlar_schema_migrations ORDER BY version")).containsExactly(
                Map.of("version", "20261201090000", "name", "create_notes"),
                Map.of("version", "20261201090100", "name", "add_notes_pinned"));
    }

    @Test
    void theDataSourceIsTheClassDatabaseWhatLifecycleMethodsWroteIncluded(DataSource dataSource, TestDatabase db)
            throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT current_database(), (SELECT body FROM notes WHERE pinned)")) {
            row.next();
            assertThat(row.getString(1)).isEqualTo(db.name());
            assertThat(row.getString(2)).isEqualTo("seeded before all");
        }
    }

    @Test
    void aMissingMigrationsFolderFailsTheClassNamingTheFolder() {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        Launcher launcher = LauncherFactory.create();
        System.setProperty(FIXTURE, "true");
        try {
            launcher.execute(request().selectors(selectClass(MisplacedMigrations.class)).build(), listener);
        } finally {
            System.clearProperty(FIXTURE);
        }

        List<TestExecutionSummary.Failure> failures = listener.getSummary().getFailures();
        assertThat(failures).singleElement().satisfies(failure -> assertThat(failure.getException().getMessage())
                .contains("@AshlarTest(migrations = \"no/such/folder\")").contains(MisplacedMigrations.class.getName())
                .contains("there is no folder"));
    }

    /** Run only by the test above, through the launcher. */
    @AshlarTest(migrations = "no/such/folder")
    @EnabledIfSystemProperty(named = FIXTURE, matches = "true")
    static class MisplacedMigrations {
        @Test
        void usesTheDatabase(DataSource dataSource) {
            assertThat(dataSource).isNotNull();
        }
    }
}
