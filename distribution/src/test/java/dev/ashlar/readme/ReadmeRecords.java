package dev.ashlar.readme;

import dev.ashlar.api.data.Range;
import dev.ashlar.api.typed.CalculationField;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.ListField;
import dev.ashlar.api.typed.RangeField;
import dev.ashlar.api.typed.Relation;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.api.typed.UniqueKey;
import dev.ashlar.kernel.Ashlar;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import static dev.ashlar.api.typed.Kind.INTEGER;
import static dev.ashlar.api.typed.Kind.TEXT;
import static dev.ashlar.api.typed.Kind.TIMESTAMPTZ;
import static dev.ashlar.api.typed.Kind.arrayOf;
import static dev.ashlar.api.typed.Kind.enumOf;
import static dev.ashlar.api.typed.Kind.jsonOf;
import static dev.ashlar.api.typed.Kind.rangeOf;
import static dev.ashlar.api.typed.Kind.varchar;

/**
 * What a README fragment marked {@code ```java compile prelude=ReadmeRecords} may use besides {@link ReadmeFields}:
 * the typed API's records of "The typed API" (Post with its fields in scope, as in its own code; User and Comment
 * qualified) and of the sections that follow it.
 */
abstract class ReadmeRecords extends ReadmeFields {
    record User(UUID id, String name, String email) {
        static final Table<User> USERS = Table.of("user", User.class);
        static final TextField<User> NAME = USERS.attribute("name", TEXT);
        static final TextField<User> EMAIL = USERS.attribute("email", TEXT);
        static final UniqueKey<User> UNIQUE_EMAIL = USERS.identity("unique_email", EMAIL);
        static final CalculationField<User, String> FULL_NAME = USERS.calculate("full_name", String.class,
                "first_name || :separator || last_name");
    }

    record Comment(Integer id, String body, Integer rating, Instant insertedAt, UUID authorId) {
        static final Table<Comment> COMMENTS = Table.of("comment", Comment.class);
        static final Field<Comment, Integer> RATING = COMMENTS.attribute("rating", INTEGER);
        static final Field<Comment, Instant> INSERTED_AT = COMMENTS.attribute("inserted_at", TIMESTAMPTZ);
        static final Relation<Comment, User> AUTHOR = COMMENTS.belongsTo("author", User.USERS);
    }

    record Tag(Integer id, String name) {
        static final Table<Tag> TAGS = Table.of("tag", Tag.class);
    }

    record Post(Integer id, String title, Integer rating, List<String> tags, UUID authorId) {
        /** The Post of "Multitenancy", a title and a rating. */
        Post(Integer id, String title, Integer rating) {
            this(id, title, rating, List.of(), null);
        }
    }

    record PostView(int id, String title, User author, List<Comment> comments, List<Tag> labels) {
    }

    record Note(Integer id, String body) {
    }

    record Doc(Integer id, String slug, Integer version) {
    }

    record Booking(Integer id, Integer room, Range<LocalDate> stay) {
    }

    record Bio(String title) {
    }

    record Author(UUID id, Bio bio) {
    }

    record Order(Integer id, String number) {
    }

    record Line(Integer id, String sku) {
    }

    record Detail(Integer id, Integer qty) {
    }

    record Product(Integer id, String name) {
    }

    record Tenant(String id) {
    }

    static final Table<User> USERS = User.USERS;
    static final TextField<User> NAME = User.NAME;
    static final UniqueKey<User> UNIQUE_EMAIL = User.UNIQUE_EMAIL;
    static final CalculationField<User, String> FULL_NAME = User.FULL_NAME;

    static final Table<Post> POSTS = Table.of("post", Post.class);
    static final Field<Post, Integer> ID = POSTS.integerPrimaryKey("id");
    static final TextField<Post> TITLE = POSTS.attribute("title", varchar(120), a -> a.notNull());
    static final TextField<Post> SLUG = POSTS.attribute("slug", TEXT);
    static final Field<Post, Integer> RATING = POSTS.attribute("rating", INTEGER);
    static final Field<Post, Integer> BEST_RATING = POSTS.attribute("best_rating", INTEGER);
    static final Field<Post, Integer> VIEWS = POSTS.attribute("views", INTEGER);
    static final Field<Post, Status> STATUS = POSTS.attribute("status", enumOf(Status.class));
    static final Field<Post, Instant> PUBLISHED_AT = POSTS.attribute("published_at", TIMESTAMPTZ);
    static final ListField<Post, String> TAGS = POSTS.attribute("tags", arrayOf(TEXT));
    static final Relation<Post, User> AUTHOR = POSTS.belongsTo("author", User.USERS);
    static final Field<Post, UUID> AUTHOR_ID = POSTS.attribute("author_id", dev.ashlar.api.typed.Kind.UUID);
    static final Relation<Post, Comment> COMMENTS = POSTS.hasMany("comments", Comment.COMMENTS);
    static final Relation<Post, Tag> LABELS = POSTS.manyToMany("labels", Tag.TAGS, r -> r.through("post_tag"));

    static final Table<Note> NOTES = Table.of("note", Note.class);

    static final Table<Doc> DOCS = Table.of("doc", Doc.class);
    static final Field<Doc, Integer> VERSION = DOCS.attribute("version", INTEGER);
    static final UniqueKey<Doc> UNIQUE_SLUG = DOCS.identity("unique_slug", DOCS.attribute("slug", TEXT));

    static final Table<Booking> BOOKINGS = Table.of("booking", Booking.class);
    static final RangeField<Booking, LocalDate> STAY = BOOKINGS.attribute("stay", rangeOf(dev.ashlar.api.typed.Kind.DATE));

    static final Table<Author> AUTHORS = Table.of("author", Author.class);
    static final Field<Author, Bio> BIO = AUTHORS.attribute("bio", jsonOf(Bio.class));

    static final Table<Tenant> TENANTS = Table.of("tenant", Tenant.class);

    static final Table<Order> ORDERS = Table.of("order", Order.class);
    static final Table<Line> LINES = Table.of("line", Line.class);
    static final Relation<Order, Line> ORDER_LINES = ORDERS.hasMany("lines", LINES);
    static final Relation<Line, Detail> LINE_DETAILS = LINES.hasMany("details", Table.of("detail", Detail.class));
    static final Relation<Line, Product> LINE_PRODUCT = LINES.belongsTo("product", Table.of("product", Product.class));

    User ada;
    Post editedPost;
    Post lastOfPreviousPage;
    Post draft;
    Doc one;
    List<Post> posts;
    List<User> users;
    List<Doc> docs;
    Object from;
    Object to;
    BigDecimal amount;

    Object transfer(Ashlar tx, Object from, Object to, BigDecimal amount) {
        return tx.sql("SELECT transfer(?, ?, ?)", from, to, amount).value(Object.class);
    }
}
