package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.kernel.data.Fixtures.Status;
import dev.ashlar.testing.RequiresPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.tools.ToolProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Jdbi's tests of binding objects by name and mapping rows onto classes ({@code BindBeanTest}, {@code TestBindMap},
 * {@code TestBeanMapper}, {@code TestConstructorMapper}, {@code TestFieldMapper}) and of OUT parameters
 * ({@code TestCallable}, the docs' {@code CallTest}), restated on statements written by hand.
 */
class JdbiBindingParityTest extends BlogDatabaseTest {
    private static final Instant AT = Instant.parse("2026-05-01T10:00:00Z");

    /** A JavaBean as Jdbi's tests write one: a no-arg constructor, getters and setters. */
    public static class PostBean {
        private Integer id;
        private String title;
        private int rating;
        private Status status;
        private List<String> tags;
        private OffsetDateTime publishedAt;
        private boolean featured;

        public Integer getId() {
            return id;
        }

        public void setId(Integer id) {
            this.id = id;
        }

        public String getTitle() {
            return title;
        }

        public void setTitle(String title) {
            this.title = title;
        }

        public int getRating() {
            return rating;
        }

        public void setRating(int rating) {
            this.rating = rating;
        }

        public Status getStatus() {
            return status;
        }

        public void setStatus(Status status) {
            this.status = status;
        }

        public List<String> getTags() {
            return tags;
        }

        public void setTags(List<String> tags) {
            this.tags = tags;
        }

        public OffsetDateTime getPublishedAt() {
            return publishedAt;
        }

        public void setPublishedAt(OffsetDateTime publishedAt) {
            this.publishedAt = publishedAt;
        }

        public boolean isFeatured() {
            return featured;
        }

        public void setFeatured(boolean featured) {
            this.featured = featured;
        }
    }

    /** A class built by its one constructor, its parameters named by {@code -parameters}. */
    public static final class Summary {
        private final long id;
        private final String title;
        private final Instant publishedAt;
        private final String[] tags;

        public Summary(long id, String title, Instant publishedAt, String[] tags) {
            this.id = id;
            this.title = title;
            this.publishedAt = publishedAt;
            this.tags = tags;
        }
    }

    /** Fields and no setters, as Jdbi's {@code FieldMapper} fills. */
    public static final class Fields {
        private BigDecimal price;
        private Map<String, Object> doc;
        private String docText;
    }

    public static final class TwoConstructors {
        public TwoConstructors(int id) {
        }

        public TwoConstructors(String title) {
        }
    }

    public static final class ThrowingBean {
        public String getTitle() {
            throw new IllegalStateException("not loaded");
        }
    }

    /** A generic base whose setter the subclass overrides, so the class also has a bridge {@code setId(Object)}. */
    public abstract static class Keyed<K> {
        public abstract void setId(K id);
    }

    public static final class KeyedPost extends Keyed<Long> {
        private Long key;

        @Override
        public void setId(Long id) {
            this.key = id;
        }
    }

    record Author(String email, String name) {
    }

    record Balance(BigDecimal balance) {
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE posts, authors RESTART IDENTITY");
        db.execute("CREATE TABLE IF NOT EXISTS accounts (id integer PRIMARY KEY, balance numeric(12, 2) NOT NULL)");
        db.execute("TRUNCATE accounts");
        db.execute("INSERT INTO accounts VALUES (1, 100.00), (2, 5.00)");
    }

    /**
     * {@code TestBindMap}: each key binds its mark, enums, lists and maps as {@code bind} binds them; a key with no
     * mark is passed over, and a mark with no key is refused naming it and the keys.
     */
    @Test
    void aMapBindsEachKeyToItsMarkPassingOverKeysWithNoMark() {
        Map<String, Object> values = new HashMap<>();
        values.put("title", "mapped");
        values.put("status", Status.PUBLISHED);
        values.put("tags", List.of("a", "b"));
        values.put("body", null);
        values.put("unused", 7);

        int inserted = ashlar.sql("INSERT INTO posts (title, status, tags, body) VALUES (:title, :status, :tags, "
                + ":body)").bindMap(values).execute();

        assertThat(inserted).isEqualTo(1);
        assertThat(db.value("SELECT title || ' ' || status || ' ' || array_to_string(tags, ',') || ' '"
                + " || (body IS NULL) FROM posts")).isEqualTo("mapped PUBLISHED a,b true");
        assertThatThrownBy(() -> ashlar.sql("SELECT :title, :rating").bindMap(Map.of("title", "x")).list())
                .isInstanceOf(QueryException.class).hasMessageContaining(":rating with no value")
                .hasMessageContaining("bindMap(...) gives [title]");
        assertThatThrownBy(() -> ashlar.sql("SELECT ?", 1).bindMap(Map.of("title", "x")))
                .isInstanceOf(QueryException.class).hasMessageContaining("not both");
    }

    @Test
    void aMapWithANullKeyIsRefusedNamingTheNullKeyAndItsValuesTypeAndWritesNothing() {
        Map<String, Object> values = new HashMap<>();
        values.put("title", "mapped");
        values.put(null, 42);

        assertThatThrownBy(() -> ashlar.sql("INSERT INTO posts (title) VALUES (:title)").bindMap(values).execute())
                .isInstanceOf(QueryException.class).hasMessageContaining("bindMap(...)")
                .hasMessageContaining("a null key (its value a java.lang.Integer)")
                .hasMessageContaining("key each value by the name of its mark");
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(0L);
    }

    /**
     * {@code BindBeanTest}: a JavaBean's getters ({@code isFeatured} of a boolean too) and a record's components bind
     * their marks, beside a value bound by name; a mark neither gives is refused naming it and listing the properties.
     */
    @Test
    void aBeanBindsItsGettersAndARecordItsComponentsToTheMarksOfTheirNames() {
        PostBean post = new PostBean();
        post.setTitle("bean");
        post.setRating(4);
        post.setStatus(Status.PUBLISHED);
        post.setTags(List.of("x", "y"));
        post.setPublishedAt(AT.atOffset(ZoneOffset.ofHours(2)));

        ashlar.sql("INSERT INTO posts (title, rating, status, tags, published_at, body) VALUES (:title, :rating, "
                + ":status, :tags, :publishedAt, :featured::text || :note)").bindBean(post).bind("note", "!").execute();
        ashlar.sql("INSERT INTO authors (email, name) VALUES (:email, :name)")
                .bindBean(new Author("ada@example.com", "Ada")).execute();

        assertThat(db.value("SELECT title || rating || status || array_to_string(tags, '') || body FROM posts"))
                .isEqualTo("bean4PUBLISHEDxyfalse!");
        assertThat(db.value("SELECT published_at = '2026-05-01T10:00:00Z' FROM posts")).isEqualTo(true);
        assertThat(db.value("SELECT name FROM authors WHERE email = 'ada@example.com'")).isEqualTo("Ada");
        assertThatThrownBy(() -> ashlar.sql("SELECT :title, :subtitle").bindBean(post).list())
                .isInstanceOf(QueryException.class).hasMessageContaining(":subtitle with no value")
                .hasMessageContaining("bindBean(PostBean) gives [featured, id, publishedAt, rating, status, tags, "
                        + "title]");
    }

    /**
     * {@code BindBeanTest.testBindBeanPrefix}: two beans under their prefixes bind side by side; a prefixed mark the
     * bean has no property of is refused naming the mark and listing its properties.
     */
    @Test
    void prefixedBeansBindTheirOwnMarksSideBySide() {
        ashlar.sql("INSERT INTO authors (email, name) VALUES ('ada@example.com', 'Ada'), ('bo@example.com', 'Bo')")
                .execute();

        List<String> names = ashlar.sql("SELECT name FROM authors WHERE email IN (:a.email, :b.email) AND name <> "
                + ":b.name ORDER BY name").bindBean("a", new Author("ada@example.com", "?"))
                .bindBean("b", new Author("bo@example.com", "Bo")).values(String.class);

        assertThat(names).containsExactly("Ada");
        assertThatThrownBy(() -> ashlar.sql("SELECT :a.email, :a.age").bindBean("a", new Author("e", "n")))
                .isInstanceOf(QueryException.class).hasMessageContaining(":a.age")
                .hasMessageContaining("no property 'age'").hasMessageContaining("[email, name]");
    }

    /**
     * A dot goes on with a mark's name only before a letter: a cast right after a prefixed mark, a colon and dot in a
     * string, a mark before {@code ::} and a JSON path stay what they were.
     */
    @Test
    void prefixedMarksLeaveCastsStringsAndJsonPathsAlone() {
        Row row = ashlar.sql("SELECT :a.email::text || ':a.name' AS e, :n::int + 1 AS n, "
                + "jsonb_path_query_first(jsonb_build_object('a', :a.name::text), '$.a') #>> '{}' AS name")
                .bindBean("a", new Author("ada@example.com", "Ada")).bind("n", 2).one().orElseThrow();

        assertThat(row.getString("e")).isEqualTo("ada@example.com:a.name");
        assertThat(row.getInteger("n")).isEqualTo(3);
        assertThat(row.getString("name")).isEqualTo("Ada");
    }

    /** A getter that throws is refused naming the class and the property, before anything runs. */
    @Test
    void aGetterThatThrowsIsRefusedNamingTheClassAndTheProperty() {
        assertThatThrownBy(() -> ashlar.sql("INSERT INTO posts (title) VALUES (:title)").bindBean(new ThrowingBean()))
                .isInstanceOf(QueryException.class).hasMessageContaining("Property 'title' of")
                .hasMessageContaining(ThrowingBean.class.getName()).hasMessageContaining("not loaded");
        assertThatThrownBy(() -> ashlar.sql("SELECT :a").bindBean(Map.of("a", 1)))
                .isInstanceOf(QueryException.class).hasMessageContaining("bindMap(map)");
        assertThatThrownBy(() -> ashlar.sql("SELECT :empty").bindBean(List.of(1)))
                .isInstanceOf(QueryException.class).hasMessageContaining("bind(name, list)");
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(0L);
    }

    /**
     * {@code TestBeanMapper.testColumnNameAnnotation}/{@code testMapToBean}: columns go to the setters of their names,
     * snake_case to camelCase, with the data layer's conversions (timestamptz to OffsetDateTime, text[] to a List, an
     * enum's label to its constant); a column no setter takes is ignored, as in Jdbi when not strict.
     */
    @Test
    void rowsMapOntoAJavaBeanThroughItsSettersIgnoringColumnsItHasNoneOf() {
        ashlar.sql("INSERT INTO posts (title, rating, status, tags, published_at) VALUES ('one', 3, 'PUBLISHED', "
                + "'{a,b}', '2026-05-01T10:00:00Z'), ('two', 5, 'DRAFT', '{}', NULL)").execute();

        List<PostBean> posts = ashlar.sql("SELECT id, title, rating, status, tags, published_at, lock_version, "
                + "rating > 4 AS featured FROM posts ORDER BY id").list(PostBean.class);

        assertThat(posts).extracting(PostBean::getTitle).containsExactly("one", "two");
        assertThat(posts).extracting(PostBean::getRating).containsExactly(3, 5);
        assertThat(posts).extracting(PostBean::getStatus).containsExactly(Status.PUBLISHED, Status.DRAFT);
        assertThat(posts).extracting(PostBean::getTags).containsExactly(List.of("a", "b"), List.of());
        assertThat(posts).extracting(PostBean::isFeatured).containsExactly(false, true);
        assertThat(posts.get(0).getPublishedAt()).isEqualTo(AT.atOffset(ZoneOffset.UTC));
        assertThat(posts.get(1).getPublishedAt()).isNull();
        assertThat(ashlar.sql("SELECT id FROM posts WHERE title = :t").bind("t", "two").one(PostBean.class)
                .orElseThrow().getId()).isEqualTo(2);
    }

    /**
     * An unquoted alias {@code AS publishedAt} comes back folded to {@code publishedat}: it still reaches
     * {@code setPublishedAt}, as in Jdbi, rather than being ignored and leaving the property null.
     */
    @Test
    void aCamelCaseAliasFoldedToLowerCaseStillReachesItsSetter() {
        ashlar.sql("INSERT INTO posts (title, published_at) VALUES ('one', '2026-05-01T10:00:00Z')").execute();

        PostBean post = ashlar.sql("SELECT title, published_at AS publishedAt FROM posts").one(PostBean.class)
                .orElseThrow();

        assertThat(post.getPublishedAt()).isEqualTo(AT.atOffset(ZoneOffset.UTC));
    }

    /** A setter overriding a generic one takes the column through its own type, not the bridge's erased Object. */
    @Test
    void aSetterOverridingAGenericOneConvertsToItsOwnType() {
        ashlar.sql("INSERT INTO posts (title) VALUES ('one')").execute();

        KeyedPost post = ashlar.sql("SELECT id FROM posts").one(KeyedPost.class).orElseThrow();

        assertThat(post.key).isEqualTo(1L);
    }

    /** {@code TestBeanMapper.shouldThrowOnNullForPrimitive}-style: a NULL for a primitive setter names the property. */
    @Test
    void aNullForAPrimitivePropertyIsRefusedNamingIt() {
        ashlar.sql("INSERT INTO posts (title) VALUES ('unrated')").execute();

        assertThatThrownBy(() -> ashlar.sql("SELECT title, rating FROM posts").list(PostBean.class))
                .isInstanceOf(QueryException.class).hasMessageContaining(PostBean.class.getName())
                .hasMessageContaining("property 'rating' (int) cannot take null");
        assertThatThrownBy(() -> ashlar.sql("SELECT 1 AS nothing_it_has").list(PostBean.class))
                .isInstanceOf(QueryException.class).hasMessageContaining("[nothing_it_has]")
                .hasMessageContaining("publishedAt");
    }

    /**
     * {@code TestConstructorMapper}: a class with one public constructor takes the columns as its parameters, by
     * name or snake_case, converted (int to long, timestamptz to Instant, text[] to String[]), extra columns ignored;
     * a parameter no column gives is refused naming it and the columns.
     */
    @Test
    void rowsMapOntoAClassThroughItsOneConstructorsNamedParameters() {
        ashlar.sql("INSERT INTO posts (title, tags, published_at) VALUES ('one', '{a,b}', '2026-05-01T10:00:00Z')")
                .execute();

        Summary summary = ashlar.sql("SELECT id, title, published_at, tags, rating FROM posts").one(Summary.class)
                .orElseThrow();

        assertThat(summary.id).isEqualTo(1L);
        assertThat(summary.title).isEqualTo("one");
        assertThat(summary.publishedAt).isEqualTo(AT);
        assertThat(summary.tags).containsExactly("a", "b");
        assertThatThrownBy(() -> ashlar.sql("SELECT id, title FROM posts").list(Summary.class))
                .isInstanceOf(QueryException.class).hasMessageContaining("parameter 'publishedAt' matches no column")
                .hasMessageContaining("[id, title]");
    }

    /**
     * {@code TestFieldMapper}: a class with fields and no setters has its fields set (numeric to BigDecimal, jsonb
     * to a Map or to its text).
     */
    @Test
    void rowsFillTheFieldsOfAClassWithoutSetters() {
        ashlar.sql("INSERT INTO posts (title, rating) VALUES ('one', 3)").execute();

        Fields fields = ashlar.sql("SELECT rating::numeric(5, 2) AS price, jsonb_build_object('title', title) AS doc, "
                + "jsonb_build_object('n', rating) AS doc_text FROM posts").one(Fields.class).orElseThrow();

        assertThat(fields.price).isEqualByComparingTo("3.00");
        assertThat(fields.price.scale()).isEqualTo(2);
        assertThat(fields.doc).isEqualTo(Map.of("title", "one"));
        assertThat(fields.docText).isEqualTo("{\"n\": 3}");
    }

    /** Classes no row can map onto are refused saying what to give instead. */
    @Test
    void aClassNoRowCanMapOntoIsRefusedSayingWhatToGive() {
        ashlar.sql("INSERT INTO posts (title) VALUES ('one')").execute();

        assertThatThrownBy(() -> ashlar.sql("SELECT id FROM posts").list(TwoConstructors.class))
                .isInstanceOf(QueryException.class).hasMessageContaining("2 public constructors");
        assertThatThrownBy(() -> ashlar.sql("SELECT title FROM posts").list(String.class))
                .isInstanceOf(QueryException.class).hasMessageContaining("a value type")
                .hasMessageContaining("values(Type.class)");
        assertThatThrownBy(() -> ashlar.sql("SELECT title FROM posts").list(Runnable.class))
                .isInstanceOf(QueryException.class).hasMessageContaining("it is abstract");
    }

    /**
     * A class compiled without {@code -parameters} (this build compiles with it, so the class is compiled here) has
     * no parameter names to match columns by: refused saying to compile with the flag, as Jdbi's message does.
     */
    @Test
    void aConstructorWhoseParameterNamesWereNotCompiledInIsRefusedNamingTheFlag(@TempDir Path dir) throws Exception {
        Path source = Files.writeString(dir.resolve("Unnamed.java"), "public class Unnamed { public Unnamed(long id) "
                + "{ } }");
        int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", dir.toString(),
                source.toString());
        assertThat(status).isZero();

        try (URLClassLoader loader = new URLClassLoader(new URL[]{dir.toUri().toURL()})) {
            Class<?> unnamed = loader.loadClass("Unnamed");
            assertThatThrownBy(() -> ashlar.sql("SELECT 1 AS id").list(unnamed)).isInstanceOf(QueryException.class)
                    .hasMessageContaining("Unnamed").hasMessageContaining("-parameters");
        }
    }

    /**
     * {@code TestCallable}/{@code CallTest} on a procedure: its INOUT parameters come back as the one row of its
     * {@code CALL} (PostgreSQL 11+), readable as a {@code Row} or a record, and the work it did stays.
     */
    @Test
    void aProceduresInoutParametersComeBackAsTheRowOfItsCall() {
        db.execute("CREATE OR REPLACE PROCEDURE transfer(from_id integer, to_id integer, amount numeric, "
                + "INOUT balance numeric) LANGUAGE plpgsql AS $$ BEGIN "
                + "UPDATE accounts SET balance = accounts.balance - amount WHERE id = from_id; "
                + "UPDATE accounts SET balance = accounts.balance + amount WHERE id = to_id; "
                + "SELECT accounts.balance INTO balance FROM accounts WHERE id = from_id; END $$");

        Row result = ashlar.sql("CALL transfer(:from, :to, :amount, NULL)").bind("from", 1).bind("to", 2)
                .bind("amount", new BigDecimal("30.00")).one().orElseThrow();
        Balance again = ashlar.sql("CALL transfer(?, ?, ?, NULL)", 1, 2, new BigDecimal("10.00")).one(Balance.class)
                .orElseThrow();

        assertThat(result.fields()).containsExactly("balance");
        assertThat(result.getBigDecimal("balance")).isEqualByComparingTo("70.00");
        assertThat(again.balance()).isEqualByComparingTo("60.00");
        assertThat(db.value("SELECT balance FROM accounts WHERE id = 2")).isEqualTo(new BigDecimal("45.00"));
        assertThatThrownBy(() -> ashlar.sql("CALL transfer(1, 2, 1, NULL)").execute())
                .isInstanceOf(QueryException.class).hasMessageContaining("returns rows");
    }

    /** A procedure's OUT parameters (PostgreSQL 14+) come back the same way, NULL for one left unset. */
    @Test
    @RequiresPostgres(value = 14, reason = "OUT parameters of procedures")
    void aProceduresOutParametersComeBackAsTheRowOfItsCall() {
        db.execute("CREATE OR REPLACE PROCEDURE account_state(account integer, OUT balance numeric, OUT note text) "
                + "LANGUAGE plpgsql AS $$ BEGIN SELECT a.balance INTO balance FROM accounts a WHERE a.id = account; "
                + "END $$");

        Row state = ashlar.sql("CALL account_state(:id, NULL, NULL)").bind("id", 2).one().orElseThrow();

        assertThat(state.fields()).containsExactly("balance", "note");
        assertThat(state.getBigDecimal("balance")).isEqualByComparingTo("5.00");
        assertThat(state.getString("note")).isNull();
    }

    /**
     * {@code CallTest.testCall} (a function's INOUT parameter) and {@code TestCallable.testStatementWithNullResults}:
     * a function's OUT parameters are the columns of {@code SELECT * FROM f(...)}, a NULL among them kept.
     */
    @Test
    void aFunctionsOutParametersAreTheColumnsOfItsRow() {
        db.execute("CREATE OR REPLACE FUNCTION the_answer(answer INOUT integer) AS $$ BEGIN answer := 42; END $$ "
                + "LANGUAGE plpgsql");
        db.execute("CREATE OR REPLACE FUNCTION split_total(total numeric, parts integer, OUT each numeric, "
                + "OUT rest numeric, OUT label text) AS $$ SELECT trunc(total / parts, 2), "
                + "total - trunc(total / parts, 2) * parts, NULL::text $$ LANGUAGE sql");

        Integer answer = ashlar.sql("SELECT the_answer(NULL::integer)").value(Integer.class);
        Row split = ashlar.sql("SELECT * FROM split_total(:total, :parts)").bind("total", new BigDecimal("10.00"))
                .bind("parts", 3).one().orElseThrow();

        assertThat(answer).isEqualTo(42);
        assertThat(split.fields()).containsExactly("each", "rest", "label");
        assertThat(split.getBigDecimal("each")).isEqualByComparingTo("3.33");
        assertThat(split.getBigDecimal("rest")).isEqualByComparingTo("0.01");
        assertThat(split.getString("label")).isNull();
    }
}
