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
