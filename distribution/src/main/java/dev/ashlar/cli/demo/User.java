package dev.ashlar.cli.demo;

import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.api.typed.UniqueKey;

import java.time.Instant;
import java.util.UUID;

import static dev.ashlar.api.typed.Kind.TEXT;
import static dev.ashlar.api.typed.Kind.TIMESTAMPTZ;

/** A user of the demo's blog, and the typed symbols of the user resource. */
public record User(UUID id, String email, String name, Instant insertedAt, Instant updatedAt) {
    public static final Table<User> USERS = Table.of("user", User.class);
    public static final Field<User, UUID> ID = USERS.uuidPrimaryKey("id");
    public static final TextField<User> EMAIL = USERS.attribute("email", TEXT, a -> a.notNull());
    public static final TextField<User> NAME = USERS.attribute("name", TEXT);
    public static final Field<User, Instant> INSERTED_AT = USERS.attribute("inserted_at", TIMESTAMPTZ,
            a -> a.notNull().defaultSql("now()"));
    public static final Field<User, Instant> UPDATED_AT = USERS.attribute("updated_at", TIMESTAMPTZ,
            a -> a.notNull().defaultSql("now()").touchOnUpdate());
    public static final UniqueKey<User> UNIQUE_EMAIL = USERS.identity("unique_email", EMAIL);

    /** A user as the application creates one: the database fills in the key and the timestamps. */
    public static User of(String email, String name) {
        return new User(null, email, name, null, null);
    }
}
