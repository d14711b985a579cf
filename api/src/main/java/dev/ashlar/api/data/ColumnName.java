package dev.ashlar.api.data;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The column a property takes when rows of a statement written by hand are mapped onto its class, and the mark it
 * binds to (Jdbi's {@code @ColumnName}), in place of its own name and that name's snake_case form. Put it on a record
 * component, a constructor parameter, a field, a setter or a getter; under a {@link Nested} prefix {@code p} the
 * column is {@code p_} and this name.
 *
 * <pre>{@code
 * record Title(long id, @ColumnName("headline") String title) {}
 * ashlar.sql("SELECT id, title AS headline FROM posts").list(Title.class);
 * ashlar.sql("UPDATE posts SET title = :headline WHERE id = :id").bindBean(new Title(7, "New")).execute();
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD})
public @interface ColumnName {
    /** The column's name, as the statement gives it (an unquoted alias comes back in lower case). */
    String value();
}
