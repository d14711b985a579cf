package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.ForbiddenException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Policy;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.isNil;
import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.JSON;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Field policies ({@code Policy.field}, Ash's {@code field_policies} and AshPostgres's {@code filter_field_policy}):
 * a manager sees the salaries of the employees who report to them, and only the boss sees notes. Every read of a
 * hidden value, a row's, a filter's, a sort's, an aggregate's, a relationship's, meets NULL.
 */
class FieldPolicyTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("fielded")
            .resource(Resource.builder("dept").table("depts").bigintPrimaryKey("id").attribute("name", TEXT)
                    .hasMany("employees", "employee")
                    .sum("salary_total", "employees", "salary").max("top_salary", "employees", "salary")
                    .build())
            .resource(Resource.builder("employee").table("employees").bigintPrimaryKey("id")
                    .attribute("name", TEXT).attribute("salary", BIGINT).attribute("bonus", BIGINT)
                    .attribute("notes", TEXT)
                    .belongsTo("manager", "employee").belongsTo("dept", "dept")
                    .identity("unique_name", "name")
                    .calculate("double_salary", Long.class, "salary * 2")
                    .build())
            // json has no equality operator: a combination compares its rows with the column as jsonb.
            .resource(Resource.builder("badge").table("badges").bigintPrimaryKey("id").attribute("label", TEXT)
                    .attribute("data", JSON, a -> a.migrationType("json")).build())
            .build();

    static final Policy EMPLOYEES = Policy.on("employee").read(Policy.EVERY_ROW).create(Policy.EVERY_ROW)
            .update(Policy.EVERY_ROW).destroy(Policy.EVERY_ROW)
            .field("salary", actor -> eq("manager_id", actor.id()))
            .field("notes", actor -> actor.id().equals(1L) ? Policy.ANY_ROW : Policy.NO_ROW);
    static final Policy DEPTS = Policy.on("dept").read(Policy.EVERY_ROW);
    static final Policy BADGES = Policy.on("badge").read(Policy.EVERY_ROW)
            .field("data", actor -> eq("label", "public"));

    record Employee(Long id, String name, Long salary) {
    }

    private Ashlar policed;
    private Ashlar boss;
    private Ashlar alice;

    FieldPolicyTest() {
        super(DOMAIN);
    }

    @BeforeAll
    void policed() {
        policed = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN).policies(EMPLOYEES, DEPTS, BADGES).build();
        boss = policed.withUser(1L);
        alice = policed.withUser(2L);
    }

    @AfterAll
    void closed() {
        policed.close();
    }

    @BeforeEach
    void rows() {
        seed(db);
    }

    /** 1 boss (no manager), 2 alice and 3 bob report to 1, 4 carol reports to 2. */
    static void seed(TestDatabase db) {
        db.execute("TRUNCATE depts, employees RESTART IDENTITY");
        db.execute("INSERT INTO depts (name) VALUES ('sales')");
        db.execute("INSERT INTO employees (name, salary, notes, manager_id, dept_id) VALUES "
                + "('boss', 500000, 'n1', NULL, 1), ('alice', 150000, 'n2', 1, 1), ('bob', 90000, 'n3', 1, 1), "
                + "('carol', 120000, 'n4', 2, 1)");
    }

    private static List<Long> ids(List<Row> rows) {
        return rows.stream().map(row -> row.getLong("id")).toList();
    }

    @Test
    void aRowHoldsAHiddenValueAsForbiddenAndTheAllowedRowsValue() {
        List<Row> rows = alice.read("employee").sort(Sort.asc("id")).list();

        assertThat(rows.get(3).getLong("salary")).isEqualTo(120000L);
        assertThat(rows.get(1).forbidden("salary")).isTrue();
        assertThat(rows.get(3).forbidden("salary")).isFalse();
        assertThatThrownBy(() -> rows.get(1).get("salary")).isInstanceOfSatisfying(ForbiddenException.class, e -> {
            assertThat(e.resource()).contains("employee");
            assertThat(e.policy()).isEqualTo("field salary");
            assertThat(e.getMessage()).contains("salary");
        });
        assertThat(rows.get(1).toMap()).doesNotContainKey("salary").containsEntry("name", "alice");
        assertThat(rows.stream().allMatch(row -> row.forbidden("notes"))).isTrue();
    }

    @Test
    void aCombinationsRowsHoldAHiddenValueAsForbiddenAsAReadsDo() {
        List<Row> rows = alice.read("employee").where(gt("id", 2L))
                .union(alice.read("employee").where(eq("name", "alice"))).sort(Sort.asc("id")).list();

        assertThat(ids(rows)).containsExactly(2L, 3L, 4L);
        assertThat(rows.get(0).forbidden("salary")).isTrue();
        assertThatThrownBy(() -> rows.get(1).get("salary")).isInstanceOfSatisfying(ForbiddenException.class,
                e -> assertThat(e.policy()).isEqualTo("field salary"));
        assertThat(rows.get(2).getLong("salary")).isEqualTo(120000L);
        assertThat(rows.get(2).forbidden("salary")).isFalse();
        assertThat(rows.get(0).toMap()).doesNotContainKey("salary").doesNotContainKey("notes")
                .containsEntry("name", "alice");
        assertThat(rows.stream().allMatch(row -> row.forbidden("notes"))).isTrue();
        assertThat(ids(alice.read("employee").union(alice.read("employee")).where(isNil("salary"))
                .sort(Sort.asc("id")).list())).containsExactly(1L, 2L, 3L);

        List<Row> loaded = alice.read("employee").union(alice.read("employee")).load("double_salary")
                .sort(Sort.asc("id")).list();
        assertThat(loaded.get(1).forbidden("salary")).isTrue();
        assertThat(loaded.get(1).get("double_salary")).isNull();
        assertThat(loaded.get(3).getLong("salary")).isEqualTo(120000L);
        assertThat(loaded.get(3).getLong("double_salary")).isEqualTo(240000L);
    }

    @Test
    void aCombinationComparingAJsonColumnAsJsonbHoldsAHiddenValueAsForbidden() {
        db.execute("TRUNCATE badges RESTART IDENTITY");
        db.execute("INSERT INTO badges (label, data) VALUES ('public', '{\"a\": 1}'), ('secret', '{\"b\": 2}')");

        List<Row> rows = alice.read("badge").union(alice.read("badge").where(eq("label", "secret")))
                .sort(Sort.asc("id")).list();

        assertThat(ids(rows)).containsExactly(1L, 2L);
        assertThat(rows.get(0).forbidden("data")).isFalse();
        assertThat(rows.get(0).get("data").toString()).contains("\"a\"");
        assertThat(rows.get(1).forbidden("data")).isTrue();
        assertThatThrownBy(() -> rows.get(1).get("data")).isInstanceOf(ForbiddenException.class);
    }

    @Test
    void aReadFromAStatementIsRefusedForAnActorFromWhomAFieldIsHiddenSinceTheStatementReadsTheStoredValue() {
        String oracle = "SELECT * FROM employees WHERE salary > ?";

        assertThatThrownBy(() -> alice.read("employee").from(oracle, 100000).list())
                .isInstanceOfSatisfying(ForbiddenException.class, e -> assertThat(e.getMessage())
                        .contains("employee").contains("salary").contains("bypassPolicies()"));
        assertThat(ids(policed.bypassPolicies().read("employee").from(oracle, 100000).sort(Sort.asc("id")).list()))
                .containsExactly(1L, 2L, 4L);
    }

    @Test
    void anUpdateGivingAHiddenFieldWritesItUnseenAndOneLeavingItOutKeepsTheStoredValue() {
        Row bob = alice.get("employee", 3L);

        Row renamed = alice.update(bob, Map.of("name", "robert"));
        Row paid = alice.update(renamed, Map.of("salary", 95000L));

        assertThat(bob.forbidden("salary")).isTrue();
        assertThat(paid.forbidden("salary")).isTrue();
        assertThat(db.query("SELECT name, salary FROM employees WHERE id = 3")).extracting(r -> r.get("name"),
                r -> r.get("salary")).containsExactly(org.assertj.core.groups.Tuple.tuple("robert", 95000L));
    }

    @Test
    void aFieldPolicyOnAnAttributeARelationshipLinksByIsRefused() {
        assertThatThrownBy(() -> Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN)
                .policies(Policy.on("employee").read(Policy.EVERY_ROW).field("dept_id", Policy.EVERY_ROW)).build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("dept_id")
                .hasMessageContaining("relationship");
    }

    @Test
    void theAllowedActorSeesTheValuesItsPolicyAllows() {
        List<Row> rows = boss.read("employee").sort(Sort.asc("id")).list();

        assertThat(rows.stream().map(row -> row.forbidden("salary") ? "-" : String.valueOf(row.get("salary")))
                .collect(Collectors.joining(","))).isEqualTo("-,150000,90000,-");
        assertThat(rows.stream().map(row -> row.getString("notes")).toList()).containsExactly("n1", "n2", "n3", "n4");
    }

    @Test
    void aTypedRecordGetsNullForAHiddenValue() {
        List<Employee> employees = alice.read("employee").sort(Sort.asc("id")).list(Employee.class);

        assertThat(employees).extracting(Employee::salary).containsExactly(null, null, null, 120000L);
    }

    @Test
    void aFilterOnAHiddenFieldMeetsNullSoItTellsNothingAboutTheValue() {
        assertThat(ids(alice.read("employee").where(gt("salary", 100000)).list())).containsExactly(4L);
        assertThat(alice.read("employee").where(gt("salary", 100000)).count()).isEqualTo(1);
        assertThat(ids(alice.read("employee").where(isNil("salary")).sort(Sort.asc("id")).list()))
                .containsExactly(1L, 2L, 3L);
        assertThat(ids(boss.read("employee").where(gt("salary", 100000)).list())).containsExactly(2L);
    }

    @Test
    void aSortByAHiddenFieldOrdersHiddenRowsAsNulls() {
        // By salary, hidden rows would come 3, 2, 1; as nulls they tie and come by their key.
        List<Long> order = ids(alice.read("employee").where(isNil("salary")).sort(Sort.asc("salary")).list());

        assertThat(order).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aggregatesOfAHiddenFieldCountOnlyTheValuesTheActorSees() {
        assertThat(alice.read("employee").sum("salary").longValue()).isEqualTo(120000L);
        assertThat(alice.read("employee").max("salary")).isEqualTo(120000L);
        assertThat(alice.read("employee").countDistinct("salary")).isEqualTo(1);
        assertThat(alice.read("employee").values("salary", Long.class)).containsOnly(null, 120000L);
        Row sales = alice.read("dept").load("salary_total").load("top_salary").first().orElseThrow();
        assertThat(((Number) sales.get("salary_total")).longValue()).isEqualTo(120000L);
        assertThat(((Number) sales.get("top_salary")).longValue()).isEqualTo(120000L);
    }

    @Test
    void aGroupByAHiddenFieldGroupsTheHiddenRowsAsNull() {
        List<Row> groups = alice.read("employee").groupBy("salary").count("n").list();

        assertThat(groups.stream().map(row -> row.get("salary") + ":" + row.get("n")).toList())
                .containsExactlyInAnyOrder("120000:1", "null:3");
    }

    @Test
    void aPathFilterThroughARelationshipMeetsTheHiddenValueAsNull() {
        // carol's manager is alice, whose salary only the boss sees.
        assertThat(ids(boss.read("employee").where(gt("manager.salary", 100000)).list())).containsExactly(4L);
        assertThat(alice.read("employee").where(gt("manager.salary", 100000)).list()).isEmpty();
    }

    @Test
    void aLoadedRecordHoldsItsHiddenValuesAsForbidden() {
        Row carol = alice.read("employee").where(eq("id", 4L)).load("manager").first().orElseThrow();
        Row bob = boss.read("employee").where(eq("id", 4L)).load("manager").first().orElseThrow();

        Row manager = carol.related("manager").get(0);
        assertThat(manager.getString("name")).isEqualTo("alice");
        assertThat(manager.forbidden("salary")).isTrue();
        assertThat(manager.toMap()).doesNotContainKey("salary");
        assertThat(bob.related("manager").get(0).getLong("salary")).isEqualTo(150000L);
    }

    @Test
    void aCalculationOverAHiddenFieldMeetsNullWhereTheActorMayNotSeeIt() {
        List<Row> rows = alice.read("employee").load("double_salary").sort(Sort.asc("id")).list();

        assertThat(rows.stream().map(row -> row.get("double_salary")).toList()).containsExactly(null, null, null,
                240000L);
        assertThat(ids(alice.read("employee").where(gt("double_salary", 100000)).list())).containsExactly(4L);
    }

    @Test
    void bypassingPoliciesSeesEveryField() {
        List<Row> rows = policed.bypassPolicies().read("employee").sort(Sort.asc("id")).list();

        assertThat(rows.stream().map(row -> row.getLong("salary")).toList())
                .containsExactly(500000L, 150000L, 90000L, 120000L);
    }

    @Test
    void aFieldPolicyOnAFieldTheResourceLacksIsRefused() {
        assertThatThrownBy(() -> Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN)
                .policies(Policy.on("employee").read(Policy.EVERY_ROW).field("wage", Policy.EVERY_ROW)).build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("wage").hasMessageContaining("employee");
    }

    @Test
    void aFieldPolicyOnThePrimaryKeyIsRefused() {
        assertThatThrownBy(() -> Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN)
                .policies(Policy.on("employee").read(Policy.EVERY_ROW).field("id", Policy.EVERY_ROW)).build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("primary key");
    }

    @Test
    void aFieldGivenTwoFieldPoliciesIsRefused() {
        assertThatThrownBy(() -> Policy.on("employee").field("salary", Policy.EVERY_ROW)
                .field("salary", Policy.EVERY_ROW))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("two field policies");
    }
}
