package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.query.Lock;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.Read;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A limit that keeps ties (jOOQ's {@code limit(n).withTies()}, SQL's {@code FETCH FIRST n ROWS WITH TIES}) on a
 * populated table of two tenants' players: the rows tied with the last one on every sort key come too, the tenant
 * column still confines reads and writes, and what PostgreSQL would refuse is refused naming the resource.
 */
class WithTiesTest extends DomainDatabaseTest {
    record Player(Integer id, String org, String name, Integer score) {
        static final Table<Player> PLAYERS = Table.of("player", Player.class);
        static final Field<Player, Integer> ID = PLAYERS.integerPrimaryKey("id");
        static final TextField<Player> ORG = PLAYERS.attribute("org", Kind.TEXT);
        static final TextField<Player> NAME = PLAYERS.attribute("name", Kind.TEXT);
        static final Field<Player, Integer> SCORE = PLAYERS.attribute("score", Kind.INTEGER);
        static final Resource RESOURCE = PLAYERS.builder().table("tie_players").add(ID, ORG, NAME, SCORE).build();
    }

    static final Domain DOMAIN = Domain.builder("ties").resources(Player.RESOURCE).build();

    WithTiesTest() {
        super(DOMAIN, OneResourceTenancy.column("player", "org", false));
    }

    private Ashlar acme;
    private Ashlar globex;

    /**
     * 500 players of acme scoring their id halved (1 scores 0, 2 and 3 score 1, ...), but 497 to 500, who tie at 497;
     * globex has three players, two of them tied at 497 with acme's and one above them all.
     */
    @BeforeEach
    void players() {
        db.execute("TRUNCATE tie_players; INSERT INTO tie_players (id, org, name, score) SELECT g, 'acme', 'p' || g, "
                + "CASE WHEN g >= 497 THEN 497 ELSE g / 2 END FROM generate_series(1, 500) g; "
                + "INSERT INTO tie_players (id, org, name, score) VALUES (501, 'globex', 'g1', 497), "
                + "(502, 'globex', 'g2', 497), (503, 'globex', 'top', 9000)");
        acme = ashlar.withTenant("acme");
        globex = ashlar.withTenant("globex");
    }

    private static List<Object> ids(List<Row> rows) {
        return rows.stream().map(row -> row.get("id")).sorted().toList();
    }

    @Test
    void theLimitKeepsEveryRowTiedWithTheLastOnTheSortKeys() {
        Read best = acme.read("player").sort(Sort.desc("score"));

        assertThat(ids(best.limit(2).withTies().list())).containsExactly(497, 498, 499, 500);
        assertThat(ids(best.limit(2).list())).as("without ties, the key orders the tied rows")
                .containsExactly(497, 498);
        assertThat(ids(best.limit(5).withTies().list())).containsExactly(496, 497, 498, 499, 500);
        assertThat(ids(best.limit(6).withTies().list())).containsExactly(494, 495, 496, 497, 498, 499, 500);
        assertThat(best.limit(2).withTies().count()).isEqualTo(4);
        assertThat(ids(acme.read("player").sort(Sort.asc("score")).limit(2).withTies().list()))
                .containsExactly(1, 2, 3);
    }

    @Test
    void anOffsetSkipsRowsBeforeTheLimitKeepsTies() {
        Read lowest = acme.read("player").sort(Sort.asc("score"));

        assertThat(ids(lowest.offset(1).limit(2).withTies().list())).containsExactly(2, 3);
        assertThat(ids(lowest.offset(1).limit(3).withTies().list())).containsExactly(2, 3, 4, 5);
    }

    @Test
    void aCursorOfTheLastRowGoesOnPastEveryRowTiedWithIt() {
        Read best = acme.read("player").sort(Sort.desc("score")).limit(2).withTies();
        List<Row> first = best.list();

        Object[] cursor = best.cursor(first.get(first.size() - 1));
        List<Row> next = best.after(cursor).list();

        assertThat(cursor).containsExactly(497);
        assertThat(ids(next)).containsExactly(494, 495, 496);
    }

    @Test
    void aCursorTakenWithoutTiesIsRefusedByAReadKeepingTiesSayingWhichCursorToTake() {
        Read untied = acme.read("player").sort(Sort.desc("score")).limit(2);
        List<Row> page = untied.list();
        Object[] cursor = untied.cursor(page.get(page.size() - 1));

        assertThat(cursor).containsExactly(497, 498);
        assertThatThrownBy(() -> untied.withTies().after(cursor).list())
                .isInstanceOfSatisfying(AshlarException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_QUERY);
                    assertThat(e.resource()).contains("player");
                })
                .hasMessageContaining("withTies() on a read of player takes a cursor of its 1 sort key value(s) "
                        + "alone and was given 2 in after(...)")
                .hasMessageContaining("cursor(row) on the read keeping ties")
                .hasMessageContaining("after(cursor[0])");
        assertThat(ids(untied.withTies().after(cursor[0]).list())).containsExactly(494, 495, 496);
    }

    @Test
    void firstOfAReadKeepingTiesReadsOneRowAndLocksOnlyIt() {
        Read best = acme.read("player").sort(Sort.desc("score")).limit(3).withTies();

        assertThat(best.first()).hasValueSatisfying(row -> assertThat(row.get("score")).isEqualTo(497));
        assertThat(best.offset(4).first()).hasValueSatisfying(row -> assertThat(row.get("id")).isEqualTo(496));
        long lockedByOthers = ashlar.transaction(tx -> {
            tx.withTenant("acme").read("player").sort(Sort.desc("score")).limit(1).withTies().lock(Lock.FOR_UPDATE)
                    .first().orElseThrow();
            return (Long) db.value("SELECT count(*) FROM (SELECT id FROM tie_players WHERE score = 497 "
                    + "AND org = 'acme' FOR UPDATE SKIP LOCKED) free");
        });
        assertThat(lockedByOthers).as("tied rows another transaction can still lock").isEqualTo(3L);
    }

    @Test
    void firstOfAReadKeepingTiesAfterACursorOfItsSortKeysIsTheTiedRowOfTheLowestKey() {
        // Rewritten rows go to the end of the table: 500 now comes first of the four tied at 497 in a scan.
        db.execute("UPDATE tie_players SET name = name WHERE id IN (497, 498, 499)");
        Read fromTheBottom = acme.read("player").sort(Sort.asc("score"));

        assertThat(fromTheBottom.limit(1).withTies().after(496).first())
                .hasValueSatisfying(row -> assertThat(row.get("id")).isEqualTo(497));
        assertThat(fromTheBottom.limit(2).after(496).list()).as("a page after a cursor of the sort keys alone")
                .extracting(row -> row.get("id")).containsExactly(497, 498);
        assertThat(fromTheBottom.limit(2).before(498).list()).as("a page before a cursor of the sort keys alone")
                .extracting(row -> row.get("id")).containsExactly(499, 500);
    }

    @Test
    void theTypedReadKeepsTiesAsTheStringReadDoes() {
        List<Player> best = acme.read(Player.PLAYERS).sort(Player.SCORE.desc()).limit(1).withTies().list();

        assertThat(best).extracting(Player::id).containsExactlyInAnyOrder(497, 498, 499, 500);
        assertThat(best).extracting(Player::score).containsOnly(497);
        assertThat(acme.read(Player.PLAYERS).sort(Player.SCORE.desc()).limit(1).withTies().query())
                .isEqualTo(acme.read("player").sort(Sort.desc("score")).limit(1).withTies().query());
    }

    @Test
    void aTenantsTiesAreItsOwnRowsAndAWriteOfThemChangesNoOtherTenantsRows() {
        assertThat(ids(globex.read("player").sort(Sort.desc("score")).limit(2).withTies().list()))
                .containsExactly(501, 502, 503);
        assertThat(ids(acme.read("player").sort(Sort.desc("score")).limit(1).withTies().list()))
                .containsExactly(497, 498, 499, 500);

        int destroyed = acme.read("player").sort(Sort.desc("score")).limit(1).withTies().destroyAll();

        assertThat(destroyed).isEqualTo(4);
        assertThat(db.query("SELECT id FROM tie_players WHERE score = 497 ORDER BY id"))
                .extracting(r -> r.get("id")).containsExactly(501, 502);
        assertThat(db.value("SELECT count(*) FROM tie_players")).isEqualTo(499L);
    }

    @Test
    void aLockingReadKeepingTiesLocksEveryTiedRow() {
        List<Row> locked = ashlar.transaction(tx -> tx.withTenant("acme").read("player").sort(Sort.desc("score"))
                .limit(1).withTies().lock(Lock.FOR_UPDATE).list());

        assertThat(ids(locked)).containsExactly(497, 498, 499, 500);
    }

    @Test
    void aReadKeepingTiesWithoutALimitOrASortOrSkippingLockedRowsIsRefusedNamingTheResource() {
        assertThatThrownBy(() -> acme.read("player").sort(Sort.desc("score")).withTies().list())
                .isInstanceOfSatisfying(AshlarException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_QUERY);
                    assertThat(e.resource()).contains("player");
                })
                .hasMessageContaining("withTies() on a read of player").hasMessageContaining("limit(n)");
        assertThatThrownBy(() -> acme.read("player").limit(3).withTies().list())
                .isInstanceOfSatisfying(AshlarException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_QUERY))
                .hasMessageContaining("needs a sort");
        assertThatThrownBy(() -> ashlar.transaction(tx -> tx.withTenant("acme").read("player")
                .sort(Sort.desc("score")).limit(1).withTies().lock(Lock.FOR_UPDATE_SKIP_LOCKED).list()))
                .isInstanceOfSatisfying(AshlarException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_QUERY))
                .hasMessageContaining("Lock.FOR_UPDATE_SKIP_LOCKED").hasMessageContaining("Lock.FOR_UPDATE or");
        assertThatThrownBy(() -> acme.read("player").sort(Sort.desc("score")).limit(1).withTies().page())
                .isInstanceOfSatisfying(AshlarException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_QUERY))
                .hasMessageContaining("page() of player");
        assertThat(db.value("SELECT count(*) FROM tie_players")).isEqualTo(503L);
    }
}
