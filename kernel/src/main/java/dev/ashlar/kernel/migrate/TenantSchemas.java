package dev.ashlar.kernel.migrate;

import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.spi.plugin.TenantDirectory;
import dev.ashlar.api.resource.Domain;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Lists tenant schemas with the query a plugin supplies (the guide's {@code all_tenants}). */
public final class TenantSchemas {
    private TenantSchemas() {
    }

    /** The query of the one plugin that knows the tenants, if any. */
    public static Optional<String> query(Plugins plugins, Domain domain) {
        List<String> queries = new ArrayList<>();
        for (TenantDirectory directory : plugins.tenantDirectories()) {
            directory.tenantSchemasQuery(domain).ifPresent(queries::add);
        }
        if (queries.size() > 1) {
            throw new AshlarException(ErrorCode.PLUGIN, "Several plugins list tenants; keep one of them");
        }
        return queries.stream().findFirst();
    }

    /** Runs a listing query. A list of ten thousand names is a few hundred kilobytes. */
    public static List<String> list(DataSource dataSource, String query) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(query)) {
            List<String> schemas = new ArrayList<>();
            while (rows.next()) {
                schemas.add(rows.getString(1));
            }
            return schemas;
        } catch (SQLException e) {
            throw new AshlarException(ErrorCode.DATABASE, "Could not list the tenants: " + e.getMessage(), null, null,
                    e.getSQLState(), e);
        }
    }
}
