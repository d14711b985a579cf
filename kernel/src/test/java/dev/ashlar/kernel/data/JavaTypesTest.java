package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.JavaTypes;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Table;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.Month;
import java.time.MonthDay;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.in;
import static dev.ashlar.api.query.Filter.lt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Java types Ebean maps by itself, through {@link JavaTypes}: the columns migrations write, values written, found,
 * sorted and read back, stored values they cannot read, and a column added to a table holding rows.
 */
@ExtendWith(PostgresExtension.class)
class JavaTypesTest {
    record Site(Long id, Year founded, InetAddress address) { }

    static final Table<Site> SITES = Table.of("site", Site.class);
    static final Field<Site, Long> ID = SITES.attribute("id", Kind.BIGINT, a -> a.primaryKey());
    static final Field<Site, Year> FOUNDED = SITES.attribute("founded", Kind.converted(JavaTypes.year()));
    static final Field<Site, InetAddress> ADDRESS = SITES.attribute("address",
            Kind.converted(JavaTypes.inetAddress()));

    @TempDir
    Path project;
    TestDatabase db;
    private Instant now = Instant.parse("2026-12-01T11:00:00Z");

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    private static ResourceBuilder account() {
        return Resource.builder("account").table("accounts").primaryKey("id")
                .attribute("founded", JavaTypes.year())
                .attribute("billing", JavaTypes.yearMonth())
                .attribute("birthday", JavaTypes.monthDay())
                .attribute("zone", JavaTypes.zoneId())
                .attribute("offset", JavaTypes.zoneOffset())
                .attribute("time_zone", JavaTypes.timeZone())
                .attribute("currency", JavaTypes.currency())
                .attribute("locale", JavaTypes.locale())
                .attribute("site", JavaTypes.url())
                .attribute("address", JavaTypes.inetAddress())
                .attribute("grade", JavaTypes.character());
    }

    private Ashlar migrated(ResourceBuilder... resources) {
        Domain domain = Domain.builder("shop").resources(java.util.Arrays.stream(resources)
                .map(ResourceBuilder::build).toArray(Resource[]::new)).build();
        now = now.plusSeconds(60);
        new Codegen(project, domain, Plugins.none(), Renames.none(), Clock.fixed(now, ZoneOffset.UTC))
                .generate("step");
        new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).migrate();
        return Ashlar.builder().dataSource(db.dataSource()).domain(domain).build();
    }

    private static Map<String, Object> values(Object... pairs) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put((String) pairs[i], pairs[i + 1]);
        }
        return values;
    }

    private static Map<String, Object> sample() throws Exception {
        return values("founded", Year.of(1998), "billing", YearMonth.of(2024, 2), "birthday", MonthDay.of(2, 29),
                "zone", ZoneId.of("Europe/Paris"), "offset", ZoneOffset.ofHours(2),
                "time_zone", TimeZone.getTimeZone("America/New_York"), "currency", Currency.getInstance("EUR"),
                "locale", Locale.CANADA_FRENCH, "site", URI.create("https://example.com/a?b=1").toURL(),
                "address", InetAddress.getByName("10.0.0.2"), "grade", 'B');
    }

    @Test
    void eachJavaTypeGetsTheColumnPostgresUsersExpect() {
        migrated(account()).close();

        List<Map<String, Object>> columns = db.query("SELECT column_name, data_type, character_maximum_length AS len "
                + "FROM information_schema.columns WHERE table_name = 'accounts' AND column_name <> 'id' "
                + "ORDER BY ordinal_position");

        assertThat(columns).extracting(c -> c.get("column_name") + " " + c.get("data_type")
                + (c.get("len") == null ? "" : "(" + c.get("len") + ")")).containsExactly(
                "founded integer", "billing date", "birthday date", "zone text", "offset character varying(9)",
                "time_zone text", "currency character varying(3)", "locale text", "site text", "address inet",
                "grade character varying(1)");
        assertThat(new Codegen(project, Domain.builder("shop").resources(account().build()).build(), Plugins.none(),
                Renames.none(), Clock.fixed(now.plusSeconds(60), ZoneOffset.UTC)).check().changed())
                .as("declared again, the resource equals its snapshot").isFalse();
        assertThat(account().build()).isEqualTo(account().build());
    }

    @Test
    void valuesAreStoredInTheirColumnsFormAndReadBackAsTheJavaValues() throws Exception {
        try (Ashlar ashlar = migrated(account())) {
            long id = ashlar.create("account", sample()).getLong("id");

            Row read = ashlar.get("account", id);
            sample().forEach((field, value) -> {
                if (!field.equals("site")) {
                    assertThat(read.get(field)).as(field).isEqualTo(value);
                }
            });
            assertThat(read.get("site").toString()).isEqualTo("https://example.com/a?b=1");
            assertThat(db.query("SELECT founded, billing::text, birthday::text, \"offset\", currency, locale, "
                    + "address::text, grade FROM accounts").get(0)).containsEntry("founded", 1998)
                    .containsEntry("billing", "2024-02-01").containsEntry("birthday", "2000-02-29")
                    .containsEntry("offset", "+02:00").containsEntry("currency", "EUR")
                    .containsEntry("locale", "fr-CA").containsEntry("address", "10.0.0.2/32")
                    .containsEntry("grade", "B");
        }
    }

    @Test
    void filtersAndSortsCompareTheStoredFormsInCalendarAndAddressOrder() throws Exception {
        try (Ashlar ashlar = migrated(account())) {
            for (String address : List.of("10.0.0.10", "10.0.0.2", "10.0.0.9")) {
                ashlar.create("account", values("address", InetAddress.getByName(address),
                        "billing", YearMonth.of(2024, address.length()), "birthday", MonthDay.of(address.length(), 1),
                        "founded", Year.of(2000 + address.length()), "currency", Currency.getInstance(
                                address.endsWith("9") ? "USD" : "EUR")));
            }

            assertThat(ashlar.read("account").sort(Sort.asc("address")).values("address", InetAddress.class))
                    .extracting(InetAddress::getHostAddress).containsExactly("10.0.0.2", "10.0.0.9", "10.0.0.10");
            assertThat(ashlar.read("account").where(gt("address", InetAddress.getByName("10.0.0.5")))
                    .count()).isEqualTo(2);
            assertThat(ashlar.read("account").where(lt("billing", YearMonth.of(2024, Month.SEPTEMBER))).count())
                    .isEqualTo(2);
            assertThat(ashlar.read("account").where(eq("birthday", MonthDay.of(Month.AUGUST, 1)))
                    .values("founded", Year.class)).containsExactly(Year.of(2008), Year.of(2008));
            assertThat(ashlar.read("account").where(in("currency", List.of(Currency.getInstance("USD")))).count())
                    .isEqualTo(1);
            assertThat(ashlar.read("account").max("founded")).isEqualTo(Year.of(2009));
        }
    }

    @Test
    void offsetsCompareAsTheirStoredTextNotAsOffsets() {
        try (Ashlar ashlar = migrated(account())) {
            ashlar.create("account", values("offset", ZoneOffset.ofHours(-5)));
            ashlar.create("account", values("offset", ZoneOffset.ofHours(2)));

            assertThat(ashlar.read("account").sort(Sort.asc("offset")).values("offset", ZoneOffset.class))
                    .containsExactly(ZoneOffset.ofHours(2), ZoneOffset.ofHours(-5));
        }
    }

    @Test
    void aValueOfAnotherJavaTypeIsRefusedNamingTheField() {
        try (Ashlar ashlar = migrated(account())) {
            assertThatThrownBy(() -> ashlar.create("account", values("founded", 1998)))
                    .isInstanceOf(InvalidDataException.class).hasMessageContaining("founded")
                    .hasMessageContaining("must be a Year");
            assertThatThrownBy(() -> ashlar.read("account").where(eq("currency", "EUR")).list())
                    .isInstanceOf(QueryException.class).hasMessageContaining("currency");
            assertThat(ashlar.read("account").count()).isZero();
        }
    }

    @Test
    void aStoredValueTheTypeCannotReadIsRefusedNamingTheResourceAndField() {
        try (Ashlar ashlar = migrated(account())) {
            db.execute("INSERT INTO accounts (billing, address, zone) VALUES ('2024-02-15', '10.0.0.0/8', 'Mars/Base')");

            assertThatThrownBy(() -> ashlar.read("account").select("billing").list())
                    .isInstanceOf(QueryException.class).hasMessageContaining("account.billing holds")
                    .hasMessageContaining("not the first day of a month");
            assertThatThrownBy(() -> ashlar.read("account").select("address").list())
                    .isInstanceOf(QueryException.class).hasMessageContaining("account.address holds")
                    .hasMessageContaining("10.0.0.0/8");
            assertThatThrownBy(() -> ashlar.read("account").select("zone").list())
                    .isInstanceOf(QueryException.class).hasMessageContaining("account.zone holds 'Mars/Base'");
        }
    }

    @Test
    void aStoredLocaleInToStringFormReadsAsTheSameLocale() {
        try (Ashlar ashlar = migrated(account())) {
            db.execute("INSERT INTO accounts (locale) VALUES ('en_US')");

            assertThat(ashlar.read("account").values("locale", Locale.class)).containsExactly(Locale.US);
        }
    }

    @Test
    void anInetColumnAddedToATableHoldingRowsIsWrittenAndReadThroughTheTypedApi() throws Exception {
        try (Ashlar first = migrated(Resource.builder("site").table("sites").attribute("id",
                dev.ashlar.api.resource.Type.BIGINT, a -> a.primaryKey()))) {
            first.create("site", values("id", 1L));
        }
        try (Ashlar ashlar = migrated(Resource.builder("site").table("sites")
                .attribute("id", dev.ashlar.api.resource.Type.BIGINT, a -> a.primaryKey())
                .attribute("founded", JavaTypes.year()).attribute("address", JavaTypes.inetAddress()))) {
            ashlar.create(SITES, new Site(2L, Year.of(2001), InetAddress.getByName("::1")));

            assertThat(db.query("SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute "
                    + "WHERE attrelid = 'sites'::regclass AND attname = 'address'").get(0)).containsEntry("type", "inet");
            assertThat(ashlar.read(SITES).sort(ID.asc()).list()).containsExactly(new Site(1L, null, null),
                    new Site(2L, Year.of(2001), InetAddress.getByName("::1")));
            assertThat(ashlar.read(SITES).where(FOUNDED.eq(Year.of(2001))).list()).extracting(Site::id)
                    .containsExactly(2L);
        }
    }

    @Test
    void aKeyToAnInetAddressKeyIsAnInetColumnAndLoadsItsRecord() throws Exception {
        try (Ashlar ashlar = migrated(Resource.builder("host").table("hosts")
                        .attribute("address", JavaTypes.inetAddress(), a -> a.primaryKey()).attribute("name",
                                dev.ashlar.api.resource.Type.TEXT),
                Resource.builder("login").table("logins").primaryKey("id").belongsTo("host", "host"))) {
            InetAddress address = InetAddress.getByName("192.168.1.20");
            ashlar.create("host", values("address", address, "name", "gateway"));
            ashlar.create("login", values("host_id", address));

            assertThat(db.query("SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute "
                    + "WHERE attrelid = 'logins'::regclass AND attname = 'host_id'").get(0)).containsEntry("type", "inet");
            assertThat(ashlar.read("login").load("host").list().get(0).related("host"))
                    .extracting(h -> h.getString("name")).containsExactly("gateway");
        }
    }

    @Test
    void aTimeZoneOfAShortIdIsWrittenAndReadBack() {
        try (Ashlar ashlar = migrated(account())) {
            long id = ashlar.create("account", values("time_zone", TimeZone.getTimeZone("PST"))).getLong("id");

            assertThat(ashlar.get("account", id).get("time_zone")).isEqualTo(TimeZone.getTimeZone("PST"));
        }
    }

    @Test
    void aTimeZoneNoZoneIdNamesIsRefusedBeforeItIsWritten() {
        try (Ashlar ashlar = migrated(account())) {
            assertThatThrownBy(() -> ashlar.create("account", values("time_zone",
                    new java.util.SimpleTimeZone(3_600_000, "Office/Own"))))
                    .isInstanceOf(InvalidDataException.class).hasMessageContaining("time_zone");
            assertThat(ashlar.read("account").count()).isZero();
        }
    }

    @Test
    void aUrlThatIsNoUriIsRefusedBeforeItIsWritten() throws Exception {
        try (Ashlar ashlar = migrated(account())) {
            assertThatThrownBy(() -> ashlar.create("account", values("site", new java.net.URL("http://example.com/a b"))))
                    .isInstanceOf(InvalidDataException.class).hasMessageContaining("site");
            assertThat(ashlar.read("account").count()).isZero();
        }
    }

    @Test
    void aStoredTextThatIsNoLanguageTagIsRefusedNamingTheField() {
        try (Ashlar ashlar = migrated(account())) {
            db.execute("INSERT INTO accounts (locale) VALUES ('not a locale!')");

            assertThatThrownBy(() -> ashlar.read("account").select("locale").list())
                    .isInstanceOf(QueryException.class).hasMessageContaining("account.locale holds 'not a locale!'");
        }
    }

    @Test
    void aLocaleItsLanguageTagDoesNotKeepIsRefusedBeforeItIsWritten() {
        try (Ashlar ashlar = migrated(account())) {
            assertThatThrownBy(() -> ashlar.create("account", values("locale", new Locale("not valid!"))))
                    .isInstanceOf(InvalidDataException.class).hasMessageContaining("locale")
                    .hasMessageContaining("'und' does not keep it");
            assertThat(ashlar.read("account").count()).isZero();
        }
    }

    @Test
    void anAddressWithAScopeIsRefusedNamingTheField() throws Exception {
        try (Ashlar ashlar = migrated(account())) {
            InetAddress scoped = java.net.Inet6Address.getByAddress(null, InetAddress.getByName("fe80::1").getAddress(), 1);
            assertThatThrownBy(() -> ashlar.create("account", values("address", scoped)))
                    .isInstanceOf(InvalidDataException.class).hasMessageContaining("address");
            assertThat(ashlar.read("account").count()).isZero();
        }
    }

    @Test
    void aCharacterPostgresCannotStoreIsRefusedNamingTheField() {
        try (Ashlar ashlar = migrated(account())) {
            assertThatThrownBy(() -> ashlar.create("account", values("grade", '\uD800')))
                    .isInstanceOf(InvalidDataException.class).hasMessageContaining("grade");
            assertThatThrownBy(() -> ashlar.create("account", values("grade", '\u0000')))
                    .isInstanceOf(InvalidDataException.class).hasMessageContaining("grade");
            assertThat(ashlar.read("account").count()).isZero();
        }
    }

    @Test
    void addressesAreFoundByEqualityAndInAList() throws Exception {
        try (Ashlar ashlar = migrated(account())) {
            for (String address : List.of("10.0.0.1", "::ffff:10.0.0.7", "2001:db8::1")) {
                ashlar.create("account", values("address", InetAddress.getByName(address)));
            }

            assertThat(ashlar.read("account").where(eq("address", InetAddress.getByName("2001:db8:0::1"))).count())
                    .isEqualTo(1);
            assertThat(ashlar.read("account").where(in("address", List.of(InetAddress.getByName("10.0.0.1"),
                    InetAddress.getByName("10.0.0.7")))).values("address", InetAddress.class))
                    .extracting(InetAddress::getHostAddress).containsExactlyInAnyOrder("10.0.0.1", "10.0.0.7");
        }
    }
}
