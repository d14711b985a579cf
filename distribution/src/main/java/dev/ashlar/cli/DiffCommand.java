package dev.ashlar.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.kernel.drift.Difference;
import dev.ashlar.kernel.drift.DriftCheck;
import dev.ashlar.kernel.drift.SchemaState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "diff", description = "Compare two live databases (Liquibase's diff): list every table, column (type, "
        + "NOT NULL, default, identity, enum labels), constraint (primary key, unique, check, foreign key), index, "
        + "trigger and policy of the schema that --url has and --reference-url has not (extra), that --reference-url "
        + "has and --url has not (missing), or that both define otherwise (different). Exits 0 when they are the "
        + "same, " + DiffCommand.DIFFERENT + " when they differ (1 is an error, 2 bad usage).")
final class DiffCommand extends ComparingCommand {
    static final int DIFFERENT = 3;

    @Option(names = "--schema", paramLabel = "SCHEMA", defaultValue = "public", description = "The schema to compare "
            + "in both (default: ${DEFAULT-VALUE}).")
    String schema;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text (one line a "
            + "difference) or json (default: ${DEFAULT-VALUE}).")
    Format format;

    enum Format { text, json }

    @Override
    public Integer call() {
        List<Difference> differences;
        String compared;
        try (Pair databases = open(schema)) {
            String history = project().historyTable();
            SchemaState have = DriftCheck.read(databases.target().dataSource(), List.of(schema), history).get(schema);
            SchemaState want = DriftCheck.read(databases.reference().dataSource(), List.of(schema), history)
                    .get(schema);
            differences = DriftCheck.compare(schema, want, have);
            compared = databases.target().description() + " and " + databases.reference().description();
        }
        PrintWriter out = out();
        if (format == Format.json) {
            out.println(json(differences));
        } else {
            differences.forEach(difference -> out.println("  " + difference));
            out.println(differences.isEmpty() ? "No difference: schema " + schema + " is the same in " + compared + "."
                    : differences.size() + " difference(s) in schema " + schema + " between " + compared + " (extra: "
                    + "in --url only; missing: in --reference-url only; different: is as in --url, expected as in "
                    + "--reference-url).");
        }
        return differences.isEmpty() ? 0 : DIFFERENT;
    }

    private String json(List<Difference> differences) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("schema", schema);
        report.put("same", differences.isEmpty());
        report.put("differences", differences);
        try {
            return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new AshlarException(ErrorCode.DATABASE, "Could not write the differences as JSON: " + e.getMessage(),
                    e);
        }
    }
}
