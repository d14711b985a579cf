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
