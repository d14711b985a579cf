package dev.ashlar.kernel.data;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.TestDatabase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A domain generated into a project folder and migrated on the test database, with a data layer over it: the set-up
 * of the tests that take a type through codegen, the database and back.
 */
final class MigratedDomain implements AutoCloseable {
    final Path project;
    final Codegen.Result created;
    final Ashlar ashlar;
    private final Domain domain;
    private final Clock clock;

    MigratedDomain(TestDatabase db, Path project, Domain domain, Clock clock, String migration) {
        this.project = project;
        this.domain = domain;
        this.clock = clock;
        this.created = codegen().generate(migration);
        new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).migrate();
        this.ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(domain).build();
    }

    Codegen codegen() {
        return new Codegen(project, domain, Plugins.none(), Renames.none(), clock);
    }

    /** The snapshot file codegen wrote for a table. */
    Path snapshot(String table) throws IOException {
        try (Stream<Path> files = Files.walk(project)) {
            return files.filter(f -> f.toString().endsWith(".json") && f.toString().contains(table)).findFirst()
                    .orElseThrow();
        }
    }

    /** Attribute values from name-value pairs; unlike {@code Map.of}, a value may be null. */
    static Map<String, Object> values(Object... pairs) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put((String) pairs[i], pairs[i + 1]);
        }
        return values;
    }

    @Override
    public void close() {
        ashlar.close();
    }
}
