package dev.ashlar.kernel.tenant;

import dev.ashlar.kernel.migrate.MigrationFile;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The registry rows of the files a tenant run applied, queued as each file's transaction commits and written
 * {@value #BATCH} at a time in one statement, rather than one row in each file's transaction. Each schema's own
 * history stays the truth, written with the file: a row written late, or lost with a failed write or a crash, only
 * leaves the registry behind the schema, and the next run finds that schema pending, reads its history, applies
 * nothing again and copies the history into the registry.
 */
final class RegistryRows {
    static final int BATCH = 500;

    private record Row(String schema, String version, String checksum) {
    }

    private final TenantRegistry registry;
    private final Consumer<String> messages;
    private final Queue<Row> queued = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();

    RegistryRows(TenantRegistry registry, Consumer<String> messages) {
        this.registry = registry;
        this.messages = messages;
    }

    /** Queues the row of a file committed in a schema. */
    void add(String schema, MigrationFile file) {
        queued.add(new Row(schema, file.version(), file.checksum()));
        size.incrementAndGet();
    }

    /** Writes the queued rows on this connection (outside a transaction) once a batch of them is waiting. */
    void writeIfFull(Connection connection) {
        if (size.get() >= BATCH) {
            write(connection);
        }
    }

    /**
     * Writes every queued row. A failure is reported, not thrown: the schemas are migrated, and the next run repairs
     * their registry rows from their histories.
     */
    void write(Connection connection) {
        Map<List<String>, Row> rows = new LinkedHashMap<>();
        for (Row row = queued.poll(); row != null; row = queued.poll()) {
            size.decrementAndGet();
            rows.put(List.of(row.schema(), row.version()), row);
        }
        if (rows.isEmpty()) {
            return;
        }
        // Rows in one order, as the registry's other writes take them: two writers never wait on each other in a cycle.
        List<Row> sorted = new ArrayList<>(rows.values());
        sorted.sort(Comparator.comparing(Row::schema).thenComparing(Row::version));
        try {
            registry.recordAll(connection, sorted.stream().map(Row::schema).toList(),
                    sorted.stream().map(Row::version).toList(), sorted.stream().map(Row::checksum).toList());
        } catch (SQLException e) {
            messages.accept("Could not write " + sorted.size() + " rows of the tenant registry: " + e.getMessage()
                    + " (SQL state " + e.getSQLState() + "). The schemas are migrated; the next tenant run reads "
                    + "their histories and writes the rows.");
        }
    }
}
