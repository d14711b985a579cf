package dev.ashlar.kernel.data;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;

/** A data test's ground: an empty public schema, migrated for the resources a test declares. */
@ExtendWith(PostgresExtension.class)
abstract class FreshDomainTest {
    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    /** An Ashlar over the resources, their tables made by a generated and applied migration. */
    Ashlar migrated(Resource... resources) {
        Domain domain = Domain.builder("fresh").resources(resources).build();
        new Codegen(project, domain, Plugins.none(), Renames.none(), Clock.systemUTC()).generate("create");
        new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).migrate();
        return Ashlar.builder().dataSource(db.dataSource()).domain(domain).build();
    }
}
