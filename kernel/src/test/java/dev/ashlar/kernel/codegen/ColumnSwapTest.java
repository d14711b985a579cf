package dev.ashlar.kernel.codegen;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
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

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An attribute moved onto a column that stays: refused, since no migration would move its rows. */
@ExtendWith(PostgresExtension.class)
class ColumnSwapTest {
    @TempDir
    Path project;
    TestDatabase db;
    private int generation;

    @BeforeEach
    void cleanSlate(TestDatabase database) {
        db = database;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    private static Domain people(String firstColumn, String lastColumn) {
        return Domain.builder("people").resource(Resource.builder("person").table("people").primaryKey("id")
                .attribute("firstName", TEXT, a -> a.column(firstColumn))
                .attribute("lastName", TEXT, a -> a.column(lastColumn)).build()).build();
    }

    private Codegen.Result generate(Domain domain) {
        Clock clock = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z").plusSeconds(60L * generation++),
                ZoneOffset.UTC);
        return new Codegen(project, domain, Plugins.none(), Renames.none(), clock).generate("step");
    }

    private void migrate() {
        new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).progress(line -> { }).migrate();
    }

    @Test
    void attributesThatExchangeTheirColumnsAreRefusedNamingTheTwoStepsThatKeepTheirValues() {
        generate(people("col_a", "col_b"));
        migrate();
        db.execute("INSERT INTO people (col_a, col_b) VALUES ('Ada', 'Lovelace')");

        assertThatThrownBy(() -> generate(people("col_b", "col_a"))).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("Attribute 'firstName' of table people moves from column col_a to col_b")
                .hasMessageContaining("Move it in two generations");
        assertThat(Codegen.migrations(project, Scope.MAIN).toFile().list()).hasSize(1);

        generate(people("first_name", "col_b"));
        generate(people("first_name", "col_a"));
        generate(people("col_b", "col_a"));
        migrate();
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).discoverPlugins(false)
                .domain(people("col_b", "col_a")).build()) {
            assertThat(ashlar.read("person").list()).extracting(r -> r.get("firstName") + " " + r.get("lastName"))
                    .containsExactly("Ada Lovelace");
        }
    }

    @Test
    void anAttributeTakingTheColumnOfARemovedAttributeIsRefused() {
        generate(Domain.builder("people").resource(Resource.builder("person").table("people").primaryKey("id")
                .attribute("nickname", TEXT, a -> a.column("col_a"))
                .attribute("name", TEXT, a -> a.column("col_b")).build()).build());

        assertThatThrownBy(() -> generate(Domain.builder("people").resource(Resource.builder("person").table("people")
                .primaryKey("id").attribute("name", TEXT, a -> a.column("col_a")).build()).build()))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("Attribute 'name' of table people moves from column col_b to col_a");
    }
}
