package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Table;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.typed.Kind.BIG_INTEGER;
import static dev.ashlar.api.typed.Kind.CHARACTER;
import static dev.ashlar.api.typed.Kind.bigInteger;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The typed API's BIG_INTEGER, bigInteger(p) and CHARACTER kinds: their columns, values written and read back as
 * BigInteger and Character, filters on them, values that do not fit refused naming the field, and computed fields
 * read as those types.
 */
class TypedBigIntegerAndCharacterTest extends MigratedDomainTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T10:00:00Z"), ZoneOffset.UTC);
    private static final BigInteger HUGE = new BigInteger("123456789012345678901234567890123456789012");

    record Account(Long id, BigInteger balance, BigInteger cap, Character grade) {
        static final Table<Account> ACCOUNTS = Table.of("account", Account.class);
        static final Field<Account, Long> ID = ACCOUNTS.bigintPrimaryKey("id");
        static final Field<Account, BigInteger> BALANCE = ACCOUNTS.attribute("balance", BIG_INTEGER);
        static final Field<Account, BigInteger> CAP = ACCOUNTS.attribute("cap", bigInteger(5));
        static final Field<Account, Character> GRADE = ACCOUNTS.attribute("grade", CHARACTER, a -> a.notNull());
        static final Resource RESOURCE = ACCOUNTS.builder().table("accounts").add(ID, BALANCE, CAP, GRADE).build();
    }

    record Computed(Long id, BigInteger doubled, Character initial) {
    }

    TypedBigIntegerAndCharacterTest() {
        super(Domain.builder("bank").resource(Account.RESOURCE).build(), CLOCK, "create_accounts");
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE accounts RESTART IDENTITY");
    }

    @Test
    void theKindsMakeNumericAndOneCharacterColumnsAndCodegenFindsNothingMoreAfterTheMigration() {
        assertThat(db.query("SELECT column_name, data_type, numeric_precision, numeric_scale, character_maximum_length "
                + "FROM information_schema.columns WHERE table_name = 'accounts' AND column_name <> 'id' "
                + "ORDER BY ordinal_position")).extracting(r -> r.get("column_name") + " " + r.get("data_type") + " "
                + r.get("numeric_precision") + " " + r.get("numeric_scale") + " " + r.get("character_maximum_length"))
                .containsExactly("balance numeric null null null", "cap numeric 5 0 null",
                        "grade character varying null null 1");
        assertThat(migrated.codegen().check().steps()).isEmpty();
    }

    @Test
    void bigIntegersAndCharactersAreWrittenFilteredAndReadBackAsThemselves() {
        Account rich = ashlar.create(Account.ACCOUNTS, new Account(null, HUGE, BigInteger.valueOf(99_999), 'é'));
        ashlar.create(Account.ACCOUNTS, new Account(null, BigInteger.valueOf(-7), null, 'b'));

        assertThat(rich).isEqualTo(new Account(1L, HUGE, BigInteger.valueOf(99_999), 'é'));
        assertThat(db.value("SELECT balance::text || ' ' || grade FROM accounts WHERE id = 1"))
                .isEqualTo(HUGE + " é");
        assertThat(ashlar.read(Account.ACCOUNTS).where(Account.BALANCE.gt(BigInteger.ONE)).list())
                .containsExactly(rich);
        assertThat(ashlar.read(Account.ACCOUNTS).where(Account.GRADE.eq('b')).list())
                .extracting(Account::balance).containsExactly(BigInteger.valueOf(-7));
        assertThat(ashlar.read(Account.ACCOUNTS).where(Account.GRADE.in(List.of('é', 'z'))).count()).isEqualTo(1);

        Account updated = ashlar.update(Account.ACCOUNTS, rich, Account.BALANCE.set(HUGE.negate()),
                Account.GRADE.set('a'));
        assertThat(ashlar.read(Account.ACCOUNTS).where(Account.ID.eq(1L)).list()).containsExactly(updated);
        assertThat(updated.balance()).isEqualTo(HUGE.negate());
        assertThat(updated.grade()).isEqualTo('a');
    }

    @Test
    void aNumberPastThePrecisionOrATextOfTwoCharactersIsRefusedNamingTheField() {
        assertThatThrownBy(() -> ashlar.create(Account.ACCOUNTS, new Account(null, null, BigInteger.valueOf(100_000),
                'a'))).isInstanceOf(InvalidDataException.class).hasMessageContaining("cap")
                .hasMessageContaining("numeric(5,0)");
        assertThatThrownBy(() -> ashlar.create("account", Map.of("grade", "ab")))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("grade");
        assertThat(db.value("SELECT count(*) FROM accounts")).isEqualTo(0L);
    }

    @Test
    void computedFieldsAreReadAsBigIntegerAndCharacterOnRowsAndRecords() {
        ashlar.create(Account.ACCOUNTS, new Account(null, HUGE, null, 'q'));

        Row row = ashlar.read("account").compute("doubled", BigInteger.class, "balance * 2")
                .compute("initial", Character.class, "upper(grade)").list().get(0);
        assertThat(row.get("doubled")).isEqualTo(HUGE.shiftLeft(1));
        assertThat(row.get("initial")).isEqualTo('Q');
        assertThat(ashlar.read("account").compute("doubled", BigInteger.class, "balance * 2")
                .compute("initial", Character.class, "upper(grade)").sort(Sort.asc("id")).list(Computed.class))
                .containsExactly(new Computed(1L, HUGE.shiftLeft(1), 'Q'));
        assertThat(ashlar.read(Account.ACCOUNTS).compute("doubled", BigInteger.class, "count(*) OVER ()")
                .compute("initial", Character.class, "grade").list(Computed.class))
                .containsExactly(new Computed(1L, BigInteger.ONE, 'q'));
        assertThat(ashlar.read("account").where(eq("id", 1L)).compute("nothing", BigInteger.class, "NULL::numeric")
                .list().get(0).get("nothing")).isNull();
    }

    @Test
    void aComputedValueThatIsNotAWholeNumberOrNotOneCharacterIsRefusedNamingTheField() {
        ashlar.create(Account.ACCOUNTS, new Account(null, BigInteger.TEN, null, 'q'));

        assertThatThrownBy(() -> ashlar.read("account").compute("half", BigInteger.class, "balance / 4.0").list())
                .isInstanceOf(QueryException.class).hasMessageContaining("'half'").hasMessageContaining("2.5")
                .hasMessageContaining("not a whole number").hasMessageContaining("read it as BigDecimal");
        assertThatThrownBy(() -> ashlar.read("account").compute("pair", Character.class, "grade || grade").list())
                .isInstanceOf(QueryException.class).hasMessageContaining("'pair'").hasMessageContaining("'qq'")
                .hasMessageContaining("not one character").hasMessageContaining("read it as String");
    }
}
