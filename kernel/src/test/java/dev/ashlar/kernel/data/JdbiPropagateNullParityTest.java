package dev.ashlar.kernel.data;

import dev.ashlar.api.data.ColumnName;
import dev.ashlar.api.data.Nested;
import dev.ashlar.api.data.PropagateNull;
import dev.ashlar.api.error.QueryException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Jdbi's {@code PropagateNullTest} (bean, constructor and field cases) and {@code BeanMapperPropagateNullableTest},
 * restated on statements written by hand, with the two mapping fixes beside them: {@code strict()} counts a bean's
 * setters, not its private state, and a {@code @ColumnName} beside {@code @Nested} is refused.
 */
class JdbiPropagateNullParityTest extends BlogDatabaseTest {

    // PropagateNullTest.Test1Bean / Test11Bean / Test21Bean: the class names its column.
    public static class MarkedBean {
        private MarkedBeanInner inner;

        @Nested
        public void setInner(MarkedBeanInner inner) {
            this.inner = inner;
        }
    }

    @PropagateNull("nestedid")
    public static class MarkedBeanInner {
        private String id;

        @ColumnName("nestedid")
        public void setId(String id) {
            this.id = id;
        }
    }

    public static final class MarkedConstructed {
        final MarkedConstructedInner inner;

        public MarkedConstructed(@Nested MarkedConstructedInner inner) {
            this.inner = inner;
        }
    }

    @PropagateNull("nestedid")
    public static final class MarkedConstructedInner {
        final String id;

        public MarkedConstructedInner(@ColumnName("nestedid") String id) {
            this.id = id;
        }
    }

    public static class MarkedFields {
        @Nested
        public MarkedFieldsInner inner;
    }

    @PropagateNull("nestedid")
    public static class MarkedFieldsInner {
        @ColumnName("nestedid")
        public String id;
    }

    // The FK cases: the class names a column under its prefix that no property takes.
    @PropagateNull("fk")
    record Keyed(String id) {
    }

    record HoldsKeyed(@Nested("bean") Keyed bean) {
    }

    // Test3Bean / Test13Bean / Test23Bean: the nested class's property is marked.
    public static final class MarkedParameterInner {
        final String id;

        public MarkedParameterInner(@PropagateNull String id) {
            this.id = id;
        }
    }

    record HoldsMarkedParameter(@Nested("bean") MarkedParameterInner bean) {
    }

    // Test4Bean / Test14Bean / Test24Bean: the NULL bubbles up to the whole row.
    public static class Bubbling {
        @Nested("n")
        @PropagateNull
        public BubblingInner inner;
    }

    public static class BubblingInner {
        @PropagateNull
        public String id;
    }

    // Test5Bean: no prefix, the inner property naming its column.
    record ImplicitInner(@PropagateNull @ColumnName("nid") String id) {
    }

    record ImplicitBubbling(@Nested @PropagateNull ImplicitInner inner) {
    }

    // BeanMapperPropagateNullableTest.PropagateNullThing and NestedPropagateNullThing: a primitive is marked.
    public static class PrimitiveMarked {
        private int testValue;
        private String s;

        public int getTestValue() {
            return testValue;
        }

        @PropagateNull
        public void setTestValue(int testValue) {
            this.testValue = testValue;
        }

        public String getS() {
            return s;
        }

        public void setS(String s) {
            this.s = s;
        }
    }

    public static class HoldsPrimitiveMarked {
        private Integer integerValue;
        private PrimitiveMarked nested;

        public void setIntegerValue(Integer integerValue) {
            this.integerValue = integerValue;
        }

        @Nested
        public void setNested(PrimitiveMarked nested) {
            this.nested = nested;
        }
    }

    record Author(@PropagateNull Long id, String name) {
    }

    record PostByAuthor(String title, @Nested("author") Author author) {
    }

    record UnmarkedAuthor(Long id, String name) {
    }

    record PostByUnmarkedAuthor(String title, @Nested("author") UnmarkedAuthor author) {
    }

    // Misuse: Test6Bean / Test16Bean put a value on a property; the rest name what rows lack.
    public static final class ValueOnProperty {
        public ValueOnProperty(@Nested("bean") @PropagateNull("id") Keyed nestedBean) {
        }
    }

    @PropagateNull
    record NoColumnNamed(String id) {
    }

    @PropagateNull("missing")
    record MissingColumn(String id) {
    }

    record MarkedButAbsent(String title, @PropagateNull Integer rating) {
    }

    // The two lows: a bean's private state, and @ColumnName beside @Nested.
    public static class StatefulBean {
        private String title;
        private int reads;   // internal state no setter exposes, as Jdbi's BeanMapper ignores it

        public void setTitle(String title) {
            this.title = title;
            reads = 0;
        }
    }

    public static class FieldsOnly {
        private String title;
        private Integer rating;
    }

    record ColumnNamedNested(@Nested @ColumnName("writer") UnmarkedAuthor author) {
    }

    @BeforeEach
    void rows() {
        db.execute("TRUNCATE posts, authors RESTART IDENTITY");
        db.execute("INSERT INTO authors (name, email) VALUES ('ada', 'ada@example.com')");
        db.execute("INSERT INTO posts (title, rating, author_id) VALUES ('by ada', 5, 1), ('anonymous', 3, NULL)");
    }

    /** {@code testPropagateNullOnNestedBean}, {@code ...NestedCtor}, {@code ...NestedField}. */
    @Test
    void aNestedClassMarkedWithItsColumnIsNullWhenThatColumnIsNullAsABeanAConstructorOrFields() {
        String present = "SELECT 'fourty-two' AS nestedid";
        String absent = "SELECT NULL::text AS nestedid";
        assertThat(ashlar.sql(present).one(MarkedBean.class).orElseThrow().inner.id).isEqualTo("fourty-two");
        assertThat(ashlar.sql(present).one(MarkedConstructed.class).orElseThrow().inner.id).isEqualTo("fourty-two");
        assertThat(ashlar.sql(present).one(MarkedFields.class).orElseThrow().inner.id).isEqualTo("fourty-two");
        assertThat(ashlar.sql(absent).one(MarkedBean.class).orElseThrow().inner).isNull();
        assertThat(ashlar.sql(absent).one(MarkedConstructed.class).orElseThrow().inner).isNull();
        assertThat(ashlar.sql(absent).one(MarkedFields.class).orElseThrow().inner).isNull();
    }

    /** The {@code ...WithFK} cases: the column the class names may be one no property takes, under the prefix. */
    @Test
    void aClassMarkedWithAKeyColumnNoPropertyTakesIsNullWhenThatKeyIsNull() {
        assertThat(ashlar.sql("SELECT 'fourty-two' AS bean_id, 1 AS bean_fk").one(HoldsKeyed.class).orElseThrow())
                .isEqualTo(new HoldsKeyed(new Keyed("fourty-two")));
        assertThat(ashlar.sql("SELECT 'fourty-two' AS bean_id, NULL::int AS bean_fk").one(HoldsKeyed.class)
                .orElseThrow().bean()).isNull();
        assertThatThrownBy(() -> ashlar.sql("SELECT 'fourty-two' AS bean_id").list(HoldsKeyed.class))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining(Keyed.class.getName()).hasMessageContaining("@PropagateNull(\"fk\")")
                .hasMessageContaining("'bean_fk'");
    }

    /** The key column a class's {@code @PropagateNull} names is taken by it: strict() neither refuses it nor skips others. */
    @Test
    void strictTakesTheKeyColumnAClassPropagateNullNamesAndStillRefusesOthers() {
        assertThat(ashlar.sql("SELECT 'fourty-two' AS bean_id, NULL::int AS bean_fk").strict().one(HoldsKeyed.class)
                .orElseThrow().bean()).isNull();
        assertThatThrownBy(() -> ashlar.sql("SELECT 'x' AS bean_id, 1 AS bean_fk, 2 AS bean_other").strict()
                .list(HoldsKeyed.class))
                .isInstanceOf(QueryException.class).hasMessageContaining("the columns [bean_other] that no property "
                        + "takes");
    }

    /** {@code testPropagateNullOnNestedBeanColumn}, {@code ...CtorColumn}, {@code ...FieldColumn}. */
    @Test
    void aMarkedPropertyMakesTheObjectHoldingItNullWhenItsColumnIsNull() {
        assertThat(ashlar.sql("SELECT 'fourty-two' AS bean_id").one(HoldsMarkedParameter.class).orElseThrow()
                .bean().id).isEqualTo("fourty-two");
        assertThat(ashlar.sql("SELECT NULL::text AS bean_id").one(HoldsMarkedParameter.class).orElseThrow().bean())
                .isNull();
    }

    /** {@code testDoubleNested*PropagateNull} and {@code ...WithImplicitPrefix}: the whole row maps to null. */
    @Test
    void aNullBubblesUpThroughMarkedNestedPropertiesToTheWholeRow() {
        Bubbling made = ashlar.sql("SELECT 'fourty-two' AS n_id").one(Bubbling.class).orElseThrow();
        assertThat(made.inner.id).isEqualTo("fourty-two");
        assertThat(ashlar.sql("SELECT NULL::text AS n_id").one(Bubbling.class)).isEmpty();
        assertThat(ashlar.sql("SELECT NULL::text AS nid").one(ImplicitBubbling.class)).isEmpty();
        assertThat(ashlar.sql("SELECT x AS nid FROM (VALUES ('a'), (NULL), ('b')) v(x) ORDER BY x NULLS FIRST")
                .list(ImplicitBubbling.class)).containsExactly(null,
                new ImplicitBubbling(new ImplicitInner("a")), new ImplicitBubbling(new ImplicitInner("b")));
    }

    /** {@code BeanMapperPropagateNullableTest}: a NULL for a marked primitive is no value to refuse. */
    @Test
    void aMarkedPrimitiveMakesItsObjectNullWhereAnUnmarkedOneRefusesTheNull() {
        assertThat(ashlar.sql("SELECT NULL::int AS test_value, 'foo' AS s").one(PrimitiveMarked.class)).isEmpty();
        PrimitiveMarked marked = ashlar.sql("SELECT 42 AS test_value, 'foo' AS s").one(PrimitiveMarked.class)
                .orElseThrow();
        assertThat(List.of(marked.getTestValue(), marked.getS())).containsExactly(42, "foo");
        HoldsPrimitiveMarked holds = ashlar.sql("SELECT 42 AS integer_value, NULL::int AS test_value, 'foo' AS s")
                .one(HoldsPrimitiveMarked.class).orElseThrow();
        assertThat(holds.integerValue).isEqualTo(42);
        assertThat(holds.nested).isNull();
        holds = ashlar.sql("SELECT 42 AS integer_value, 60 AS test_value, 'foo' AS s").one(HoldsPrimitiveMarked.class)
                .orElseThrow();
        assertThat(List.of(holds.nested.getTestValue(), holds.nested.getS())).containsExactly(60, "foo");
    }

    /** The case the annotation is for: the other side of a LEFT JOIN that found nothing. */
    @Test
    void theOtherSideOfALeftJoinThatFoundNothingIsNullOnlyWhereMarked() {
        String joined = "SELECT p.title, a.id AS author_id, a.name AS author_name FROM posts p "
                + "LEFT JOIN authors a ON a.id = p.author_id ORDER BY p.id";
        assertThat(ashlar.sql(joined).list(PostByAuthor.class)).containsExactly(
                new PostByAuthor("by ada", new Author(1L, "ada")), new PostByAuthor("anonymous", null));
        assertThat(ashlar.sql(joined).list(PostByUnmarkedAuthor.class).get(1).author())
                .isEqualTo(new UnmarkedAuthor(null, null));
    }

    /** {@code testBadPropagateNullAnnotationOnBean}/{@code ...OnCtor}, and the names rows must hold. */
    @Test
    void aMisusedPropagateNullIsRefusedNamingTheClassAndTheProperty() {
        assertThatThrownBy(() -> ashlar.sql("SELECT 'x' AS bean_id, 1 AS bean_fk").list(ValueOnProperty.class))
                .isInstanceOf(QueryException.class).hasMessageContaining(ValueOnProperty.class.getName())
                .hasMessageContaining("@PropagateNull does not support a value (id)")
                .hasMessageContaining("'nestedBean'");
        assertThatThrownBy(() -> ashlar.sql("SELECT 'x' AS id").list(NoColumnNamed.class))
                .isInstanceOf(QueryException.class).hasMessageContaining(NoColumnNamed.class.getName())
                .hasMessageContaining("names no column");
        assertThatThrownBy(() -> ashlar.sql("SELECT 'x' AS id").list(MissingColumn.class))
                .isInstanceOf(QueryException.class).hasMessageContaining(MissingColumn.class.getName())
                .hasMessageContaining("'missing'").hasMessageContaining("[id]");
        assertThatThrownBy(() -> ashlar.sql("SELECT title FROM posts").list(MarkedButAbsent.class))
                .isInstanceOf(QueryException.class).hasMessageContaining(MarkedButAbsent.class.getName())
                .hasMessageContaining("'rating'").hasMessageContaining("@PropagateNull");
    }

    /** The low from the review: Jdbi's {@code BeanMapper} knows a bean's setters, not its private fields. */
    @Test
    void strictCountsABeansSettersNotItsPrivateStateButEveryFieldOfAClassWithoutSetters() {
        assertThat(ashlar.sql("SELECT title FROM posts ORDER BY id").strict().list(StatefulBean.class))
                .extracting(bean -> bean.title).containsExactly("by ada", "anonymous");
        assertThat(ashlar.sql("SELECT title, rating FROM posts ORDER BY id").strict().list(FieldsOnly.class))
                .extracting(fields -> fields.rating).containsExactly(5, 3);
        assertThatThrownBy(() -> ashlar.sql("SELECT title FROM posts").strict().list(FieldsOnly.class))
                .isInstanceOf(QueryException.class).hasMessageContaining(FieldsOnly.class.getName())
                .hasMessageContaining("[rating]");
    }

    /** Counting a bean's setters alone still refuses a column no setter takes and a setter no column fills. */
    @Test
    void strictStillRefusesABeansUntakenColumnsAndUnfilledSetters() {
        assertThatThrownBy(() -> ashlar.sql("SELECT title, rating FROM posts").strict().list(StatefulBean.class))
                .isInstanceOf(QueryException.class).hasMessageContaining(StatefulBean.class.getName())
                .hasMessageContaining("the columns [rating] that no property takes");
        assertThatThrownBy(() -> ashlar.sql("SELECT rating AS reads FROM posts").strict().list(StatefulBean.class))
                .isInstanceOf(QueryException.class).hasMessageContaining("the properties [title] that no column "
                        + "fills");
    }

    /** Jdbi ignores a {@code @ColumnName} beside {@code @Nested} without a word; Ashlar says so. */
    @Test
    void aColumnNameBesideNestedIsRefusedNamingThePrefixToGive() {
        assertThatThrownBy(() -> ashlar.sql("SELECT 1 AS writer_id, 'ada' AS writer_name")
                .list(ColumnNamedNested.class))
                .isInstanceOf(QueryException.class).hasMessageContaining(ColumnNamedNested.class.getName())
                .hasMessageContaining("'author'").hasMessageContaining("@Nested(\"writer\")");
    }
}
