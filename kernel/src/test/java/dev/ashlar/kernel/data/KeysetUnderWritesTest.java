package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Sort;
import dev.ashlar.kernel.Read;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ashlar.api.error.NotFoundException;
import dev.ashlar.api.error.QueryException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.slf4j.LoggerFactory;

import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Keyset walks over sort keys no row holds while another connection writes between the pages: the cursor row's key
 * and its neighbours' change, and the cursor row is deleted, after the page was read and before its cursor is taken.
 *
 * <p>What a walk guarantees: each page holds the rows that, when it is read, sort strictly after the values the
 * previous page's last row had <em>when that page was read</em> (its key's value, then its primary key). So the
 * values the walk sees only ever go forwards, a row that keeps its place on its side of the cursor (read, or not read
 * yet) is read exactly once, and neither a change of the cursor row's key nor its deletion moves where the next page
 * starts. The writes here keep every row on its side: rows already read move to the front or are deleted, and the row
 * the next page would start with moves to the end, so every row of the table is read exactly once.
 */
class KeysetUnderWritesTest extends DomainDatabaseTest {
    private static final int POSTS = 30;
    private static final int LIMIT = 4;
    private static final int MAX_PAGES = 100;

    KeysetUnderWritesTest() {
        super(ExpressionSortTest.DOMAIN);
    }

    /** A kind of sort key no row holds, with the SQL that moves a row's key in front of or past every other. */
    enum Key {
        SQL(false) {
            @Override
            Read sorted(Read read) {
                return read.sort(Sort.ascBy(sql("score * ?", 2)));
            }
        },
        CONDITION(true) {
            @Override
            Read sorted(Read read) {
                return read.sort(Sort.descBy(gt("score", 500)));
            }

            @Override
            String toFront(int id, int step) {
                return "UPDATE posts SET score = 1000 WHERE id = " + id;
            }

            @Override
            String toEnd(int id, int step) {
                return null;   // past every row means unpinned with a greater key: no write moves it there
            }
        },
        COUNT(false) {
            @Override
            Read sorted(Read read) {
                return read.sort(Sort.asc("comments").byCount());
            }

            @Override
            String toFront(int id, int step) {
                return "DELETE FROM comments WHERE post_id = " + id;
            }

            @Override
            String toEnd(int id, int step) {
                return "INSERT INTO comments (body, post_id) SELECT 'more', " + id + " FROM generate_series(1, "
                        + (10 + step) + ")";
            }
        },
        COMPUTED(false) {
            @Override
            Read sorted(Read read) {
                return read.compute("doubled", Integer.class, "score * 2").sort(Sort.asc("doubled"));
            }
        };

        private final boolean descending;

        Key(boolean descending) {
            this.descending = descending;
        }

        abstract Read sorted(Read read);

        /** SQL moving the row in front of every row of the walk, or null when no write can. */
        String toFront(int id, int step) {
            return "UPDATE posts SET score = " + (-1000 - step) + " WHERE id = " + id;
        }

        /** SQL moving the row past every row of the walk, or null when no write can. */
        String toEnd(int id, int step) {
            return "UPDATE posts SET score = " + (1000 + step) + " WHERE id = " + id;
        }

        /** The order of two cursors (the key's value, then the id) in the read's order. */
        int compare(Object[] one, Object[] other) {
            @SuppressWarnings({"unchecked", "rawtypes"})
            int byKey = ((Comparable) one[0]).compareTo(other[0]);
            return byKey != 0 ? descending ? -byKey : byKey : ((Integer) one[1]).compareTo((Integer) other[1]);
        }
    }

    @BeforeEach
    void posts() {
        db.execute("TRUNCATE comments, posts, organizations RESTART IDENTITY CASCADE");
        // scores tie in pairs, so pages break ties by the key; every post has 1 to 3 comments
        db.execute("INSERT INTO posts (title, score) SELECT 'post ' || i, i / 2 FROM generate_series(0, "
                + (POSTS - 1) + ") AS i");
        db.execute("INSERT INTO comments (body, post_id) SELECT 'c', p.id FROM posts p, generate_series(0, 2) AS c "
                + "WHERE c <= p.id % 3");
    }

    private List<Object> allIds() {
        return ashlar.read("post").list().stream().map(row -> row.get("id")).toList();
    }

    private void write(String sql) {
        if (sql != null) {
            db.execute(sql);
        }
    }

    private void delete(Object id) {
        db.execute("DELETE FROM comments WHERE post_id = " + id + "; DELETE FROM posts WHERE id = " + id);
    }

    /** Moves the cursor row at every other step where the key can move it, and deletes it otherwise; 1 if deleted. */
    private int moveOrDelete(int step, Row cursorRow, String move) {
        if (step % 2 == 0 && move != null) {
            write(move);
            return 0;
        }
        delete(cursorRow.get("id"));
        return 1;
    }

    @ParameterizedTest
    @EnumSource(Key.class)
    void aForwardWalkReadsEveryRowOnceWhileTheCursorRowAndItsNeighboursMoveOrAreDeleted(Key key) {
        List<Object> everyRow = allIds();
        Read read = key.sorted(ashlar.read("post")).limit(LIMIT);
        List<Object> seen = new ArrayList<>();
        List<Object[]> seenKeys = new ArrayList<>();
        int deleted = 0;
        List<Row> page = read.list();
        for (int step = 0; step < MAX_PAGES && !page.isEmpty(); step++) {
            for (Row row : page) {
                seen.add(row.get("id"));
                seenKeys.add(read.cursor(row));
            }
            Row last = page.get(page.size() - 1);
            List<Row> next = read.after(read.cursor(last)).limit(1).list();
            // Between the page and its cursor: the rows already read move to the front or go, the next one moves on.
            if (page.size() > 1) {
                write(key.toFront((Integer) page.get(page.size() - 2).get("id"), step));
            }
            deleted += moveOrDelete(step, last, key.toFront((Integer) last.get("id"), step));
            if (!next.isEmpty()) {
                write(key.toEnd((Integer) next.get(0).get("id"), step));
            }
            page = read.after(read.cursor(last)).list();
        }

        assertThat(page).isEmpty();
        assertThat(deleted).isGreaterThan(2);
        assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(everyRow);
        for (int i = 1; i < seenKeys.size(); i++) {
            assertThat(key.compare(seenKeys.get(i - 1), seenKeys.get(i))).as("row %d after row %d", i, i - 1)
                    .isNegative();
        }
    }

    @ParameterizedTest
    @EnumSource(Key.class)
    void aBackwardWalkReadsEveryRowOnceWhileTheCursorRowAndItsNeighboursMoveOrAreDeleted(Key key) {
        List<Object> everyRow = allIds();
        Read read = key.sorted(ashlar.read("post")).limit(LIMIT);
        List<Row> whole = read.limit(POSTS).list();
        Row end = whole.get(whole.size() - 1);
        List<Object> seen = new ArrayList<>(List.of(end.get("id")));
        List<Object[]> seenKeys = new ArrayList<>(List.<Object[]>of(read.cursor(end)));
        int deleted = 0;
        List<Row> page = read.before(read.cursor(end)).list();
        for (int step = 0; step < MAX_PAGES && !page.isEmpty(); step++) {
            for (int i = page.size() - 1; i >= 0; i--) {
                seen.add(page.get(i).get("id"));
                seenKeys.add(read.cursor(page.get(i)));
            }
            Row first = page.get(0);
            List<Row> previous = read.before(read.cursor(first)).list();
            // Walking backwards, the rows already read are the later ones: they move to the end or go.
            if (page.size() > 1) {
                write(key.toEnd((Integer) page.get(1).get("id"), step));
            }
            deleted += moveOrDelete(step, first, key.toEnd((Integer) first.get("id"), step));
            if (!previous.isEmpty()) {
                write(key.toFront((Integer) previous.get(previous.size() - 1).get("id"), step));
            }
            page = read.before(read.cursor(first)).list();
        }

        assertThat(page).isEmpty();
        assertThat(deleted).isGreaterThan(2);
        assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(everyRow);
        Collections.reverse(seenKeys);
        for (int i = 1; i < seenKeys.size(); i++) {
            assertThat(key.compare(seenKeys.get(i - 1), seenKeys.get(i))).as("row %d before row %d", i - 1, i)
                    .isNegative();
        }
    }

    @Test
    void aRowListedUnderOtherSortKeysHasItsKeyReadAgainForTheCursor() {
        Row row = Key.SQL.sorted(ashlar.read("post")).limit(LIMIT).list().get(1);
        Read byTriple = ashlar.read("post").sort(Sort.ascBy(sql("score * 3"))).limit(LIMIT);
        db.execute("UPDATE posts SET score = 7 WHERE id = " + row.get("id"));

        assertThat(byTriple.cursor(row)).containsExactly(21, row.get("id"));
        delete(row.get("id"));
        assertThatThrownBy(() -> byTriple.cursor(row)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aSortByAValueNoCursorTakesListsItsPagesAndRefusesOnlyTheCursor() {
        Read read = ashlar.read("post").sort(Sort.ascBy(sql("to_jsonb(score)"))).limit(LIMIT);

        List<Row> page = read.list();

        assertThat(page).hasSize(LIMIT);
        assertThatThrownBy(() -> read.cursor(page.get(0))).isInstanceOf(QueryException.class)
                .hasMessageContaining("post").hasMessageContaining("jsonb").hasMessageContaining("offset(...)");
    }

    @Test
    void aPageSortedByAttributesSelectsTheStatementARecordReadSelectsAndAnExpressionPageOneValueMore() {
        List<String> plain = statements(ashlar.read("post").sort(Sort.asc("score")).limit(100)
                .after(3, 6));
        List<String> byExpression = statements(Key.SQL.sorted(ashlar.read("post")).limit(100).after(6, 6));

        assertThat(plain.get(0)).isEqualTo(plain.get(1));
        assertThat(byExpression.get(0)).startsWith(byExpression.get(1).substring(0, byExpression.get(1)
                .indexOf(" FROM "))).isNotEqualTo(byExpression.get(1)).contains(", ((score * ?)) FROM");
    }

    record Scored(Integer id, Integer score) {
    }

    /** The SQL of the read's page of rows, then of its page of records, as the data layer logs them. */
    private static List<String> statements(Read read) {
        Logger logger = (Logger) LoggerFactory.getLogger("dev.ashlar.kernel.data.internal.SqlStatement");
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        Level level = logger.getLevel();
        logged.start();
        logger.addAppender(logged);
        logger.setLevel(Level.DEBUG);
        try {
            assertThat(read.list()).isNotEmpty();
            assertThat(read.list(Scored.class)).isNotEmpty();
        } finally {
            logger.detachAppender(logged);
            logger.setLevel(level);
        }
        return logged.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(sql -> sql.startsWith("SELECT")).map(sql -> sql.substring(0, sql.indexOf(" -- "))).toList();
    }
}
