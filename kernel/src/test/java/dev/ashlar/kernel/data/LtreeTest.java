package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.api.resource.Type;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.ListField;
import dev.ashlar.api.typed.PathField;
import dev.ashlar.api.typed.Table;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import static dev.ashlar.api.typed.Kind.LTREE;
import static dev.ashlar.api.typed.Kind.arrayOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A native label path ({@code Type.LTREE}): stored, read, filtered by ancestry, refused, written in bulk. */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LtreeTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T11:00:00Z"), ZoneOffset.UTC);

    record Category(Integer id, List<String> path, List<String> escaped, List<String> bounded,
                    List<List<String>> aliases) {
        static final Table<Category> CATEGORIES = Table.of("category", Category.class);
        static final Field<Category, Integer> ID = CATEGORIES.integerPrimaryKey("id");
        static final PathField<Category> PATH = CATEGORIES.attribute("path", LTREE);
        static final PathField<Category> ESCAPED = CATEGORIES.attribute("escaped", LTREE.escaped());
        static final PathField<Category> BOUNDED = CATEGORIES.attribute("bounded",
                LTREE.escaped().minLength(2).maxLength(3));
        static final ListField<Category, List<String>> ALIASES = CATEGORIES.attribute("aliases",
                arrayOf(LTREE.escaped()));
        static final Resource RESOURCE = CATEGORIES.builder().table("categories")
                .add(ID, PATH, ESCAPED, BOUNDED, ALIASES).belongsTo("shelf", "shelf")
                .identity("unique_escaped", "escaped").build();
    }

    private static ResourceBuilder shelf() {
        return Resource.builder("shelf").table("shelves").integerPrimaryKey("id").hasMany("categories", "category")
                .list("paths", "categories", "escaped", Sort.asc("path"))
                .first("top_path", "categories", "path", Sort.asc("path"));
    }

    private static final Domain DOMAIN = Domain.builder("shop").extensions("ltree").resource(Category.RESOURCE)
            .resource(shelf().build()).build();

    TestDatabase db;
    Ashlar ashlar;

    @BeforeAll
    void migrate(TestDatabase database, @TempDir Path project) {
        db = database;
        new Codegen(project, DOMAIN, Plugins.none(), Renames.none(), CLOCK).generate("create_categories");
        new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).migrate();
        ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN).build();
    }

    @AfterAll
    void stop() {
        ashlar.close();
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE categories, shelves");
    }

    private static Map<String, Object> values(Object... pairs) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put((String) pairs[i], pairs[i + 1]);
        }
        return values;
    }

    @Test
    void codegenMakesLtreeColumnsAndTheExtension() {
        assertThat(db.query("SELECT column_name, udt_name FROM information_schema.columns WHERE table_name = "
                + "'categories' AND column_name <> 'id' ORDER BY column_name"))
                .extracting(r -> r.get("column_name") + " " + r.get("udt_name"))
                .containsExactly("aliases _ltree", "bounded ltree", "escaped ltree", "path ltree", "shelf_id int4");
        assertThat(db.value("SELECT count(*) FROM pg_extension WHERE extname = 'ltree'")).isEqualTo(1L);
    }

    @Test
    void labelsRoundTripAsListsAndEscapedLabelsHoldAnyText() {
        Row created = ashlar.create("category", values("path", List.of("1", "2"), "escaped", List.of("1.", "2"),
                "bounded", List.of("top", "science")));

        assertThat(created.get("path")).isEqualTo(List.of("1", "2"));
        assertThat(created.get("escaped")).isEqualTo(List.of("1.", "2"));
        Row read = ashlar.get("category", created.get("id"));
        assertThat(read.get("escaped")).isEqualTo(List.of("1.", "2"));
        assertThat(read.get("bounded")).isEqualTo(List.of("top", "science"));
        assertThat(db.query("SELECT path::text AS path, escaped::text AS escaped FROM categories").get(0))
                .containsEntry("path", "1.2").containsEntry("escaped", "1_2E.2");

        ashlar.create("category", values("path", List.of(), "escaped", List.of("caf\u00e9 au lait", "a_b-c"),
                "aliases", List.of(List.of("x.", "y"), List.of("z"))));
        assertThat(db.value("SELECT escaped::text FROM categories WHERE path = ''")).isEqualTo("caf_C3_A9_20au_20lait.a_5Fb_2Dc");
        assertThat(ashlar.read(Category.CATEGORIES).where(Category.PATH.eq(List.of())).list())
                .singleElement().satisfies(c -> {
                    assertThat(c.path()).isEmpty();
                    assertThat(c.escaped()).containsExactly("caf\u00e9 au lait", "a_b-c");
                    assertThat(c.aliases()).containsExactly(List.of("x.", "y"), List.of("z"));
                });
    }

    @Test
    void filtersKeepThePathsEqualToAnAncestorOfADescendantOfOrMatchingAPath() {
        List<String> paths = List.of("top", "top.science", "top.science.astronomy", "top.hobbies");
        paths.forEach(p -> ashlar.create("category", values("path", p, "escaped", List.of(p + ".", "x"))));

        assertThat(paths(Filter.eq("path", List.of("top", "science")))).containsExactly("top.science");
        assertThat(paths(Filter.ne("path", "top"))).hasSize(3);
        assertThat(paths(Filter.in("path", List.of(List.of("top"), List.of("top", "hobbies")))))
                .containsExactly("top", "top.hobbies");
        assertThat(paths(Filter.isNil("bounded"))).hasSize(4);
        assertThat(paths(Filter.ancestorOf("path", List.of("top", "science", "astronomy"))))
                .containsExactly("top", "top.science", "top.science.astronomy");
        assertThat(paths(Filter.descendantOf("path", "top.science")))
                .containsExactly("top.science", "top.science.astronomy");
        assertThat(paths(Filter.matches("path", "*.science.*"))).containsExactly("top.science", "top.science.astronomy");
        assertThat(paths(Filter.eq("escaped", List.of("top.science.", "x")))).containsExactly("top.science");
        assertThat(ashlar.read(Category.CATEGORIES).where(Category.PATH.descendantOf(List.of("top", "science"))
                        .and(Category.PATH.ancestorOf(List.of("top", "science")))).list())
                .extracting(Category::path).containsExactly(List.of("top", "science"));
        assertThat(ashlar.read(Category.CATEGORIES).where(Category.PATH.matches("top.!science")).list())
                .extracting(Category::path).containsExactly(List.of("top", "hobbies"));
    }

    @Test
    void aBoundedPathIsComparedWithPathsOfAnyLength() {
        ashlar.create("category", values("bounded", List.of("top", "science")));

        assertThat(ashlar.read("category").where(Filter.descendantOf("bounded", List.of("top"))).count()).isEqualTo(1);
        assertThat(ashlar.read("category").where(Filter.eq("bounded", List.of("top"))).count()).isZero();
    }

    private List<String> paths(Filter filter) {
        return ashlar.read("category").where(filter).sort(Sort.asc("path")).list().stream()
                .map(r -> String.join(".", ((List<?>) r.get("path")).stream().map(String::valueOf).toList())).toList();
    }

    @Test
    void eachRefusedPathNamesTheAttributeAndTheRule() {
        assertRefused(values("path", List.of("a", "")), "path", "empty label at index 1");
        assertRefused(values("path", List.of("a.b")), "path", "LTREE.escaped()");
        assertRefused(values("path", List.of("a", 1)), "path", "label 1 is the Integer 1");
        assertRefused(values("aliases", List.of(List.of("a", ""))), "aliases", "empty label at index 1");
        assertRefused(values("escaped", "a.b"), "escaped", "an escaped ltree takes no text");
        assertRefused(values("bounded", List.of("top")), "bounded", "has 1 label(s), and needs 2 to 3");
        assertRefused(values("bounded", List.of("a", "b", "c", "d")), "bounded", "has 4 label(s)");
        assertRefused(values("path", "a.b c"), "path", "with ' ', which an ltree label cannot hold");
        assertRefused(values("path", List.of("x".repeat(1001))), "path", "a label of 1001 characters at index 0");
        assertRefused(values("escaped", List.of("a", "\u00e9".repeat(200))), "escaped",
                "a label of 1200 characters escaped at index 1, and an ltree label holds at most 1000");
        // No server's locale makes a currency sign a letter: the server refuses it, naming no column.
        assertRefused(values("path", List.of("\u20ac")), "path", "is not a valid ltree: ltree syntax error");
        assertRefused(values("path", List.of("\u20ac")), "path", "a label holds letters, digits and _");
        assertThat(db.value("SELECT count(*) FROM categories")).isEqualTo(0L);
        assertThatThrownBy(() -> ashlar.read("category").where(Filter.ancestorOf("id", List.of("a"))).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("category.id")
                .hasMessageContaining("need an ltree attribute");
        assertThatThrownBy(() -> ashlar.read("category").where(Filter.matches("path", "a..b")).list())
                .isInstanceOf(DatabaseException.class).hasMessageContaining("lquery syntax error");
    }

    private void assertRefused(Map<String, Object> values, String field, String rule) {
        assertThatThrownBy(() -> ashlar.create("category", values)).isInstanceOf(InvalidDataException.class)
                .satisfies(e -> assertThat(((InvalidDataException) e).errors()).singleElement()
                        .satisfies(error -> {
                            assertThat(error.field()).isEqualTo(field);
                            assertThat(error.message()).contains(rule);
                        }));
    }

    @Test
    void aThousandPathsAreCreatedInBulkAndUpserted() {
        List<Map<String, Object>> records = new ArrayList<>();
        IntStream.range(0, 1000).forEach(i -> records.add(values("path", List.of("root", "n" + i),
                "escaped", List.of("n." + i), "bounded", List.of("b", "" + i))));

        List<Row> created = ashlar.createAll("category", records);

        assertThat(created).hasSize(1000);
        assertThat(db.value("SELECT count(*) FROM categories WHERE path <@ 'root' AND nlevel(bounded) = 2"))
                .isEqualTo(1000L);
        assertThat(db.value("SELECT escaped::text FROM categories WHERE path = 'root.n7'")).isEqualTo("n_2E7");
        assertThatThrownBy(() -> ashlar.createAll("category", List.of(values("path", List.of("ok")),
                values("bounded", List.of("x")))))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("bounded");

        Object id = created.get(7).get("id");
        ashlar.upsert("category", values("id", id, "path", List.of("moved", "n7")), Upsert.onPrimaryKey());
        assertThat(ashlar.get("category", id).get("path")).isEqualTo(List.of("moved", "n7"));
        ashlar.upsert("category", List.of(values("id", created.get(8).get("id"), "escaped", List.of("a.", "8")),
                values("id", created.get(9).get("id"), "escaped", List.of("a.", "9"))), Upsert.onPrimaryKey());
        assertThat(db.query("SELECT escaped::text AS e FROM categories WHERE escaped <@ 'a_2E' ORDER BY escaped"))
                .extracting(r -> r.get("e")).containsExactly("a_2E.8", "a_2E.9");
        assertThat(db.value("SELECT count(*) FROM categories")).isEqualTo(1000L);
    }

    @Test
    void aggregatesListPathsAndTakeTheFirstInPathOrderButRefuseMinAndMax() {
        Object shelf = ashlar.create("shelf", values()).get("id");
        ashlar.create("category", values("shelf_id", shelf, "path", "b", "escaped", List.of("b.")));
        ashlar.create("category", values("shelf_id", shelf, "path", "a.z", "escaped", List.of("a", "z.")));

        Row loaded = ashlar.read("shelf").load("paths").load("top_path").list().get(0);

        assertThat(loaded.get("paths")).isEqualTo(List.of(List.of("a", "z."), List.of("b.")));
        assertThat(loaded.get("top_path")).isEqualTo(List.of("a", "z"));
        assertThatThrownBy(() -> Domain.builder("shop").extensions("ltree").resource(Category.RESOURCE)
                .resource(shelf().max("last_path", "categories", "path").build()).build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("last_path")
                .hasMessageContaining("an ltree, which PostgreSQL has no max of; use first(\"last_path\", "
                        + "\"categories\", \"path\", Sort.desc(\"path\"))");
    }

    @Test
    void anLtreeAttributeNeedsTheExtensionListedOnTheDomain() {
        Resource resource = Resource.builder("category").primaryKey("id").attribute("path", Type.LTREE).build();

        assertThatThrownBy(() -> Domain.builder("shop").resource(resource).build())
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("'path': is of type ltree, which needs the ltree extension; list it with "
                        + "Domain.builder(...).extensions(\"ltree\")");
        assertThatThrownBy(() -> Type.LTREE.minLength(3).maxLength(2)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("0 <= minLength <= maxLength");
    }
    @Test
    void aPathOfMoreThan65535LabelsIsRefusedNamingTheAttributeAndOfExactlyThatManyIsStored() {
        List<String> most = Collections.nCopies(65_535, "a");
        List<String> tooMany = Collections.nCopies(65_536, "a");

        assertRefused(values("path", tooMany), "path", "has 65536 labels, and an ltree holds at most 65,535");
        assertThatThrownBy(() -> ashlar.read("category").where(Filter.descendantOf("path", tooMany)).list())
                .isInstanceOf(AshlarException.class).hasMessageContaining("path")
                .hasMessageContaining("has 65536 labels");
        Object id = ashlar.create("category", values("path", most)).get("id");

        assertThat(db.value("SELECT nlevel(path) FROM categories")).isEqualTo(65_535);
        assertThat(ashlar.get("category", id).get("path")).isEqualTo(most);
    }

    @Test
    void escapedLabelsOfRandomTextRoundTripUnchanged() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<Map<String, Object>> records = new ArrayList<>();
        List<List<String>> written = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            List<String> labels = new ArrayList<>(List.of("r" + i)); // the identity is unique: random labels may repeat
            for (int n = 1 + random.nextInt(4); n > 0; n--) {
                StringBuilder label = new StringBuilder();
                for (int c = 1 + random.nextInt(12); c > 0; c--) {
                    int codePoint = random.nextInt(4) == 0 ? random.nextInt(128) : random.nextInt(0x10FFFF);
                    if (codePoint != 0 && (codePoint < 0xD800 || codePoint > 0xDFFF)) {
                        label.appendCodePoint(codePoint);
                    }
                }
                labels.add(label.length() == 0 ? "_" : label.toString());
            }
            written.add(labels);
            records.add(values("escaped", labels));
        }

        List<Row> created = ashlar.createAll("category", records);

        for (int i = 0; i < written.size(); i++) {
            assertThat(ashlar.get("category", created.get(i).get("id")).get("escaped")).as("seed %d, record %d", seed, i)
                    .isEqualTo(written.get(i));
        }
        assertThat(ashlar.read(Category.CATEGORIES).where(Category.ESCAPED.eq(written.get(7))).list())
                .as("seed %d", seed).extracting(Category::escaped).contains(written.get(7));
    }

    @Test
    void hostileLqueryTextIsBoundAndRefusedByTheServerLeavingTheTableAsItWas() {
        ashlar.create("category", values("path", "top.science"));

        for (String hostile : List.of("*'; DROP TABLE categories; --", "top' OR '1'='1", "$$*$$")) {
            assertThatThrownBy(() -> ashlar.read("category").where(Filter.matches("path", hostile)).list())
                    .as(hostile).isInstanceOf(DatabaseException.class);
        }
        assertThatThrownBy(() -> ashlar.read("category").where(Filter.matches("path", "top\u0000")).list())
                .isInstanceOf(AshlarException.class).hasMessageContaining("path").hasMessageContaining("NUL");

        assertThat(db.value("SELECT count(*) FROM categories")).isEqualTo(1L);
    }
    @Test
    void aStoredEscapedLabelThatEscapingCannotHaveWrittenIsRefusedOnReadNamingTheColumn() {
        // AshPostgres's cases (truncated and non-hex escapes, unescaped UTF-8), and bytes that are no UTF-8, lower-case
        // hex and an escaped letter, each of which would read as another label's text or as U+FFFD.
        for (String stored : List.of("1_", "1_2", "1_zz", "1_2g", "h\u00e9llo", "a_FF", "a_C3", "a_2e", "_41")) {
            db.execute("TRUNCATE categories");
            db.execute("INSERT INTO categories (escaped) VALUES ('" + stored + "')");

            assertThatThrownBy(() -> ashlar.read("category").list()).as(stored).isInstanceOf(QueryException.class)
                    .hasMessageContaining("'escaped' holds the ltree '" + stored + "'")
                    .hasMessageContaining("escaping did not write");
        }
        db.execute("TRUNCATE categories");
        db.execute("INSERT INTO categories (escaped) VALUES ('a_2E_C3_A9')");
        assertThat(ashlar.read("category").list()).singleElement()
                .satisfies(row -> assertThat(row.get("escaped")).isEqualTo(List.of("a.\u00e9")));
    }
    @Test
    void anUpsertOnAnLtreeIdentityUpdatesTheRecordHoldingTheSameEscapedPath() {
        Object id = ashlar.create("category", values("escaped", List.of("a.", "b c"), "path", "old")).get("id");

        ashlar.upsert("category", values("escaped", List.of("a.", "b c"), "path", "new"), Upsert.on("unique_escaped"));
        ashlar.upsert("category", List.of(values("escaped", List.of("a.", "b c"), "path", "newer"),
                values("escaped", List.of("z"), "path", "other")), Upsert.on("unique_escaped"));

        assertThat(db.query("SELECT id, path::text AS path FROM categories WHERE escaped = 'a_2E.b_20c'"))
                .singleElement().satisfies(row -> {
                    assertThat(row.get("id")).isEqualTo(id);
                    assertThat(row.get("path")).isEqualTo("newer");
                });
        assertThat(db.value("SELECT count(*) FROM categories")).isEqualTo(2L);
        assertThat(db.value("SELECT count(*) FROM pg_indexes WHERE tablename = 'categories' "
                + "AND indexdef LIKE '%UNIQUE%(escaped)%'")).isEqualTo(1L);
    }
}
