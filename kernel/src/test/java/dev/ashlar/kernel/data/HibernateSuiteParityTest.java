package dev.ashlar.kernel.data;

import dev.ashlar.api.resource.Converter;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Lock;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.ashlar.api.query.Filter.and;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.eqIgnoreCase;
import static dev.ashlar.api.query.Filter.escapeLike;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.ilike;
import static dev.ashlar.api.query.Filter.in;
import static dev.ashlar.api.query.Filter.like;
import static dev.ashlar.api.query.Filter.notIn;
import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.BINARY;
import static dev.ashlar.api.resource.Type.BOOLEAN;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.INTERVAL;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static dev.ashlar.api.resource.Type.decimal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Hibernate ORM's own tests ({@code hibernate-core/src/test/java/org/hibernate/orm/test/...}) restated on Ashlar:
 * pessimistic locks that skip locked rows and lock a page, batched updates of versioned records, ordering with
 * nulls placed, paging, in-lists, LIKE escapes, reserved and over-long identifiers, numeric precision, large
 * values, intervals, and keys from identities and from a sequence. Each test names the Hibernate test it restates.
 */
class HibernateSuiteParityTest extends DomainDatabaseTest {
    private static final List<String> JOBS = IntStream.rangeClosed(1, 10).mapToObj(i -> String.format("job%02d", i))
            .collect(Collectors.toList());

    record Badge(Integer id, String code, String label) {
        static final Table<Badge> BADGES = Table.of("badge", Badge.class);
        static final Field<Badge, Integer> ID = BADGES.integerPrimaryKey("id");
        static final TextField<Badge> CODE = BADGES.attribute("code", Kind.TEXT, a -> a.updatable(false));
        static final TextField<Badge> LABEL = BADGES.attribute("label", Kind.TEXT);
        static final Resource RESOURCE = BADGES.builder().table("badges").add(ID, CODE, LABEL).build();
    }

    HibernateSuiteParityTest() {
        super(Domain.builder("hibernate_suite")
                .resource(Resource.builder("job").table("batch_jobs").integerPrimaryKey("id")
                        .attribute("title", TEXT)
                        .attribute("processed", BOOLEAN, a -> a.notNull().defaultValue(false))
                        .build())
                .resource(Resource.builder("doc").table("docs").integerPrimaryKey("id")
                        .attribute("title", TEXT)
                        .attribute("version", INTEGER, a -> a.notNull().defaultValue(1))
                        .optimisticLock("version")
                        .build())
                .resource(Resource.builder("purchase").table("order").integerPrimaryKey("id")
                        .attribute("user", TEXT)
                        .attribute("select", INTEGER)
                        .attribute("group", TEXT)
                        .build())
                .resource(Resource.builder("person").table("people").integerPrimaryKey("id")
                        .attribute("name", TEXT)
                        .attribute("nick", TEXT)
                        .attribute("code", TEXT, a -> a.updatable(false))
                        .build())
                .resource(Badge.RESOURCE)
                .resource(Resource.builder("sku").table("skus")
                        .attribute("code", TEXT, a -> a.primaryKey().updatable(false))
                        .attribute("label", TEXT)
                        .build())
                .resource(Resource.builder("measure").table("measures").bigintPrimaryKey("id")
                        .attribute("amount", decimal(10, 2))
                        .attribute("note", TEXT)
                        .attribute("payload", BINARY)
                        .attribute("span", INTERVAL)
                        .build())
                .build());
    }

    @BeforeEach
    void emptyTables() {
        db.execute("TRUNCATE batch_jobs, docs, \"order\", people, measures, badges, skus RESTART IDENTITY");
    }

    /**
     * {@code locking.AbstractSkipLockedTest#testPostgreSQLSkipLocked} as {@code PessimisticWriteSkipLockedTest} and
     * {@code UpgradeSkipLockedTest} run it: a second transaction asking for five jobs skipping locked rows gets the
     * five the first did not lock, and marks them processed while the first still holds its five.
     */
    @Test
    void aSecondTransactionSkippingLockedRowsTakesTheNextFiveJobsWhileTheFirstHoldsItsFive() {
        createJobs();

        List<List<String>> taken = lockedBeside(tx -> titles(nextFive(tx, Lock.FOR_UPDATE_SKIP_LOCKED)), t2 -> {
            List<Row> next = nextFive(t2, Lock.FOR_UPDATE_SKIP_LOCKED);
            t2.updateAll(next, Map.of("processed", true));
            return titles(next);
        });

        assertThat(taken.get(0)).containsExactlyElementsOf(JOBS.subList(0, 5));
        assertThat(taken.get(1)).containsExactlyElementsOf(JOBS.subList(5, 10));
        assertThat(db.query("SELECT title FROM batch_jobs WHERE processed ORDER BY title"))
                .extracting(r -> r.get("title"))
                .containsExactlyElementsOf(JOBS.subList(5, 10));
    }

    /**
     * {@code locking.PessimisticReadSkipLockedTest} (the {@code PESSIMISTIC_READ} branch of
     * {@code AbstractSkipLockedTest#testPostgreSQLSkipLocked}): shared locks do not exclude each other, so a second
     * reader skipping locked rows gets the same five, while a writer skipping them gets the other five.
     */
    @Test
    void sharedLocksSkippingLockedRowsSeeTheSameFiveWhileAnUpdateLockSkipsThem() {
        createJobs();

        List<List<String>> taken = lockedBeside(tx -> titles(nextFive(tx, Lock.FOR_SHARE_SKIP_LOCKED)),
                t2 -> titles(nextFive(t2, Lock.FOR_SHARE_SKIP_LOCKED)),
                t2 -> titles(nextFive(t2, Lock.FOR_UPDATE_SKIP_LOCKED)));

        assertThat(taken.get(0)).containsExactlyElementsOf(JOBS.subList(0, 5));
        assertThat(taken.get(1)).containsExactlyElementsOf(JOBS.subList(0, 5));
        assertThat(taken.get(2)).containsExactlyElementsOf(JOBS.subList(5, 10));
    }

    /**
     * {@code locking.paging.PagingAndLockingTest} (a locking query with a first result and a max results): the read
     * returns the page, and the limit stops the locking, so another transaction skipping locked rows takes every row
     * after the page; the rows the offset skips are locked too, as PostgreSQL locks rows before OFFSET drops them.
     */
    @Test
    void aLockingReadOfAPageLeavesTheRowsAfterItFreeAndLocksTheRowsItsOffsetSkips() {
        createJobs();

        List<List<String>> seen = lockedBeside(tx -> titles(tx.read("job").sort(Sort.asc("title")).offset(2).limit(3)
                .lock(Lock.FOR_UPDATE).list()), t2 -> titles(t2.read("job").sort(Sort.asc("title"))
                .lock(Lock.FOR_UPDATE_SKIP_LOCKED).list()));

        assertThat(seen.get(0)).containsExactly("job03", "job04", "job05");
        assertThat(seen.get(1)).containsExactly("job06", "job07", "job08", "job09", "job10");
    }

    /**
     * {@code batch.BatchOptimisticLockingTest#testBatchAndOptimisticLocking}: records updated together, one of them
     * changed by someone else since it was read, fail as stale, and none of them is written.
     */
    @Test
    void aBatchedUpdateOfVersionedRecordsOneOfThemStaleIsRefusedAndWritesNone() {
        List<Row> docs = ashlar.createAll("doc", List.of(Map.of("title", "a"), Map.of("title", "b"),
                Map.of("title", "c")));
        ashlar.update(ashlar.get("doc", docs.get(1).get("id")), Map.of("title", "theirs"));

        List<Map<String, Object>> mine = docs.stream().map(doc -> Map.<String, Object>of("id", doc.get("id"),
                "title", doc.getString("title") + " mine", "version", doc.get("version"))).collect(Collectors.toList());

        assertThatThrownBy(() -> ashlar.updateAll("doc", mine))
                .isInstanceOfSatisfying(AshlarException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.STALE_RECORD);
                    assertThat(e.resource()).contains("doc");
                });
        assertThat(db.query("SELECT title, version FROM docs ORDER BY id"))
                .extracting(r -> r.get("title") + " " + r.get("version"))
                .containsExactly("a 1", "theirs 2", "c 1");
    }

    /**
     * {@code locking.OptimisticLockTypeDirtyTest} ({@code OptimisticLockType.DIRTY}, versionless optimistic locking):
     * an update that holds only while the fields it read are still as read changes nothing once another
     * transaction changed them, and says so by its count.
     */
    @Test
    void aVersionlessUpdateConditionedOnTheValuesReadChangesNothingOnceTheyChanged() {
        Row read = ashlar.create("person", Map.of("name", "ada", "nick", "a"));
        ashlar.update(read, Map.of("name", "theirs"));

        int mine = ashlar.read("person").where(and(eq("id", read.get("id")), eq("name", read.get("name"))))
                .updateCount(Map.of("nick", "mine"));
        int theirs = ashlar.read("person").where(and(eq("id", read.get("id")), eq("name", "theirs")))
                .updateCount(Map.of("nick", "second"));

        assertThat(mine).isZero();
        assertThat(theirs).isOne();
        assertThat(db.query("SELECT name, nick FROM people")).extracting(r -> r.get("name") + " " + r.get("nick"))
                .containsExactly("theirs second");
    }

    /**
     * {@code query.hql.OrderByTests} and {@code NullPrecedenceTest}: nulls go where the sort says, first or last, in
     * either direction; unsaid, PostgreSQL's default (last ascending, first descending).
     */
    @Test
    void nullsAreSortedFirstOrLastAsAskedInEitherDirection() {
        ashlar.create("person", Map.of("name", "b"));
        ashlar.create("person", Map.of("nick", "no name"));
        ashlar.create("person", Map.of("name", "a"));

        Function<Sort, List<Object>> names = sort -> ashlar.read("person").sort(sort).list().stream()
                .map(row -> row.get("name")).collect(Collectors.toList());

        assertThat(names.apply(Sort.asc("name").nullsFirst())).containsExactly(null, "a", "b");
        assertThat(names.apply(Sort.desc("name").nullsLast())).containsExactly("b", "a", null);
        assertThat(names.apply(Sort.asc("name"))).containsExactly("a", "b", null);
        assertThat(names.apply(Sort.desc("name"))).containsExactly(null, "b", "a");
    }

    /**
     * {@code query.hql.LimitOffsetTest} and {@code PagingTests}: a page by first result and max results over a
     * sorted read, its total counted over every row the filter keeps; {@code CountExpressionTest} and exists.
     */
    @Test
    void aPageOfASortedReadHoldsItsRowsAndTheTotalWhileCountAndExistsFollowTheFilter() {
        ashlar.createAll("person", IntStream.rangeClosed(1, 7)
                .mapToObj(i -> Map.of("name", "p" + i, "nick", i % 2 == 0 ? "even" : "odd"))
                .collect(Collectors.toList()));

        Page<Row> page = ashlar.read("person").where(eq("nick", "odd")).sort(Sort.desc("name")).offset(1).limit(2)
                .page();

        assertThat(page.rows()).extracting(row -> row.get("name")).containsExactly("p5", "p3");
        assertThat(page.total()).isEqualTo(4);
        assertThat(page.hasNext()).isTrue();
        assertThat(ashlar.read("person").where(eq("nick", "even")).count()).isEqualTo(3);
        assertThat(ashlar.read("person").where(eq("nick", "none")).exists()).isFalse();
        assertThat(ashlar.read("person").distinct("nick").sort(Sort.asc("nick")).values("nick", String.class))
                .containsExactly("even", "odd");
    }

    /**
     * {@code query.hql.InTests} and {@code InClauseParameterPaddingTest}'s long lists: an in-list of 70,000
     * values, past PostgreSQL's 65,535 bind values if each were one, is one bind; {@code not in} too; an empty list
     * keeps none.
     */
    @Test
    void anInListPastTheBindLimitIsOneValueAndAnEmptyListKeepsNoRow() {
        ashlar.createAll("person", List.of(Map.of("name", "a"), Map.of("name", "b"), Map.of("name", "c")));
        List<Integer> ids = IntStream.rangeClosed(2, 70_001).boxed().collect(Collectors.toList());

        assertThat(ashlar.read("person").where(in("id", ids)).sort(Sort.asc("id")).values("name", String.class))
                .containsExactly("b", "c");
        assertThat(ashlar.read("person").where(notIn("id", ids)).values("name", String.class)).containsExactly("a");
        assertThat(ashlar.read("person").where(in("id", List.of())).count()).isZero();
    }

    /**
     * {@code query.hql.LikeEscapeDefaultTest} and {@code LikeEscapeParameterTest}: in a pattern the escape makes
     * {@code %} and {@code _} match themselves; a value escaped for a pattern matches as written; {@code ILikeTest}.
     */
    @Test
    void likeEscapesPatternCharactersAndIlikeIgnoresCase() {
        ashlar.createAll("person", List.of(Map.of("name", "50%"), Map.of("name", "50 percent"),
                Map.of("name", "a_b"), Map.of("name", "axb"), Map.of("name", "Ada Lovelace")));

        assertThat(names(like("name", "50\\%"))).containsExactly("50%");
        assertThat(names(like("name", "50%"))).containsExactlyInAnyOrder("50 percent", "50%");
        assertThat(names(like("name", "a\\_b"))).containsExactly("a_b");
        assertThat(names(like("name", "%" + escapeLike("_") + "%"))).containsExactly("a_b");
        assertThat(names(ilike("name", "%LOVE%"))).containsExactly("Ada Lovelace");
        assertThat(names(eqIgnoreCase("name", "ada lovelace"))).containsExactly("Ada Lovelace");
    }

    /**
     * {@code naming} ({@code ReservedKeywordsTest}, {@code QuotedIdentifierTest}): a table and columns named by
     * reserved words ({@code order}, {@code user}, {@code select}, {@code group}) are created, written, filtered,
     * sorted and deleted, each name quoted.
     */
    @Test
    void aTableAndColumnsNamedByReservedWordsAreWrittenFilteredAndSorted() {
        ashlar.createAll("purchase", List.of(Map.of("user", "ada", "select", 2, "group", "x"),
                Map.of("user", "bob", "select", 1, "group", "x")));

        Row bob = ashlar.read("purchase").where(eq("group", "x")).sort(Sort.asc("select")).first().orElseThrow();
        ashlar.update(bob, Map.of("user", "bobby"));
        ashlar.read("purchase").where(eq("user", "ada")).destroyAll();

        assertThat(db.query("SELECT \"user\", \"select\" FROM \"order\"")).extracting(r -> r.get("user") + " "
                + r.get("select")).containsExactly("bobby 1");
        assertThat(db.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'order' "
                + "ORDER BY ordinal_position")).extracting(r -> r.get("column_name"))
                .containsExactly("id", "user", "select", "group");
    }

    /**
     * {@code naming} (an identifier past the database's length, Hibernate's {@code LimitedCollectionNameTest} and
     * PostgreSQL's 63 bytes): an attribute whose column name is 64 bytes long is refused naming it, never cut.
     */
    @Test
    void aColumnNameOverSixtyThreeBytesIsRefusedNamingIt() {
        String longName = "c".repeat(64);

        assertThatThrownBy(() -> Ashlar.builder().dataSource(db.dataSource()).domain(Domain.builder("long_names")
                .resource(Resource.builder("thing").table("things").integerPrimaryKey("id").attribute(longName, TEXT)
                        .build()).build()).build())
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining(longName)
                .hasMessageContaining("63");
        assertThat(db.value("SELECT count(*) FROM pg_tables WHERE tablename = 'things'")).isEqualTo(0L);
    }

    /**
     * {@code mapping} of {@code BigDecimal} with a precision (Hibernate's {@code @Column(precision = 10, scale = 2)}):
     * the column is {@code numeric(10,2)} in the catalog, a value is stored to its scale, and one with more digits
     * than the precision holds is refused naming the field rather than failing as a bare numeric overflow.
     */
    @Test
    void aDecimalPastItsPrecisionIsRefusedNamingTheFieldWhileOneWithinIsStoredToItsScale() {
        Row kept = ashlar.create("measure", Map.of("amount", new BigDecimal("12345678.5")));

        assertThatThrownBy(() -> ashlar.create("measure", Map.of("amount", new BigDecimal("123456789.12"))))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(error -> assertThat(error.field()).isEqualTo("amount")))
                .hasMessageContaining("amount");
        assertThatThrownBy(() -> ashlar.update(kept, Map.of("amount", new BigDecimal("-100000000"))))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("amount");

        assertThat(db.query("SELECT amount::text AS a FROM measures")).extracting(r -> r.get("a"))
                .containsExactly("12345678.50");
        assertThat(db.query("SELECT numeric_precision, numeric_scale FROM information_schema.columns "
                + "WHERE table_name = 'measures' AND column_name = 'amount'"))
                .extracting(r -> r.get("numeric_precision") + "," + r.get("numeric_scale")).containsExactly("10,2");
    }

    /**
     * {@code type} large values ({@code LobTest}, {@code LongByteArrayTest}, {@code TextTest}): a text of two
     * million characters and a megabyte of bytes, every byte value among them, come back whole, and the server
     * stores each at its full length.
     */
    @Test
    void aLongTextAndALargeByteArrayComeBackWhole() {
        String text = "ü".repeat(1_000_000) + "x".repeat(1_000_000);
        byte[] bytes = new byte[1 << 20];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }

        Row stored = ashlar.create("measure", Map.of("note", text, "payload", bytes));
        Row read = ashlar.get("measure", stored.get("id"));

        assertThat(read.getString("note")).isEqualTo(text);
        assertThat(read.get("payload", byte[].class)).isEqualTo(bytes);
        assertThat(db.query("SELECT char_length(note) AS chars, octet_length(payload) AS size FROM measures"))
                .extracting(r -> r.get("chars") + " " + r.get("size")).containsExactly("2000000 1048576");
    }

    /**
     * {@code mapping.basic.DurationMappingTests}: a {@code Duration} is stored as an {@code interval}, comes back
     * equal, and compares as a duration in a filter.
     */
    @Test
    void aDurationIsStoredAsAnIntervalAndComparedAsOne() {
        Duration longer = Duration.ofHours(30).plusMinutes(5).plusNanos(1_000);
        ashlar.createAll("measure", List.of(Map.of("span", longer), Map.of("span", Duration.ofMinutes(90))));

        assertThat(ashlar.read("measure").where(gt("span", Duration.ofHours(2))).values("span", Duration.class))
                .containsExactly(longer);
        assertThat(db.value("SELECT data_type FROM information_schema.columns WHERE table_name = 'measures' "
                + "AND column_name = 'span'")).isEqualTo("interval");
    }

    /**
     * {@code idgen.identity} ({@code IdentityGeneratedKeysTest}): keys the database generates come back with the
     * records written together, in the order given; the column is an identity in the catalog.
     */
    @Test
    void identityKeysComeBackWithTheRecordsInTheOrderGiven() {
        List<Row> people = ashlar.createAll("person", List.of(Map.of("name", "z"), Map.of("name", "a"),
                Map.of("name", "m")));

        assertThat(people).extracting(row -> row.get("name")).containsExactly("z", "a", "m");
        assertThat(people).extracting(row -> row.get("id")).containsExactly(1, 2, 3);
        assertThat(db.value("SELECT is_identity FROM information_schema.columns WHERE table_name = 'people' "
                + "AND column_name = 'id'")).isEqualTo("YES");
    }

    /**
     * {@code idgen.enhanced.sequence} (a {@code @SequenceGenerator} with an increment, and Hibernate's shared
     * {@code hibernate_sequence}): two resources whose keys the server draws from one named
     * sequence get keys from it, never the same twice, returned by the write that drew them.
     */
    @Test
    void keysDrawnFromOneSharedSequenceAreUniqueAcrossResourcesAndReturnedByTheWrite() {
        db.execute("CREATE SEQUENCE IF NOT EXISTS shared_key_seq START 100 INCREMENT 10");
        Domain shared = Domain.builder("shared_sequence")
                .resource(Resource.builder("ticket").table("tickets")
                        .attribute("id", BIGINT, a -> a.primaryKey().defaultSql("nextval('shared_key_seq')"))
                        .attribute("title", TEXT).build())
                .resource(Resource.builder("invoice").table("invoices")
                        .attribute("id", BIGINT, a -> a.primaryKey().defaultSql("nextval('shared_key_seq')"))
                        .attribute("title", TEXT).build())
                .build();
        try (Ashlar sequenced = Fixtures.ashlar(db, shared)) {
            Row ticket = sequenced.create("ticket", Map.of("title", "t"));
            List<Row> invoices = sequenced.createAll("invoice", List.of(Map.of("title", "i1"), Map.of("title", "i2")));
            Row second = sequenced.create("ticket", Map.of("title", "t2"));

            assertThat(List.of(ticket.get("id"), invoices.get(0).get("id"), invoices.get(1).get("id"),
                    second.get("id")))
                    .containsExactly(100L, 110L, 120L, 130L);
            assertThat(db.value("SELECT last_value FROM pg_sequences WHERE sequencename = 'shared_key_seq'"))
                    .isEqualTo(130L);
        }
    }

    /**
     * {@code bytecode.enhancement.dirty.DirtyTrackingNonUpdateableTest} ({@code @Column(updatable = false)}; Ebean's
     * {@code TestNonUpdateProperty}): an attribute written when a record is created is refused, naming it, by every
     * update that names it among its changes, by name and typed, and the stored value stays.
     */
    @Test
    void anAttributeNotUpdatableIsWrittenByCreateAndRefusedByEveryUpdateNamingIt() {
        Row ada = ashlar.create("person", Map.of("name", "ada", "code", "A1"));
        Badge badge = ashlar.create(Badge.BADGES, new Badge(null, "B1", "gold"));

        List<Runnable> updates = List.of(
                () -> ashlar.update(ada, Map.of("code", "A2")),
                () -> ashlar.update(ada, Map.of("name", "ada", "code", "A2")),
                () -> ashlar.read("person").where(eq("name", "ada")).updateAll(Map.of("code", "A2")),
                () -> ashlar.read("person").updateCount(Map.of("code", "A2")),
                () -> ashlar.updateAll(List.of(ada), Map.of("code", "A2")),
                () -> ashlar.upsert("person", List.of(Map.of("id", ada.get("id"), "name", "ada", "code", "A2")),
                        Upsert.onPrimaryKey().update("code")),
                () -> ashlar.update(Badge.BADGES, badge, Badge.CODE.set("B2")),
                () -> ashlar.read(Badge.BADGES).updateAll(Badge.CODE.set("B2")),
                () -> ashlar.updateAll(Badge.BADGES, List.of(new Badge(badge.id(), "B2", "gold")), Badge.CODE));

        for (Runnable update : updates) {
            assertThatThrownBy(update::run).isInstanceOfSatisfying(QueryException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.INVALID_QUERY);
                assertThat(e.field()).contains("code");
            }).hasMessageContaining("updatable(false)").hasMessageContaining("leave 'code' out of the changes");
        }
        assertThat(db.value("SELECT code FROM people")).isEqualTo("A1");
        assertThat(db.value("SELECT code FROM badges")).isEqualTo("B1");
    }

    /**
     * {@code DirtyTrackingNonUpdateableTest} for whole entities written back: records read, edited and written
     * together, or upserted overwriting every field they give, change the other fields and leave the attribute as
     * stored; a record the upsert inserts stores it. (Writing back named fields that include it is refused, above.)
     */
    @Test
    void wholeRecordsWrittenBackChangeTheirFieldsButLeaveANotUpdatableAttributeAsStored() {
        Row ada = ashlar.create("person", Map.of("name", "ada", "code", "A1"));
        Badge badge = ashlar.create(Badge.BADGES, new Badge(null, "B1", "gold"));

        ashlar.updateAll("person", List.of(Map.of("id", ada.get("id"), "name", "ada l.", "code", "A2")));
        ashlar.upsert("person", List.of(Map.of("id", ada.get("id"), "name", "ada lovelace", "code", "A3"),
                Map.of("id", 50, "name", "bob", "code", "B1")), Upsert.onPrimaryKey());
        ashlar.updateAll(Badge.BADGES, List.of(new Badge(badge.id(), "B2", "silver")), Badge.LABEL);

        assertThat(db.query("SELECT name, code FROM people ORDER BY id")).extracting(r -> r.get("name") + " "
                + r.get("code")).containsExactly("ada lovelace A1", "bob B1");
        assertThat(db.query("SELECT code, label FROM badges")).extracting(r -> r.get("code") + " " + r.get("label"))
                .containsExactly("B1 silver");
    }

    /**
     * {@code DirtyTrackingNonUpdateableTest} on the key (Hibernate never updates an id, so {@code updatable = false}
     * on it is common): records written back are still found by their key and change
     * their other fields, and an upsert on that key overwrites them.
     */
    @Test
    void recordsWhoseKeyIsNotUpdatableAreWrittenBackByTheirKey() {
        Row sku = ashlar.create("sku", Map.of("code", "S1", "label", "red"));

        ashlar.updateAll("sku", List.of(Map.of("code", "S1", "label", "green")));
        assertThat(db.value("SELECT label FROM skus WHERE code = 'S1'")).isEqualTo("green");
        ashlar.update(sku, Map.of("label", "black"));
        ashlar.upsert("sku", List.of(Map.of("code", "S1", "label", "white")), Upsert.onPrimaryKey());

        assertThat(db.query("SELECT code, label FROM skus")).extracting(r -> r.get("code") + " " + r.get("label"))
                .containsExactly("S1 white");
    }

    /**
     * An attribute that every update must write (a touched time, a soft delete's mark, a version, the last writer)
     * cannot be updatable(false).
     */
    @Test
    void anAttributeEveryUpdateWritesCannotBeDeclaredNotUpdatable() {
        Resource touched = Resource.builder("note").table("notes").integerPrimaryKey("id")
                .attribute("changed_at", TIMESTAMPTZ, a -> a.touchOnUpdate().updatable(false))
                .attribute("deleted_at", TIMESTAMPTZ, a -> a.updatable(false))
                .softDelete("deleted_at")
                .build();
        Resource versioned = Resource.builder("memo").table("memos").integerPrimaryKey("id")
                .attribute("version", INTEGER, a -> a.notNull().defaultValue(1).updatable(false))
                .attribute("modified_by", TEXT, a -> a.updatable(false))
                .optimisticLock("version").modifiedBy("modified_by")
                .build();

        assertThatThrownBy(() -> Ashlar.builder().dataSource(db.dataSource())
                .domain(Domain.builder("not_updatable").resource(touched).resource(versioned).build()).build())
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("changed_at").hasMessageContaining("touchOnUpdate")
                .hasMessageContaining("deleted_at").hasMessageContaining("softDelete")
                .hasMessageContaining("version").hasMessageContaining("optimisticLock")
                .hasMessageContaining("modified_by").hasMessageContaining("modifiedBy")
                .hasMessageContaining("remove updatable(false)");
    }

    private void createJobs() {
        ashlar.createAll("job", JOBS.stream().map(title -> Map.of("title", title)).collect(Collectors.toList()));
    }

    private static List<Row> nextFive(Ashlar tx, Lock lock) {
        return tx.read("job").sort(Sort.asc("title")).limit(5).lock(lock).list();
    }

    /**
     * What {@code mine} reads in a transaction, then what each of {@code others} reads, one after the other, in
     * transactions of their own on another thread while the first is still open and holds its locks.
     */
    @SafeVarargs
    private List<List<String>> lockedBeside(Function<Ashlar, List<String>> mine,
                                            Function<Ashlar, List<String>>... others) {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            return ashlar.transaction(tx -> {
                List<List<String>> seen = new ArrayList<>(List.of(mine.apply(tx)));
                for (Function<Ashlar, List<String>> elsewhere : others) {
                    seen.add(TransactionTest.await(other.submit(() -> ashlar.transaction(elsewhere))));
                }
                return seen;
            });
        } finally {
            other.shutdownNow();
        }
    }

    private List<Object> names(Filter filter) {
        return ashlar.read("person").where(filter).sort(Sort.asc("name")).list().stream().map(row -> row.get("name"))
                .collect(Collectors.toList());
    }

    private static List<String> titles(List<Row> rows) {
        return rows.stream().map(row -> row.getString("title")).collect(Collectors.toList());
    }

    enum Gender { MALE, FEMALE, OTHER }

    /**
     * {@code enums.EnumeratedTest}'s {@code ORDINAL} mapping, {@code @Enumerated(EnumType.ORDINAL)}: the constant is
     * stored as its ordinal in a smallint, found by its constant (also in a list and in a comparison), sorted by
     * ordinal, and read back; an ordinal no constant has is refused naming the field rather than read as null.
     */
    @Test
    void anEnumStoredByOrdinalIsWrittenAsTheOrdinalFoundByItsConstantAndReadBack() {
        Resource person = Resource.builder("ordinal_person").table("ordinal_people").integerPrimaryKey("id")
                .attribute("gender", Converter.ordinal(Gender.class), a -> a.notNull().defaultValue(Gender.OTHER))
                .build();
        try (Ashlar own = Fixtures.ashlar(db, Domain.builder("hibernate_ordinal").resource(person).build())) {
            own.createAll("ordinal_person", List.of(Map.of("gender", Gender.FEMALE), Map.of("gender", Gender.MALE),
                    Map.of()));

            assertThat(db.value("SELECT data_type FROM information_schema.columns WHERE table_name = 'ordinal_people' "
                    + "AND column_name = 'gender'")).isEqualTo("smallint");
            assertThat(db.query("SELECT gender FROM ordinal_people ORDER BY id")).extracting(r -> r.get("gender"))
                    .containsExactly(1, 0, 2);
            assertThat(own.read("ordinal_person").where(eq("gender", Gender.FEMALE)).values("id", Integer.class))
                    .containsExactly(1);
            assertThat(own.read("ordinal_person").where(gt("gender", Gender.MALE)).sort(Sort.desc("gender"))
                    .values("gender", Gender.class)).containsExactly(Gender.OTHER, Gender.FEMALE);
            db.execute("UPDATE ordinal_people SET gender = 3 WHERE id = 3");
            assertThatThrownBy(() -> own.get("ordinal_person", 3)).isInstanceOf(QueryException.class)
                    .hasMessageContaining("ordinal_person.gender holds 3").hasMessageContaining("[0, 1, 2]");
        }
    }

    /**
     * {@code mapping.basic.BooleanMappingTests} with {@code @Convert(converter = YesNoConverter.class)},
     * {@code TrueFalseConverter} and {@code NumericBooleanConverter}, on a table that already holds rows in those
     * forms ({@code char(1)} 'Y'/'N' and 'T'/'F', integer 1/0): a query by a boolean finds them, a write stores the
     * same forms, and a character none of them stores is refused naming the field and the values allowed.
     */
    @Test
    void booleansStoredAsYesNoTrueFalseAndOneZeroAreFoundByABooleanAndWrittenInTheirForm() {
        db.execute("DROP TABLE IF EXISTS converted_flags; CREATE TABLE converted_flags (id integer PRIMARY KEY, "
                + "yes_no char(1), true_false char(1), numeric integer); "
                + "INSERT INTO converted_flags VALUES (1, 'Y', 'F', 1), (2, 'N', 'T', 0)");
        Resource flags = Resource.builder("flag").table("converted_flags").migrate(false)
                .attribute("id", INTEGER, a -> a.primaryKey())
                .attribute("yesNo", Converter.yesNo(), a -> a.column("yes_no").migrationType("char(1)"))
                .attribute("trueFalse", Converter.trueFalse(), a -> a.column("true_false").migrationType("char(1)"))
                .attribute("numeric", Converter.numericBoolean())
                .build();
        try (Ashlar own = Fixtures.ashlar(db, Domain.builder("hibernate_flags").resource(flags).build())) {
            assertThat(own.read("flag").where(and(eq("yesNo", true), eq("trueFalse", false), eq("numeric", true)))
                    .values("id", Integer.class)).containsExactly(1);
            own.create("flag", Map.of("id", 3, "yesNo", false, "trueFalse", true, "numeric", false));
            own.update(own.get("flag", 1), Map.of("yesNo", false));

            assertThat(db.query("SELECT yes_no, true_false, numeric FROM converted_flags WHERE id IN (1, 3) ORDER BY id")
                    .stream().map(r -> List.copyOf(r.values())).toList())
                    .containsExactly(List.of("N", "F", 1), List.of("N", "T", 0));
            assertThat(own.read("flag").where(eq("yesNo", false)).values("id", Integer.class))
                    .containsExactlyInAnyOrder(1, 2, 3);
            db.execute("UPDATE converted_flags SET true_false = 'X' WHERE id = 2");
            assertThatThrownBy(() -> own.get("flag", 2)).isInstanceOf(QueryException.class)
                    .hasMessageContaining("flag.trueFalse holds 'X'").hasMessageContaining("['T', 'F']");
        }
    }
}
