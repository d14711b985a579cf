package dev.ashlar.kernel.data;

import dev.ashlar.kernel.plugin.TestPlugins;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.spi.plugin.DatabaseError;
import dev.ashlar.spi.plugin.QueryContext;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ErrorsTest extends BlogDatabaseTest {

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE posts, authors, scalar_sample RESTART IDENTITY");
    }

    private static InvalidDataException invalid(ThrowingCallable action) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(action);
        assertThat(thrown).isInstanceOf(InvalidDataException.class);
        return (InvalidDataException) thrown;
    }

    @Test
    void aTakenIdentityBecomesAFieldErrorSayingSo() {
        ashlar.create("author", Map.of("email", "ann@example.com"));

        InvalidDataException e = invalid(() -> ashlar.create("author", Map.of("email", "ann@example.com")));

        assertThat(e.errors()).containsExactly(new FieldError("email", "has already been taken"));
        assertThat(e.getMessage()).contains("email has already been taken");
        assertThat(e.sqlState()).contains("23505");
        assertThat(e.resource()).contains("author");
        assertThat(e.action()).isEqualTo("create");
        assertThat(db.value("SELECT count(*) FROM authors")).isEqualTo(1L);
    }

    @Test
    void aValueTooLongForItsIdentitysIndexIsAFieldErrorNamingTheFieldAndTheFix() {
        java.util.Random random = new java.util.Random(7);
        for (int length : new int[]{3_000, 20_000}) {   // past a btree entry's 2,704 bytes; past any entry's 8,191
            StringBuilder handle = new StringBuilder();
            random.ints(length, 'a', 'z' + 1).forEach(c -> handle.append((char) c));

            InvalidDataException e = invalid(() -> ashlar.create("author", Map.of("email", "long@example.com",
                    "handle", handle.toString())));

            assertThat(e.errors()).singleElement().satisfies(error -> {
                assertThat(error.field()).isEqualTo("handle");
                assertThat(error.message()).startsWith("is too long for the index of identity unique_handle")
                        .contains("varchar(n)").contains("md5(");
            });
            assertThat(e.sqlState()).contains("54000");
        }
        assertThat(db.value("SELECT count(*) FROM authors")).isEqualTo(0L);
    }

    @Test
    void aTakenIdentityWithItsOwnMessageUsesIt() {
        ashlar.create("author", Map.of("email", "a@example.com", "handle", "ann"));

        InvalidDataException e = invalid(() -> ashlar.create("author", Map.of("email", "b@example.com", "handle", "ann")));

        assertThat(e.errors()).containsExactly(new FieldError("handle", "is taken by someone else"));
    }

    @Test
    void aBulkCreateTakingAStoredIdentityNamesTheRecordThatTookIt() {
        ashlar.create("author", Map.of("email", "ann@example.com"));

        InvalidDataException e = invalid(() -> ashlar.createAll("author", List.of(Map.of("email", "bob@example.com"),
                Map.of("email", "ann@example.com"), Map.of("email", "cy@example.com"))));

        assertThat(e.errors()).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("email");
            assertThat(error.message()).isEqualTo("has already been taken (record 2 of 3)");
        });
        assertThat(db.value("SELECT count(*) FROM authors")).isEqualTo(1L);
    }

    @Test
    void aBulkCreateRepeatingAnIdentityNamesEveryRecordThatRepeatsIt() {
        InvalidDataException e = invalid(() -> ashlar.createAll("author", List.of(Map.of("email", "x@example.com"),
                Map.of("email", "y@example.com"), Map.of("email", "x@example.com", "handle", "x"))));

        assertThat(e.errors()).singleElement().satisfies(error -> assertThat(error.message())
                .isEqualTo("has already been taken (records 1 and 3 of 3, which repeat the key)"));
        assertThat(db.value("SELECT count(*) FROM authors")).isEqualTo(0L);
    }

    @Test
    void aMissingRequiredFieldSaysItIsRequired() {
        InvalidDataException e = invalid(() -> ashlar.create("post", Map.of("body", "no title")));

        assertThat(e.errors()).containsExactly(new FieldError("title", "is required"));
        assertThat(e.sqlState()).contains("23502");
    }

    @Test
    void aBulkCreateWithoutARequiredValueNamesTheRecordsThatGaveNoneAndWritesNothing() {
        Map<String, Object> nullStatus = new java.util.HashMap<>(Map.of("title", "c"));
        nullStatus.put("status", null);

        InvalidDataException untitled = invalid(() -> ashlar.createAll("post", List.of(Map.of("title", "a"),
                Map.of("body", "no title"), Map.of("title", "b"), Map.of("body", "none either"))));
        InvalidDataException unset = invalid(() -> ashlar.createAll("post", List.of(Map.of("title", "a"),
                nullStatus, Map.of("title", "b"))));

        assertThat(untitled.errors()).containsExactly(new FieldError("title", "is required (records 2 and 4 of 4)"));
        assertThat(unset.errors()).containsExactly(new FieldError("status", "is required (record 2 of 3)"));
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(0L);
    }

    @Test
    void aValueThatDoesNotFitItsTypeNamesTheFieldAndType() {
        assertThat(invalid(() -> ashlar.create("post", Map.of("title", "x".repeat(21)))).errors().get(0))
                .satisfies(error -> assertThat(error.field()).isEqualTo("title"))
                .satisfies(error -> assertThat(error.message()).contains("varchar(20)"));
        assertThat(invalid(() -> ashlar.create("post", Map.of("title", "t", "rating", 3_000_000_000L))).errors())
                .singleElement().hasToString("rating is out of range for integer (-2147483648 to 2147483647), "
                        + "got 3000000000; make the attribute BIGINT");
        assertThat(invalid(() -> ashlar.create("scalar_sample", Map.of("u", "not-a-uuid"))).errors())
                .singleElement().hasToString("u is not a valid uuid: 'not-a-uuid'");
        assertThat(invalid(() -> ashlar.create("scalar_sample", Map.of("amount", 1e9))).errors())
                .singleElement().hasToString("amount is out of range for numeric(10,2), which holds at most 8 digits "
                        + "before the decimal point, got 1.0E9: give the attribute a larger precision");
        assertThat(invalid(() -> ashlar.create("scalar_sample", Map.of("f", 1e300))).errors())
                .singleElement().asString().startsWith("f is out of range for real");
        assertThat(invalid(() -> ashlar.create("scalar_sample", Map.of("d", new java.math.BigDecimal("1e400"))))
                .errors()).singleElement().asString().startsWith("d is out of range for double precision");
        for (String huge : List.of("1e131072", "1e-16384", "-1e200000")) {
            assertThat(invalid(() -> ashlar.createAll("scalar_sample", List.of(Map.of("big",
                    new java.math.BigDecimal(huge)), Map.of("big", java.math.BigDecimal.ONE)))).errors())
                    .singleElement().asString().startsWith("big is out of range for numeric: PostgreSQL holds at most");
        }
        assertThat(ashlar.create("scalar_sample", Map.of("big", new java.math.BigDecimal("1e131071"))).getBigDecimal(
                "big")).isEqualByComparingTo("1e131071");
        assertThat(invalid(() -> ashlar.create("post", Map.of("title", "t", "status", "LOST"))).errors().get(0)
                .message()).contains("[DRAFT, PUBLISHED, ARCHIVED]");
        assertThat(invalid(() -> ashlar.create("scalar_sample", Map.of("doc", "{oops"))).errors().get(0).message())
                .contains("not valid JSON");
        for (String json : List.of("{\"a\": [1, }", "\"bad \\q escape\"", "[\"deep \\q\"]", "tru")) {
            assertThat(invalid(() -> ashlar.create("scalar_sample", Map.of("doc", json))).errors().get(0).message())
                    .as(json).contains("not valid JSON");
        }
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(0L);
    }

    @Test
    void aNullArgumentIsRefusedNamingWhatIsMissing() {
        List<Map<String, Object>> withGap = new java.util.ArrayList<>();
        withGap.add(Map.of("title", "ok"));
        withGap.add(null);

        assertThatThrownBy(() -> ashlar.create("post", null)).isInstanceOf(QueryException.class)
                .hasMessageContaining("create of post was given null for the values of the record");
        assertThatThrownBy(() -> ashlar.createAll("post", withGap)).isInstanceOf(QueryException.class)
                .hasMessageContaining("record 2 of 2");
        assertThatThrownBy(() -> ashlar.upsert("post", List.of(Map.of("title", "ok")), null))
                .isInstanceOf(QueryException.class).hasMessageContaining("how to upsert");
        assertThatThrownBy(() -> ashlar.read("post").where(Filter.eq("title", "a")).where(null).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("A condition on post is null");
        assertThatThrownBy(() -> Filter.in("title", java.util.Arrays.asList("a", null)))
                .isInstanceOf(QueryException.class).hasMessageContaining("isNil(\"title\")");
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(0L);
    }

    @Test
    void aNullFilterInsideAndOrANullOfAReadsArgumentsIsRefusedNamingItInsteadOfANullPointer() {
        ashlar.create("post", Map.of("title", "kept"));
        Map<String, ThrowingCallable> calls = new java.util.LinkedHashMap<>();
        calls.put("filter 2 of 2", () -> ashlar.read("post").where(Filter.and(Filter.eq("title", "a"), null)).list());
        calls.put("Filter.or was given null for filter 1", () -> Filter.or(null, Filter.eq("title", "a")));
        calls.put("Filter.and was given null for its filters", () -> Filter.and((Filter[]) null));
        calls.put("sorts", () -> ashlar.read("post").sort((Sort[]) null).list());
        calls.put("fields", () -> ashlar.read("post").select((String[]) null).list());
        calls.put("cursor", () -> ashlar.read("post").sort(Sort.asc("id")).after((Object[]) null).list());
        calls.put("relationship, aggregate or calculation", () -> ashlar.read("post").load((String) null).list());
        calls.put("changes", () -> ashlar.read("post").updateAll(null));
        calls.put("row", () -> ashlar.read("post").sort(Sort.asc("id")).cursor(null));
        calls.put("a selected field; leave it out or give one", () -> ashlar.read("post").select("title", null).list());

        calls.forEach((message, call) -> assertThatThrownBy(call).as(message)
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_QUERY))
                .hasMessageContaining(message).hasMessageContaining("null"));
        assertThat(ashlar.read("post").list()).extracting(row -> row.getString("title")).containsExactly("kept");
    }

    @Test
    void aNegativeLimitOrOffsetAndAnEmptyLoadLimitAreRefused() {
        assertThatThrownBy(() -> ashlar.read("post").limit(-1).list()).isInstanceOf(QueryException.class)
                .hasMessageContaining("negative limit (-1)");
        assertThatThrownBy(() -> ashlar.read("post").offset(-5).list()).isInstanceOf(QueryException.class)
                .hasMessageContaining("negative offset (-5)");
        assertThatThrownBy(() -> dev.ashlar.kernel.data.Load.of("comments").limit(0))
                .isInstanceOf(QueryException.class).hasMessageContaining("give 1 or more");
        assertThat(ashlar.read("post").limit(0).list()).isEmpty();
    }

    @Test
    void aBulkCreateSaysWhichRecordHoldsTheBadValue() {
        InvalidDataException e = invalid(() -> ashlar.createAll("post",
                List.of(Map.of("title", "ok"), Map.of("title", "ok", "rating", "five"))));

        assertThat(e.errors().get(0).message()).contains("record 2 of 2");
    }

    @Test
    void aBulkCreateChecksEachJsonTextByGrammarAndStillNamesTheRecordWithTheBadText() {
        List<List<String>> bad = List.of(
                List.of("{\"a\": 1}", "[1, 2]", "{oops", "true"),
                // Each text alone is not one JSON value, though together they read as one array of three.
                List.of("1, 2", "\"x", "y\""),
                List.of("{\"a\": [1, 2]}", "{\"b\": 1}]", "[{\"c\": 2}"),
                List.of("1", "2 3"));
        for (List<String> texts : bad) {
            List<Map<String, Object>> records = texts.stream().map(text -> Map.<String, Object>of("doc", text)).toList();

            InvalidDataException e = invalid(() -> ashlar.createAll("scalar_sample", records));

            assertThat(e.errors()).as(texts.toString()).singleElement().satisfies(error -> assertThat(error.message())
                    .contains("not valid JSON").contains("of " + texts.size() + ")"));
        }
        assertThat(invalid(() -> ashlar.createAll("scalar_sample", List.of(Map.of("doc", "{}"), Map.of("doc", "[1]"),
                Map.of("doc", "{oops")))).errors().get(0).message()).contains("record 3 of 3");
        assertThat(db.value("SELECT count(*) FROM scalar_sample")).isEqualTo(0L);

        List<Map<String, Object>> good = List.of(Map.of("doc", " {\"a\": [1, {\"b\": \"x,y]\"}]} "),
                Map.of("doc", "\"text\""), Map.of("doc", "-1.5"), Map.of("doc", Map.of("k", List.of(1, 2))));
        assertThat(ashlar.createAll("scalar_sample", good)).hasSize(4);
        assertThat(db.query("SELECT doc::text AS doc FROM scalar_sample").stream().map(r -> r.get("doc")))
                .containsExactlyInAnyOrder("{\"a\": [1, {\"b\": \"x,y]\"}]}", "\"text\"", "-1.5", "{\"k\": [1, 2]}");
    }

    @Test
    void anUnknownFieldIsAnInvalidQueryListingTheValidOnes() {
        assertThatThrownBy(() -> ashlar.create("post", Map.of("titel", "typo")))
                .isInstanceOfSatisfying(AshlarException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_QUERY);
                    assertThat(e.field()).contains("titel");
                })
                .hasMessageContaining("'post'").hasMessageContaining("[id, title, body");
        assertThatThrownBy(() -> ashlar.read("post").where(Filter.eq("nope", 1)).list())
                .isInstanceOfSatisfying(AshlarException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_QUERY))
                .hasMessageContaining("'nope'");
        assertThatThrownBy(() -> ashlar.read("ghost").list())
                .isInstanceOfSatisfying(AshlarException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_QUERY);
                    assertThat(e.resource()).contains("ghost");
                })
                .hasMessageContaining("has no resource 'ghost'; it has [").hasMessageContaining("add the resource to "
                        + "the domain the Ashlar was built with");
    }

    @Test
    void getWithANullKeyOrAMapOfNeitherTheKeyNorAnIdentityNamesWhatItTakes() {
        ashlar.create("author", Map.of("email", "ada@example.com"));

        assertThatThrownBy(() -> ashlar.get("author", null)).isInstanceOf(QueryException.class)
                .hasMessageContaining("get of author was given null for the key");
        assertThatThrownBy(() -> ashlar.get("author", Map.of("emial", "ada@example.com")))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.resource()).contains("author"))
                .hasMessageContaining("a key of the fields [emial], which are neither its primary key [id] nor one of "
                        + "its identities [unique_email [email], unique_handle [handle]]");
        assertThat(ashlar.get("author", Map.of("email", "ada@example.com")).getString("email"))
                .isEqualTo("ada@example.com");
    }

    @Test
    void aStoredValueThatSqlOfTheReadCannotConvertFailsTheReadKeepingTheStateNotAsAFieldOfARecord() {
        ashlar.create("post", Map.of("title", "not a number"));
        ashlar.create("scalar_sample", Map.of("doc", Map.of("visits", "many")));
        List<ThrowingCallable> reads = List.of(
                () -> ashlar.read("post").where(Filter.sql("title::int > 0")).list(),
                () -> ashlar.read("post").compute("n", Long.class, "posts.title::bigint").list(),
                () -> ashlar.read("post").where(Filter.sql("title::int > ?", 0)).count(),
                () -> ashlar.read("scalar_sample").where(Filter.gt("doc.visits", 10)).exists());

        for (ThrowingCallable read : reads) {
            assertThatThrownBy(read).isInstanceOfSatisfying(AshlarException.class, e -> {
                assertThat(e).isNotInstanceOf(InvalidDataException.class);
                assertThat(e.code()).isEqualTo(ErrorCode.DATABASE);
                assertThat(e.sqlState()).contains("22P02");
                assertThat(e.field()).isEmpty();
            }).hasMessageContaining("invalid input syntax for type").hasMessageContaining("A stored value does not "
                    + "convert as SQL of the read's own asks");
        }
        assertThatThrownBy(() -> ashlar.read("post").updateAll(Map.of("rating",
                dev.ashlar.api.query.Atomic.sql("title::int")))).isInstanceOf(InvalidDataException.class);
    }

    @Test
    void aTextMatchOnAFieldThatIsNotTextNamesTheFieldItsTypeAndWhatToUseInstead() {
        for (Filter match : List.of(Filter.startsWith("rating", "1"), Filter.like("rating", "1%"),
                Filter.endsWith("rating", "9"), Filter.eqIgnoreCase("rating", "9"))) {
            assertThatThrownBy(() -> ashlar.read("post").where(match).list())
                    .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).contains("rating"))
                    .hasMessageContaining("endsWith and the IgnoreCase filters need a text attribute, and rating is "
                            + "integer: compare it with eq, in or a range");
        }
    }

    @Test
    void aFilterValueOfTheWrongTypeIsAnInvalidQuery() {
        assertThatThrownBy(() -> ashlar.read("post").where(Filter.eq("rating", "high")).list())
                .isInstanceOfSatisfying(AshlarException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_QUERY);
                    assertThat(e.field()).contains("rating");
                });
    }

    @Test
    void aViolatedCheckIsInvalidDataNamingTheConstraint() {
        db.execute("ALTER TABLE authors ADD CONSTRAINT authors_age_check CHECK (age >= 0)");
        try {
            InvalidDataException e = invalid(() -> ashlar.create("author", Map.of("email", "x@y.z", "age", -1)));

            assertThat(e.sqlState()).contains("23514");
            assertThat(e.errors().get(0).message()).contains("authors_age_check");
        } finally {
            db.execute("ALTER TABLE authors DROP CONSTRAINT authors_age_check");
        }
    }

    @Test
    void aDateOrTimePostgresqlCannotHoldIsAFieldErrorNamingTheAttributeAndTheRange() {
        Map<String, List<Object>> outside = Map.of(
                "day", List.of(java.time.LocalDate.MAX, java.time.LocalDate.MIN, java.time.LocalDate.of(-4713, 12, 31),
                        java.time.LocalDate.of(5_874_898, 1, 1)),
                "ts", List.of(java.time.LocalDateTime.MAX, java.time.LocalDateTime.of(294_277, 1, 1, 0, 0)),
                "tstz", List.of(java.time.Instant.MAX, java.time.Instant.MIN,
                        java.time.Instant.parse("+294277-01-01T00:00:00Z"),
                        java.time.OffsetDateTime.parse("+294276-12-31T23:00:00-05:00"),
                        java.time.Instant.parse("-4713-12-31T23:59:59Z")));

        outside.forEach((field, values) -> values.forEach(value -> {
            for (ThrowingCallable write : List.<ThrowingCallable>of(
                    () -> ashlar.create("scalar_sample", Map.of(field, value)),
                    () -> ashlar.createAll("scalar_sample", List.of(Map.of(field, value), Map.of(field, value))),
                    () -> ashlar.create("array_sample", Map.of(field + "_list", List.of(value))))) {
                FieldError error = invalid(write).errors().get(0);
                assertThat(error.field()).as(value.toString()).startsWith(field);
                assertThat(error.message()).as(value.toString()).contains("is out of range for")
                        .contains("4713-01-01").contains(" BC to ");
            }
        }));
        assertThat(db.value("SELECT count(*) FROM scalar_sample")).isEqualTo(0L);
    }

    @Test
    void aDestroyOfARowStillReferencedByAForeignKeySaysItIsStillReferenced() {
        db.execute("ALTER TABLE posts ADD CONSTRAINT posts_author_fk FOREIGN KEY (author_id) REFERENCES authors(id)");
        try {
            dev.ashlar.api.data.Row author = ashlar.create("author", Map.of("email", "ann@example.com"));
            ashlar.create("post", Map.of("title", "t", "author_id", author.getLong("id")));

            InvalidDataException e = invalid(() -> ashlar.destroy(author));

            assertThat(e.errors()).singleElement().satisfies(error -> {
                assertThat(error.field()).isEqualTo("id");
                assertThat(error.message()).startsWith("is still referenced").contains("\"posts\"");
                assertThat(error.constraint()).isEqualTo("posts_author_fk");
            });
            assertThat(invalid(() -> ashlar.create("post", Map.of("title", "t", "author_id", 99L))).errors())
                    .singleElement().satisfies(error -> assertThat(error.message()).startsWith("does not exist"));
            assertThat(invalid(() -> ashlar.createAll("post", List.of(Map.of("title", "t", "author_id",
                    author.getLong("id")), Map.of("title", "u", "author_id", 99L)))).errors())
                    .singleElement().satisfies(error -> assertThat(error.message()).startsWith("does not exist")
                            .endsWith("(record 2 of 2)"));
            assertThat(db.value("SELECT count(*) FROM authors")).isEqualTo(1L);
        } finally {
            db.execute("ALTER TABLE posts DROP CONSTRAINT posts_author_fk");
        }
    }

    @Test
    void aViolatedExclusionConstraintIsInvalidDataNamingTheFieldAndTheConstraint() {
        db.execute("ALTER TABLE posts ADD CONSTRAINT posts_one_per_rating EXCLUDE (rating WITH =)");
        try {
            ashlar.create("post", Map.of("title", "a", "rating", 1));

            InvalidDataException e = invalid(() -> ashlar.create("post", Map.of("title", "b", "rating", 1)));

            assertThat(e.sqlState()).contains("23P01");
            assertThat(e.errors()).singleElement().satisfies(error -> {
                assertThat(error.field()).isEqualTo("rating");
                assertThat(error.message()).contains("conflicts with another record")
                        .contains("posts_one_per_rating");
                assertThat(error.constraint()).isEqualTo("posts_one_per_rating");
            });
            assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(1L);
        } finally {
            db.execute("ALTER TABLE posts DROP CONSTRAINT posts_one_per_rating");
        }
    }

    @Test
    void anUnmappedDatabaseErrorKeepsItsSqlStateAndCause() {
        Domain ghostly = Domain.builder("ghostly").resource(Resource.builder("ghost").table("no_such_table")
                .integerPrimaryKey("id").attribute("name", TEXT).build()).build();
        try (Ashlar ghosts = Ashlar.builder().dataSource(db.dataSource()).domain(ghostly).build()) {
            assertThatThrownBy(() -> ghosts.read("ghost").list())
                    .isInstanceOfSatisfying(AshlarException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.DATABASE);
                        assertThat(e.sqlState()).contains("42P01");
                        assertThat(e.getCause()).isInstanceOf(SQLException.class);
                    });
        }
    }

    @Test
    void aRoleWithoutThePrivilegeIsRefusedNamingTheTableAndTheGrantThatFixesIt() {
        db.execute("DO $$ BEGIN CREATE ROLE errors_test_reader LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;"
                + "GRANT SELECT ON posts TO errors_test_reader");
        String url = db.jdbcUrl().replaceFirst("\\?.*", "");
        try (Ashlar reader = Ashlar.builder().jdbcUrl(url, "errors_test_reader", "").domain(Fixtures.BLOG).build()) {
            assertThat(reader.read("post").list()).isEmpty();
            assertThatThrownBy(() -> reader.create("post", Map.of("title", "t")))
                    .isInstanceOfSatisfying(AshlarException.class, e -> {
                        assertThat(e.sqlState()).contains("42501");
                        assertThat(e.resource()).contains("post");
                    })
                    .hasMessageStartingWith("Cannot create post on data source 'primary': permission denied for "
                            + "table posts. The role it connects as lacks the privilege")
                    .hasMessageContaining("GRANT SELECT, INSERT, UPDATE, DELETE ON \"posts\" TO that role");
        } finally {
            db.execute("DROP OWNED BY errors_test_reader; DROP ROLE errors_test_reader");
        }
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(0L);
    }

    @Test
    void aRoleWithoutUsageOnTheSchemaOrTheKeysSequenceIsToldThatGrantNotATableGrant() {
        db.execute("DROP SCHEMA IF EXISTS shop CASCADE; CREATE SCHEMA shop; "
                + "CREATE TABLE shop.items (id serial PRIMARY KEY, name text); "
                + "DO $$ BEGIN CREATE ROLE errors_test_clerk LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;"
                + "GRANT SELECT, INSERT, UPDATE, DELETE ON shop.items TO errors_test_clerk");
        Domain shop = Domain.builder("shop").resource(Resource.builder("item").schema("shop").table("items")
                .integerPrimaryKey("id").attribute("name", TEXT).build()).build();
        String url = db.jdbcUrl().replaceFirst("\\?.*", "");
        try (Ashlar clerk = Ashlar.builder().jdbcUrl(url, "errors_test_clerk", "").domain(shop).build()) {
            assertThatThrownBy(() -> clerk.read("item").list())
                    .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.sqlState()).contains("42501"))
                    .hasMessageStartingWith("Cannot read item on data source 'primary': permission denied for schema "
                            + "shop.").hasMessageContaining("GRANT USAGE ON SCHEMA \"shop\" TO that role")
                    .hasMessageNotContaining("GRANT SELECT");

            db.execute("GRANT USAGE ON SCHEMA shop TO errors_test_clerk");
            assertThatThrownBy(() -> clerk.create("item", Map.of("name", "pen")))
                    .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.sqlState()).contains("42501"))
                    .hasMessageStartingWith("Cannot create item on data source 'primary': permission denied for "
                            + "sequence items_id_seq.")
                    .hasMessageContaining("GRANT USAGE ON SEQUENCE \"shop\".\"items_id_seq\" TO that role");
        } finally {
            db.execute("DROP OWNED BY errors_test_clerk; DROP ROLE errors_test_clerk; DROP SCHEMA shop CASCADE");
        }
    }

    @Test
    void pluginErrorMappersAnswerBeforeTheKernel() {
        AshlarPlugin friendly = new TestPlugins.Mapper() {
            @Override
            public String id() {
                return "friendly-errors";
            }

            @Override
            public Optional<AshlarException> mapError(DatabaseError error, QueryContext context) {
                return DatabaseError.UNIQUE_VIOLATION.equals(error.sqlState())
                        ? Optional.of(new InvalidDataException(context.resource().name(), context.action().toString(),
                        List.of(new FieldError("email", "belongs to another account")), error.sqlState(), null))
                        : Optional.empty();
            }
        };
        ashlar.create("author", Map.of("email", "ann@example.com"));
        try (Ashlar withPlugin = Fixtures.ashlar(db, Fixtures.BLOG, friendly)) {
            InvalidDataException e = invalid(() -> withPlugin.create("author", Map.of("email", "ann@example.com")));

            assertThat(e.errors()).containsExactly(new FieldError("email", "belongs to another account"));
        }
    }
}
