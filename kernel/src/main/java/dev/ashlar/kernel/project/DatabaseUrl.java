package dev.ashlar.kernel.project;

import dev.ashlar.api.error.DatabaseException;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database URLs every way in accepts alike (the command line, the Maven plugin, both reading
 * {@code ASHLAR_DATABASE_URL}): a JDBC URL, or the {@code postgres://user:password@host:port/db} form that
 * hosting platforms hand out, turned into the JDBC URL pgjdbc understands; and a URL as messages show it,
 * without its password.
 */
public final class DatabaseUrl {
    private DatabaseUrl() {
    }

    /**
     * The JDBC URL of {@code url}: a {@code postgres://} or {@code postgresql://} URL with its user and password
     * moved into the query; any other text as given (the caller checks it is {@code jdbc:postgresql:}).
     *
     * @throws DatabaseException for a {@code postgres://} URL that is not a URI with a host
     */
    public static String jdbc(String url) {
        if (!url.startsWith("postgres://") && !url.startsWith("postgresql://")) {
            return url;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            // Its message quotes the URL whole, password and all: only its reason and place are kept.
            throw malformed(masked(url), e.getReason() + (e.getIndex() < 0 ? "" : " at character " + (e.getIndex() + 1)));
        }
        if (uri.getHost() == null) {
            throw malformed(masked(url), "it names no host");
        }
        // URI reads ":0" as port 0, and the form without a port as -1: dropping 0 would connect to 5432 unasked.
        if (uri.getPort() == 0 || uri.getPort() > 65_535) {
            throw malformed(masked(url), "port " + uri.getPort() + " is no TCP port");
        }
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost())
                .append(uri.getPort() > 0 ? ":" + uri.getPort() : "").append(uri.getRawPath());
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        if (uri.getRawUserInfo() != null) {
            String[] credentials = uri.getRawUserInfo().split(":", 2);
            query += (query.isEmpty() ? "" : "&") + "user=" + credentials[0]
                    + (credentials.length > 1 ? "&password=" + credentials[1] : "");
        }
        return jdbc + (query.isEmpty() ? "" : "?" + query);
    }

    /**
     * Refuses a {@code jdbc:postgresql:} URL that pgjdbc would read other than meant: one with a user part before the
     * host ({@code jdbc:postgresql://user:password@host/db}), which pgjdbc takes as part of the host name and then
     * quotes, password and all, in its error; and one that names no database, on which pgjdbc connects to the database
     * named after the user, so that migrations would land in a database nobody named.
     *
     * @param jdbc  the URL as {@link #jdbc} turned it
     * @param shown the URL {@link #masked}, for the message
     * @throws DatabaseException saying how to write the URL
     */
    public static void requireUserOutsideHostAndDatabase(String jdbc, String shown) {
        if (!jdbc.startsWith(JDBC_PREFIX)) {
            return;
        }
        // Read here rather than by pgjdbc's Driver.parseURL, which fills an empty database in with the user's name.
        String[] parts = jdbc.substring(JDBC_PREFIX.length()).split("\\?", 2);
        String address = parts[0];
        String database = address;
        if (address.startsWith("//")) {
            int slash = address.indexOf('/', 2);
            if (address.substring(2, slash < 0 ? address.length() : slash).contains("@")) {
                throw DatabaseException.of("The database URL '" + shown + "' puts a user before the host, which a "
                        + "jdbc:postgresql: URL cannot: write it as postgres://user:password@host:port/database, or as "
                        + "jdbc:postgresql://host:port/database with the user and password given beside it");
            }
            if (slash < 0) {
                database = "";   // pgjdbc cannot read "//host" without the '/', whatever the query says
            } else if (address.length() == slash + 1 && parts.length > 1) {
                database = databaseParameter(parts[1]);
            } else {
                database = address.substring(slash + 1);
            }
        } else if (database.isEmpty() && parts.length > 1) {
            database = databaseParameter(parts[1]);
        }
        if (database.isEmpty()) {
            throw DatabaseException.of("The database URL '" + shown + "' names no database, and PostgreSQL would "
                    + "take the one named after the user: add it after the host and port, e.g. "
                    + "postgres://user:password@host:5432/DATABASE or jdbc:postgresql://host:5432/DATABASE");
        }
    }

    private static final String JDBC_PREFIX = "jdbc:postgresql:";

    /** The database a URL's query names with pgjdbc's {@code PGDBNAME} parameter (the last one counts), or "". */
    private static String databaseParameter(String query) {
        String database = "";
        for (String parameter : query.split("&")) {
            if (parameter.startsWith("PGDBNAME=")) {
                database = parameter.substring("PGDBNAME=".length());
            }
        }
        return database;
    }

    /** A {@code password=} parameter (and {@code sslpassword=}), in any case; its value runs to the next '&'. */
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)password=([^&]*)");

    /**
     * The URL without its password, for messages: the password of the user part ({@code user:password@}) and the
     * value of every {@code password=} parameter each become {@code ****}, found in the URL as written and only then
     * decoded, so that an encoded {@code %40} or {@code %26} in a password (an {@code @} or {@code &}) cannot end the
     * part hidden early. The user part runs to the last '@' before the query, so a password holding a raw '@' is hidden
     * whole too, and so is one given with an empty user ({@code postgres://:password@host/db}).
     */
    public static String masked(String url) {
        boolean[] hidden = new boolean[url.length()];
        int scheme = url.indexOf("://");
        int start = scheme < 0 ? 0 : scheme + 3;   // no scheme ("user:password@host"): from the start
        int firstAt = url.indexOf('@', start);
        int mark = url.indexOf('?');
        if (scheme < 0 && mark >= 0 && firstAt > mark) {
            firstAt = -1;   // "jdbc:postgresql:db?user=ada@example.com": an '@' in the query is no user part
        }
        if (firstAt >= 0) {
            int path = url.indexOf('/', start);
            int query = url.indexOf('?', path < 0 || path > firstAt ? firstAt : path);
            int end = url.lastIndexOf('@', query < 0 ? url.length() : query);
            int colon = url.indexOf(':', start);
            if (colon >= 0 && colon < end) {
                Arrays.fill(hidden, colon + 1, end, true);
            }
        }
        Matcher parameter = PASSWORD_PARAMETER.matcher(url);
        while (parameter.find()) {
            Arrays.fill(hidden, parameter.start(1), parameter.end(1), true);
        }
        StringBuilder shown = new StringBuilder(url.length());
        for (int i = 0; i < url.length(); i++) {
            if (!hidden[i]) {
                shown.append(url.charAt(i));
            } else if (i == 0 || !hidden[i - 1]) {
                shown.append("****");
            }
        }
        try {
            return URLDecoder.decode(shown.toString(), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return shown.toString();   // a stray '%': shown as written
        }
    }

    /** How to write a URL that can be read, for messages. */
    public static final String FORMS = "write it as jdbc:postgresql://host:port/database or "
            + "postgres://user:password@host:port/database, with a port from 1 to 65535 and any special character of "
            + "the password percent-encoded";

    /**
     * The error for a URL that cannot be read, saying how to write one. It keeps no cause: the parser's and the pool's
     * messages quote the URL whole, password and all, and a stack trace (--verbose, a log) would show it.
     *
     * @param shown  the URL {@link #masked}
     * @param reason what is wrong with it, in words holding nothing of the URL; or null
     */
    public static DatabaseException malformed(String shown, String reason) {
        return DatabaseException.of("Malformed database URL '" + shown + "'" + (reason == null ? "" : " (" + reason
                + ")") + ": " + FORMS);
    }
}
