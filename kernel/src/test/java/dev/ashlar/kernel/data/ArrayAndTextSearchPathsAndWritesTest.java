package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.containsAll;
import static dev.ashlar.api.query.Filter.containsAny;
import static dev.ashlar.api.query.Filter.not;
import static dev.ashlar.api.query.Filter.sql;
import static dev.ashlar.api.query.Filter.textSearch;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.arrayOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The array filters, full-text search and a list bound in a filter's SQL through relationship paths and in writes,
 * from the other tenant's side: a card is scoped by a tenant column, the board it sits on is shared. Another tenant's
 * cards are neither matched through a path nor updated or destroyed by a filter their values match; a {@code tsvector}
 * column is searched as it is.
 */
class ArrayAndTextSearchPathsAndWritesTest extends DomainDatabaseTest {
    private static final Domain DOMAIN = Domain.builder("arrpaths")
            .resource(Resource.builder("board").table("arrpaths_boards").integerPrimaryKey("id")
                    .attribute("name", TEXT).attribute("labels", arrayOf(TEXT)).hasMany("cards", "card").build())
            .resource(Resource.builder("card").table("arrpaths_cards").integerPrimaryKey("id")
                    .attribute("tenant", TEXT).attribute("body", TEXT).attribute("tags", arrayOf(TEXT))
                    .attribute("words", TEXT, a -> a.migrationType("tsvector")).belongsTo("board", "board").build())
            .build();

    private Row board;
    private Row acmeCard;
    private Row globexCard;

    ArrayAndTextSearchPathsAndWritesTest() {
        super(DOMAIN, OneResourceTenancy.column("card", "tenant", true));
    }

    @BeforeAll
    void seed() {
        board = ashlar.create("board", Map.of("name", "shared", "labels", List.of("red")));
        ashlar.create("board", Map.of("name", "other", "labels", List.of("blue")));
        acmeCard = card("acme", "The rats ate the cheese", List.of("go"));
        globexCard = card("globex", "A cat in the cellar", List.of("java"));
        // The vector says other words than the body: a search of it reads the column, not the body.
        db.execute("UPDATE arrpaths_cards SET words = to_tsvector('english', 'zebras grazing') WHERE tenant = 'acme'");
        db.execute("UPDATE arrpaths_cards SET words = to_tsvector('english', body) WHERE tenant = 'globex'");
    }

    private Row card(String tenant, String body, List<String> tags) {
        Map<String, Object> values = new HashMap<>();
        values.put("body", body);
        values.put("tags", tags);
        values.put("board_id", board.get("id"));
        return ashlar.withTenant(tenant).create("card", values);
    }

    private List<Object> boards(String tenant, Filter filter) {
        return ashlar.withTenant(tenant).read("board").where(filter).sort(Sort.asc("id")).list().stream()
                .map(r -> r.get("name")).toList();
    }

    private List<String> storedTags(Row card) {
        Object tags = db.query("SELECT array_to_string(tags, ',') AS tags FROM arrpaths_cards WHERE id = ?",
                card.get("id")).get(0).get("tags");
        return List.of(((String) tags).split(","));
    }

    @Test
    void throughAPathOnlyTheTenantsOwnCardsAreMatched() {
        assertThat(boards("acme", containsAny("cards.tags", List.of("go")))).containsExactly("shared");
        assertThat(boards("acme", containsAny("cards.tags", List.of("java")))).isEmpty();
        assertThat(boards("globex", containsAny("cards.tags", List.of("java")))).containsExactly("shared");
        assertThat(boards("acme", textSearch("cards.body", "english", "cellar"))).isEmpty();
        assertThat(boards("globex", textSearch("cards.body", "english", "cellar"))).containsExactly("shared");
    }

    @Test
    void aNegatedArrayFilterThroughAToOnePathKeepsTheRowsTheOtherBoardHolds() {
        List<Object> cards = ashlar.withTenant("acme").read("card")
                .where(not(containsAny("board.labels", List.of("blue")))).list().stream().map(r -> r.get("id")).toList();
        List<Object> red = ashlar.withTenant("acme").read("card")
                .where(not(containsAny("board.labels", List.of("red")))).list().stream().map(r -> r.get("id")).toList();

        assertThat(cards).containsExactly(acmeCard.get("id"));
        assertThat(red).isEmpty();
    }

    @Test
    void anUpdateOrDestroyByTheOtherTenantsValuesWritesNothingOfTheirs() {
        List<Row> updated = ashlar.withTenant("globex").read("card").where(containsAny("tags", List.of("go")))
                .updateAll(Map.of("body", "stolen"));
        int destroyed = ashlar.withTenant("globex").read("card").where(sql("tags && ?", List.of("go"))).destroyAll();
        int searched = ashlar.withTenant("globex").read("card").where(textSearch("body", "english", "cheese"))
                .destroyAll();

        assertThat(updated).isEmpty();
        assertThat(destroyed).isZero();
        assertThat(searched).isZero();
        assertThat(db.query("SELECT body FROM arrpaths_cards WHERE id = ?", acmeCard.get("id")))
                .extracting(r -> r.get("body")).containsExactly("The rats ate the cheese");
    }

    @Test
    void aListInAnAtomicChangeAppendsToTheMatchedTenantsArraysOnly() {
        List<Row> updated = ashlar.withTenant("globex").read("card").where(containsAll("tags", List.of("java")))
                .updateAll(Map.of("tags", Atomic.sql("tags || ?", List.of("seen", "kept"))));

        assertThat(updated).extracting(r -> r.get("id")).containsExactly(globexCard.get("id"));
        assertThat(storedTags(globexCard)).containsExactly("java", "seen", "kept");
        assertThat(storedTags(acmeCard)).containsExactly("go");
        ashlar.withTenant("globex").read("card").where(Filter.eq("id", globexCard.get("id")))
                .updateAll(Map.of("tags", List.of("java")));
    }

    @Test
    void aSearchOfATextColumnUsesTheIndexOfItsConfigsVector() throws InterruptedException {
        db.execute("INSERT INTO arrpaths_cards (tenant, body) SELECT 'initech', 'filler card number ' || n "
                + "FROM generate_series(1, 5000) AS n");
        db.execute("CREATE INDEX arrpaths_cards_body_search ON arrpaths_cards USING gin (to_tsvector('english', body))");
        db.execute("ANALYZE arrpaths_cards");

        List<Row> found = ashlar.withTenant("acme").read("card").where(textSearch("body", "english", "cheese")).list();

        assertThat(found).extracting(r -> r.get("id")).containsExactly(acmeCard.get("id"));
        // The configuration, bound untyped, is a regconfig constant when planned, as in the index's expression; bound
        // as text, it would be cast when the row is read, and every row scanned. The server counts index scans a
        // moment after the statement ends.
        long deadline = System.nanoTime() + 20_000_000_000L;
        Object scans = 0L;
        while (System.nanoTime() < deadline && Long.valueOf(0L).equals(scans)) {
            Thread.sleep(200);
            scans = db.value("SELECT idx_scan FROM pg_stat_user_indexes WHERE indexrelname = 'arrpaths_cards_body_search'");
        }
        assertThat((Long) scans).isPositive();
    }

    @Test
    void aTsvectorColumnIsSearchedAsItIsNotAsTheTextOfItsLexemes() {
        assertThat(ashlar.withTenant("acme").read("card").where(textSearch("words", "english", "zebra")).list())
                .extracting(r -> r.get("id")).containsExactly(acmeCard.get("id"));
        // Its positions are the column's: the text 'graze':2 'zebra':1, searched again, would put graze first.
        assertThat(ashlar.withTenant("acme").read("card").where(textSearch("words", "english", "\"zebras grazing\""))
                .list()).extracting(r -> r.get("id")).containsExactly(acmeCard.get("id"));
        assertThat(ashlar.withTenant("acme").read("card").where(textSearch("words", "english", "cheese")).count())
                .isZero();
        assertThat(ashlar.withTenant("globex").read("card").where(textSearch("words", "english", "zebra")).count())
                .isZero();
        assertThat(ashlar.withTenant("globex").read("card").where(textSearch("words", "english", "cellars")).list())
                .extracting(r -> r.get("id")).containsExactly(globexCard.get("id"));
    }
}
