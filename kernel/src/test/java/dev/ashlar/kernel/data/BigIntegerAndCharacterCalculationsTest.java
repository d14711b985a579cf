package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.CalculationField;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Table;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.typed.Kind.BIG_INTEGER;
import static dev.ashlar.api.typed.Kind.CHARACTER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Declared calculations read as BigInteger and Character, in the string and the typed API (an array of BIG_INTEGER
 * too): exact values read back, a fraction or a longer text refused naming the calculation.
 */
class BigIntegerAndCharacterCalculationsTest extends DomainDatabaseTest {
    private static final BigInteger HUGE = new BigInteger("123456789012345678901234567890123456789012");

    record Account(Long id, BigInteger balance, Character grade, List<BigInteger> holdings) {
        static final Table<Account> ACCOUNTS = Table.of("account", Account.class);
        static final Field<Account, Long> ID = ACCOUNTS.bigintPrimaryKey("id");
        static final Field<Account, BigInteger> BALANCE = ACCOUNTS.attribute("balance", BIG_INTEGER);
        static final Field<Account, Character> GRADE = ACCOUNTS.attribute("grade", CHARACTER);
        static final Field<Account, List<BigInteger>> HOLDINGS = ACCOUNTS.attribute("holdings",
                Kind.arrayOf(BIG_INTEGER));
        static final CalculationField<Account, BigInteger> TRIPLED = ACCOUNTS.calculate("tripled", BIG_INTEGER,
                "balance * 3");
        static final CalculationField<Account, BigInteger> HALVED = ACCOUNTS.calculate("halved", BigInteger.class,
                "balance / 4.0");
        static final CalculationField<Account, Character> LOWER = ACCOUNTS.calculate("lower_grade", CHARACTER,
                "lower(grade)");
        static final CalculationField<Account, Character> TWICE = ACCOUNTS.calculate("twice", Character.class,
                "grade || grade");
        static final CalculationField<Account, List<BigInteger>> PARTS = ACCOUNTS.calculate("parts",
                Kind.arrayOf(BIG_INTEGER), "ARRAY[balance, -balance]");
        static final CalculationField<Account, List<BigInteger>> QUARTERS = ACCOUNTS.calculate("quarters",
                Kind.arrayOf(BIG_INTEGER), "ARRAY[balance, balance / 4.0]");
        static final Resource RESOURCE = ACCOUNTS.builder().table("accounts")
                .add(ID, BALANCE, GRADE, HOLDINGS, TRIPLED, HALVED, LOWER, TWICE, PARTS, QUARTERS)
                .calculate("doubled", BigInteger.class, "balance * 2")
                .calculate("initial", Character.class, "upper(grade)")
                .calculate("half", BigInteger.class, "balance / 4.0")
                .calculate("pair", Character.class, "grade || grade")
                .build();
    }

    record Totals(Long id, BigInteger tripled, Character lowerGrade, List<BigInteger> parts) {
    }

    record Quarters(Long id, List<BigInteger> quarters) {
    }

    BigIntegerAndCharacterCalculationsTest() {
        super(Domain.builder("bank").resource(Account.RESOURCE).build());
    }

    @BeforeEach
    void accounts() {
        db.execute("TRUNCATE accounts RESTART IDENTITY");
        ashlar.create(Account.ACCOUNTS, new Account(null, HUGE, 'Q', List.of(HUGE, BigInteger.ONE)));
        ashlar.create(Account.ACCOUNTS, new Account(null, BigInteger.TEN, 'B', null));
    }

    @Test
    void stringApiCalculationsAreLoadedFilteredAndSortedAsBigIntegerAndCharacter() {
        List<Row> rows = ashlar.read("account").where(gt("doubled", BigInteger.valueOf(20)))
                .load("doubled").load("initial").list();

        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.get("doubled")).isEqualTo(HUGE.shiftLeft(1));
            assertThat(row.get("initial")).isEqualTo('Q');
        });
        assertThat(ashlar.read("account").where(eq("initial", 'B')).load("doubled").list())
                .extracting(row -> row.get("doubled")).containsExactly(BigInteger.valueOf(20));
        assertThat(ashlar.read("account").sort(Sort.desc("doubled")).list())
                .extracting(row -> row.get("id")).containsExactly(1L, 2L);
    }

    @Test
    void stringApiCalculationsThatAreAFractionOrLongerTextAreRefusedNamingThem() {
        assertThatThrownBy(() -> ashlar.read("account").load("half").list())
                .isInstanceOf(QueryException.class).hasMessageContaining("'half'").hasMessageContaining("2.5")
                .hasMessageContaining("not a whole number");
        assertThatThrownBy(() -> ashlar.read("account").load("pair").list())
                .isInstanceOf(QueryException.class).hasMessageContaining("'pair'").hasMessageContaining("'QQ'")
                .hasMessageContaining("not one character");
    }

    @Test
    void typedCalculationsAreLoadedAsBigIntegerCharacterAndListsOfBigInteger() {
        List<Totals> totals = ashlar.read(Account.ACCOUNTS).where(Account.TRIPLED.gt(BigInteger.valueOf(30)))
                .load(Account.TRIPLED).load(Account.LOWER).load(Account.PARTS).list(Totals.class);

        assertThat(totals).containsExactly(new Totals(1L, HUGE.multiply(BigInteger.valueOf(3)), 'q',
                List.of(HUGE, HUGE.negate())));
        assertThat(totals.get(0).parts()).allSatisfy(part -> assertThat(part).isInstanceOf(BigInteger.class));
        assertThat(ashlar.read(Account.ACCOUNTS).where(Account.LOWER.eq('b')).sort(Account.TRIPLED.asc())
                .load(Account.TRIPLED).load(Account.LOWER).load(Account.PARTS).list(Totals.class))
                .containsExactly(new Totals(2L, BigInteger.valueOf(30), 'b',
                        List.of(BigInteger.TEN, BigInteger.TEN.negate())));
    }

    @Test
    void anArrayOfBigIntegerAttributeIsReadBackAsAListOfBigIntegerAndAFractionStoredIsRefused() {
        assertThat(ashlar.read(Account.ACCOUNTS).where(Account.ID.eq(1L)).list()).singleElement()
                .satisfies(account -> assertThat(account.holdings()).containsExactly(HUGE, BigInteger.ONE)
                        .allSatisfy(holding -> assertThat(holding).isInstanceOf(BigInteger.class)));
        db.execute("UPDATE accounts SET holdings = ARRAY[1.5]::numeric[] WHERE id = 2");

        assertThatThrownBy(() -> ashlar.read(Account.ACCOUNTS).where(Account.ID.eq(2L)).list())
                .isInstanceOf(AshlarException.class).hasMessageContaining("holdings").hasMessageContaining("1.5");
    }

    @Test
    void typedCalculationsThatAreAFractionOrLongerTextAreRefusedNamingThem() {
        assertThatThrownBy(() -> ashlar.read(Account.ACCOUNTS).load(Account.HALVED).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("'halved'")
                .hasMessageContaining("not a whole number");
        assertThatThrownBy(() -> ashlar.read(Account.ACCOUNTS).load(Account.TWICE).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("'twice'")
                .hasMessageContaining("not one character");
        assertThatThrownBy(() -> ashlar.read(Account.ACCOUNTS).where(Account.ID.eq(2L)).load(Account.QUARTERS)
                .list(Quarters.class))
                .isInstanceOf(AshlarException.class).hasMessageContaining("quarters").hasMessageContaining("2.5");
    }
}
