package dev.ashlar.roundtrip;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.cli.demo.DemoDomain;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.lint.Finding;
import dev.ashlar.kernel.lint.Rule;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.project.Project;
import dev.ashlar.plugins.checks.ChecksPlugin;
import dev.ashlar.plugins.indexes.IndexesPlugin;
import dev.ashlar.plugins.references.ReferencesPlugin;
import dev.ashlar.plugins.tenancy.TenancyPlugin;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's table of the rules Ashlar's linter shares, and the one of its own rules after it, are what the
 * linter and the generator do: their rule ids are the linter's, and the migrations generated for the demo and for
 * the round-trip property test's random domains and changes are warned only about the rules they mark "warns"
 * (never about one they say Ashlar avoids).
 */
@ExtendWith(PostgresExtension.class)
class GeneratedMigrationsLintTest {
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z-]+)` \\| (avoids|warns|not checked) \\| "
            + "(?:`([a-z-]+)` )?\\| .+ \\|$", Pattern.MULTILINE);
    /** A row of the table of Ashlar's own rules, which follows the first: id, status, what it warns about, the fix. */
    private static final Pattern OWN_ROW = Pattern.compile("^\\| `([a-z-]+)` \\| (avoids|warns) \\| .+ \\| .+ \\|$",
            Pattern.MULTILINE);
    private static final String OWN_TABLE = "Ashlar has rules of its own";
    private static final Plugins PLUGINS = Plugins.none().with(new ReferencesPlugin()).with(new ChecksPlugin())
            .with(new IndexesPlugin()).with(new TenancyPlugin());
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final int PAIRS = 80;

    @TempDir
    Path temporary;

    /** One row of the README's table. */
    private record Row(String squawk, String status, String rule) {
    }

    @Test
    void theReadmeTableMapsEverySquawkRuleAndItsRuleIdsAreExactlyTheLinters() throws IOException {
        Map<String, Row> rows = readme();

        assertThat(rows).hasSizeGreaterThanOrEqualTo(37).containsKeys("adding-field-with-default", "syntax-error",
                "prefer-text-field", "require-timeout-settings", "ban-uncommitted-transaction");
        assertThat(rows.values().stream().map(Row::rule).filter(r -> r != null).collect(Collectors.toSet()))
                .isEqualTo(Arrays.stream(Rule.values()).map(Rule::id).collect(Collectors.toSet()));
        assertThat(rows.values()).allSatisfy(row -> assertThat(row.rule() == null)
                .as("%s: a rule id unless not checked", row.squawk()).isEqualTo(row.status().equals("not checked")));
    }

    @Test
    void theDemosGeneratedMigrationsWarnOnlyAboutRulesTheReadmeMarksAsWarned(TestDatabase db) throws IOException {
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        Path folder = temporary.resolve("demo");
        Project blog = Project.open(folder).dataSource(db.dataSource()).clock(CLOCK).progress(line -> { });
        Plugins plugins = Plugins.discover(DemoDomain.class.getClassLoader());
        Codegen.Result first = blog.domain(DemoDomain.first(), plugins).generate("create_blog", Renames.none());
        blog.domain(DemoDomain.first(), plugins).migrate();
        Codegen.Result second = blog.domain(DemoDomain.second(), plugins).generate("add_publishing", Renames.none());

        Set<String> warned = ruleIds(blog.lint().findings());
        assertThat(warned).as("the demo's integer keys are warned about").contains("prefer-bigint-over-int");
        assertThat(warned).isSubsetOf(withStatus("warns"));
        assertThat(ruleIds(first.warnings())).isSubsetOf(warned);
        assertThat(ruleIds(second.warnings())).isSubsetOf(warned);
        // The comments written into the files are only comments: the annotated migration applies.
        blog.domain(DemoDomain.second(), plugins).migrate();
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'posts' "
                + "AND column_name = 'published_at'")).isEqualTo(1L);
    }

    @Test
    void theRoundTripGeneratorsMigrationsWarnOnlyAboutRulesTheReadmeMarksAsWarned() throws IOException {
        long seed = Long.getLong("ashlar.roundtrip.seed", 20261127L);
        Random random = new Random(seed);
        DomainGenerator generator = new DomainGenerator(random, true);
        Set<String> warned = new TreeSet<>();
        for (int pair = 0; pair < PAIRS; pair++) {
            List<DomainGenerator.Spec> a = generator.domain();
            DomainGenerator.Change change = generator.change(a);
            Path folder = temporary.resolve("pair-" + pair);
            codegen(folder, DomainGenerator.build(a), List.of()).generate("a");
            codegen(folder, DomainGenerator.build(change.specs()), change.hints()).generate("b");
            Set<String> rules = ruleIds(Project.open(folder).lint().findings());
            assertThat(rules).as("pair %d of seed %d", pair, seed).isSubsetOf(withStatus("warns"));
            warned.addAll(rules);
        }
        // A key that changes is built concurrently and swapped in USING INDEX: adding-serial-primary-key-field stays
        // quiet on the random changes.
        assertThat(warned).as("rules the random changes exercised").contains("renaming-column", "renaming-table",
                "ban-drop-column", "changing-column-type").doesNotContain("adding-serial-primary-key-field");
    }

    private static Codegen codegen(Path project, Domain domain, List<String> hints) {
        return new Codegen(project, domain, PLUGINS, Renames.hints(hints), CLOCK);
    }

    private static Set<String> ruleIds(List<Finding> findings) {
        return findings.stream().map(f -> f.rule().id()).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> withStatus(String status) throws IOException {
        return readme().values().stream().filter(r -> r.status().equals(status)).map(Row::rule)
                .collect(Collectors.toSet());
    }

    private static Map<String, Row> readme() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf("### Linting migrations");
        int own = readme.indexOf(OWN_TABLE, start);
        Map<String, Row> rows = new java.util.LinkedHashMap<>();
        Matcher row = ROW.matcher(readme.substring(start, own));
        while (row.find()) {
            rows.put(row.group(1), new Row(row.group(1), row.group(2), row.group(3)));
        }
        Matcher ownRow = OWN_ROW.matcher(readme.substring(own, readme.indexOf("\n## ", own)));
        while (ownRow.find()) {
            rows.put("ashlar:" + ownRow.group(1), new Row(ownRow.group(1), ownRow.group(2), ownRow.group(1)));
        }
        return rows;
    }
}
