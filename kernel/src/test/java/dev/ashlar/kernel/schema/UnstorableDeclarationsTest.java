package dev.ashlar.kernel.schema;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import static dev.ashlar.api.resource.Type.decimal;
import static dev.ashlar.api.resource.Type.enumOf;
import static dev.ashlar.api.resource.Type.varchar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Declarations PostgreSQL refuses, or that no value could ever fill, are refused when the domain is declared, naming
 * the limit and the fix, instead of failing the migration on the server; the largest ones it takes migrate.
 */
@ExtendWith(PostgresExtension.class)
class UnstorableDeclarationsTest {
    private static void create(TestDatabase db, String table, Type type) {
        Domain domain = Domain.builder("d").resource(Resource.builder("r").table(table).bigintPrimaryKey("id")
                .attribute("v", type).build()).build();
        for (Table built : new SchemaBuilder(domain, Plugins.none()).build().tables()) {
            db.execute(TableDdl.createTable(built));
        }
    }

    @Test
    void theLongestVarcharAndTheWidestDecimalPostgresDeclaresMigrate(TestDatabase db) {
        create(db, "longest", varchar(10_485_760));
        create(db, "widest", decimal(1000, 2));

        assertThat(db.value("SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                + "WHERE attrelid = 'longest'::regclass AND attname = 'v'")).isEqualTo("character varying(10485760)");
        assertThat(db.value("SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                + "WHERE attrelid = 'widest'::regclass AND attname = 'v'")).isEqualTo("numeric(1000,2)");
    }

    @Test
    void aVarcharLongerThanPostgresDeclaresIsRefusedPointingAtText() {
        assertThatThrownBy(() -> varchar(10_485_761)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("varchar(10485761) is longer than PostgreSQL declares (at most "
                        + "varchar(10485760)): use TEXT");
    }

    @Test
    void aDecimalOfMoreDigitsThanPostgresDeclaresIsRefusedPointingAtUnconstrainedDecimal() {
        assertThatThrownBy(() -> decimal(1001, 2)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("decimal(1001, 2) has more digits than PostgreSQL declares (a precision of at "
                        + "most 1000): use DECIMAL");
    }

    @Test
    void anEnumLabelHoldingANulOrHalfASurrogatePairIsRefusedSinceNoRecordCouldTakeIt() {
        assertThatThrownBy(() -> enumOf("draft", "gone\u0000")).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("holds a NUL character, which PostgreSQL text cannot store");
        assertThatThrownBy(() -> enumOf("x\ud800y")).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("holds half of a UTF-16 surrogate pair (at 1)");
        assertThat(enumOf("\ud83d\ude00", "plain").values()).containsExactly("\ud83d\ude00", "plain");
    }

    @Test
    void aDefaultHoldingANulHalfASurrogateOrMoreThanItsVarcharIsRefusedNamingTheAttribute() {
        assertThatThrownBy(() -> withDefault(Type.TEXT, "a\u0000b")).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("resource 'r', 'v': has a default that holds a NUL character");
        assertThatThrownBy(() -> withDefault(Type.arrayOf(Type.TEXT), List.of("ok", "\udc00")))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("'v': has a default that holds half of a UTF-16 surrogate pair (at 0)");
        assertThatThrownBy(() -> withDefault(varchar(3), "four")).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("'v': has a default that is 4 characters long, and the column holds at most 3");
    }

    @Test
    void anArrayDefaultWithAnElementLongerThanItsVarcharIsRefusedRatherThanCutByTheArrayCast() {
        assertThatThrownBy(() -> withDefault(Type.arrayOf(varchar(3)), List.of("one", "four")))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("'v': has a default that is 4 characters long, and the column holds at most 3");
    }

    @Test
    void aDefaultNoValueOfItsWholeNumberOrTimestampColumnIsRefusedNamingTheValueAndItsType() {
        assertThatThrownBy(() -> withDefault(Type.INTEGER, "abc")).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("resource 'r', 'v': has a default of abc (a java.lang.String), which INTEGER "
                        + "cannot hold: give a whole number from -2147483648 to 2147483647");
        assertThatThrownBy(() -> withDefault(Type.INTEGER, 3_000_000_000L)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("'v': has a default of 3000000000 (a java.lang.Long), which INTEGER cannot hold");
        assertThatThrownBy(() -> withDefault(Type.BIGINT, 1.5)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("'v': has a default of 1.5 (a java.lang.Double), which BIGINT cannot hold");
        assertThatThrownBy(() -> withDefault(Type.arrayOf(Type.SMALLINT), List.of(1, 70_000)))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("'v': has a default of 70000 (a java.lang.Integer), which SMALLINT cannot hold");
        assertThatThrownBy(() -> withDefault(Type.TIMESTAMPTZ, Instant.MAX)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("'v': has a default of " + Instant.MAX + " (a java.time.Instant), outside the "
                        + "years 1 to 9999 a default TIMESTAMPTZ is written for");
    }

    @Test
    void aDefaultOfAnotherKindThanItsColumnIsRefusedNamingTheValueTheTypeAndWhatItTakes() {
        assertThatThrownBy(() -> withDefault(Type.TEXT, true)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("resource 'r', 'v': has a default of true (a java.lang.Boolean), which TEXT "
                        + "cannot hold: give a String, or a Default.sql(\"...\") expression");
        assertThatThrownBy(() -> withDefault(Type.UUID, "nope")).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("'v': has a default of nope (a java.lang.String), which UUID cannot hold: "
                        + "give a UUID");
        assertThatThrownBy(() -> withDefault(Type.DATE, "2024-02-30")).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("which DATE cannot hold: give a LocalDate");
        assertThatThrownBy(() -> withDefault(Type.TIMESTAMPTZ, "soon")).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("which TIMESTAMPTZ cannot hold: give an Instant, OffsetDateTime or LocalDateTime");
        assertThatThrownBy(() -> withDefault(Type.BOOLEAN, 1)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("which BOOLEAN cannot hold: give true or false");
        assertThatThrownBy(() -> withDefault(Type.JSON, 5)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("which JSON cannot hold: give its JSON as a String, as \"5\"");
        assertThatThrownBy(() -> withDefault(Type.DOUBLE, false)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("which DOUBLE cannot hold: give a number");
    }

    @Test
    void aDecimalDefaultWithMoreDigitsThanItsPrecisionOrScaleIsRefusedInsteadOfOverflowingOrRounding() {
        assertThatThrownBy(() -> withDefault(decimal(4, 2), new BigDecimal("123.4")))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("'v': has a default of 123.4 (a java.math.BigDecimal), which decimal(4, 2) "
                        + "cannot hold: give a number of at most 2 digits before the point and 2 after it");
        assertThatThrownBy(() -> withDefault(decimal(4, 2), 12.345)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("'v': has a default of 12.345 (a java.lang.Double), which decimal(4, 2)");
        assertThatThrownBy(() -> withDefault(Type.DECIMAL, "ten")).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("which DECIMAL cannot hold: give a number");
    }

    @Test
    void anEnumDefaultNotAmongItsLabelsAndAnArrayDefaultOfAnotherElementKindAreRefused() {
        assertThatThrownBy(() -> withDefault(enumOf("draft", "live"), "gone")).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("'v': has a default of gone (a java.lang.String), which its enum column cannot "
                        + "hold: give one of its labels [draft, live]");
        assertThatThrownBy(() -> withDefault(Type.pgEnum("state", "draft", "live"), "gone"))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("which enum type state cannot hold: give one of its labels [draft, live]");
        assertThatThrownBy(() -> withDefault(Type.arrayOf(Type.INTEGER), List.of(1, "x")))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("'v': has a default of x (a java.lang.String), which INTEGER cannot hold");
        assertThatThrownBy(() -> withDefault(Type.arrayOf(Type.BOOLEAN), List.of(1)))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("which BOOLEAN cannot hold: give true or false");
        assertThatThrownBy(() -> withDefault(Type.arrayOf(Type.TEXT), "x")).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("which an array column takes as a List of its elements");
        assertThatThrownBy(() -> withDefault(Type.TEXT, List.of("x"))).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("a List, which only an array column takes");
    }

    @Test
    void defaultsOfEveryKindTheirColumnsTakeIncludingTextPostgresParsesFillARow(TestDatabase db) {
        Domain domain = Domain.builder("d").resource(Resource.builder("r").table("kinds").bigintPrimaryKey("id")
                .attribute("flag", Type.BOOLEAN, a -> a.defaultValue(" Yes "))
                .attribute("ref", Type.UUID, a -> a.defaultValue("{A0EEBC99-9C0B4EF8-BB6D6BB9-BD380A11}"))
                .attribute("day", Type.DATE, a -> a.defaultValue("2024-02-29"))
                .attribute("at", Type.TIMESTAMPTZ, a -> a.defaultValue("2024-02-29 10:15:30.5+02"))
                .attribute("naive", Type.TIMESTAMP, a -> a.defaultValue("epoch"))
                .attribute("money", decimal(4, 2), a -> a.defaultValue(new BigDecimal("12.30")))
                .attribute("none", decimal(2, 2), a -> a.defaultValue(0))
                .attribute("ratio", Type.DOUBLE, a -> a.defaultValue("NaN"))
                .attribute("doc", Type.JSON, a -> a.defaultValue("{\"a\": 1}"))
                .attribute("state", enumOf("draft", "live"), a -> a.defaultValue("live"))
                .attribute("days", Type.arrayOf(Type.DATE), a -> a.defaultValue(List.of("2024-01-01")))
                .attribute("counts", Type.arrayOf(Type.INTEGER), a -> a.defaultValue(List.of("7", 8)))
                .build()).build();
        for (Table built : new SchemaBuilder(domain, Plugins.none()).build().tables()) {
            db.execute(TableDdl.createTable(built));
        }
        db.execute("INSERT INTO kinds DEFAULT VALUES");

        assertThat(db.value("SELECT concat_ws(' ', flag, ref, day, at AT TIME ZONE 'UTC', naive, money, none, ratio, "
                + "doc, state, days, counts) FROM kinds")).isEqualTo("t a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11 2024-02-29 "
                + "2024-02-29 08:15:30.5 1970-01-01 00:00:00 12.30 0.00 NaN {\"a\": 1} live {2024-01-01} {7,8}");
    }

    @Test
    void dateAndTimeTextPostgresReadsAlikeUnderEveryDateStyleFillsARowAsWritten(TestDatabase db) {
        Domain domain = Domain.builder("d").resource(Resource.builder("r").table("times").bigintPrimaryKey("id")
                .attribute("slashed", Type.DATE, a -> a.defaultValue("2020/01/02"))
                .attribute("named", Type.DATE, a -> a.defaultValue("Jan 8, 2020"))
                .attribute("digits", Type.DATE, a -> a.defaultValue("20200108"))
                .attribute("unbounded", Type.DATE, a -> a.defaultValue("infinity"))
                .attribute("afternoon", Type.TIME, a -> a.defaultValue("4:05 PM"))
                .attribute("midnight", Type.TIME, a -> a.defaultValue("allballs"))
                .attribute("paris", Type.TIMESTAMPTZ, a -> a.defaultValue("2020-01-02 10:00 Europe/Paris"))
                .attribute("spelled", Type.TIMESTAMP, a -> a.defaultValue("January 8, 2020 04:05:06"))
                .build()).build();
        for (Table built : new SchemaBuilder(domain, Plugins.none()).build().tables()) {
            // Day first, as a server set up in Europe may read dates: none of these forms depends on it. (The output
            // style stays ISO: the driver closes a connection told of any other, as PostgreSQL 13 tells it at once.)
            db.execute("SET DateStyle = 'ISO, DMY'; " + TableDdl.createTable(built) + "; RESET DateStyle");
        }
        db.execute("INSERT INTO times DEFAULT VALUES");

        assertThat(db.value("SELECT concat_ws(' ', slashed, named, digits, unbounded, afternoon, midnight, "
                + "paris AT TIME ZONE 'UTC', spelled) FROM times")).isEqualTo("2020-01-02 2020-01-08 2020-01-08 "
                + "infinity 16:05:00 00:00:00 2020-01-02 09:00:00 2020-01-08 04:05:06");
    }

    @Test
    void dateTextWhoseDayAndMonthDependOnDateStyleAndTimesReadOnceWhenTheMigrationRunsAreRefused() {
        assertThatThrownBy(() -> withDefault(Type.DATE, "1/2/2020")).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("'v': has a default of 1/2/2020 (a java.lang.String), which DATE cannot hold: "
                        + "give a LocalDate");
        assertThatThrownBy(() -> withDefault(Type.TIMESTAMPTZ, "now")).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("'v': has a default of now (a java.lang.String), which TIMESTAMPTZ cannot hold: "
                        + "give a fixed time: 'now' is read once, when the migration runs, and every row would take "
                        + "that moment; Default.sql(\"now()\") or Default.sql(\"CURRENT_DATE\") gives each row its own");
        assertThatThrownBy(() -> withDefault(Type.DATE, " Today ")).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("which DATE cannot hold: give a fixed time: 'Today' is read once");
        assertThatThrownBy(() -> withDefault(Type.TIME, "now")).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("which TIME cannot hold: give a fixed time");
        assertThatThrownBy(() -> withDefault(Type.TIMESTAMPTZ, "2020-01-02 10:00 Nowhere/Else"))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("which TIMESTAMPTZ cannot hold: give an Instant, OffsetDateTime or LocalDateTime");
        assertThatThrownBy(() -> withDefault(Type.TIME, "13:05 PM")).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("which TIME cannot hold: give a LocalTime");
    }

    @Test
    void defaultsAtTheEdgesOfTheirWholeNumberAndTimestampColumnsFillARow(TestDatabase db) {
        Instant last = Instant.parse("9999-12-31T23:59:59Z");
        Domain domain = Domain.builder("d").resource(Resource.builder("r").table("edges").bigintPrimaryKey("id")
                .attribute("small", Type.SMALLINT, a -> a.defaultValue(new BigDecimal("-32768.0")))
                .attribute("whole", Type.INTEGER, a -> a.defaultValue(2_147_483_647L))
                .attribute("spelt", Type.BIGINT, a -> a.defaultValue(" 42 "))
                .attribute("latest", Type.TIMESTAMPTZ, a -> a.defaultValue(last)).build()).build();
        for (Table built : new SchemaBuilder(domain, Plugins.none()).build().tables()) {
            db.execute(TableDdl.createTable(built));
        }
        db.execute("INSERT INTO edges DEFAULT VALUES");

        assertThat(db.value("SELECT small::text || ' ' || whole || ' ' || spelt FROM edges"))
                .isEqualTo("-32768 2147483647 42");
        assertThat(db.value("SELECT extract(epoch FROM latest)::bigint FROM edges")).isEqualTo(last.getEpochSecond());
    }

    @Test
    void aDefaultAsLongAsItsVarcharInCharactersThoughLongerInBytesFillsARow(TestDatabase db) {
        Domain domain = withDefault(varchar(3), "\ud83d\ude00\u00e9x");
        for (Table built : new SchemaBuilder(domain, Plugins.none()).build().tables()) {
            db.execute(TableDdl.createTable(built));
        }
        db.execute("INSERT INTO defaulted DEFAULT VALUES");

        assertThat(db.value("SELECT v FROM defaulted")).isEqualTo("\ud83d\ude00\u00e9x");
    }

    private static Domain withDefault(Type type, Object value) {
        return Domain.builder("d").resource(Resource.builder("r").table("defaulted").bigintPrimaryKey("id")
                .attribute("v", type, a -> a.defaultValue(value)).build()).build();
    }
}
