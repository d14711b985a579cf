package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Resources the data layer only reads ({@code readOnly()}, Hibernate's {@code @Immutable}, and over a view with
 * {@code migrate(false)}, its {@code @View} and {@code @Subselect}): reads as of any resource, and every write path
 * refused naming the resource before any SQL runs, the rows left as they were.
 */
class ReadOnlyResourceTest extends DomainDatabaseTest {
    record Rate(Integer id, String currency, Integer cents) {
        static final Table<Rate> RATES = Table.of("rate", Rate.class);
        static final Field<Rate, Integer> ID = RATES.integerPrimaryKey("id");
        static final TextField<Rate> CURRENCY = RATES.attribute("currency", Kind.TEXT);
        static final Field<Rate, Integer> CENTS = RATES.attribute("cents", Kind.INTEGER);
        static final Resource RESOURCE = RATES.builder().table("rates").add(ID, CURRENCY, CENTS).readOnly().build();
    }

    ReadOnlyResourceTest() {
        super(Domain.builder("read_only")
                .resource(Resource.builder("event").table("events").integerPrimaryKey("id")
                        .attribute("message", TEXT)
                        .attribute("code", TEXT)
                        .attribute("created_on", TIMESTAMPTZ, a -> a.defaultSql("now()"))
                        .identity("unique_code", "code")
                        .readOnly()
                        .build())
                .resource(Resource.builder("book").table("books").integerPrimaryKey("id")
                        .attribute("author", TEXT)
                        .attribute("pages", INTEGER)
                        .build())
                .resource(Resource.builder("author_summary").table("author_summaries")
                        .attribute("author", TEXT, a -> a.primaryKey())
                        .attribute("books", BIGINT)
                        .attribute("pages", BIGINT)
                        .migrate(false)
                        .readOnly()
                        .build())
                .resource(Rate.RESOURCE)
                .build());
    }

    @BeforeAll
    void createTheView() {
        db.execute("CREATE VIEW author_summaries AS SELECT author, count(*) AS books, sum(pages) AS pages "
                + "FROM books GROUP BY author");
    }

    @BeforeEach
    void rows() {
        db.execute("TRUNCATE events, books, rates RESTART IDENTITY");
        db.execute("INSERT INTO events (message, code) VALUES ('Hibernate User Guide rocks!', 'a'), ('second', 'b')");
        db.execute("INSERT INTO rates (currency, cents) VALUES ('EUR', 108), ('GBP', 127)");
    }

    /**
     * Hibernate's {@code immutable.ImmutableTest} and the user guide's {@code EntityImmutabilityTest}: an immutable
     * entity is found, filtered, sorted and counted as any other, its table created by the migration as any other.
     */
    @Test
    void aReadOnlyResourceIsReadFilteredSortedAndCountedOverItsMigratedTable() {
        assertThat(ashlar.read("event").sort(Sort.desc("code")).list()).extracting(row -> row.get("message"))
                .containsExactly("second", "Hibernate User Guide rocks!");
        assertThat(ashlar.read("event").where(Filter.eq("code", "a")).count()).isOne();
        assertThat(ashlar.get("event", 1).get("created_on")).isNotNull();
        assertThat(db.query("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'events' "
                + "AND table_type = 'BASE TABLE'").get(0).get("n")).isEqualTo(1L);
    }

    /**
     * {@code immutable.ImmutableTest#testImmutableEntityAddImmutableToInverseMutableCollection}'s premise and
     * Hibernate 6's {@code immutable_entity_update_query_handling_mode=exception}: creating, updating by record, by
     * records and by query, upserting, merging and destroying by record and by query are each refused naming the
     * resource and the fix, and the stored rows are unchanged.
     */
    @Test
    void everyWriteOfAReadOnlyResourceIsRefusedNamingItAndLeavesTheRowsAsTheyWere() {
        Row first = ashlar.get("event", 1);
        List<ThrowingCallable> writes = List.of(
                () -> ashlar.create("event", Map.of("message", "new", "code", "c")),
                () -> ashlar.createAll("event", List.of(Map.of("message", "new", "code", "c"))),
                () -> ashlar.update(first, Map.of("message", "changed")),
                () -> ashlar.updateAll("event", List.of(Map.of("id", 1, "message", "changed"))),
                () -> ashlar.updateAll(List.of(first), Map.of("message", "changed")),
                () -> ashlar.read("event").where(Filter.eq("code", "a")).updateAll(Map.of("message", "changed")),
                () -> ashlar.read("event").updateCount(Map.of("message", "changed")),
                () -> ashlar.upsert("event", Map.of("message", "changed", "code", "a"), Upsert.on("unique_code")),
                () -> ashlar.upsert("event", List.of(Map.of("message", "changed", "code", "a")),
                        Upsert.on("unique_code")),
                () -> ashlar.merge("event", List.of(Map.of("message", "changed", "code", "a")),
                        Merge.on("code").whenMatched().update()),
                () -> ashlar.destroy(first),
                () -> ashlar.destroyAll(List.of(first)),
                () -> ashlar.read("event").destroyAll(),
                () -> ashlar.read("event").destroyAll(Returning.ROWS));

        writes.forEach(write -> assertThatThrownBy(write).isInstanceOfSatisfying(QueryException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_QUERY);
            assertThat(e.resource()).contains("event");
            assertThat(e.getMessage()).contains("Resource 'event' is readOnly()", "remove readOnly()");
        }));
        assertThat(db.query("SELECT id, message, code FROM events ORDER BY id"))
                .extracting(r -> r.get("id") + " " + r.get("message") + " " + r.get("code"))
                .containsExactly("1 Hibernate User Guide rocks! a", "2 second b");
    }

    /**
     * The refusal names the write asked for: a create is refused as a create, a destroy as a destroy.
     */
    @Test
    void theRefusalNamesTheWriteAsked() {
        assertThatThrownBy(() -> ashlar.create("event", Map.of("code", "c"))).hasMessageContaining("no create of it");
        assertThatThrownBy(() -> ashlar.read("event").destroyAll()).hasMessageContaining("no destroy of it");
        assertThatThrownBy(() -> ashlar.upsert("event", Map.of("code", "a"), Upsert.on("unique_code")))
                .hasMessageContaining("no upsert of it");
    }

    /**
     * Hibernate's {@code @Immutable} entity written by plain SQL stays readable: the rows another writer adds and
     * changes are what the next read returns, since the resource only forbids writes through the data layer.
     */
    @Test
    void rowsWrittenByPlainSqlAreWhatTheNextReadOfAReadOnlyResourceReturns() {
        ashlar.sql("UPDATE events SET message = ? WHERE code = ?", "by hand", "b").execute();
        ashlar.sql("INSERT INTO events (message, code) VALUES (?, ?)", "third", "c").execute();

        assertThat(ashlar.read("event").sort(Sort.asc("id")).values("message", String.class))
                .containsExactly("Hibernate User Guide rocks!", "by hand", "third");
    }

    /**
     * {@code annotations.subselect.SubselectTest} and {@code orm.test.annotations.View} ({@code @Subselect},
     * {@code @View}): a resource over a view of another table's rows, grouped, reads what the table holds now, with
     * filters, sorts and counts; writes of it are refused, while the table under it is written as usual.
     */
    @Test
    void aResourceOverAViewReadsTheRowsOfTheTableUnderItAndRefusesWrites() {
        ashlar.createAll("book", List.of(Map.of("author", "Ada", "pages", 100), Map.of("author", "Ada", "pages", 50),
                Map.of("author", "Bob", "pages", 80)));

        List<Row> summaries = ashlar.read("author_summary").sort(Sort.desc("pages")).list();
        assertThat(summaries).extracting(row -> row.get("author") + " " + row.get("books") + " " + row.get("pages"))
                .containsExactly("Ada 2 150", "Bob 1 80");
        assertThat(ashlar.read("author_summary").where(Filter.gt("pages", 100L)).count()).isOne();

        ashlar.read("book").where(Filter.eq("author", "Bob")).updateAll(Map.of("pages", 200));
        assertThat(ashlar.get("author_summary", "Bob").get("pages")).isEqualTo(200L);
        assertThatThrownBy(() -> ashlar.update(ashlar.get("author_summary", "Ada"), Map.of("pages", 1L)))
                .isInstanceOf(QueryException.class).hasMessageContaining("'author_summary' is readOnly()");
        assertThat(db.query("SELECT table_type FROM information_schema.tables WHERE table_name = "
                + "'author_summaries'").get(0).get("table_type")).isEqualTo("VIEW");
    }

    /** A typed resource made read-only is read as records and refuses typed writes as the string API does. */
    @Test
    void aTypedReadOnlyResourceReadsRecordsAndRefusesTypedWrites() {
        List<Rate> rates = ashlar.read(Rate.RATES).sort(Rate.CURRENCY.asc()).list();
        assertThat(rates).containsExactly(new Rate(1, "EUR", 108), new Rate(2, "GBP", 127));

        assertThatThrownBy(() -> ashlar.create(Rate.RATES, new Rate(null, "USD", 100)))
                .isInstanceOf(QueryException.class).hasMessageContaining("'rate' is readOnly()");
        assertThatThrownBy(() -> ashlar.update(Rate.RATES, rates.get(0), Rate.CENTS.set(1)))
                .isInstanceOf(QueryException.class).hasMessageContaining("'rate' is readOnly()");
        assertThatThrownBy(() -> ashlar.destroy(Rate.RATES, rates.get(1))).isInstanceOf(QueryException.class);
        assertThat(db.query("SELECT cents FROM rates ORDER BY id")).extracting(r -> r.get("cents"))
                .containsExactly(108, 127);
    }

    /** Declarations that only a write through Ashlar acts on are refused on a read-only resource, naming them. */
    @Test
    void aReadOnlyResourceThatIsDraftableOrDestroysSoftlyIsRefusedWhenBuilt() {
        assertThatThrownBy(() -> Resource.builder("post").table("posts").integerPrimaryKey("id")
                .attribute("title", TEXT).draftable().readOnly().build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("readOnly() and draftable(...)");
        assertThatThrownBy(() -> Resource.builder("post").table("posts").integerPrimaryKey("id")
                .attribute("deleted_at", TIMESTAMPTZ).softDelete("deleted_at").readOnly().build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("softDelete(...)");
    }
}
