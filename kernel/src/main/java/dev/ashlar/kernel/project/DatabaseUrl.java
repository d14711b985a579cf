package dev.ashlar.kernel.project;

import dev.ashlar.api.error.DatabaseException;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

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
            throw malformed(masked(url), e);
        }
        if (uri.getHost() == null) {
            throw malformed(masked(url), null);
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

    /** The URL without its password (in the user part or a {@code password=} parameter), for messages. */
    public static String masked(String url) {
        String decoded;
        try {
            decoded = URLDecoder.decode(url, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            decoded = url;   // a stray '%': masked as written
        }
        return decoded
                .replaceAll("(?<=://[^:/@]{1,200}:)[^@]*(?=@)", "****")
                .replaceAll("(?i)(password=)[^&]*", "$1****");
    }

    /** How to write a URL that can be read, for messages. */
    public static final String FORMS = "write it as jdbc:postgresql://host:port/database or "
            + "postgres://user:password@host:port/database, with a port from 1 to 65535 and any special character of "
            + "the password percent-encoded";

    /** The error for a URL that cannot be read, saying how to write one. */
    public static DatabaseException malformed(String shown, Exception cause) {
        return DatabaseException.of("Malformed database URL '" + shown + "': " + FORMS, cause);
    }
}
