package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Values a caller can hand the data layer that PostgreSQL would refuse with a bare error, or that would be stored
 * changed: each is refused before anything is sent, naming the field (or the path, or the call) and the fix.
 */
class HostileValuesTest extends BlogDatabaseTest {
    private static final String NUL = "\u0000";

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE posts, authors, scalar_sample RESTART IDENTITY");
    }

    private static FieldError fieldError(ThrowingCallable action) {
        Throwable thrown = catchThrowable(action);
        assertThat(thrown).isInstanceOf(InvalidDataException.class);
        assertThat(((InvalidDataException) thrown).errors()).hasSize(1);
        return ((InvalidDataException) thrown).errors().get(0);
    }

    @Test
    void textArraysWrittenInBulkKeepQuotesBackslashesCommasBracesControlsAndNullsAsGiven()
            throws java.sql.SQLException {
        db.execute("TRUNCATE array_sample");
        List<String> hostile = java.util.Arrays.asList("a\"b", "c\\d", "\\\"", "x,y", "{z}", "NULL", "", null, "plain",
                "\"\"\\\\", "tab\there", "line\nbreak\r", "\\.", " padded ");
        List<Map<String, Object>> records = List.of(Map.of("txt_list", hostile), Map.of("txt_list", List.of("\"")));

        ashlar.createAll("array_sample", records);

        List<List<Object>> stored = new java.util.ArrayList<>();
        for (Map<String, Object> row : db.query("SELECT txt_list FROM array_sample")) {
            stored.add(java.util.Arrays.asList((Object[]) ((java.sql.Array) row.get("txt_list")).getArray()));
        }
        assertThat(stored).containsExactlyInAnyOrder(
                java.util.Arrays.<Object>asList(hostile.toArray()), List.<Object>of("\""));
    }

    @Test
    void aTextPastWhatOnePostgresqlValueHoldsIsAFieldErrorAndTheNextWriteWorks() {
        String huge = "\u00e9".repeat(537_000_000);   // 1,074,000,000 bytes in UTF-8: past 1 GB

        FieldError error = fieldError(() -> ashlar.create("scalar_sample", Map.of("txt", huge)));

        assertThat(error.field()).isEqualTo("txt");
        assertThat(error.message()).contains("at most 1 GB").contains("1074000000 bytes");
        assertThat(ashlar.create("scalar_sample", Map.of("txt", "after")).getString("txt")).isEqualTo("after");
        assertThat(db.value("SELECT string_agg(txt, ',') FROM scalar_sample")).isEqualTo("after");
    }

    @Test
    void jsonWrittenInBulkIsStoredAsTheSameJsonWrittenAloneWithQuotesBackslashesEscapesAndNulls() {
        List<String> hostile = List.of("{\"q\": \"a\\\"b\", \"bs\": \"c\\\\d\", \"tab\": \"\\t\\n\\r\"}",
                "\"\\\\.\\n\\\\.\"", "[\"{z}\", \"NULL\", null, \"x,y\", 2.50, 1e3]",
                "\"\\u00e9\\ud83d\\ude00 \u00e9\"", "{\t\"raw\":\n\"whitespace\"}", "null", "\"\"", "{}");
        List<Map<String, Object>> records = new ArrayList<>();
        hostile.forEach(doc -> records.add(Map.of("txt", "bulk", "doc", doc)));
        java.util.HashMap<String, Object> none = new java.util.HashMap<>();
        none.put("txt", "bulk");
        none.put("doc", null);
        records.add(none);

        List<Row> bulk = ashlar.createAll("scalar_sample", records);
        hostile.forEach(doc -> ashlar.create("scalar_sample", Map.of("txt", "alone", "doc", doc)));

        List<Object> stored = db.query("SELECT doc::text AS doc FROM scalar_sample WHERE txt = 'bulk' ORDER BY ctid")
                .stream().map(row -> row.get("doc")).toList();
        List<Object> alone = db.query("SELECT doc::text AS doc FROM scalar_sample WHERE txt = 'alone' ORDER BY ctid")
                .stream().map(row -> row.get("doc")).toList();
        assertThat(stored.subList(0, hostile.size())).isEqualTo(alone);
        assertThat(stored.get(hostile.size())).isNull();
        assertThat(stored.get(0)).isEqualTo("{\"q\": \"a\\\"b\", \"bs\": \"c\\\\d\", \"tab\": \"\\t\\n\\r\"}");
        assertThat(stored.get(2)).isEqualTo("[\"{z}\", \"NULL\", null, \"x,y\", 2.50, 1000]");
        assertThat(stored.get(5)).isEqualTo("null");
        assertThat(bulk).extracting(row -> (Object) row.getJson("doc")).isEqualTo(stored);
    }

    @Test
    void everyFieldOfARecordThatDoesNotFitIsRefusedAtOnceInEveryWrite() {
        Row stored = ashlar.create("scalar_sample", Map.of("txt", "kept"));
        Map<String, Object> bad = Map.of("txt", "a" + NUL, "short_text", "abcdef", "amount",
                new java.math.BigDecimal("1.234"), "u", "not-a-uuid");
        List<ThrowingCallable> writes = List.of(
                () -> ashlar.create("scalar_sample", bad),
                () -> ashlar.createAll("scalar_sample", List.of(Map.of("txt", "fine"), bad)),
                () -> ashlar.upsert("scalar_sample", List.of(Map.of("txt", "fine"), bad), Upsert.onPrimaryKey()),
                () -> ashlar.update(stored, bad),
                () -> ashlar.read("scalar_sample").updateAll(bad));

        for (ThrowingCallable write : writes) {
            Throwable thrown = catchThrowable(write);
            assertThat(thrown).isInstanceOf(InvalidDataException.class);
            assertThat(((InvalidDataException) thrown).errors()).extracting(FieldError::field)
                    .containsExactly("u", "txt", "short_text", "amount");
        }
        assertThat(db.value("SELECT string_agg(txt, ',') FROM scalar_sample")).isEqualTo("kept");
    }

    @Test
    void startsWithEndsWithAndEscapedPatternsMatchPercentUnderscoreAndBackslashAsWritten() {
        for (String title : List.of("50% off", "500 off", "a_b", "axb", "C:\\dir", "C:dir", "off 50%", "off 500")) {
            ashlar.create("post", Map.of("title", title));
        }

        assertThat(titles(Filter.startsWith("title", "50%"))).containsExactly("50% off");
        assertThat(titles(Filter.startsWith("title", "a_"))).containsExactly("a_b");
        assertThat(titles(Filter.startsWith("title", "C:\\"))).containsExactly("C:\\dir");
        assertThat(titles(Filter.endsWith("title", "50%"))).containsExactly("off 50%");
        assertThat(titles(Filter.ilike("title", "%" + Filter.escapeLike("A_B") + "%"))).containsExactly("a_b");
        assertThat(titles(Filter.like("title", "50\\%%"))).as("a pattern escapes with a backslash")
                .containsExactly("50% off");
        assertThat(Filter.escapeLike("100%_\\")).isEqualTo("100\\%\\_\\\\");
    }

    private List<String> titles(Filter filter) {
        return ashlar.read("post").where(filter).sort(Sort.asc("id")).list().stream()
                .map(row -> row.getString("title")).toList();
    }

    @Test
    void aNumericNaNOrInfinityStoredByPlainSqlIsRefusedWhenReadNamingTheAttribute() {
        Row sample = ashlar.create("scalar_sample", Map.of("txt", "x"));
        db.execute("UPDATE scalar_sample SET big = 'NaN'");

        assertThatThrownBy(() -> ashlar.get("scalar_sample", sample.get("id")))
                .isInstanceOfSatisfying(QueryException.class, e -> {
                    assertThat(e.resource()).hasValue("scalar_sample");
                    assertThat(e.field()).hasValue("big");
                })
                .hasMessageContaining("'NaN' of scalar_sample.big", "BigDecimal holds no NaN", "DOUBLE");
        db.execute("UPDATE scalar_sample SET big = NULL, amount = 'NaN'");
        assertThatThrownBy(() -> ashlar.read("scalar_sample").list()).isInstanceOf(QueryException.class)
                .hasMessageContaining("scalar_sample.amount");
        assertThatThrownBy(() -> ashlar.create("scalar_sample", Map.of("big", Double.NaN)))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("big must be a decimal number, got NaN",
                        "make the attribute DOUBLE");
        if (db.serverMajorVersion() >= 14) { // numeric holds no infinity before PostgreSQL 14
            db.execute("UPDATE scalar_sample SET amount = NULL, big = '-Infinity'");
            assertThatThrownBy(() -> ashlar.read("scalar_sample").list()).hasMessageContaining("'-Infinity' of "
                    + "scalar_sample.big");
        }
    }

    @Test
    void aDecimalWhoseExponentOverflowsAnIntIsRefusedInsteadOfStoredAsAnotherNumber() {
        java.math.BigDecimal vast = new java.math.BigDecimal(java.math.BigInteger.ONE, Integer.MIN_VALUE);
        java.math.BigDecimal alsoVast = new java.math.BigDecimal(java.math.BigInteger.TEN, Integer.MIN_VALUE + 1);

        for (String field : List.of("big", "amount", "i", "d")) {
            for (java.math.BigDecimal value : List.of(vast, alsoVast)) {
                assertThat(fieldError(() -> ashlar.create("scalar_sample", Map.of(field, value))).message())
                        .as(field + " " + value).contains("out of range");
            }
        }
        assertThatThrownBy(() -> ashlar.read("scalar_sample").where(Filter.eq("big", vast)).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("out of range for numeric");
        assertThat(db.value("SELECT count(*) FROM scalar_sample")).isEqualTo(0L);
    }

    @Test
    void aJsonNumberPastWhatJsonbsNumericHoldsIsAFieldErrorOnTheAttributeWhileALargeOneIsStored() {
        List<Map<String, Object>> refused = List.of(Map.of("doc", "{\"n\": 1e1000000}"),
                Map.of("doc", "[1, 2.5E-20000]"), Map.of("doc", "1e99999999999"),
                Map.of("doc", Map.of("n", new java.math.BigDecimal("1E+200000"))),
                Map.of("doc", "[1." + "0".repeat(20_000) + "]"), Map.of("doc", "[0e-20000]"),
                Map.of("doc", List.of(new BigDecimal("1." + "0".repeat(20_000)))));

        for (Map<String, Object> record : refused) {
            assertThat(fieldError(() -> ashlar.create("scalar_sample", record))).as(record.toString())
                    .satisfies(e -> assertThat(e.field()).isEqualTo("doc"))
                    .satisfies(e -> assertThat(e.message()).contains("number", "out of range for numeric"));
        }
        assertThat(fieldError(() -> ashlar.createAll("scalar_sample", List.of(Map.of("doc", "1"),
                Map.of("doc", "-1e-99999"))))).satisfies(e -> assertThat(e.field()).isEqualTo("doc"));
        assertThat(db.value("SELECT count(*) FROM scalar_sample")).isEqualTo(0L);

        ashlar.create("scalar_sample", Map.of("doc", "{\"n\": 1e1000, \"m\": 1E-0999, \"text\": \"9e99999\"}"));
        assertThat(db.value("SELECT length(doc ->> 'n') FROM scalar_sample")).isEqualTo(1001);
    }

    @Test
    void invalidJsonTextHoldingALongDigitRunInABulkWriteIsRefusedAsNotValidJsonNotAsNaN() {
        String digits = "1".repeat(1_000);

        for (String bad : List.of("[" + digits + ",]", "[\"" + digits)) {
            assertThat(fieldError(() -> ashlar.createAll("scalar_sample", List.of(Map.of("doc", "1"),
                    Map.of("doc", bad))))).as(bad.substring(0, 5))
                    .satisfies(e -> assertThat(e.field()).isEqualTo("doc"))
                    .satisfies(e -> assertThat(e.message()).contains("is not valid JSON").doesNotContain("NaN"));
        }
        assertThat(db.value("SELECT count(*) FROM scalar_sample")).isEqualTo(0L);
    }

    /** A record of the JSON attribute alone, read from a row. */
    record DocOnly(Map<String, Object> doc) {
    }

    @Test
    void jsonTextPastTheJsonReadersDefaultLimitsIsStoredAsJsonbTakesItWhileAJavaValueTooDeepNamesTheAttribute() {
        String longString = "{\"image\": \"" + "A".repeat(20_000_001) + "\"}";
        String deep = "[".repeat(1_500) + "]".repeat(1_500);
        List<Object> nested = new java.util.ArrayList<>();
        List<Object> innermost = nested;
        for (int i = 0; i < 1_500; i++) {
            List<Object> inner = new java.util.ArrayList<>();
            innermost.add(inner);
            innermost = inner;
        }
        Map<String, Object> holdsItself = new java.util.HashMap<>();
        holdsItself.put("self", holdsItself);

        ashlar.create("scalar_sample", Map.of("txt", "long", "doc", longString));
        ashlar.createAll("scalar_sample", List.of(Map.of("txt", "deep", "doc", deep), Map.of("txt", "plain",
                "doc", "{}")));
        for (Object tooDeep : List.of(nested, holdsItself)) {
            FieldError error = fieldError(() -> ashlar.create("scalar_sample", Map.of("doc", tooDeep)));
            assertThat(error.field()).isEqualTo("doc");
            assertThat(error.message()).contains("nest more than 1000 levels").contains("as JSON text");
        }

        assertThat(db.value("SELECT length(doc ->> 'image') FROM scalar_sample WHERE txt = 'long'"))
                .isEqualTo(20_000_001);
        Row longRow = ashlar.read("scalar_sample").list().stream().filter(row -> "long".equals(row.getString("txt")))
                .findFirst().orElseThrow();
        assertThat(JsonValues.tree(longRow, "doc").get("image").asText()).hasSize(20_000_001);
        assertThat((String) longRow.as(DocOnly.class).doc().get("image")).hasSize(20_000_001);
        assertThat(db.value("SELECT doc::text = ? FROM scalar_sample WHERE txt = 'deep'", deep)).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM scalar_sample")).isEqualTo(3L);
    }

    /** A record of the JSON attribute alone as Jackson's tree. */
    record DocTree(com.fasterxml.jackson.databind.JsonNode doc) {
    }

    @Test
    void jsonNestedDeeperThanAJsonNodeComponentReadsIsAQueryErrorNamingTheResourceTheFieldAndTheLimit() {
        ashlar.createAll("scalar_sample", List.of(
                Map.of("txt", "deep", "doc", "[".repeat(1_001) + "]".repeat(1_001)),
                Map.of("txt", "limit", "doc", "[".repeat(1_000) + "]".repeat(1_000))));
        Row deep = ashlar.read("scalar_sample").where(Filter.eq("txt", "deep")).first().orElseThrow();
        Row limit = ashlar.read("scalar_sample").where(Filter.eq("txt", "limit")).first().orElseThrow();

        assertThat(limit.as(DocTree.class).doc().isArray()).isTrue();
        assertThatThrownBy(() -> deep.as(DocTree.class)).isInstanceOf(QueryException.class)
                .hasMessageContaining("scalar_sample").hasMessageContaining("component 'doc'")
                .hasMessageContaining("nests deeper than 1000 levels").hasMessageContaining("as a String")
                .hasMessageNotContaining("[[[[");
    }

    @Test
    void jsonThatJsonbCannotStoreIsAFieldErrorOnTheAttributeAndNothingIsWritten() {
        assertThat(fieldError(() -> ashlar.create("scalar_sample", Map.of("doc", "{\"a\": \"x\\u0000\"}"))))
                .satisfies(e -> assertThat(e.field()).isEqualTo("doc"))
                .satisfies(e -> assertThat(e.message()).contains("NUL character", "jsonb cannot store", "remove it"));
        assertThat(fieldError(() -> ashlar.create("scalar_sample", Map.of("doc", Map.of("k" + NUL, 1))))
                .message()).contains("in the key 'k\\u0000'");
        assertThat(fieldError(() -> ashlar.create("scalar_sample", Map.of("doc", List.of("x" + NUL))))
                .message()).contains("NUL character");
        assertThat(fieldError(() -> ashlar.create("scalar_sample", Map.of("doc", Map.of("ratio", Double.NaN))))
                .message()).contains("NaN or Infinity", "finite number");
        assertThat(fieldError(() -> ashlar.createAll("scalar_sample", List.of(Map.of("doc", "{}"),
                Map.of("doc", Map.of("max", Double.POSITIVE_INFINITY))))).field()).isEqualTo("doc");
        assertThat(fieldError(() -> ashlar.create("scalar_sample", Map.of("doc", "{\"a\": 1} {\"b\": 2}")))
                .message()).contains("more than one value");
        for (String empty : List.of("", " \n")) {
            assertThat(fieldError(() -> ashlar.createAll("scalar_sample", List.of(Map.of("doc", empty)))))
                    .satisfies(e -> assertThat(e.field()).isEqualTo("doc"))
                    .satisfies(e -> assertThat(e.message()).contains("the text is empty", "give null for no value"));
        }

        assertThat(db.value("SELECT count(*) FROM scalar_sample")).isEqualTo(0L);
        assertThat(ashlar.create("scalar_sample", Map.of("doc", "{\"path\": \"C:\\\\\\\\u0000\"}")).getJson("doc"))
                .as("an escaped backslash before u0000 is text, not NUL").contains("u0000");
    }

    @Test
    void aJsonPathWithAKeyTextCannotHoldIsRefusedNamingThePath() {
        assertThatThrownBy(() -> ashlar.read("scalar_sample").where(Filter.eq("doc.a" + NUL + "b", "x")).list())
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).isPresent())
                .hasMessageContaining("The path 'doc.a\\u0000b' on scalar_sample has a key that contains a NUL");
        assertThatThrownBy(() -> ashlar.read("scalar_sample").sort(Sort.asc("doc.a\uD800")).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("lone UTF-16 surrogate");
    }

    @Test
    void aValueOfSqlWrittenByHandThatTextCannotHoldIsAQueryExceptionAndChangesNothing() {
        ashlar.create("post", Map.of("title", "kept"));

        assertThatThrownBy(() -> ashlar.read("post").where(Filter.sql("title = ?", "a" + NUL)).list())
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("Value 1 of sql(\"title = ?\", ...) on post contains a NUL character");
        assertThatThrownBy(() -> ashlar.read("post").updateAll(Map.of("title", Atomic.sql("title || ?", NUL))))
                .isInstanceOf(QueryException.class).hasMessageContaining("Value 1 of sql(\"title || ?\"");

        assertThat(db.value("SELECT title FROM posts")).isEqualTo("kept");
    }

    @Test
    void aStatementBindingMoreValuesThanPostgresqlTakesIsRefusedPointingAtIn() {
        List<Filter> each = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < 70_000; i++) {
            each.add(Filter.eq("id", i));
            ids.add(i);
        }

        assertThatThrownBy(() -> ashlar.read("post").where(Filter.or(each.toArray(Filter[]::new))).count())
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("would bind 70000 values, and PostgreSQL takes at most 65535")
                .hasMessageContaining("in(field, values)");
        assertThat(ashlar.read("post").where(Filter.in("id", ids)).count()).isZero();
    }

    @Test
    void aComputedFieldIsReadAsTheJavaTypeAskedForWhateverNumberItsSqlGives() {
        ashlar.create("post", Map.of("title", "hello"));

        Row row = ashlar.read("post").compute("length", Long.class, "length(title)")
                .compute("half", Double.class, "length(title) / 2.0").compute("small", Integer.class, "count(*) OVER ()")
                .first().orElseThrow();

        assertThat(row.get("length")).isEqualTo(5L);
        assertThat(row.get("half")).isEqualTo(2.5);
        assertThat(row.get("small")).isEqualTo(1);
        assertThatThrownBy(() -> ashlar.read("post").compute("big", Integer.class, "9999999999::bigint").list())
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("The value 9999999999 of 'big' does not fit Integer: read it as a wider type");
        assertThatThrownBy(() -> ashlar.read("post").compute("key", UUID.class, "title").list())
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("'key' is a varchar, which cannot be read as UUID");
    }

    @Test
    void aComputedFieldWhoseSqlGivesAnotherTypeIsAQueryExceptionNamingItWhateverTheJavaTypeAskedFor() {
        ashlar.create("post", Map.of("title", "hello"));

        for (Class<?> type : List.of(Integer.class, Long.class, BigDecimal.class, Double.class, Boolean.class,
                UUID.class, LocalDate.class, java.time.LocalTime.class, java.time.LocalDateTime.class,
                java.time.Instant.class)) {
            assertThatThrownBy(() -> ashlar.read("post").compute("v", type, "title || '!'").list()).as(type.getName())
                    .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).contains("v"))
                    .hasMessageContaining("'v' is a text, which cannot be read as " + type.getSimpleName())
                    .hasMessageContaining("cast it in the SQL");
        }
        assertThatThrownBy(() -> ashlar.read("post").compute("v", BigDecimal.class, "now()").list())
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("'v' is a timestamptz, which cannot be read as BigDecimal");
        assertThatThrownBy(() -> ashlar.read("post").compute("v", java.time.Instant.class, "1.5").list())
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("'v' is a numeric, which cannot be read as Instant");
    }

    @Test
    void anAtomicChangeTheColumnCannotHoldNamesItsFieldAndChangesNothing() {
        Row post = ashlar.create("post", Map.of("title", "short", "rating", Integer.MAX_VALUE));

        assertThat(fieldError(() -> ashlar.update(post, Map.of("rating", Atomic.add(1)))))
                .satisfies(e -> assertThat(e.field()).isEqualTo("rating"))
                .satisfies(e -> assertThat(e.message()).contains("out of range", "computed"));
        assertThat(fieldError(() -> ashlar.read("post").updateAll(Map.of("title",
                Atomic.sql("title || ?", "x".repeat(30)))))).satisfies(e -> assertThat(e.field()).isEqualTo("title"))
                .satisfies(e -> assertThat(e.message()).contains("varying(20)"));

        assertThat(db.value("SELECT title || '/' || rating FROM posts")).isEqualTo("short/" + Integer.MAX_VALUE);
    }

    @Test
    void anAtomicChangeOfAnUpsertOrOfAVersionedUpdateAllTheColumnCannotHoldNamesItsField() {
        ashlar.create("author", Map.of("email", "max@example.com", "age", Integer.MAX_VALUE));
        ashlar.create("post", Map.of("title", "short", "rating", Integer.MAX_VALUE));

        assertThat(fieldError(() -> ashlar.upsert("author", Map.of("email", "max@example.com"),
                Upsert.on("unique_email").set("age", Atomic.add(1)))))
                .satisfies(e -> assertThat(e.field()).isEqualTo("age"))
                .satisfies(e -> assertThat(e.message()).contains("out of range", "computed"));
        try (dev.ashlar.kernel.Ashlar versioned = dev.ashlar.kernel.Ashlar.builder().dataSource(db.dataSource())
                .domain(Fixtures.BLOG).optimisticLock("lock_version").build()) {
            assertThat(fieldError(() -> versioned.read("post").updateAll(Map.of("rating", Atomic.add(1)))))
                    .satisfies(e -> assertThat(e.field()).isEqualTo("rating"));
        }

        assertThat(db.value("SELECT age FROM authors")).isEqualTo(Integer.MAX_VALUE);
        assertThat(db.value("SELECT rating || '/' || lock_version FROM posts")).isEqualTo(Integer.MAX_VALUE + "/1");
    }

    @Test
    void minAndMaxOfATypeWithoutThemAreRefusedSayingHowToReadTheValue() {
        for (String field : List.of("u", "flag", "bin", "doc")) {
            assertThatThrownBy(() -> ashlar.read("scalar_sample").max(field)).as(field)
                    .isInstanceOf(QueryException.class).hasMessageContaining("PostgreSQL has no max of a")
                    .hasMessageContaining(".sort(Sort.desc(\"" + field + "\")).first()");
        }
        assertThat(ashlar.read("scalar_sample").min("txt")).isNull();
    }

    @Test
    void aFieldComparedWithAFieldOfAnotherKindIsRefusedBeforeTheServerIs() {
        assertThatThrownBy(() -> ashlar.read("post").where(Filter.gt("rating", Filter.ref("title"))).list())
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("post.rating: compares a number with ref(\"title\"), text");
        assertThat(ashlar.read("post").where(Filter.gt("rating", Filter.ref("score"))).list()).isEmpty();
    }

    @Test
    void nullBodiesLocksAndRowValuesAreRefusedNamingTheArgument() {
        assertThatThrownBy(() -> ashlar.transaction(null)).isInstanceOf(QueryException.class)
                .hasMessageContaining("Ashlar.transaction was given null for its body");
        assertThatThrownBy(() -> ashlar.inTransaction(null)).isInstanceOf(QueryException.class);
        assertThatThrownBy(() -> ashlar.read("post").lock(null)).isInstanceOf(QueryException.class)
                .hasMessageContaining("Lock.NONE");
        assertThatThrownBy(() -> Row.of("post", null)).isInstanceOf(QueryException.class)
                .hasMessageContaining("Row.of was given null for its values");
    }

    @Test
    void aFieldOrResourceNameHoldingAnInvisibleCharacterIsShownEscapedInTheErrorMessage() {
        for (String invisible : List.of("\u200b", "\u00ad", "\ufe0f", "\u034f", "\u3164", "\ud800")) {
            String escaped = String.format("\\u%04x", (int) invisible.charAt(0));

            assertThatThrownBy(() -> ashlar.read("post").where(Filter.eq("ti" + invisible + "tle", "x")).list())
                    .isInstanceOf(QueryException.class).hasMessageContaining("'ti" + escaped + "tle'")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(invisible));
            assertThatThrownBy(() -> ashlar.read("po" + invisible + "st").list())
                    .isInstanceOf(QueryException.class).hasMessageContaining("po" + escaped + "st")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(invisible));
        }
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void aRecordMapKeyedByOtherThanTextIsRefusedNamingTheKeyInEveryWriteAndNothingIsWritten() {
        Row stored = ashlar.create("post", Map.of("title", "kept"));
        java.util.HashMap<Object, Object> nullKey = new java.util.HashMap<>();
        nullKey.put(null, "x");
        Map<String, Object> numberKey = (Map) Map.of(1, "x");
        Map<String, Object> nullKeyed = (Map) nullKey;
        List<ThrowingCallable> writes = List.of(
                () -> ashlar.create("post", numberKey),
                () -> ashlar.createAll("post", List.of(Map.of("title", "fine"), numberKey)),
                () -> ashlar.upsert("post", List.of(Map.of("title", "fine"), numberKey), Upsert.onPrimaryKey()),
                () -> ashlar.upsert("post", numberKey, Upsert.onPrimaryKey()),
                () -> ashlar.merge("post", List.of(numberKey), Merge.on("id").whenNotMatched().insert()),
                () -> ashlar.updateAll("post", List.of(numberKey)),
                () -> ashlar.update(stored, numberKey),
                () -> ashlar.updateAll(List.of(stored), numberKey),
                () -> ashlar.read("post").updateAll(numberKey),
                () -> ashlar.read("post").updateCount(numberKey));

        for (ThrowingCallable write : writes) {
            assertThatThrownBy(write).isInstanceOf(QueryException.class)
                    .hasMessageContaining("of post was given the field name 1 (a java.lang.Integer)")
                    .hasMessageContaining("name each field by its text, e.g. \"1\"");
        }
        assertThatThrownBy(() -> ashlar.createAll("post", List.of(Map.of("title", "fine"), nullKeyed)))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("The createAll of post was given a null field name in record 2 of 2");
        assertThatThrownBy(() -> ashlar.update(stored, null)).isInstanceOf(QueryException.class)
                .hasMessageContaining("The update of post was given null for the changes");
        assertThat(db.value("SELECT string_agg(title, ',') FROM posts")).isEqualTo("kept");
    }

    @Test
    void aListGivenAsOneValueOfInIsRefusedInTheColumnsOwnWordsWhileAJsonListIsComparedAsJson() {
        ashlar.create("scalar_sample", Map.of("txt", "pair", "i", 1, "doc", List.of(1, 2)));
        ashlar.create("scalar_sample", Map.of("txt", "other", "i", 2, "doc", Map.of("a", 1)));

        assertThatThrownBy(() -> ashlar.read("scalar_sample").where(Filter.in("i", List.of(List.of(1)))).count())
                .isInstanceOf(QueryException.class)
                .hasMessage("Filter on scalar_sample.i: the value must be an integer, got the List [1]");
        assertThatThrownBy(() -> ashlar.read("scalar_sample").where(Filter.in("txt", List.of("a", List.of("b")))).list())
                .isInstanceOf(QueryException.class)
                .hasMessage("Filter on scalar_sample.txt: the value must be text, got the List [b]");
        assertThatThrownBy(() -> ashlar.read("scalar_sample").where(Filter.in("doc", List.of(List.of(Double.NaN))))
                .count()).isInstanceOf(QueryException.class).hasMessageContaining("holds NaN or Infinity")
                .hasMessageNotContaining("one dimension");
        assertThat(ashlar.read("scalar_sample").where(Filter.in("doc", List.of(List.of(1, 2), List.of(3)))).list())
                .extracting(row -> row.get("txt")).containsExactly("pair");
        assertThat(ashlar.read("scalar_sample").where(Filter.in("doc", List.of(List.of(1, 2), Map.of("a", 1))))
                .count()).isEqualTo(2);
    }

    @Test
    void aJsonNumberOfThousandsOfDigitsIsStoredAndReadBackWhileOnePastNumericIsAFieldErrorInEveryWrite() {
        String digits = "9".repeat(5_000);
        Row stored = ashlar.create("scalar_sample", Map.of("txt", "text", "doc", "[" + digits + "]"));
        ashlar.createAll("scalar_sample", List.of(Map.of("txt", "bulk", "doc", "{\"n\": " + digits + "}")));
        ashlar.create("scalar_sample", Map.of("txt", "java", "doc", List.of(java.math.BigInteger.TEN.pow(4_999))));

        assertThat(db.value("SELECT string_agg(length(doc::text)::text, ',' ORDER BY txt) FROM scalar_sample"))
                .as("bulk, java, text").isEqualTo("5007,5002,5002");
        assertThat(JsonValues.tree(stored, "doc").get(0).bigIntegerValue()).isEqualTo(new java.math.BigInteger(digits));
        Row bulk = ashlar.read("scalar_sample").where(Filter.eq("txt", "bulk")).one().orElseThrow();
        assertThat(bulk.as(DocOnly.class).doc().get("n")).hasToString(digits);

        List<Object> pastNumeric = List.of("[" + "9".repeat(131_073) + "]",
                List.of(java.math.BigInteger.TEN.pow(131_072)),
                Map.of("n", new BigDecimal(java.math.BigInteger.TEN.pow(131_072))));
        for (Object doc : pastNumeric) {
            List<ThrowingCallable> writes = List.of(() -> ashlar.create("scalar_sample", Map.of("doc", doc)),
                    () -> ashlar.createAll("scalar_sample", List.of(Map.of("doc", "1"), Map.of("doc", doc))),
                    () -> ashlar.update(stored, Map.of("doc", doc)),
                    () -> ashlar.read("scalar_sample").updateAll(Map.of("doc", doc)));
            for (ThrowingCallable write : writes) {
                assertThat(fieldError(write)).satisfies(e -> assertThat(e.field()).isEqualTo("doc"))
                        .satisfies(e -> assertThat(e.message()).contains("holds a number out of range for numeric",
                                "131072 digits before the decimal point"));
            }
        }
        assertThat(db.value("SELECT count(*) FROM scalar_sample WHERE length(doc::text) > 6000")).isEqualTo(0L);
    }

    @Test
    void jsonStoredTenThousandLevelsDeepIsReadAsTextWhileATreeOfItIsRefusedSayingHowToReadIt() {
        db.execute("INSERT INTO scalar_sample (id, txt, doc) VALUES (gen_random_uuid(), 'deep', "
                + "(repeat('[', 10000) || repeat(']', 10000))::jsonb)");

        Row deep = ashlar.read("scalar_sample").one().orElseThrow();

        assertThat(deep.getJson("doc")).hasSize(20_000);
        assertThatThrownBy(() -> JsonValues.tree(deep, "doc"))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).contains("doc"))
                .hasMessageContaining("Field 'doc' of scalar_sample nests deeper than a tree is read")
                .hasMessageContaining("read it as text with row.getJson(\"doc\")");
    }
}
