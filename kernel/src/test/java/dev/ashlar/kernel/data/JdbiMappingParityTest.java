package dev.ashlar.kernel.data;

import dev.ashlar.api.data.ColumnName;
import dev.ashlar.api.data.Nested;
import dev.ashlar.api.error.QueryException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Jdbi's tests of naming, nesting and strictly matching the columns of mapped rows ({@code TestColumnNameAnnotation},
 * {@code BeanMapperNestedTest}, {@code ConstructorMapperTest}'s nested and strict cases, {@code FieldMapperTest}) and
 * of binding fields and methods by name ({@code BindFieldsTest}, {@code BindMethodsTest}), restated on statements
 * written by hand.
 */
class JdbiMappingParityTest extends BlogDatabaseTest {

    record Headline(long id, @ColumnName("headline") String title) {
    }

    public static final class Constructed {
        final String title;

        public Constructed(@ColumnName("headline") String title) {
            this.title = title;
        }
    }

    public static class AnnotatedBean {
        private String title;
        private Integer stars;

        public String getTitle() {
            return title;
        }

        @ColumnName("headline")
        public void setTitle(String title) {
            this.title = title;
        }

        @ColumnName("stars_given")
        public Integer getStars() {
            return stars;
        }

        public void setStars(Integer stars) {
            this.stars = stars;
        }
    }

    public static class AnnotatedFields {
        @ColumnName("headline")
        public String title;
    }

    record Author(long id, String name) {
    }

    record PostWithAuthor(long id, String title, @Nested("author") Author author) {
    }

    record PostWithUnprefixedAuthor(@Nested Author author, String title) {
    }

    public static class AuthorBean {
        private Long id;
        private String name;

        public void setId(Long id) {
            this.id = id;
        }

        public void setName(String name) {
            this.name = name;
        }
    }

    public static class PostBean {
        private String title;
        private AuthorBean author;

        public void setTitle(String title) {
            this.title = title;
        }

        @Nested("a")
        public void setAuthor(AuthorBean author) {
            this.author = author;
        }
    }

    /** Jdbi's {@code StrangePrefixBean}: prefixes {@code a} and {@code ab}, each nested object naming its column. */
    public static class StrangePrefixes {
        public First first;
        @Nested("ab")
        public Second second;

        @Nested("a")
        public void setFirst(First first) {
            this.first = first;
        }
    }

    public static class First {
        @ColumnName("bx")
        public String value;
    }

    public static class Second {
        @ColumnName("x")
        public String value;
    }

    record Twice(String title, @ColumnName("title") String headline) {
    }

    public static final class NoUsableConstructor {
        public NoUsableConstructor(String a) {
        }

        public NoUsableConstructor(String a, String b) {
        }
    }

    record Reply(String title, @Nested("reply") Reply reply) {
    }

    record PostWithBrokenAuthor(String title, @Nested("author") NoUsableConstructor author) {
    }

    /** {@code BindFieldsTest}'s object: public fields, one of them final. */
    public static final class Draft {
        public String title = "fields";
        public final Integer rating = 4;
        public String body;
        private final String hidden = "not bound";
    }

    /** {@code BindMethodsTest}'s object: methods without parameters, bound by their own names. */
    public static final class Computed {
        public String title() {
            return "methods";
        }

        public int rating() {
            return 2;
        }

        @ColumnName("body")
        public String text() {
            return "from text()";
        }

        public String broken() {
            throw new IllegalStateException("not computed");
        }
    }

    /**
     * A generic base whose setter and field the subclass does not override: the values must convert to {@code Long}.
     */
    public abstract static class Valued<V> {
        public Object value;
        public V id;

        public void setRating(V rating) {
            this.value = rating;
        }
    }

    public static final class LongValued extends Valued<Long> {
    }

    public static final class Overloaded {
        final List<String> calls = new ArrayList<>();

        public void setRating(String rating) {
            calls.add("String " + rating);
        }

        public void setRating(Integer rating) {
            calls.add("Integer " + rating);
        }
    }

    /** A bean whose JDK superclass has a protected field that reflection may not open: not a property of it. */
    public static final class Event extends java.util.EventObject {
        private String title;

        public Event() {
            super("posts");
        }

        public void setTitle(String title) {
            this.title = title;
        }
    }

    public static class Titled {
        public String title = "hidden";
    }

    /** Its public {@code title} hides {@link Titled}'s, as Java reads {@code hiding.title}. */
    public static final class Hiding extends Titled {
        public String title = "hiding";
    }

    /** Each post's title, rating and body, in the order of their ids. */
    private List<List<Object>> posts() {
        return db.query("SELECT title, rating, body FROM posts ORDER BY id").stream()
                .map(row -> Arrays.asList(row.get("title"), row.get("rating"), row.get("body"))).toList();
    }

    @BeforeEach
    void rows() {
        db.execute("TRUNCATE posts, authors RESTART IDENTITY");
        db.execute("INSERT INTO authors (email, name) VALUES ('ada@example.com', 'Ada')");
        db.execute("INSERT INTO posts (title, rating, author_id) VALUES ('one', 3, 1)");
    }

    /**
     * {@code TestColumnNameAnnotation}: a {@code @ColumnName} on a record component, a constructor parameter, a setter,
     * a getter and a field names the column each takes instead of its own name.
     */
    @Test
    void aColumnNameOnAComponentParameterSetterGetterOrFieldNamesTheColumnItTakes() {
        String sql = "SELECT id, title AS headline, rating AS stars_given FROM posts";

        assertThat(ashlar.sql(sql).list(Headline.class)).containsExactly(new Headline(1, "one"));
        assertThat(ashlar.sql(sql).one(Constructed.class).orElseThrow().title).isEqualTo("one");
        AnnotatedBean bean = ashlar.sql(sql).one(AnnotatedBean.class).orElseThrow();
        assertThat(bean.getTitle()).isEqualTo("one");
        assertThat(bean.getStars()).isEqualTo(3);
        assertThat(ashlar.sql(sql).one(AnnotatedFields.class).orElseThrow().title).isEqualTo("one");
        assertThatThrownBy(() -> ashlar.sql("SELECT id, title FROM posts").list(Headline.class))
                .isInstanceOf(QueryException.class).hasMessageContaining("component 'title' matches no column")
                .hasMessageContaining("its @ColumnName is 'headline'").hasMessageContaining("[id, title]");
    }

    /**
     * {@code BindBeanTest} with {@code @ColumnName}: a record's or bean's property annotated on its component, setter or
     * getter binds the mark the annotation names.
     */
    @Test
    void aColumnNameNamesTheMarkABeanBindsItsPropertyTo() {
        AnnotatedBean bean = new AnnotatedBean();
        bean.setTitle("bound");
        bean.setStars(5);

        ashlar.sql("UPDATE posts SET title = :headline WHERE id = :id").bindBean(new Headline(1, "renamed")).execute();
        ashlar.sql("INSERT INTO posts (title, rating) VALUES (:headline, :stars_given)").bindBean(bean).execute();

        assertThat(posts()).containsExactly(Arrays.asList("renamed", 3, null), Arrays.asList("bound", 5, null));
    }

    /**
     * {@code BeanMapperNestedTest.testNested}/{@code testNestedPrefix} and {@code ConstructorMapperTest}'s nested
     * records: a nested object is made from the columns under its prefix ({@code author_id}), or of its own names
     * without one; prefixes that begin alike ({@code a}, {@code ab}) each take their own columns.
     */
    @Test
    void aNestedObjectIsMadeFromTheColumnsUnderItsPrefix() {
        String joined = "SELECT p.id, p.title, a.id AS author_id, a.name AS author_name FROM posts p "
                + "JOIN authors a ON a.id = p.author_id";

        assertThat(ashlar.sql(joined).list(PostWithAuthor.class))
                .containsExactly(new PostWithAuthor(1, "one", new Author(1, "Ada")));
        assertThat(ashlar.sql("SELECT p.title, a.id, a.name FROM posts p JOIN authors a ON a.id = p.author_id")
                .one(PostWithUnprefixedAuthor.class)).contains(new PostWithUnprefixedAuthor(new Author(1, "Ada"),
                "one"));
        PostBean bean = ashlar.sql("SELECT p.title, a.id AS a_id, a.name AS a_name FROM posts p JOIN authors a "
                + "ON a.id = p.author_id").one(PostBean.class).orElseThrow();
        assertThat(bean.title).isEqualTo("one");
        assertThat(bean.author.id).isEqualTo(1L);
        assertThat(bean.author.name).isEqualTo("Ada");
        StrangePrefixes strange = ashlar.sql("SELECT 'hello' AS a_bx, 'world' AS ab_x").one(StrangePrefixes.class)
                .orElseThrow();
        assertThat(strange.first.value).isEqualTo("hello");
        assertThat(strange.second.value).isEqualTo("world");
    }

    /**
     * {@code BeanMapperNestedTest.testNestedPrefixNotReturned}: a bean's nested property no column is under is left
     * null; a record's, which its constructor needs, is refused naming the prefix and the columns.
     */
    @Test
    void aNestedPropertyWithNoColumnIsLeftNullOnABeanAndRefusedNamingItsPrefixOnARecord() {
        PostBean bean = ashlar.sql("SELECT title FROM posts").one(PostBean.class).orElseThrow();

        assertThat(bean.title).isEqualTo("one");
        assertThat(bean.author).isNull();
        assertThatThrownBy(() -> ashlar.sql("SELECT id, title, author_id AS writer_id FROM posts")
                .list(PostWithAuthor.class)).isInstanceOf(QueryException.class)
                .hasMessageContaining(PostWithAuthor.class.getName())
                .hasMessageContaining("component 'author' is nested under the prefix 'author'")
                .hasMessageContaining("[id, title, writer_id]");
    }

    /**
     * {@code BeanMapperNestedTest.testNestedStrict}/{@code testNestedPrefixStrict}: {@code strict()} refuses a column
     * nothing takes ({@code other}, {@code author_other} under a nested prefix) and a property no column fills, naming
     * them and the class; the same rows map without it.
     */
    @Test
    void strictRefusesAColumnNothingTakesAndAPropertyNoColumnFillsNamingThemAndTheClass() {
        String exact = "SELECT p.id, p.title, a.id AS author_id, a.name AS author_name FROM posts p "
                + "JOIN authors a ON a.id = p.author_id";

        assertThat(ashlar.sql(exact).strict().list(PostWithAuthor.class)).hasSize(1);
        assertThat(ashlar.sql("SELECT 1 AS other, title FROM posts").list(PostBean.class)).hasSize(1);
        assertThatThrownBy(() -> ashlar.sql(exact.replace("a.name AS author_name", "a.name AS author_name, "
                + "1 AS other, 2 AS author_other")).strict().list(PostWithAuthor.class))
                .isInstanceOf(QueryException.class).hasMessageContaining(PostWithAuthor.class.getName())
                .hasMessageContaining("the columns [other, author_other] that no property takes");
        assertThatThrownBy(() -> ashlar.sql("SELECT title, a_id FROM posts, (SELECT 1 AS a_id) x").strict()
                .one(PostBean.class)).isInstanceOf(QueryException.class)
                .hasMessageContaining(PostBean.class.getName())
                .hasMessageContaining("the properties [author.name] that no column fills");
        assertThatThrownBy(() -> ashlar.sql("SELECT 1 AS other, title FROM posts").strict().list(PostBean.class))
                .isInstanceOf(QueryException.class).hasMessageContaining("the columns [other]")
                .hasMessageContaining("the properties [author (nested, columns a_...)]");
    }

    /**
     * Two properties claiming one column, a nested class rows cannot make, and a class nested in itself are refused
     * naming them.
     */
    @Test
    void twoPropertiesClaimingOneColumnANestedClassWithoutAUsableConstructorOrNestedInItselfAreRefusedNamingThem() {
        assertThatThrownBy(() -> ashlar.sql("SELECT title FROM posts").list(Twice.class))
                .isInstanceOf(QueryException.class).hasMessageContaining(Twice.class.getName())
                .hasMessageContaining("the column 'title' is claimed by both 'title' and 'headline'");
        assertThatThrownBy(() -> ashlar.sql("SELECT title, 'x' AS author_a FROM posts")
                .list(PostWithBrokenAuthor.class)).isInstanceOf(QueryException.class)
                .hasMessageContaining(NoUsableConstructor.class.getName())
                .hasMessageContaining("the nested 'author'").hasMessageContaining("2 public constructors");
        assertThatThrownBy(() -> ashlar.sql("SELECT 'a' AS title, 'b' AS reply_title").list(Reply.class))
                .isInstanceOf(QueryException.class).hasMessageContaining("the nested 'reply'")
                .hasMessageContaining("nested in itself");
    }

    /**
     * {@code BindFieldsTest}: an object's public fields bind the marks of their names, under a prefix too; a
     * private field is not offered, and a prefixed mark no field gives is refused listing the fields.
     */
    @Test
    void publicFieldsBindTheMarksOfTheirNamesUnderAPrefixToo() {
        Draft draft = new Draft();
        draft.body = "text";

        ashlar.sql("INSERT INTO posts (title, rating, body) VALUES (:title, :rating, :body)").bindFields(draft)
                .execute();
        ashlar.sql("UPDATE posts SET body = :d.title WHERE id = 1").bindFields("d", draft).execute();

        assertThat(posts()).containsExactly(Arrays.asList("one", 3, "fields"), Arrays.asList("fields", 4, "text"));
        assertThatThrownBy(() -> ashlar.sql("SELECT :d.hidden").bindFields("d", draft))
                .isInstanceOf(QueryException.class).hasMessageContaining("no property 'hidden'")
                .hasMessageContaining("public fields are [body, rating, title]");
    }

    /**
     * {@code BindMethodsTest}: an object's methods without parameters bind the marks of their names ({@code :title}
     * takes {@code title()}), or of their {@code @ColumnName}, under a prefix too; one that throws is refused naming it.
     */
    @Test
    void methodsWithoutParametersBindTheMarksOfTheirNames() {
        ashlar.sql("INSERT INTO posts (title, rating, body) VALUES (:title, :rating, :body)")
                .bindMethods(new Computed()).execute();
        ashlar.sql("UPDATE posts SET title = :c.title WHERE id = 1").bindMethods("c", new Computed()).execute();

        assertThat(posts()).containsExactly(Arrays.asList("methods", 3, null), Arrays.asList("methods", 2, "from text()"));
        assertThatThrownBy(() -> ashlar.sql("SELECT :broken").bindMethods(new Computed()))
                .isInstanceOf(QueryException.class).hasMessageContaining("'broken' of " + Computed.class.getName())
                .hasMessageContaining("not computed");
        assertThatThrownBy(() -> ashlar.sql("SELECT :c.missing").bindMethods("c", new Computed()))
                .isInstanceOf(QueryException.class).hasMessageContaining("no property 'missing'")
                .hasMessageContaining("methods without parameters are [body, broken, rating, title]");
    }

    /**
     * A setter or field inherited from a generic superclass takes the column converted to the type the subclass fixes.
     */
    @Test
    void aSetterOrFieldInheritedFromAGenericSuperclassConvertsToTheTypeTheSubclassFixes() {
        LongValued valued = ashlar.sql("SELECT id, rating FROM posts").one(LongValued.class).orElseThrow();

        assertThat(valued.value).isInstanceOf(Long.class).isEqualTo(3L);
        assertThat((Object) valued.id).isInstanceOf(Long.class).isEqualTo(1L);
    }

    /**
     * Of overloaded setters, the one whose type the column's value has takes it, whatever order the JVM lists them in;
     * a value none takes as it is is refused naming the setters.
     */
    @Test
    void ofOverloadedSettersTheOneWhoseTypeTheValueHasTakesIt() {
        assertThat(ashlar.sql("SELECT rating FROM posts").one(Overloaded.class).orElseThrow().calls)
                .containsExactly("Integer 3");
        assertThat(ashlar.sql("SELECT rating::text AS rating FROM posts").one(Overloaded.class).orElseThrow().calls)
                .containsExactly("String 3");
        assertThatThrownBy(() -> ashlar.sql("SELECT rating::bigint AS rating FROM posts").list(Overloaded.class))
                .isInstanceOf(QueryException.class).hasMessageContaining("property 'rating' has the setters "
                        + "[setRating(Integer), setRating(String)]").hasMessageContaining("none takes the Long");
    }

    /**
     * A bean extending a JDK class maps by its own setters: the superclass's fields, closed to reflection, are no
     * properties of it, rather than failing every mapping of it with the JDK's own exception.
     */
    @Test
    void aBeanExtendingAJdkClassMapsByItsOwnSettersAndStrictLeavesTheClosedFieldsOut() {
        assertThat(ashlar.sql("SELECT title FROM posts").one(Event.class).orElseThrow().title).isEqualTo("one");
        assertThat(ashlar.sql("SELECT title FROM posts").strict().one(Event.class).orElseThrow().title)
                .isEqualTo("one");
    }

    /**
     * Two values giving one mark (a {@code @ColumnName} naming another's) are refused naming both, rather than one
     * silently binding; a public field hiding its superclass's binds, as Java reads it.
     */
    @Test
    void twoValuesGivingOneMarkAreRefusedNamingBothAndAHidingFieldBinds() {
        assertThatThrownBy(() -> ashlar.sql("SELECT :title").bindBean(new Twice("a", "b")))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("bindBean(...) cannot bind " + Twice.class.getName())
                .hasMessageContaining("both headline() and title() give the mark :title");
        assertThatThrownBy(() -> ashlar.sql("SELECT :title").bindMethods(new Twice("a", "b")))
                .isInstanceOf(QueryException.class).hasMessageContaining("bindMethods(...)")
                .hasMessageContaining("give the mark :title");

        ashlar.sql("UPDATE posts SET title = :title WHERE id = 1").bindFields(new Hiding()).execute();

        assertThat(posts()).containsExactly(Arrays.asList("hiding", 3, null));
    }
}
