package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.resource.Type.DOUBLE;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.arrayOf;
import static dev.ashlar.api.resource.Type.decimal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Attribute constraints (AshPostgres's {@code constraints: [min_length:, max_length:, match:, min:, max:]}): a value
 * that breaks one is refused before any SQL runs, naming the field, in creates, updates, updates by filter, upserts and
 * bulk writes (by record), on the string and the typed API; a table already holding a row keeps it as it was.
 */
class AttributeConstraintsTest extends DomainDatabaseTest {
    record Account(Long id, String login, Integer age) {
        static final Table<Account> ACCOUNTS = Table.of("typed_account", Account.class);
        static final Field<Account, Long> ID = ACCOUNTS.bigintPrimaryKey("id");
        static final TextField<Account> LOGIN = ACCOUNTS.attribute("login", Kind.TEXT, a -> a.minLength(3));
        static final Field<Account, Integer> AGE = ACCOUNTS.attribute("age", Kind.INTEGER, a -> a.min(0).max(150));
    }

    static final Domain DOMAIN = Domain.builder("attribute_constraints")
            .resource(Resource.builder("user").table("users").integerPrimaryKey("id")
                    .attribute("login", TEXT, a -> a.minLength(3).maxLength(32).match("^[a-z0-9_-]+$"))
                    .attribute("display_name", TEXT, a -> a.minLength(1))
                    .attribute("age", INTEGER, a -> a.min(0).max(150))
                    .attribute("rating", decimal(4, 2), a -> a.min(new BigDecimal("0.5")))
                    .attribute("tags", arrayOf(TEXT), a -> a.maxLength(2))
                    .attribute("score", DOUBLE, a -> a.min(0).max(10))
                    .attribute("nickname", TEXT, a -> a.match("^((a+)\\2?)+$"))
                    .identity("unique_login", "login")
                    .build())
            .resource(Account.ACCOUNTS.builder().table("typed_accounts")
                    .add(Account.ID, Account.LOGIN, Account.AGE).build())
            .build();

    AttributeConstraintsTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void oneStoredUser() {
        db.execute("TRUNCATE users, typed_accounts RESTART IDENTITY");
        ashlar.create("user", Map.of("login", "stored", "age", 40));
    }

    private static FieldError onlyError(InvalidDataException e) {
        assertThat(e.errors()).hasSize(1);
        return e.errors().get(0);
    }

    private void assertRefused(Runnable write, String field, String words) {
        assertThatThrownBy(write::run).isInstanceOfSatisfying(InvalidDataException.class, e -> {
            assertThat(e.resource()).hasValueSatisfying(r -> assertThat(r).isIn("user", "typed_account"));
            assertThat(onlyError(e).field()).isEqualTo(field);
            assertThat(onlyError(e).message()).contains(words);
        });
    }

    private List<String> storedLogins() {
        return db.query("SELECT login FROM users ORDER BY id").stream().map(r -> (String) r.get("login")).toList();
    }

    @Test
    void aCreateBreakingALengthAPatternOrABoundIsRefusedNamingTheFieldAndNothingIsStored() {
        assertRefused(() -> ashlar.create("user", Map.of("login", "ab")), "login", "at least 3 characters, it has 2");
        assertRefused(() -> ashlar.create("user", Map.of("login", "a".repeat(33))), "login", "at most 32 characters");
        assertRefused(() -> ashlar.create("user", Map.of("login", "Not Valid")), "login", "must match the pattern");
        assertRefused(() -> ashlar.create("user", Map.of("login", "abc", "display_name", "")), "display_name",
                "at least 1 characters");
        assertRefused(() -> ashlar.create("user", Map.of("login", "abc", "age", -1)), "age", "at least 0, it is -1");
        assertRefused(() -> ashlar.create("user", Map.of("login", "abc", "age", 151)), "age", "at most 150");
        assertRefused(() -> ashlar.create("user", Map.of("login", "abc", "rating", new BigDecimal("0.49"))),
                "rating", "at least 0.5");
        assertRefused(() -> ashlar.create("user", Map.of("login", "abc", "tags", List.of("a", "b", "c"))), "tags",
                "at most 2 elements, it has 3");

        assertThat(storedLogins()).containsExactly("stored");
    }

    @Test
    void valuesAtTheBoundsAndNullsAreStoredAndLengthsCountCodePoints() {
        Map<String, Object> atBounds = new java.util.HashMap<>(Map.of("login", "abc", "age", 150,
                "rating", new BigDecimal("0.50"), "tags", List.of("a", "b")));
        atBounds.put("display_name", null);

        ashlar.create("user", atBounds);
        ashlar.create("user", Map.of("login", "b".repeat(32), "age", 0));
        // One emoji is two UTF-16 units but one character, as PostgreSQL's char_length counts it.
        ashlar.create("user", Map.of("login", "emoji", "display_name", "\uD83D\uDE00"));

        assertThat(db.value("SELECT count(*) FROM users")).isEqualTo(4L);
        assertThat(db.value("SELECT char_length(display_name) FROM users WHERE display_name IS NOT NULL"))
                .isEqualTo(1);
    }

    @Test
    void anUpdateAndAnUpdateByFilterBreakingAConstraintChangeNothing() {
        Row stored = ashlar.read("user").list().get(0);

        assertRefused(() -> ashlar.update(stored, Map.of("age", 200)), "age", "at most 150");
        assertRefused(() -> ashlar.read("user").where(eq("login", "stored")).updateAll(Map.of("login", "x")),
                "login", "at least 3");

        assertThat(db.value("SELECT age FROM users")).isEqualTo(40);
        assertThat(storedLogins()).containsExactly("stored");
        assertThat(ashlar.update(stored, Map.of("age", 41)).get("age")).isEqualTo(41);
    }

    @Test
    void anAtomicChangeIsNotAValueTheConstraintsSee() {
        Row stored = ashlar.read("user").list().get(0);

        // An amount of -1 is no age: the constraint is on values given, and an atomic amount is none of them.
        Row older = ashlar.update(stored, Map.of("age", Atomic.add(-1)));

        assertThat(older.get("age")).isEqualTo(39);
    }

    @Test
    void aBulkCreateCollectingErrorsRefusesOnlyTheRecordThatBreaksAConstraint() {
        List<Map<String, Object>> records = List.of(Map.of("login", "first"), Map.of("login", "no"),
                Map.of("login", "third"));

        BulkResult result = ashlar.createAll("user", records, Bulk.collectErrors());

        assertThat(result.rows()).extracting(r -> r.get("login")).containsExactly("first", "third");
        assertThat(result.errors()).singleElement().satisfies(failure -> {
            assertThat(failure.index()).isEqualTo(1);
            assertThat(onlyError(failure.error()).field()).isEqualTo("login");
        });
        assertThatThrownBy(() -> ashlar.createAll("user", List.of(Map.of("login", "fourth"), Map.of("login", "x"))))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("record 2 of 2");
        assertThat(storedLogins()).containsExactly("stored", "first", "third");
    }

    @Test
    void anUpsertBreakingAConstraintLeavesTheStoredRecordAsItWas() {
        assertRefused(() -> ashlar.upsert("user", Map.of("login", "stored", "age", -5), Upsert.on("unique_login")),
                "age", "at least 0");

        assertThat(db.value("SELECT age FROM users WHERE login = 'stored'")).isEqualTo(40);
        assertThat(ashlar.upsert("user", Map.of("login", "stored", "age", 50), Upsert.on("unique_login"))
                .get("age")).isEqualTo(50);
    }

    @Test
    void theTypedApiKeepsTheConstraintsOfItsFields() {
        assertRefused(() -> ashlar.create(Account.ACCOUNTS, new Account(null, "ab", 20)), "login", "at least 3");
        assertRefused(() -> ashlar.create(Account.ACCOUNTS, new Account(null, "abc", 200)), "age", "at most 150");

        Account created = ashlar.create(Account.ACCOUNTS, new Account(null, "abc", 20));

        assertThat(created.login()).isEqualTo("abc");
        assertThat(db.value("SELECT count(*) FROM typed_accounts")).isEqualTo(1L);
    }

    @Test
    void aFilterValueIsNoWrittenValueAndIsNotRefused() {
        assertThat(ashlar.read("user").where(eq("login", "x")).list()).isEmpty();
        assertThat(ashlar.read("user").where(eq("age", -1)).list()).isEmpty();
    }

    @Test
    void constraintsTheTypeCannotHaveAreRefusedWhenTheResourceIsBuiltNamingIt() {
        assertThatThrownBy(() -> Resource.builder("post").integerPrimaryKey("id")
                .attribute("score", INTEGER, a -> a.minLength(1)).build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("post")
                .hasMessageContaining("'score' of type").hasMessageContaining("min and max for numbers");
        assertThatThrownBy(() -> Resource.builder("post").integerPrimaryKey("id")
                .attribute("title", TEXT, a -> a.min(1)).build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("cannot have a min or a max");
        assertThatThrownBy(() -> Resource.builder("post").integerPrimaryKey("id")
                .attribute("title", TEXT, a -> a.minLength(5).maxLength(2)).build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("minimum above its maximum");
        assertThatThrownBy(() -> Resource.builder("post").integerPrimaryKey("id")
                .attribute("title", TEXT, a -> a.match("[a-")).build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("post")
                .hasMessageContaining("'title' is no regular expression");
        assertThatThrownBy(() -> Resource.builder("post").integerPrimaryKey("id")
                .attribute("title", TEXT, a -> a.maxLength(-1)).build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("must be 0 or more");
    }

    @Test
    void aDoubleThatIsNaNOrInfiniteIsRefusedByItsBoundsNamingTheFieldRatherThanFailingOnIt() {
        assertRefused(() -> ashlar.create("user", Map.of("login", "abc", "score", Double.NaN)), "score",
                "it is NaN");
        assertRefused(() -> ashlar.create("user", Map.of("login", "abc", "score", Double.POSITIVE_INFINITY)),
                "score", "at most 10, it is Infinity");
        assertRefused(() -> ashlar.create("user", Map.of("login", "abc", "score", Double.NEGATIVE_INFINITY)),
                "score", "at least 0, it is -Infinity");
        ashlar.create("user", Map.of("login", "abcd", "score", 10.0));

        assertThat(storedLogins()).containsExactly("stored", "abcd");
    }

    @Test
    void aBoundOrPatternThatIsNullOrNotFiniteIsRefusedWhenTheResourceIsBuiltNamingIt() {
        assertThatThrownBy(() -> Resource.builder("post").integerPrimaryKey("id")
                .attribute("score", DOUBLE, a -> a.min(Double.NaN)).build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("post")
                .hasMessageContaining("min of 'score' must be a finite number");
        assertThatThrownBy(() -> Resource.builder("post").integerPrimaryKey("id")
                .attribute("score", DOUBLE, a -> a.max(null)).build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("max of 'score' must be a finite number");
        assertThatThrownBy(() -> Resource.builder("post").integerPrimaryKey("id")
                .attribute("title", TEXT, a -> a.match(null)).build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("post")
                .hasMessageContaining("The pattern of 'title' is null");
    }

    @Test
    void aCharacterGivenForATextAttributeIsHeldToItsLengthAndPattern() {
        assertRefused(() -> ashlar.create("user", Map.of("login", 'a')), "login", "at least 3 characters, it has 1");
        assertRefused(() -> ashlar.createAll("user", List.of(Map.of("login", "abc"), Map.of("login", 'b'))), "login",
                "at least 3 characters, it has 1");

        assertThat(storedLogins()).containsExactly("stored");
    }

    @Test
    void aTextThatWouldMakeABacktrackingPatternRunForYearsIsRefusedInAMomentNamingTheField() {
        // The back-reference defeats the matcher's memo: it tries every split of the a's before it gives up.
        String hostile = "a".repeat(40) + "!";

        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertRefused(
                () -> ashlar.create("user", Map.of("login", "abc", "nickname", hostile)), "nickname",
                "could not be checked against the pattern ^((a+)\\2?)+$"));
        ashlar.create("user", Map.of("login", "abcd", "nickname", "a".repeat(40)));

        assertThat(storedLogins()).containsExactly("stored", "abcd");
    }

    @Test
    void aValueOfTheWrongKindIsRefusedForItsKindNotMeasuredByAConstraint() {
        assertRefused(() -> ashlar.create("user", Map.of("login", List.of("a"))), "login", "must be text");
        assertRefused(() -> ashlar.create("user", Map.of("login", "abc", "tags", "abc")), "tags", "must be a list");

        assertThat(storedLogins()).containsExactly("stored");
    }
}
