package dev.ashlar.plugins.archfixture;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.internal.Rows;
import dev.ashlar.kernel.plugin.Plugins;

import java.sql.Connection;
import java.sql.SQLException;

/** Breaks every plugin rule on purpose, to prove that the architecture rules catch it. */
final class LeakyPlugin {
    Plugins reachIntoTheKernel() {
        return Plugins.none();
    }

    void useJdbc(Connection connection) throws SQLException {
        connection.close();
    }

    Row forgeATenant(Row row) {
        return Rows.withTenant(row, "someone_else");
    }

    void print() {
        System.out.println("plugins log through SLF4J");
    }

    void logThroughTheJdk() {
        java.util.logging.Logger.getLogger("leaky").info("plugins log through SLF4J");
    }
}
