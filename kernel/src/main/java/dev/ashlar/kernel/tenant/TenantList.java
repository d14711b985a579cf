package dev.ashlar.kernel.tenant;

import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.spi.plugin.TenantDirectory;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.plugin.AshlarPlugin;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The tenant schemas, listed with the query a plugin supplies (the guide's {@code all_tenants}). */
public final class TenantList {
    private final String query;

    /** @param query SQL returning one schema name per row */
    public TenantList(String query) {
        this.query = query;
    }

    /** The list of the one plugin that knows the tenants, if any. */
    public static Optional<TenantList> of(Plugins plugins, Domain domain) {
        List<String> queries = new ArrayList<>();
        for (TenantDirectory directory : plugins.tenantDirectories()) {
            directory.tenantSchemasQuery(domain).ifPresent(queries::add);
        }
        if (queries.size() > 1) {
            throw new AshlarException(ErrorCode.PLUGIN, "Several plugins list tenants; keep one of them");
        }
        return queries.stream().findFirst().map(TenantList::new);
    }

    /** Runs the listing query. A list of ten thousand names is a few hundred kilobytes. */
    public List<String> list(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(query)) {
            List<String> schemas = new ArrayList<>();
            while (rows.next()) {
                schemas.add(rows.getString(1));
            }
            return schemas;
        } catch (SQLException e) {
            // The tenant resource's table is made by the main schema's migrations, which a new database lacks.
            String hint = "42P01".equals(e.getSQLState()) ? ". The tenant list is read from the tenant resource's "
                    + "table: apply the main schema's migrations first (ashlar migrate), then the tenants'" : "";
            throw DatabaseException.withState("Could not list the tenants: " + e.getMessage() + hint, e.getSQLState(),
                    e);
        }
    }
}
