package dev.ashlar.api.data;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An object mapped from a row is null, rather than made with null properties, when a column is NULL (Jdbi's
 * {@code @PropagateNull}), as for the other side of a {@code LEFT JOIN} that found nothing.
 * <ul>
 * <li>On a class, its value names the column (under the class's {@link Nested} prefix, as its properties' columns
 * are): a property's column, or another, a foreign key no property takes.</li>
 * <li>On a property (a record component, a constructor parameter, a setter, a getter or a field), without a value:
 * the object holding it is null when the property's column is NULL, a primitive's too; on a {@link Nested} property,
 * when that nested object is null, so a NULL bubbles up through every level that says so.</li>
 * </ul>
 * Read at the top, the whole row maps to null ({@code list(Type.class)} holds a null for it, {@code one(Type.class)}
 * is empty). A value on a property, no value on a class, and a column the rows do not hold are refused naming the class
 * and the property.
 *
 * <pre>{@code
 * @PropagateNull("id")
 * record Author(Long id, String name) {}
 * record Post(long id, @Nested("author") Author author) {}
 * ashlar.sql("SELECT p.id, a.id AS author_id, a.name AS author_name FROM posts p LEFT JOIN authors a ON ...")
 *         .list(Post.class);   // a post without an author has author() == null
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD,
        ElementType.METHOD})
public @interface PropagateNull {
    /** On a class, the column whose NULL makes the object null, without its prefix; empty on a property. */
    String value() default "";
}
