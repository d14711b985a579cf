package dev.ashlar.plugins.archfixture;

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

    void print() {
        System.out.println("plugins log through SLF4J");
    }
}
