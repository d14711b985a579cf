package dev.ashlar.kernel.project;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ControlCharacters;
import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.kernel.tenant.TenantList;
import dev.ashlar.api.sql.TenantSchemaNames;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** The tenant schemas of a project: listed by the plugin that knows them, or named and checked. */
final class ProjectTenants {
    private final DataSource dataSource;
    private final Supplier<Optional<TenantList>> list;
    private final Supplier<String> noList;

    /**
     * @param noList why there is no tenant list (no domain, or no resource of it lists tenants), asked only when
     *               a selection needs the list and the plugins give none
     */
    ProjectTenants(DataSource dataSource, Supplier<Optional<TenantList>> list, Supplier<String> noList) {
        this.dataSource = dataSource;
        this.list = list;
        this.noList = noList;
    }

    /** Every tenant the plugins list, when one does. */
    Optional<List<String>> listed() {
        return list.get().map(tenants -> tenants.list(dataSource));
    }

    /**
     * The schemas a selection names, once each passes the tenant-name rules and (unless forced) is in
     * the tenant list; or every listed tenant.
     *
     * @throws AshlarException naming every refused schema and why, before anything reaches the server
     */
    List<String> select(TenantSelection selection) {
        if (selection.schemas().isEmpty()) {
            return listed().orElseThrow(() -> new AshlarException(ErrorCode.MIGRATION, "No tenant list: "
                    + noList.get() + "; or name the schemas with --tenant (TenantSelection.named(...) in code)"));
        }
        List<String> problems = new ArrayList<>();
        for (String schema : selection.schemas()) {
            String problem = TenantSchemaNames.problem(schema);
            if (problem != null) {
                problems.add(quoted(schema) + " " + problem);
            }
        }
        if (problems.isEmpty() && !selection.force()) {
            Optional<List<String>> listed = listed();
            Set<String> tenants = new HashSet<>(listed.orElse(selection.schemas()));
            selection.schemas().stream().filter(s -> !tenants.contains(s)).forEach(s -> problems.add(quoted(s)
                    + " is not in the tenant list; pass --force to work on it anyway"));
            if (listed.isEmpty()) {
                // Without a list, a misspelt name would otherwise pass as a tenant with nothing to do.
                missing(selection.schemas()).forEach(s -> problems.add(quoted(s) + " is not a schema of this "
                        + "database; check the name, or create the tenant first"));
            }
        }
        if (!problems.isEmpty()) {
            throw new AshlarException(ErrorCode.MIGRATION, "Refusing --tenant " + String.join("; ", problems)
                    + ". Nothing was changed.");
        }
        return selection.schemas();
    }

    /** A schema name as a message shows it: in quotes, its control characters escaped (a newline as \\n). */
    private static String quoted(String schema) {
        return "'" + ControlCharacters.escape(schema) + "'";
    }

    /** The schemas among these that the database does not hold. */
    private List<String> missing(List<String> schemas) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT s FROM unnest(?::text[]) WITH ORDINALITY "
                     + "AS named(s, n) WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = s) "
                     + "ORDER BY n")) {
            query.setArray(1, connection.createArrayOf("text", schemas.toArray()));
            List<String> missing = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    missing.add(rows.getString(1));
                }
            }
            return missing;
        } catch (SQLException e) {
            throw DatabaseException.withState("Could not look up the named tenant schemas: " + e.getMessage(),
                    e.getSQLState(), e);
        }
    }
}
