package dev.ashlar.api.data;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A property that is itself an object made of columns of the same row (Jdbi's {@code @Nested}): a record, a JavaBean
 * or a class with one public constructor, mapped as the row's own class is. With a prefix {@code p}, its property
 * {@code name} takes the column {@code p_name}; without, the column {@code name}. A bean's nested property none of
 * whose columns the row has is left unset, as Jdbi leaves it; a constructor's or record's is refused naming the prefix.
 *
 * <pre>{@code
 * record Author(long id, String name) {}
 * record Post(long id, String title, @Nested("author") Author author) {}
 * ashlar.sql("SELECT p.id, p.title, a.id AS author_id, a.name AS author_name FROM posts p JOIN authors a ON ...")
 *         .list(Post.class);
 * }</pre>
 *
 * <p>On a component of a resource's record (the typed API's {@code Table}, or a resource's rows read with
 * {@code as} and {@code list(Type.class)}) it is a value object stored as columns of the owner's table, as JPA's
 * {@code @Embedded}: a record whose components are the attributes {@code prefix_name}, written to them (a null value
 * as NULLs) and read from them, as null when every one is NULL. It must be a record; a field longer than 63 bytes is refused. A
 * statement's rows ({@code sql(...)}) keep Jdbi's rules through {@code row.as} as through {@code list(Type.class)}.
 *
 * <pre>{@code
 * record Address(String street, String city) {}
 * record Customer(Integer id, @Nested("home") Address home) {}   // the attributes home_street and home_city
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD})
public @interface Nested {
    /** The prefix of the nested object's columns, without its {@code _}; none when empty. */
    String value() default "";
}
