package dev.ashlar.kernel.codegen;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
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

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.ashlar.api.resource.Type.BOOLEAN;
import static dev.ashlar.api.resource.Type.DATE;
import static dev.ashlar.api.resource.Type.DECIMAL;
import static dev.ashlar.api.resource.Type.DOUBLE;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIME;
import static dev.ashlar.api.resource.Type.TIMESTAMP;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static dev.ashlar.api.resource.Type.arrayOf;
import static dev.ashlar.api.resource.Type.enumOf;
import static org.assertj.core.api.Assertions.assertThat;

/** Constant defaults of every kind, as AshPostgres's generator writes them: in the migration, the catalog and the rows. */
@ExtendWith(PostgresExtension.class)
class ConstantDefaultsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);

    enum Tag { VALUE, OTHER }

    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    @Test
    void everyKindOfConstantDefaultIsWrittenAsALiteralAndFillsARowInsertedWithoutIt() throws Exception {
        Resource post = Resource.builder("post").table("posts").primaryKey("id")
                .attribute("start_date", DATE, a -> a.defaultValue(LocalDate.of(2022, 4, 19)))
                .attribute("start_time", TIME, a -> a.defaultValue(LocalTime.of(8, 30, 45)))
                .attribute("stamp", TIMESTAMPTZ, a -> a.defaultValue(Instant.parse("2022-02-02T08:30:30Z")))
                .attribute("stamp_naive", TIMESTAMP, a -> a.defaultValue(LocalDateTime.of(2022, 2, 2, 8, 30, 30)))
                .attribute("number", INTEGER, a -> a.defaultValue(5))
                .attribute("fraction", DOUBLE, a -> a.defaultValue(0.25))
                .attribute("amount", DECIMAL, a -> a.defaultValue(new BigDecimal("123.4567890987654321987")))
                .attribute("name", TEXT, a -> a.defaultValue("Fred"))
                .attribute("tag", enumOf(Tag.class), a -> a.defaultValue(Tag.VALUE))
                .attribute("enabled", BOOLEAN, a -> a.defaultValue(false))
                .build();

        Codegen.Result result = new Codegen(project, Domain.builder("blog").resource(post).build(), Plugins.none(),
                Renames.none(), CLOCK).generate("create_posts");
        new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).migrate();

        assertThat(Files.readString(result.files().get(0))).contains(
                "\"start_date\" date DEFAULT '2022-04-19'", "\"start_time\" time DEFAULT '08:30:45'",
                "\"stamp\" timestamptz DEFAULT '2022-02-02T08:30:30Z'",
                "\"stamp_naive\" timestamp DEFAULT '2022-02-02T08:30:30'", "\"number\" integer DEFAULT 5",
                "\"fraction\" double precision DEFAULT 0.25", "\"amount\" numeric DEFAULT 123.4567890987654321987",
                "\"name\" text DEFAULT 'Fred'", "\"tag\" text DEFAULT 'VALUE'", "\"enabled\" boolean DEFAULT false");
        db.execute("INSERT INTO posts DEFAULT VALUES");
        Map<String, Object> row = db.query("SELECT start_date::text, start_time::text, "
                + "stamp = timestamptz '2022-02-02 08:30:30+00' AS stamp, stamp_naive::text, number, fraction, "
                + "amount::text, name, tag, enabled FROM posts").get(0);
        assertThat(row).containsEntry("start_date", "2022-04-19").containsEntry("start_time", "08:30:45")
                .containsEntry("stamp", true).containsEntry("stamp_naive", "2022-02-02 08:30:30")
                .containsEntry("number", 5).containsEntry("fraction", 0.25)
                .containsEntry("amount", "123.4567890987654321987").containsEntry("name", "Fred")
                .containsEntry("tag", "VALUE").containsEntry("enabled", false);
    }

    @Test
    void listDefaultsOfEveryElementTypeAndTheEmptyListFillARowAndRegeneratingWritesNothing() {
        UUID id = UUID.fromString("00000000-0000-0000-0000-000000000001");
        Resource bare = Resource.builder("post").table("posts").primaryKey("id").build();
        Resource post = Resource.builder("post").table("posts").primaryKey("id")
                .attribute("tags", arrayOf(TEXT), a -> a.defaultValue(List.of()))
                .attribute("scores", arrayOf(INTEGER), a -> a.defaultValue(List.of()))
                .attribute("names", arrayOf(TEXT), a -> a.defaultValue(List.of("a", "b")))
                .attribute("days", arrayOf(DATE), a -> a.defaultValue(List.of(LocalDate.of(2022, 4, 19))))
                .attribute("refs", arrayOf(Type.UUID), a -> a.defaultValue(List.of(id)))
                .build();
        new Codegen(project, Domain.builder("blog").resource(bare).build(), Plugins.none(), Renames.none(), CLOCK)
                .generate("create_posts");
        Migrator migrator = new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN));
        migrator.migrate();
        db.execute("INSERT INTO posts DEFAULT VALUES");

        new Codegen(project, Domain.builder("blog").resource(post).build(), Plugins.none(), Renames.none(), CLOCK)
                .generate("add_lists");
        migrator.migrate();
        db.execute("INSERT INTO posts DEFAULT VALUES");

        assertThat(db.query("SELECT cardinality(tags) AS tags, cardinality(scores) AS scores, array_to_string(names, ',') "
                + "AS names, days[1]::text AS day, refs[1] AS ref FROM posts ORDER BY id")).allSatisfy(row ->
                assertThat(row).containsEntry("tags", 0).containsEntry("scores", 0).containsEntry("names", "a,b")
                        .containsEntry("day", "2022-04-19").containsEntry("ref", id));
        assertThat(new Codegen(project, Domain.builder("blog").resource(post).build(), Plugins.none(), Renames.none(),
                CLOCK).generate("again").files()).isEmpty();
    }
}
