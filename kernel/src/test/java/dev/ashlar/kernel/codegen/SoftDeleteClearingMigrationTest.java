package dev.ashlar.kernel.codegen;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.api.resource.Type;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** The flag {@code softDeleteClearing(...)} names, added to a table that holds rows: every row stays live. */
@ExtendWith(PostgresExtension.class)
class SoftDeleteClearingMigrationTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    private Codegen.Result generate(UnaryOperator<ResourceBuilder> member, String name) {
        Domain domain = Domain.builder("club").resource(member.apply(Resource.builder("member").table("members")
                .integerPrimaryKey("id").attribute("name", Type.TEXT)).build()).build();
        return new Codegen(project, domain, Plugins.none(), Renames.hints(List.of()), CLOCK).generate(name);
    }

    @Test
    void addingTheFlagToATableWithRowsMakesItNotNullDefaultTrueAndKeepsEveryRowLive() throws IOException {
        generate(m -> m, "create");
        Migrator migrator = new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN));
        migrator.migrate();
        db.execute("INSERT INTO members (name) SELECT 'member ' || i FROM generate_series(1, 5) i");

        Codegen.Result added = generate(m -> m.attribute("active", Type.BOOLEAN).softDeleteClearing("active"),
                "active");
        migrator.migrate();

        assertThat(Files.readString(added.files().get(0)))
                .contains("ADD COLUMN \"active\" boolean NOT NULL DEFAULT true");
        assertThat(db.query("SELECT a.attnotnull, pg_get_expr(d.adbin, d.adrelid) AS def FROM pg_attribute a "
                + "JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                + "WHERE a.attrelid = 'members'::regclass AND a.attname = 'active'"))
                .containsExactly(Map.of("attnotnull", true, "def", "true"));
        assertThat(db.value("SELECT count(*) FROM members WHERE active")).isEqualTo(5L);
    }
}
