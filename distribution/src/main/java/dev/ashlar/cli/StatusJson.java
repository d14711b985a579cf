package dev.ashlar.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.kernel.migrate.History;
import dev.ashlar.kernel.migrate.MigrationStatus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ashlar status --format json}: the main schema's migrations for a script or a CI step to read, as Flyway's
 * {@code info -outputType=json} and Liquibase's {@code history --format JSON} give them. One object: the schema and
 * its history table, the counts a script branches on, and each migration in version order, its state named as the
 * text listing names it.
 */
final class StatusJson {
    private StatusJson() {
    }

    /** The report of the main schema, whose history is {@code public}'s table {@code historyTable}. */
    static String of(String historyTable, List<MigrationStatus> statuses, Map<String, String> tags) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("schema", "public");
        report.put("historyTable", historyTable);
        report.put("pending", statuses.stream().filter(MigrationStatus::toRun).count());
        report.put("outOfOrder", MigrationStatus.outOfOrder(statuses).size());
        report.put("migrations", statuses.stream().map(status -> migration(status, tags)).toList());
        try {
            return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new AshlarException(ErrorCode.DATABASE, "Could not write the migration status as JSON: "
                    + e.getMessage(), e);
        }
    }

    /** One migration; a field that does not apply to it (the time of a pending file) is null, never left out. */
    private static Map<String, Object> migration(MigrationStatus status, Map<String, String> tags) {
        Map<String, Object> migration = new LinkedHashMap<>();
        migration.put("version", status.version());
        migration.put("name", status.name());
        migration.put("state", status.stateName());
        migration.put("appliedAt", status.appliedAt() == null ? null : status.appliedAt().toString());
        migration.put("installedBy", status.installedBy());
        migration.put("deploymentId", status.deploymentId());
        migration.put("appliedAs", status.renamed() ? status.appliedName() : null);
        migration.put("tags", History.marking(tags, status.version()));
        migration.put("detail", status.detail());
        return migration;
    }
}
