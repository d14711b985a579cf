package dev.ashlar.api.resource;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.UnknownHostException;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.Locale;
import java.util.TimeZone;
import java.util.regex.Pattern;

/**
 * Ready-made {@link Converter}s for the Java types Ebean maps by itself ({@code ScalarTypeYear}, {@code ScalarTypeLocale},
 * {@code ScalarTypeInetAddress} ...), each storing its values in the column PostgreSQL users expect:
 *
 * <pre>{@code
 * .attribute("founded", JavaTypes.year())            // integer 2024
 * .attribute("billing_month", JavaTypes.yearMonth()) // date, the first of the month
 * .attribute("address", JavaTypes.inetAddress())     // inet
 * .attribute("currency", JavaTypes.currency())       // varchar(3) 'EUR'
 * }</pre>
 *
 * Writes, filters and sorts use the stored form, so a year, month or day compares in calendar order. Two converters
 * of one method are equal, so resources declared twice are equal.
 */
public final class JavaTypes {
    /** The year a {@link MonthDay} is stored in: a leap year, so February 29 is kept, as Ebean does. */
    private static final int MONTH_DAY_YEAR = 2000;
    /** An address the server writes: digits, hex digits, dots and colons; never a host name to look up. */
    private static final Pattern ADDRESS = Pattern.compile("[0-9A-Fa-f.:]+");

    private JavaTypes() {
    }

    /** A {@link Year} stored as its number in an {@code integer} ({@code 2024}), as Ebean stores it. */
    public static Converter<Year, Integer> year() {
        return Converter.readyMade("Year as integer", Year.class, Type.INTEGER, Integer.class, Year::getValue,
                Year::of, null);
    }

    /**
     * A {@link YearMonth} stored as the first day of its month in a {@code date}, as Ebean stores it; a stored date on
     * another day is refused when read, naming the field.
     */
    public static Converter<YearMonth, LocalDate> yearMonth() {
        return Converter.readyMade("YearMonth as the date of its first day", YearMonth.class, Type.DATE,
                LocalDate.class, month -> month.atDay(1), JavaTypes::firstOfMonth, null);
    }

    /**
     * A {@link MonthDay} stored as that day of the year 2000 in a {@code date} (a leap year, so February 29 is kept),
     * as Ebean stores it; days compare in calendar order. A {@link LocalDate} given in a write or a filter, as Ebean's
     * tests bind one, stands for its month and day.
     */
    public static Converter<MonthDay, LocalDate> monthDay() {
        return Converter.readyMade("MonthDay as a date of 2000", MonthDay.class, Type.DATE, LocalDate.class,
                day -> day.atYear(MONTH_DAY_YEAR), JavaTypes::dayOf2000, null)
                .taking(value -> value instanceof LocalDate date ? MonthDay.from(date) : null);
    }

    /** A {@link ZoneId} stored as its id in a {@code text} ({@code Europe/Paris}, {@code +02:00}). */
    public static Converter<ZoneId, String> zoneId() {
        return Converter.readyMade("ZoneId as its id", ZoneId.class, Type.TEXT, String.class, ZoneId::getId,
                ZoneId::of, null);
    }

    /** A {@link ZoneOffset} stored as its id in a {@code varchar(9)} ({@code +02:00}, {@code Z}). */
    public static Converter<ZoneOffset, String> zoneOffset() {
        return Converter.readyMade("ZoneOffset as its id", ZoneOffset.class, Type.varchar(9), String.class,
                ZoneOffset::getId, ZoneOffset::of, null);
    }

    /**
     * A {@link TimeZone} stored as its id in a {@code text} (short ids such as {@code PST} too); a zone whose id names
     * no zone is refused when written, and a stored id no zone has when read (where
     * {@link TimeZone#getTimeZone(String)} would give GMT without a word). A zone id given as a {@code String} in a write
     * or a filter stands for its zone, and one no zone has is refused naming the field.
     */
    public static Converter<TimeZone, String> timeZone() {
        return Converter.readyMade("TimeZone as its id", TimeZone.class, Type.TEXT, String.class,
                zone -> knownZone(zone.getID()), JavaTypes::timeZone, null)
                .taking(value -> value instanceof String id ? timeZone(id) : null);
    }

    /** A {@link Currency} stored as its ISO 4217 code in a {@code varchar(3)} ({@code EUR}). */
    public static Converter<Currency, String> currency() {
        return Converter.readyMade("Currency as its code", Currency.class, Type.varchar(3), String.class,
                Currency::getCurrencyCode, Currency::getInstance, null);
    }

    /**
     * A {@link Locale} stored as its language tag in a {@code text} ({@code en-US}); a stored {@code en_US}, the form
     * {@link Locale#toString()} and Ebean write, reads as the same locale, and a stored text that is no language tag
     * is refused when read (where {@link Locale#forLanguageTag(String)} would drop what it cannot parse); a locale its
     * language tag does not keep ({@code new Locale("not valid!")}, whose tag is {@code und}) is refused when written.
     * A language tag given as a {@code String} in a write or a filter ({@code "en-US"}, or {@code "en_US"}) stands for
     * its locale, and one that is no language tag is refused naming the field.
     */
    public static Converter<Locale, String> locale() {
        return Converter.readyMade("Locale as its language tag", Locale.class, Type.TEXT, String.class,
                JavaTypes::languageTag, JavaTypes::parseLocale, null)
                .taking(value -> value instanceof String tag ? parseLocale(tag) : null);
    }

    /**
     * A {@link URL} stored as its text in a {@code text}; a URL that is no URI ({@code http://a/b c}) is refused when
     * written, and a stored text that is no absolute URL when read.
     */
    public static Converter<URL, String> url() {
        return Converter.readyMade("URL as its text", URL.class, Type.TEXT, String.class,
                url -> parseUrl(url.toExternalForm()).toExternalForm(), JavaTypes::parseUrl, null);
    }

    /**
     * An {@link InetAddress} stored in an {@code inet} column, compared by the server as an address ({@code 10.0.0.2}
     * sorts before {@code 10.0.0.10}); stored values are read without a name lookup, and one with a network mask
     * ({@code 10.0.0.0/8}) is refused when read, naming the field.
     */
    public static Converter<InetAddress, String> inetAddress() {
        return Converter.readyMade("InetAddress as inet", InetAddress.class, Type.TEXT, String.class,
                JavaTypes::unscoped, JavaTypes::parseAddress, "inet");
    }

    /** A {@link Character} stored in a {@code varchar(1)}, as Ebean stores a {@code char}. */
    public static Converter<Character, String> character() {
        return Converter.readyMade("Character as varchar(1)", Character.class, Type.varchar(1), String.class,
                String::valueOf, text -> text.length() == 1 ? text.charAt(0) : null, null);
    }

    private static YearMonth firstOfMonth(LocalDate date) {
        if (date.getDayOfMonth() != 1) {
            throw new IllegalArgumentException(date + " is not the first day of a month");
        }
        return YearMonth.from(date);
    }

    private static MonthDay dayOf2000(LocalDate date) {
        if (date.getYear() != MONTH_DAY_YEAR) {
            throw new IllegalArgumentException(date + " is not a day of " + MONTH_DAY_YEAR);
        }
        return MonthDay.from(date);
    }

    private static String languageTag(Locale locale) {
        String tag = locale.toLanguageTag();
        if (!parseLocale(tag).equals(locale)) {
            throw new IllegalArgumentException("its language tag '" + tag + "' does not keep it: give a locale of a "
                    + "well-formed language, country and variant");
        }
        return tag;
    }

    private static Locale parseLocale(String tag) {
        return tag.isEmpty() ? Locale.ROOT : new Locale.Builder().setLanguageTag(tag.replace('_', '-')).build();
    }

    private static TimeZone timeZone(String id) {
        TimeZone zone = TimeZone.getTimeZone(knownZone(id));
        // TimeZone reads fewer spellings than ZoneId: "UTC+1" or "+01:00" would give GMT without a word, so a zone
        // TimeZone names GMT for another id is taken as the offset ZoneId reads in it (GMT+01:00).
        return zone.getID().equals("GMT") && !id.equals("GMT")
                ? TimeZone.getTimeZone(ZoneId.of(id, ZoneId.SHORT_IDS).normalized()) : zone;
    }

    /** The zone id itself, refused when no zone has it. */
    private static String knownZone(String id) {
        ZoneId.of(id, ZoneId.SHORT_IDS);
        return id;
    }

    /** The address's text; one with a scope ({@code fe80::1%1}), which an {@code inet} cannot hold, is refused. */
    private static String unscoped(InetAddress address) {
        String text = address.getHostAddress();
        if (text.indexOf('%') >= 0) {
            throw new IllegalArgumentException(text + " has a scope, which an inet column cannot hold");
        }
        return text;
    }

    private static URL parseUrl(String text) {
        try {
            return new URI(text).toURL();
        } catch (URISyntaxException | java.net.MalformedURLException e) {
            throw new IllegalArgumentException(text + " is no URL: " + e.getMessage(), e);
        }
    }

    private static InetAddress parseAddress(String text) {
        if (!ADDRESS.matcher(text).matches()) {
            throw new IllegalArgumentException(text + " is not a single address");
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text + " is not an address", e);
        }
    }
}
