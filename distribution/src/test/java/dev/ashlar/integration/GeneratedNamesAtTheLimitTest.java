package dev.ashlar.integration;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.plugins.checks.CheckConstraints;
import dev.ashlar.plugins.checks.ChecksPlugin;
import dev.ashlar.plugins.indexes.CustomIndexes;
import dev.ashlar.plugins.indexes.IndexesPlugin;
import dev.ashlar.plugins.references.References;
import dev.ashlar.plugins.references.ReferencesPlugin;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.plugins.checks.Check.check;
import static dev.ashlar.plugins.indexes.CustomIndexes.index;
import static dev.ashlar.plugins.references.Reference.reference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every name Ashlar builds by joining a table's, a column's or a constraint's name with a suffix, at exactly 63 bytes
 * of two-byte characters (half as many characters): the catalog holds each whole, as the generator named it, never cut
 * by PostgreSQL; one byte more is refused when the domain is built or, for a plugin's name, when migrations are
 * generated, naming the resource and the name to shorten, and nothing is written.
 */
@ExtendWith(PostgresExtension.class)
class GeneratedNamesAtTheLimitTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
    private static final Plugins PLUGINS = Plugins.none().with(new ReferencesPlugin()).with(new ChecksPlugin())
            .with(new IndexesPlugin());

    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    /** A name of {@code bytes} bytes of UTF-8: {@code lead}, then 'é's (two bytes each), then an 'x' if one is odd. */
    static String sized(String lead, int bytes) {
        int rest = bytes - lead.length();
        return lead + "\u00e9".repeat(rest / 2) + (rest % 2 == 1 ? "x" : "");
    }

    private static Domain domain(ResourceBuilder... resources) {
        Domain.Builder domain = Domain.builder("limits");
        for (ResourceBuilder resource : resources) {
            domain.resource(resource.build());
        }
        return domain.build();
    }

    private static ResourceBuilder table(String name) {
        return Resource.builder("item").table(name).bigintPrimaryKey("id").attribute("n", INTEGER);
    }

    /**
     * A generated name: the domain whose longest generated name is {@code 63 + extra} bytes, and that name for
     * {@code extra = 0}.
     */
    enum Generated {
        PRIMARY_KEY(extra -> domain(table(sized("k", 58 + extra))), extra -> sized("k", 58 + extra) + "_pkey"),
        TIMESTAMPS_TRIGGER(extra -> domain(table(sized("t", 48 + extra)).timestamps(t -> t.trigger())),
                extra -> sized("t", 48 + extra) + "_set_updated_at"),
        HISTORY_TRIGGER(extra -> domain(table(sized("h", 47 + extra)).attribute("a", TEXT).history()),
                extra -> sized("h", 47 + extra) + "_history_version"),
        DRAFT_TRIGGER(extra -> domain(table(sized("d", 51 + extra)).draftable()),
                extra -> sized("d", 51 + extra) + "_draft_dirty"),
        IDENTITY_INDEX(extra -> domain(table("c").identity(sized("u", 55 + extra), "n")),
                extra -> "c_" + sized("u", 55 + extra) + "_index"),
        FOREIGN_KEY(extra -> domain(Resource.builder("post").table("p").bigintPrimaryKey("id"),
                Resource.builder("comment").table("c").bigintPrimaryKey("id").belongsTo(sized("r", 53 + extra), "post")),
                extra -> "c_" + sized("r", 53 + extra) + "_id_fkey"),
        FOREIGN_KEY_INDEX(extra -> domain(Resource.builder("post").table("p").bigintPrimaryKey("id"),
                Resource.builder("comment").table("c").bigintPrimaryKey("id").belongsTo(sized("r", 52 + extra), "post")
                        .with(References.of(reference(sized("r", 52 + extra)).index(true)))),
                extra -> "c_" + sized("r", 52 + extra) + "_id_index"),
        CHECK(extra -> domain(table("c").with(CheckConstraints.of(check(sized("q", 55 + extra)).expression("n > 0")
                .attributes("n")))), extra -> "c_" + sized("q", 55 + extra) + "_check"),
        CUSTOM_INDEX(extra -> domain(table("c").attribute(sized("i", 55 + extra), INTEGER)
                .with(CustomIndexes.of(index(sized("i", 55 + extra))))), extra -> "c_" + sized("i", 55 + extra) + "_index");

        final IntFunction<Domain> domain;
        final IntFunction<String> name;

        Generated(IntFunction<Domain> domain, IntFunction<String> name) {
            this.domain = domain;
            this.name = name;
        }
    }

    @ParameterizedTest
    @EnumSource(Generated.class)
    void aGeneratedNameOfExactly63BytesReachesTheCatalogWholeAndOneByteMoreIsRefusedNamingTheResource(Generated kind) {
        String name = kind.name.apply(0);
        assertThat(name.getBytes(StandardCharsets.UTF_8)).hasSize(63);

        new Codegen(project, kind.domain.apply(0), PLUGINS, Renames.none(), CLOCK).generate("create");
        new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).progress(line -> { }).migrate();

        assertThat(catalogNames()).contains(name);
        Path longer = project.resolve("longer");
        assertThatThrownBy(() -> new Codegen(longer, kind.domain.apply(1), PLUGINS, Renames.none(), CLOCK)
                .generate("create")).isInstanceOfSatisfying(DefinitionException.class,
                e -> assertThat(e.getMessage()).contains("64 bytes long; PostgreSQL keeps only 63")
                        .containsAnyOf("resource 'item'", "resource 'comment'"));
        assertThat(longer.resolve("migrations")).doesNotExist();
    }

    /** The names of the public schema's relations, constraints, triggers and functions. */
    private List<String> catalogNames() {
        Function<Object, String> text = String::valueOf;
        return db.query("SELECT relname::text AS n FROM pg_class WHERE relnamespace = 'public'::regnamespace "
                + "UNION ALL SELECT conname FROM pg_constraint WHERE connamespace = 'public'::regnamespace "
                + "UNION ALL SELECT tgname FROM pg_trigger WHERE NOT tgisinternal "
                + "UNION ALL SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace")
                .stream().map(row -> text.apply(row.get("n"))).toList();
    }
}
