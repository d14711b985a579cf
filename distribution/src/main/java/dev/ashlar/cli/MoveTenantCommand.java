package dev.ashlar.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "move-tenant", description = "Move a tenant schema, its tables and data, to another Citus worker "
        + "(citus_schema_move); its migrations go on there as before.")
final class MoveTenantCommand extends ProjectCommand {
    @Mixin
    DatabaseOptions connection;

    @Mixin
    DomainOptions domain;

    @Parameters(index = "0", paramLabel = "SCHEMA", description = "The tenant schema to move, e.g. org_acme.")
    String schema;

    @Option(names = "--to", required = true, paramLabel = "HOST:PORT",
            description = "The worker to move it to, as 'ashlar status --tenants' names nodes.")
    String node;

    @Override
    public Integer call() {
        try (Database database = connection.open(project)) {
            project(database).moveTenant(schema, node);
        }
        return 0;
    }
}
