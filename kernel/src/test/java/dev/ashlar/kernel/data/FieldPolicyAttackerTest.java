package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.ForbiddenException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.incoming;
import static dev.ashlar.api.query.Filter.lt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Field policies from the attacker's side, through writes: alice (actor 2) sees only carol's salary, and tries to
 * learn the others' by counting the rows an update reaches, copying a salary into a field she sees, reading the
 * record a write returns and conditioning an upsert on it. Each effect is checked on the rows in the database.
 */
class FieldPolicyAttackerTest extends DomainDatabaseTest {
    private Ashlar policed;
    private Ashlar boss;
    private Ashlar alice;

    FieldPolicyAttackerTest() {
        super(FieldPolicyTest.DOMAIN);
    }

    @BeforeAll
    void policed() {
        policed = Ashlar.builder().dataSource(db.dataSource()).domain(FieldPolicyTest.DOMAIN)
                .policies(FieldPolicyTest.EMPLOYEES, FieldPolicyTest.DEPTS).build();
        boss = policed.withUser(1L);
        alice = policed.withUser(2L);
    }

    @AfterAll
    void closed() {
        policed.close();
    }

    @BeforeEach
    void rows() {
        FieldPolicyTest.seed(db);
    }

    private String names() {
        return String.valueOf(db.value("SELECT string_agg(id || ':' || name || ':' || coalesce(bonus::text, '-'), ',' "
                + "ORDER BY id) FROM employees"));
    }

    @Test
    void anUpdateFilteredByAHiddenFieldReachesOnlyTheRowsWhereTheActorSeesIt() {
        int updated = alice.read("employee").where(gt("salary", 100000)).updateCount(Map.of("name", "rich"));

        assertThat(updated).isEqualTo(1);
        assertThat(names()).isEqualTo("1:boss:-,2:alice:-,3:bob:-,4:rich:-");
    }

    @Test
    void aDestroyFilteredByAHiddenFieldReachesOnlyTheRowsWhereTheActorSeesIt() {
        assertThat(alice.read("employee").where(gt("salary", 100000)).destroyAll()).isEqualTo(1);
        assertThat(db.value("SELECT string_agg(id::text, ',' ORDER BY id) FROM employees")).isEqualTo("1,2,3");
    }

    @Test
    void anAtomicCopyOfAHiddenFieldCopiesNullWhereTheActorMayNotSeeIt() {
        alice.read("employee").updateAll(Map.of("bonus", Atomic.of("salary")));

        assertThat(names()).isEqualTo("1:boss:-,2:alice:-,3:bob:-,4:carol:120000");
    }

    @Test
    void theRecordAnUpdateReturnsHoldsItsHiddenValueAsForbidden() {
        Row stored = alice.read("employee").where(eq("id", 2L)).first().orElseThrow();

        Row updated = alice.update(stored, Map.of("name", "alicia"));
        List<Row> all = alice.read("employee").where(eq("id", 3L)).updateAll(Map.of("name", "robert"));

        assertThat(updated.forbidden("salary")).isTrue();
        assertThat(updated.toMap()).doesNotContainValue(150000L);
        assertThat(all.get(0).forbidden("salary")).isTrue();
        assertThat(boss.update(updated, Map.of("name", "al")).getLong("salary")).isEqualTo(150000L);
        assertThat(names()).isEqualTo("1:boss:-,2:al:-,3:robert:-,4:carol:-");
    }

    @Test
    void theRecordACreateReturnsHoldsItsHiddenValueAsForbiddenUnlessTheActorSeesIt() {
        Row hers = alice.create("employee", Map.of("name", "dan", "salary", 70000L, "manager_id", 2L));
        Row theirs = alice.create("employee", Map.of("name", "eve", "salary", 80000L, "manager_id", 1L));

        assertThat(hers.getLong("salary")).isEqualTo(70000L);
        assertThat(theirs.forbidden("salary")).isTrue();
        assertThat(db.value("SELECT salary FROM employees WHERE name = 'eve'")).isEqualTo(80000L);
    }

    @Test
    void anUpsertConditionedOnAHiddenFieldIsRefusedAndWritesNothing() {
        assertThatThrownBy(() -> alice.upsert("employee", Map.of("name", "bob", "salary", 1L),
                Upsert.on("unique_name").where(lt("salary", incoming("salary")))))
                .isInstanceOfSatisfying(ForbiddenException.class,
                        e -> assertThat(e.policy()).isEqualTo("field salary"));
        assertThat(db.value("SELECT salary FROM employees WHERE name = 'bob'")).isEqualTo(90000L);
    }

    @Test
    void theRecordAnUpsertReturnsHoldsItsHiddenValueAsForbidden() {
        Row bob = alice.upsert("employee", Map.of("name", "bob", "notes", "x"), Upsert.on("unique_name"));

        assertThat(bob.forbidden("salary")).isTrue();
        assertThat(bob.forbidden("notes")).isTrue();
        assertThat(db.value("SELECT notes FROM employees WHERE name = 'bob'")).isEqualTo("x");
    }
}
