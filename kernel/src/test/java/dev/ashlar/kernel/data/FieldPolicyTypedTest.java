package dev.ashlar.kernel.data;

import dev.ashlar.api.error.ForbiddenException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Policy;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.UniqueKey;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.ashlar.api.query.Filter.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Field policies through the typed API: records get null in a component the actor may not see, and the typed
 * filters, sorts and sums meet the hidden value as NULL.
 */
class FieldPolicyTypedTest extends DomainDatabaseTest {
    record Pay(Long id, String name, Long salary, Long ownerId) {
        static final Table<Pay> PAYS = Table.of("pay", Pay.class);
        static final Field<Pay, Long> ID = PAYS.bigintPrimaryKey("id");
        static final Field<Pay, String> NAME = PAYS.attribute("name", Kind.TEXT);
        static final Field<Pay, Long> SALARY = PAYS.attribute("salary", Kind.BIGINT);
        static final Field<Pay, Long> OWNER_ID = PAYS.attribute("owner_id", Kind.BIGINT);
        static final UniqueKey<Pay> UNIQUE_NAME = PAYS.identity("unique_name", NAME);
        static final Resource RESOURCE = PAYS.builder().table("pays").add(ID, NAME, SALARY, OWNER_ID, UNIQUE_NAME)
                .build();
    }

    static final Domain DOMAIN = Domain.builder("typed_fields").resource(Pay.RESOURCE).build();

    private Ashlar policed;
    private Ashlar one;

    FieldPolicyTypedTest() {
        super(DOMAIN);
    }

    @BeforeAll
    void policed() {
        policed = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN).policies(Policy.on("pay")
                .read(Policy.EVERY_ROW).create(Policy.EVERY_ROW).update(Policy.EVERY_ROW)
                .field("salary", actor -> eq("owner_id", actor.id()))).build();
        one = policed.withUser(1L);
    }

    @AfterAll
    void closed() {
        policed.close();
    }

    @BeforeEach
    void rows() {
        db.execute("TRUNCATE pays RESTART IDENTITY");
        db.execute("INSERT INTO pays (name, salary, owner_id) VALUES ('mine', 10, 1), ('theirs', 900, 2)");
    }

    @Test
    void aTypedRecordGetsNullInAHiddenComponent() {
        List<Pay> pays = one.read(Pay.PAYS).sort(Pay.ID.asc()).list();

        assertThat(pays).extracting(Pay::salary).containsExactly(10L, null);
        assertThat(pays).extracting(Pay::name).containsExactly("mine", "theirs");
    }

    @Test
    void typedFiltersSortsAndSumsMeetTheHiddenValueAsNull() {
        assertThat(one.read(Pay.PAYS).where(Pay.SALARY.gt(100L)).list()).isEmpty();
        assertThat(one.read(Pay.PAYS).sum(Pay.SALARY).longValue()).isEqualTo(10L);
        assertThat(policed.bypassPolicies().read(Pay.PAYS).where(Pay.SALARY.gt(100L)).list())
                .extracting(Pay::name).containsExactly("theirs");
    }

    @Test
    void aTypedCreateReturnsNullForAValueTheActorMayNotSee() {
        Pay created = one.create(Pay.PAYS, new Pay(null, "given", 500L, 2L));

        assertThat(created.salary()).isNull();
        assertThat(db.value("SELECT salary FROM pays WHERE name = 'given'")).isEqualTo(500L);
    }

    @Test
    void aTypedUpsertOverwritingAHiddenComponentItWasNotGivenIsRefusedAndTheStoredValueKept() {
        List<Pay> read = one.read(Pay.PAYS).sort(Pay.ID.asc()).list();
        List<Pay> renamed = read.stream().map(pay -> new Pay(pay.id(), pay.name(), pay.salary(), 3L)).toList();

        assertThatThrownBy(() -> one.upsert(Pay.PAYS, renamed, Pay.UNIQUE_NAME.updateAll()))
                .isInstanceOfSatisfying(ForbiddenException.class, e -> assertThat(e.getMessage())
                        .contains("pay").contains("'salary'").contains("update(...)"));
        assertThatThrownBy(() -> one.upsert(Pay.PAYS, renamed.get(1), Pay.UNIQUE_NAME.update(Pay.SALARY, Pay.OWNER_ID)))
                .isInstanceOf(ForbiddenException.class).hasMessageContaining("'salary'");
        assertThat(db.value("SELECT string_agg(salary || ':' || owner_id, ',' ORDER BY id) FROM pays"))
                .isEqualTo("10:1,900:2");

        one.upsert(Pay.PAYS, renamed, Pay.UNIQUE_NAME.update(Pay.OWNER_ID));
        one.upsert(Pay.PAYS, new Pay(null, "theirs", 950L, 3L), Pay.UNIQUE_NAME.updateAll());
        assertThat(db.value("SELECT string_agg(salary || ':' || owner_id, ',' ORDER BY id) FROM pays"))
                .isEqualTo("10:3,950:3");
    }
}
