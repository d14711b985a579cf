package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.Read;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Keyset cursors over a sort by a related record's attribute: Ash pages such a sort by keyset too. */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RelatedKeysetTest {
    private static final Domain DOMAIN = Domain.builder("related_keyset")
            .resource(Resource.builder("writer").table("keyset_writers")
                    .integerPrimaryKey("id")
                    .attribute("name", TEXT)
                    .belongsTo("agency", "agency")
                    .build())
            .resource(Resource.builder("agency").table("keyset_agencies")
                    .integerPrimaryKey("id")
                    .attribute("city", TEXT)
                    .build())
            .resource(Resource.builder("article").table("keyset_articles")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .belongsTo("writer", "writer")
                    .build())
            .build();

    private Ashlar ashlar;

    @BeforeAll
    void start(TestDatabase db) {
        ashlar = Fixtures.ashlar(db, DOMAIN);
        Row paris = ashlar.create("agency", Map.of("city", "Paris"));
        Row rome = ashlar.create("agency", Map.of("city", "Rome"));
        List<Row> writers = List.of(
                ashlar.create("writer", Map.of("name", "Ada", "agency_id", rome.get("id"))),
                ashlar.create("writer", Map.of("name", "Bob", "agency_id", paris.get("id"))),
                ashlar.create("writer", Map.of("name", "Ada")),     // the same name: ties broken by the article's id
                ashlar.create("writer", Map.of("agency_id", paris.get("id"))));   // no name
        int n = 0;
        for (int round = 0; round < 3; round++) {
            for (Row writer : writers) {
                ashlar.create("article", Map.of("title", "a" + n++, "writer_id", writer.get("id")));
            }
            ashlar.create("article", Map.of("title", "a" + n++));   // no writer
        }
    }

    @AfterAll
    void stop() {
        ashlar.close();
    }

    private List<Object> all(Sort... sorts) {
        return ashlar.read("article").sort(sorts).list().stream().map(r -> r.get("id")).toList();
    }

    /** Every row, a page of {@code size} at a time, each page after the cursor of the last row of the one before. */
    private List<Object> pagedForward(int size, Sort... sorts) {
        Read read = ashlar.read("article").sort(sorts).load("writer.agency").limit(size);
        List<Object> ids = new ArrayList<>();
        for (List<Row> page = read.list(); !page.isEmpty(); page = read.after(read.cursor(page.get(page.size() - 1)))
                .list()) {
            page.forEach(row -> ids.add(row.get("id")));
            assertThat(ids.size()).as("pages end").isLessThanOrEqualTo(100);
        }
        return ids;
    }

    @Test
    void pagesThroughEveryRowOnceSortedByARelatedAttributeWithNullsAndTies() {
        Sort[][] orders = {
                {Sort.asc("writer.name")},
                {Sort.desc("writer.name")},
                {Sort.asc("writer.name").nullsFirst()},
                {Sort.desc("writer.name").nullsLast(), Sort.desc("id")},
                {Sort.asc("writer.agency.city"), Sort.desc("writer.name")},
        };
        for (Sort[] order : orders) {
            for (int size : new int[]{1, 2, 5}) {
                List<Object> expected = all(withId(order));
                assertThat(pagedForward(size, order)).as(List.of(order) + " by " + size)
                        .containsExactlyElementsOf(expected).doesNotHaveDuplicates();
            }
        }
    }

    @Test
    void pagesBackwardBeforeACursorOnARelatedAttribute() {
        Read read = ashlar.read("article").sort(Sort.asc("writer.name"), Sort.asc("id")).load("writer");
        List<Row> rows = read.list();
        Map<Object, Integer> at = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            at.put(rows.get(i).get("id"), i);
        }
        for (int i = 0; i < rows.size(); i++) {
            List<Object> before = read.before(read.cursor(rows.get(i))).list().stream().map(r -> r.get("id")).toList();
            assertThat(before).as("before row " + i).containsExactlyElementsOf(
                    rows.subList(0, i).stream().map(r -> r.get("id")).toList());
            List<Object> after = read.after(read.cursor(rows.get(i))).list().stream().map(r -> r.get("id")).toList();
            assertThat(after).as("after row " + i).containsExactlyElementsOf(
                    rows.subList(i + 1, rows.size()).stream().map(r -> r.get("id")).toList());
        }
        assertThat(at).hasSize(rows.size());
    }

    @Test
    void aCursorFromARowWithoutTheRelationshipLoadedSaysToLoadIt() {
        Read read = ashlar.read("article").sort(Sort.asc("writer.name")).limit(2);
        Row row = read.list().get(0);
        assertThatThrownBy(() -> read.cursor(row)).isInstanceOf(AshlarException.class)
                .hasMessageContaining("'writer'", "load(\"writer\")");
    }

    @Test
    void aForgedCursorIsComparedAsValuesOfItsKeysAndAValueOfTheWrongTypeIsRefusedNamingTheKey() {
        Read read = ashlar.read("article").sort(Sort.asc("writer.name"), Sort.asc("id"));
        List<Object> afterAda = read.after("Ada", Integer.MAX_VALUE).list().stream().map(r -> r.get("id")).toList();

        List<Object> afterForged = read.after("Ada'; DROP TABLE keyset_articles; --", 0).list().stream()
                .map(r -> r.get("id")).toList();

        assertThat(afterForged).isNotEmpty().containsExactlyElementsOf(afterAda);
        assertThat(ashlar.read("article").count()).isEqualTo(15);
        assertThatThrownBy(() -> read.after("Ada", "0) OR (1 = 1").list())
                .isInstanceOf(dev.ashlar.api.error.QueryException.class)
                .hasMessageContaining("A cursor on article at its sort key 'id'");
        assertThatThrownBy(() -> read.after(List.of("Ada"), 0).list())
                .isInstanceOf(dev.ashlar.api.error.QueryException.class)
                .hasMessageContaining("A cursor on article at its sort key 'writer.name'");
    }

    private static Sort[] withId(Sort[] order) {
        for (Sort sort : order) {
            if (sort.field().equals("id")) {
                return order;
            }
        }
        Sort[] all = java.util.Arrays.copyOf(order, order.length + 1);
        all[order.length] = Sort.asc("id");
        return all;
    }
}
