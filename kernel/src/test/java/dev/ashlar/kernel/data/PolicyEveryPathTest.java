package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ForbiddenException;
import dev.ashlar.api.error.NotFoundException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Sort;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.RequiresPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.ashlar.api.query.Filter.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Policies from the attacker's side on the paths {@link PolicyAttackerTest} does not walk: streams, cursors, pages,
 * first/one, async reads, refresh, transactions, an upsert's own changes ({@code set(...)}), an upsert that returns
 * the records it kept, and a merge's update of a matched row. Actor 2 reaches none of actor 1's rows and cannot
 * hand its own to actor 1.
 */
class PolicyEveryPathTest extends DomainDatabaseTest {
    private Ashlar policed;
    private Ashlar b;

    PolicyEveryPathTest() {
        super(PolicyAttackerTest.DOMAIN);
    }

    @BeforeAll
    void policed() {
        policed = Ashlar.builder().dataSource(db.dataSource()).domain(PolicyAttackerTest.DOMAIN)
                .policies(PolicyAttackerTest.DOCS, PolicyAttackerTest.PROJECTS).build();
        b = policed.withUser(2L);
    }

    @AfterAll
    void closed() {
        policed.close();
    }

    @BeforeEach
    void rows() {
        db.execute("TRUNCATE projects, docs RESTART IDENTITY");
        db.execute("INSERT INTO projects (name, owner_id) VALUES ('shared', 1)");
        db.execute("INSERT INTO docs (title, pages, owner_id, project_id) VALUES "
                + "('a-plan', 10, 1, 1), ('a-salary', 20, 1, 1), ('b-notes', 5, 2, 1)");
    }

    private String docs() {
        return String.valueOf(db.value("SELECT string_agg(id || ':' || title || ':' || pages || ':' || owner_id, ',' "
                + "ORDER BY id) FROM docs"));
    }

    private static final String SEEDED = "1:a-plan:10:1,2:a-salary:20:1,3:b-notes:5:2";

    @Test
    void streamsCursorsPagesAndAsyncReadsOfAnotherActorKeepToItsRows() throws Exception {
        try (Stream<Row> rows = b.read("doc").sort(Sort.asc("id")).stream()) {
            assertThat(rows.map(r -> r.get("id")).toList()).containsExactly(3L);
        }
        List<Object> each = new ArrayList<>();
        b.read("doc").forEach(row -> each.add(row.get("id")));
        assertThat(each).containsExactly(3L);
        assertThat(b.read("doc").sort(Sort.asc("id")).after(0L).limit(10).list()).extracting(r -> r.get("id"))
                .containsExactly(3L);
        assertThat(b.read("doc").sort(Sort.asc("id")).limit(1).offset(0).list()).extracting(r -> r.get("id"))
                .containsExactly(3L);
        assertThat(b.read("doc").where(eq("id", 1L)).first()).isEmpty();
        assertThat(b.read("doc").where(eq("id", 2L)).one()).isEmpty();
        assertThat(((Number) b.read("doc").max("pages")).intValue()).isEqualTo(5);
        assertThat(b.read("doc").listAsync().get()).extracting(r -> r.get("id")).containsExactly(3L);
        assertThat(b.read("doc").countAsync().get()).isEqualTo(1L);
        assertThat((long) b.transaction(tx -> tx.read("doc").count())).isEqualTo(1L);
        assertThatThrownBy(() -> b.refresh(Row.of("doc", Map.of("id", 1L)))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void anUpsertsOwnChangesCannotHandTheActorsRowToAnotherOwner() {
        assertThatThrownBy(() -> b.upsert("doc", List.of(Map.of("title", "b-notes", "owner_id", 2L)),
                Upsert.on("unique_title").set("owner_id", Atomic.subtract(1)))).isInstanceOf(ForbiddenException.class);

        assertThat(docs()).isEqualTo(SEEDED);
    }

    @Test
    void anUpsertReturningTheRecordsItKeptDoesNotReturnAnotherActorsRecord() {
        List<Row> kept = b.upsert("doc", List.of(Map.of("title", "a-salary", "owner_id", 2L)),
                Upsert.on("unique_title").doNothing().returnSkipped());
        assertThat(kept).isEmpty();
        assertThatThrownBy(() -> b.upsert("doc", Map.of("title", "a-salary", "owner_id", 2L),
                Upsert.on("unique_title").doNothing().returnSkipped())).isInstanceOf(AshlarException.class)
                .hasMessageNotContaining("20");

        assertThat(docs()).isEqualTo(SEEDED);
    }

    @Test
    @RequiresPostgres(value = 15, reason = "MERGE")
    void aMergesUpdateOfAMatchedRowCannotHandItToAnotherOwner() {
        assertThatThrownBy(() -> b.merge("doc", List.of(Map.of("title", "b-notes", "owner_id", 1L)),
                Merge.on("title").whenMatched().update())).isInstanceOf(ForbiddenException.class);

        assertThat(docs()).isEqualTo(SEEDED);
    }
}
