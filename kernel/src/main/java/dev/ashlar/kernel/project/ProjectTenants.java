package dev.ashlar.kernel.project;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.kernel.tenant.TenantList;
import dev.ashlar.api.sql.TenantSchemaNames;

import javax.sql.DataSource;
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
                problems.add("'" + schema + "' " + problem);
            }
        }
        if (problems.isEmpty() && !selection.force()) {
            Set<String> tenants = new HashSet<>(listed().orElse(selection.schemas()));
            selection.schemas().stream().filter(s -> !tenants.contains(s)).forEach(s -> problems.add("'" + s
                    + "' is not in the tenant list; pass --force to work on it anyway"));
        }
        if (!problems.isEmpty()) {
            throw new AshlarException(ErrorCode.MIGRATION, "Refusing --tenant " + String.join("; ", problems)
                    + ". Nothing was changed.");
        }
        return selection.schemas();
    }
}
