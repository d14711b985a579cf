package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Range;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.RangeField;
import dev.ashlar.api.typed.Table;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import static dev.ashlar.api.typed.Kind.BIGINT;
import static dev.ashlar.api.typed.Kind.DATE;
import static dev.ashlar.api.typed.Kind.DECIMAL;
import static dev.ashlar.api.typed.Kind.INTEGER;
import static dev.ashlar.api.typed.Kind.TIMESTAMP;
import static dev.ashlar.api.typed.Kind.TIMESTAMPTZ;
import static dev.ashlar.api.typed.Kind.rangeOf;

/**
 * A test class on its own database holding bookings, a resource with an attribute of each range type, its table
 * made by codegen and the migrator, and one Ashlar for all its tests.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RangeDatabaseTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T11:00:00Z"), ZoneOffset.UTC);
    static final LocalDate JULY_1 = LocalDate.of(2025, 7, 1);
    static final Instant NOON = Instant.parse("2025-07-01T12:00:00.123456Z");

    record Booking(Integer id, Range<Integer> seats, Range<Long> ids, Range<BigDecimal> price, Range<LocalDate> stay,
                   Range<LocalDateTime> slot, Range<Instant> during, LocalDate day) {
        static final Table<Booking> BOOKINGS = Table.of("booking", Booking.class);
        static final Field<Booking, Integer> ID = BOOKINGS.integerPrimaryKey("id");
        static final RangeField<Booking, Integer> SEATS = BOOKINGS.attribute("seats", rangeOf(INTEGER));
        static final RangeField<Booking, Long> IDS = BOOKINGS.attribute("ids", rangeOf(BIGINT));
        static final RangeField<Booking, BigDecimal> PRICE = BOOKINGS.attribute("price", rangeOf(DECIMAL));
        static final RangeField<Booking, LocalDate> STAY = BOOKINGS.attribute("stay", rangeOf(DATE));
        static final RangeField<Booking, LocalDateTime> SLOT = BOOKINGS.attribute("slot", rangeOf(TIMESTAMP));
        static final RangeField<Booking, Instant> DURING = BOOKINGS.attribute("during", rangeOf(TIMESTAMPTZ));
        static final Field<Booking, LocalDate> DAY = BOOKINGS.attribute("day", DATE);
        static final Resource RESOURCE = BOOKINGS.builder().table("bookings")
                .add(ID, SEATS, IDS, PRICE, STAY, SLOT, DURING, DAY).build();
    }

    private static final Domain DOMAIN = Domain.builder("hotel").resource(Booking.RESOURCE).build();

    Path project;
    TestDatabase db;
    Ashlar ashlar;
    Codegen.Result created;

    @BeforeAll
    void migrate(TestDatabase database, @TempDir Path folder) {
        db = database;
        project = folder;
        created = codegen().generate("create_bookings");
        new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).migrate();
        ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN).build();
    }

    @AfterAll
    void stop() {
        ashlar.close();
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE bookings");
    }

    Codegen codegen() {
        return new Codegen(project, DOMAIN, Plugins.none(), Renames.none(), CLOCK);
    }

    static Map<String, Object> values(Object... pairs) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put((String) pairs[i], pairs[i + 1]);
        }
        return values;
    }
}
