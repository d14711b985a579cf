package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.ListField;
import dev.ashlar.api.typed.Table;
import dev.ashlar.kernel.inspect.DatabaseInspector;
import dev.ashlar.kernel.inspect.InspectedTable;
import dev.ashlar.kernel.snapshot.SnapshotJson;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.in;
import static dev.ashlar.api.query.Filter.isNil;
import static dev.ashlar.api.query.Filter.notNil;
import static dev.ashlar.api.typed.Kind.SMALLINT;
import static dev.ashlar.api.typed.Kind.arrayOf;
import static dev.ashlar.kernel.data.MigratedDomain.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SMALLINT attributes: their smallint columns, values read as Short, and numbers that do not fit refused. */
class SmallintTest extends MigratedDomainTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-02T11:00:00Z"), ZoneOffset.UTC);

    record Shelf(Integer id, Short rank, Short stock, List<Short> slots) {
        static final Table<Shelf> SHELVES = Table.of("shelf", Shelf.class);
        static final Field<Shelf, Integer> ID = SHELVES.integerPrimaryKey("id");
        static final Field<Shelf, Short> RANK = SHELVES.attribute("rank", SMALLINT);
        static final Field<Shelf, Short> STOCK = SHELVES.attribute("stock", SMALLINT,
                a -> a.notNull().defaultValue((short) 7));
        static final ListField<Shelf, Short> SLOTS = SHELVES.attribute("slots", arrayOf(SMALLINT));
        static final Resource RESOURCE = SHELVES.builder().table("shelves").add(ID, RANK, STOCK, SLOTS).build();
    }

    private static final Domain DOMAIN = Domain.builder("store").resource(Shelf.RESOURCE).build();

    SmallintTest() {
        super(DOMAIN, CLOCK, "create_shelves");
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE shelves");
    }

    @Test
    void codegenMakesSmallintColumnsAndFindsNothingMoreAfterTheMigration() throws IOException {
        assertThat(Files.readString(migrated.created.files().get(0))).contains("smallint", "smallint[]");
        assertThat(db.query("SELECT column_name, data_type, column_default FROM information_schema.columns "
                + "WHERE table_name = 'shelves' AND column_name <> 'id' ORDER BY ordinal_position"))
                .extracting(r -> r.get("column_name") + " " + r.get("data_type") + " " + r.get("column_default"))
                .containsExactly("rank smallint null", "stock smallint 7", "slots ARRAY null");
        assertThat(db.value("SELECT udt_name FROM information_schema.columns WHERE table_name = 'shelves' "
                + "AND column_name = 'slots'")).isEqualTo("_int2");
        assertThat(migrated.codegen().check().steps()).isEmpty();
    }

    @Test
    void roundTripsTheBoundsNullAndAnyIntegralNumberThatFitsAsShort() {
        Row low = ashlar.create("shelf", values("rank", -32768, "stock", 32767L, "slots", List.of(1, -2)));
        Row none = ashlar.create("shelf", values("rank", null, "stock", BigInteger.TEN, "slots", null));
        Row decimal = ashlar.create("shelf", values("rank", new BigDecimal("12"), "stock", (byte) 3));

        Row read = ashlar.get("shelf", low.get("id"));
        assertThat(read.get("rank")).isEqualTo((short) -32768);
        assertThat(read.get("stock")).isEqualTo((short) 32767);
        assertThat(read.get("slots")).isEqualTo(List.of((short) 1, (short) -2));
        assertThat(low.get("rank")).isEqualTo((short) -32768);
        assertThat(ashlar.get("shelf", none.get("id")).get("rank")).isNull();
        assertThat(ashlar.get("shelf", none.get("id")).get("stock")).isEqualTo((short) 10);
        assertThat(ashlar.get("shelf", decimal.get("id")).get("rank")).isEqualTo((short) 12);
        assertThat(db.value("SELECT stock::text FROM shelves WHERE id = ?", low.get("id"))).isEqualTo("32767");

        Row updated = ashlar.update(read, Map.of("rank", 5, "slots", List.of(32767)));
        assertThat(ashlar.get("shelf", updated.get("id")).get("rank")).isEqualTo((short) 5);
        assertThat(ashlar.get("shelf", updated.get("id")).get("slots")).isEqualTo(List.of((short) 32767));
    }

    @Test
    void aNumberOutOfRangeIsRefusedNamingTheAttributeAndTheRange() {
        for (Object tooBig : List.of(32768, -32769, 70_000L, new BigDecimal("1e10"))) {
            assertThatThrownBy(() -> ashlar.create("shelf", values("rank", tooBig)))
                    .as("%s", tooBig).isInstanceOf(InvalidDataException.class).hasMessageContaining("rank")
                    .hasMessageContaining("out of range for smallint");
        }
        assertThatThrownBy(() -> ashlar.create("shelf", values("rank", 40_000)))
                .hasMessageContaining("-32768 to 32767");
        assertThatThrownBy(() -> ashlar.create("shelf", values("slots", List.of(1, 40_000))))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("slots")
                .hasMessageContaining("out of range for smallint");
        assertThatThrownBy(() -> ashlar.create("shelf", values("rank", 1.5)))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("must be a smallint");
        assertThat(db.value("SELECT count(*) FROM shelves")).isEqualTo(0L);
    }

    @Test
    void filtersSortsAndAggregatesWorkAsForIntegers() {
        for (int rank : new int[] {3, -1, 20}) {
            ashlar.create("shelf", values("rank", rank));
        }
        ashlar.create("shelf", values("rank", null));

        assertThat(ashlar.read("shelf").where(eq("rank", 3)).count()).isEqualTo(1);
        assertThat(ashlar.read("shelf").where(gt("rank", 0)).count()).isEqualTo(2);
        assertThat(ashlar.read("shelf").where(gt("rank", 100_000)).count()).isZero();
        assertThat(ashlar.read("shelf").where(in("rank", List.of(-1, 20, 1_000_000))).count()).isEqualTo(2);
        assertThat(ashlar.read("shelf").where(isNil("rank")).count()).isEqualTo(1);
        assertThat(ashlar.read("shelf").where(notNil("rank")).sort(Sort.desc("rank")).list())
                .extracting(r -> r.get("rank")).containsExactly((short) 20, (short) 3, (short) -1);
        assertThat(ashlar.read("shelf").sum("rank")).isEqualTo(22L);
        assertThat(ashlar.read("shelf").avg("rank")).isInstanceOf(BigDecimal.class);
        assertThat(ashlar.read("shelf").max("rank")).isEqualTo((short) 20);
        assertThat(Type.SMALLINT.isNumber()).isTrue();
    }

    @Test
    void atomicAdditionsChangeTheStoredValueAndOverflowIsRefusedByTheServer() {
        Row shelf = ashlar.create("shelf", values("rank", 32760, "stock", 1));

        Row added = ashlar.update(shelf, Map.of("rank", Atomic.add(7), "stock", Atomic.subtract(3)));

        assertThat(added.get("rank")).isEqualTo((short) 32767);
        assertThat(added.get("stock")).isEqualTo((short) -2);
        assertThat(db.value("SELECT rank FROM shelves")).isEqualTo(32767);
        assertThatThrownBy(() -> ashlar.update(added, Map.of("rank", Atomic.add(1))))
                .hasMessageContaining("smallint out of range");
        assertThat(db.value("SELECT rank FROM shelves")).isEqualTo(32767);
    }

    @Test
    void theTypedApiReadsSmallintComponentsIntoARecord() {
        Shelf created = ashlar.create(Shelf.SHELVES, new Shelf(null, (short) 4, (short) 9, List.of((short) 2)));

        List<Shelf> read = ashlar.read(Shelf.SHELVES).where(Shelf.RANK.eq((short) 4)).list();

        assertThat(read).containsExactly(created);
        assertThat(read.get(0).rank()).isEqualTo((short) 4);
        assertThat(read.get(0).slots()).containsExactly((short) 2);
    }

    @Test
    void inspectMapsSmallintColumnsToSmallint() {
        InspectedTable shelves = new DatabaseInspector(db.dataSource(), "public").tables().stream()
                .filter(t -> t.name().equals("shelves")).findFirst().orElseThrow();

        assertThat(shelves.columns()).filteredOn(c -> !c.name().equals("id"))
                .extracting(c -> c.name() + " " + c.type())
                .containsExactly("rank SMALLINT", "stock SMALLINT", "slots " + Type.arrayOf(Type.SMALLINT));
    }

    @Test
    void theSnapshotKeepsSmallintColumnsThroughItsJson() throws IOException {
        Path snapshot = migrated.snapshot("shelves");
        String json = Files.readString(snapshot);

        var table = SnapshotJson.read(json, migrated.project.relativize(snapshot).toString()).table();

        assertThat(table.columns()).extracting(c -> c.name() + " " + c.type())
                .containsExactly("id integer", "rank smallint", "stock smallint", "slots smallint[]");
        assertThat(SnapshotJson.write(table, false)).isEqualTo(json);
        assertThat(Arrays.asList(json.split("\n"))).anyMatch(line -> line.contains("\"smallint\""));
    }
}
