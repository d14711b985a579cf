package dev.ashlar.kernel.data;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Policy;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Table;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.ashlar.api.query.Filter.eq;
import static org.assertj.core.api.Assertions.assertThat;

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
        static final Resource RESOURCE = PAYS.builder().table("pays").add(ID, NAME, SALARY, OWNER_ID).build();
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
                .read(Policy.EVERY_ROW).create(Policy.EVERY_ROW)
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
}
