package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ControlCharacters;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.kernel.layout.Utf8;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One migration file in the dbmate layout:
 *
 * <pre>
 * -- requires: postgresql 15 (ON DELETE SET NULL (columns))
 * -- migrate:up
 * CREATE TABLE ...;
 * -- migrate:down
 * DROP TABLE ...;
 * </pre>
 *
 * A file whose up line says {@code transaction:false} runs outside a transaction; its down section runs the same way
 * unless its own line says otherwise ({@code -- migrate:down transaction:true} or {@code transaction:false}), as
 * dbmate's do. A header line
 * {@code -- lock-timeout: 5000ms} bounds each statement's wait for a table lock, unless the migrator is
 * given a bound of its own. Only {@code --} comments and these headers may come before the up line; a line
 * that looks like a marker but is not one, SQL before the up line, or a missing up line is refused, naming
 * the line.
 *
 * @param version       the leading digits of the file name, e.g. {@code 20261127101500}
 * @param name          the rest of the name, e.g. {@code add_comments}
 * @param up            the SQL of the up section
 * @param down          the SQL of the down section
 * @param transactional whether the file's up section runs in a transaction
 * @param downTransactional whether its down section runs in one: as the up section unless the down line says
 * @param requires      the oldest PostgreSQL major version the file needs (0 for any), with the reason
 * @param checksum      the SHA-256 of the file's bytes, in hex
 * @param lockTimeout   the file's own bound on each wait for a table lock, or null
 * @param sameText      the checksums of the same text with the other line endings (LF, CRLF), with or without a
 *                      byte order mark and with or without a final line ending: a history that recorded one of them
 *                      holds this file (a Windows checkout with {@code core.autocrlf}, an editor's byte order mark
 *                      or final newline)
 * @param upLine        the line of the file where {@code up} starts (1-based), for messages
 * @param downLine      the line where {@code down} starts, 0 without a down section
 * @param java          the Java migration this stands for, with empty sections ({@link #of(JavaMigration)}); null
 *                      for a file
 * @param filters       the runs that apply it: its {@code -- context:} and {@code -- labels:} headers
 */
public record MigrationFile(Path path, String version, String name, String up, String down, boolean transactional,
                            boolean downTransactional, int requires, String requiresReason, String checksum,
                            Duration lockTimeout, Set<String> sameText, int upLine, int downLine, JavaMigration java,
                            FileFilters filters) {

    public MigrationFile {
        sameText = Set.copyOf(sameText);
        filters = filters == null ? FileFilters.NONE : filters;
    }

    /** A migration file (not a Java migration). */
    public MigrationFile(Path path, String version, String name, String up, String down, boolean transactional,
                         boolean downTransactional, int requires, String requiresReason, String checksum,
                         Duration lockTimeout, Set<String> sameText, int upLine, int downLine) {
        this(path, version, name, up, down, transactional, downTransactional, requires, requiresReason, checksum,
                lockTimeout, sameText, upLine, downLine, null, FileFilters.NONE);
    }

    /**
     * Refuses what no run of this file could send, in either section: a psql command, a COPY whose rows never end or
     * that writes to psql's output, a string, comment or dollar-quoted body left open. What depends on the transaction
     * a section runs in is left to the run and to the linter's rules.
     *
     * @throws MigrationException naming the file, the section, the statement, its line and the fix
     */
    public void checkSql() {
        SectionStatements.checkSql(this, FileRunner.Direction.UP);
        SectionStatements.checkSql(this, FileRunner.Direction.DOWN);
    }

    /** The checksum algorithm of a Java migration's history row; its checksum is its own or {@link #JAVA}. */
    public static final String JAVA = "java";

    /**
     * A Java migration as the plan and the history see it: its version and name, no SQL, named by its class
     * ({@code com.example.V20260101120000__backfill_slugs.java}) in messages.
     *
     * @throws MigrationException when its version is not 14 digits or its name not lowercase letters, digits and _
     */
    public static MigrationFile of(JavaMigration migration) {
        String version = migration.version();
        String name = migration.name();
        if (version == null || !version.matches("\\d{14}") || name == null || !name.matches("[a-z0-9_]+")) {
            throw new MigrationException(ErrorCode.MIGRATION, "Java migration " + migration.getClass().getName()
                    + " has version " + version + " and name " + name + ": a version is 14 digits (20260101120000) "
                    + "and a name lowercase letters, digits and _, as a file's. Nothing was run.",
                    migration.getClass().getName());
        }
        String checksum = migration.checksum() == null ? JAVA : migration.checksum();
        return new MigrationFile(Path.of(migration.getClass().getName() + ".java"), version, name, "", "",
                migration.transactional(), migration.transactional(), 0, null, checksum, null, Set.of(), 0, 0,
                migration, FileFilters.NONE);
    }

    /** The algorithm of the checksum this migration's history row records: SHA-256 for a file, {@code java}. */
    public String algorithm() {
        return java == null ? CHECKSUM_ALGORITHM : JAVA;
    }

    /**
     * Whether a history's checksum is this file's, whatever its line endings and byte order mark were then, or one that
     * its {@code -- valid-checksum:} header accepts.
     */
    public boolean holds(String recorded) {
        return unchanged(recorded) || filters.accepts(recorded);
    }

    /** Whether a history's checksum is this file's, whatever its line endings and byte order mark were then. */
    public boolean unchanged(String recorded) {
        return checksum.equals(recorded) || sameText.contains(recorded);
    }

    /** The same file with other section texts (placeholders replaced), its checksum that of the file as written. */
    public MigrationFile withSections(String upText, String downText) {
        if (upText.equals(up) && downText.equals(down)) {
            return this;
        }
        return new MigrationFile(path, version, name, upText, downText, transactional, downTransactional, requires,
                requiresReason, checksum, lockTimeout, sameText, upLine, downLine, java, filters);
    }

    /** The same file recorded with other checksums (a repeatable file's, with the placeholder values it uses). */
    MigrationFile withChecksums(String recorded, Set<String> alike) {
        return new MigrationFile(path, version, name, up, down, transactional, downTransactional, requires,
                requiresReason, recorded, lockTimeout, alike, upLine, downLine, java, filters);
    }

    /** The checksum algorithm, recorded in the history so that it can change without breaking old projects. */
    public static final String CHECKSUM_ALGORITHM = "sha256";

    /**
     * The prefix of a repeatable file's name ({@code R__views.sql}, Flyway's) and of its version in the history:
     * a letter, so it never equals a 14-digit version and sorts after every one.
     */
    public static final String REPEATABLE = "R__";

    static final Pattern FILE_NAME = Pattern.compile("(?:(\\d{14})_|R__)([a-z0-9_]+)\\.sql");
    /** A name with a version, to say what else in it is wrong. */
    private static final Pattern VERSIONED = Pattern.compile("\\d{14}_(.*)\\.[sS][qQ][lL]");
    /** Flyway's names: V1__init.sql, U1__init.sql, R__views.sql. */
    private static final Pattern FLYWAY_NAME = Pattern.compile("[VUR][0-9._]*__(.+)\\.[sS][qQ][lL]");
    /** Flyway's SQL callbacks: an event ({@code afterEachMigrateError}, {@code beforeValidate}), then a description. */
    private static final Pattern FLYWAY_CALLBACK = Pattern.compile(
            "(?:(?:before|after)[A-Z][A-Za-z]*|createSchema)(?:__.*)?\\.[sS][qQ][lL]");
    /** dbmate's markers: any blanks, or none, between "--" and "migrate:" ({@code --migrate:up}). */
    private static final Pattern UP = Pattern.compile("^--[ \\t]*migrate:up(\\s+transaction:(true|false))?\\s*$");
    private static final Pattern DOWN = Pattern.compile("^--[ \\t]*migrate:down(\\s+transaction:(true|false))?\\s*$");
    private static final Pattern LOCK_TIMEOUT = Pattern.compile("^-- lock-timeout: (\\d+)ms\\s*$");
    private static final Pattern REQUIRES = Pattern.compile("^-- requires: postgresql (\\d+)(?: \\((.*)\\))?\\s*$");
    private static final Pattern CONTEXT = Pattern.compile("^-- context: (\\S.*?)\\s*$");
    private static final Pattern LABELS = Pattern.compile("^-- labels: ([A-Za-z0-9_.-]+(?:\\s*,\\s*[A-Za-z0-9_.-]+)*)\\s*$");
    private static final Pattern PRECONDITION = Pattern.compile("^-- precondition: (\\S.*?)\\s*$");
    private static final Pattern ON_FAIL = Pattern.compile("^-- on-fail: (\\S+)\\s*$");
    private static final Pattern TAG = Pattern.compile("^-- tag: (\\S.*?)\\s*$");
    /** Liquibase's validCheckSum: a checksum the history may hold, as {@code ashlar checksum} shows it, or any. */
    private static final Pattern VALID_CHECKSUM = Pattern.compile("^-- valid-checksum: (?:" + CHECKSUM_ALGORITHM
            + ":([0-9a-f]{64})|(" + FileFilters.ANY_CHECKSUM + "))\\s*$");
    private static final Pattern FAIL_ON_ERROR = Pattern.compile("^-- fail-on-error: (true|false)\\s*$");
    /** Liquibase's dbms: the kinds of database a file is for, or not for ({@link Dbms}). */
    private static final Pattern DBMS = Pattern.compile("^-- dbms: (\\S.*?)\\s*$");
    private static final String RUN_ALWAYS = "-- run-always";
    /** An ignore-lines line ({@link IgnoredLines}), which only a section takes. */
    private static final Pattern IGNORE_LINES = Pattern.compile("^\\s*--\\s*ignore-lines\\s*:");
    /** A line meant as the run-always header, in another spelling ({@code -- runAlways: true}, Liquibase's). */
    private static final Pattern RUN_ALWAYS_LIKE = Pattern.compile("^\\s*--\\s*run[-_ ]?always\\b.*",
            Pattern.CASE_INSENSITIVE);
    /** A line that starts like a header: one that does not match the header's form is a mistake, not a comment. */
    private static final Pattern HEADER = Pattern.compile("^\\s*--\\s*(requires?|lock[-_ ]?timeouts?|contexts?"
            + "|labels?|pre[-_ ]?conditions?|on[-_ ]?fail(?:s|ure)?|tags?|valid[-_ ]?check[-_ ]?sums?"
            + "|fail[-_ ]?on[-_ ]?errors?|dbms)\\s*:",
            Pattern.CASE_INSENSITIVE);
    /** Each header an example of, by its key without dashes, for {@link #HEADER}'s keys in other spellings. */
    private static final Map<String, String> SPELLINGS = Map.of("require", "-- requires: postgresql 15 (the reason)",
            "locktimeout", "-- lock-timeout: 5000ms", "context", "-- context: test", "label", "-- labels: billing, eu",
            "precondition", "-- precondition: SELECT ...", "onfail", "-- on-fail: skip", "tag", "-- tag: release-1.4",
            "validchecksum", "-- valid-checksum: sha256:<64 hex digits>", "failonerror", "-- fail-on-error: false",
            "dbms", "-- dbms: postgresql");
    /** A line meant as a marker, mistyped or not: dbmate's markers start with "-- migrate:", and no SQL does. */
    private static final Pattern MARKER = Pattern.compile("^\\s*--\\s*migrate\\s*:", Pattern.CASE_INSENSITIVE);
    private static final String BYTE_ORDER_MARK = "\uFEFF";
    /** A carriage return that no line feed follows. */
    private static final Pattern LONE_RETURN = Pattern.compile("\r(?!\n)");
    /**
     * What to do about a file whose lines end in a carriage return alone, as classic Mac OS editors wrote them: it
     * reads as one line, so no marker starts a line.
     */
    private static final String RETURNS_ALONE = " Its lines end in a carriage return alone (CR), which is no line "
            + "ending here, so the file reads as one line: save it with LF (or CRLF) line endings.";
    private static final int MAX_MAJOR_VERSION = 999;
    /** PostgreSQL's lock_timeout is an int of milliseconds. */
    private static final long MAX_LOCK_TIMEOUT_MILLIS = Integer.MAX_VALUE;
    /** How much of a refused line a message shows. */
    private static final int QUOTED = 80;
    /**
     * Files parsed before, by path, with the bytes they were parsed from: a file read again with the same bytes is
     * not parsed and hashed again (every new tenant schema reads every tenant migration). Compared by content, not
     * by modification time, so an edit is never missed.
     */
    private static final Map<Path, Parsed> PARSED = new ConcurrentHashMap<>();
    private static final int PARSED_KEPT = 2_000;

    public String fileName() {
        return path.getFileName().toString();
    }

    /**
     * Whether the file is repeatable ({@code R__<name>.sql}): it has no version, runs after the versioned files
     * whenever its text differs from the one last applied, and is never rolled back.
     */
    public boolean repeatable() {
        return repeatable(version);
    }

    /** Whether a history's version is a repeatable file's. */
    public static boolean repeatable(String version) {
        return version.startsWith(REPEATABLE);
    }

    /** A versioned file's version, or a repeatable's key in the history ({@code R__views}). */
    private static String version(Matcher name) {
        return name.group(1) == null ? REPEATABLE + name.group(2) : name.group(1);
    }

    /** Reads and parses a file. */
    public static MigrationFile read(Path path) {
        Matcher name = name(path);
        byte[] bytes = bytes(path, "migration");
        Parsed before = PARSED.get(path);
        if (before != null && Arrays.equals(before.bytes(), bytes)) {
            return before.file();
        }
        MigrationFile file = parse(path, version(name), name.group(2), utf8(path, bytes), checksum(bytes));
        if (PARSED.size() >= PARSED_KEPT) {
            PARSED.clear();
        }
        PARSED.put(path, new Parsed(bytes, file));
        return file;
    }

    /**
     * Reads a callback file ({@code afterMigrate.sql}, ...; see {@link MigrationDirectory#CALLBACKS}): SQL alone, run
     * whole at its point of every migrate run and recorded nowhere. Its version and name are its event's name.
     *
     * @throws MigrationException when it cannot be read, is no UTF-8, or holds a {@code -- migrate:} section line
     */
    static MigrationFile readCallback(Path path) {
        byte[] bytes = bytes(path, "callback");
        String text = utf8(path, bytes);
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (MARKER.matcher(lines[i]).find()) {
                throw new MigrationException(ErrorCode.MIGRATION, "Callback " + path + " has a section line at line "
                        + (i + 1) + " (" + lines[i].strip() + "): a callback is SQL alone, run whole at every migrate "
                        + "and never rolled back. Remove the line. Nothing was run.", path.getFileName().toString());
            }
        }
        String event = path.getFileName().toString().replaceFirst("\\.sql$", "");
        return new MigrationFile(path, event, event, Utf8.withoutByteOrderMark(text), "",
                true, true, 0, null, checksum(bytes), null, Set.of(), 1, 0);
    }

    /** Whether this is a callback file ({@link #readCallback(Path)}), run at every migrate and never recorded. */
    public boolean callback() {
        return java == null && MigrationDirectory.CALLBACKS.contains(fileName());
    }

    /**
     * The bytes of a file.
     *
     * @param what the kind of file, for messages ("migration")
     * @throws MigrationException when it cannot be read, or is a pipe, a socket or a device
     */
    private static byte[] bytes(Path path, String what) {
        // A pipe would block the read for ever, and a device such as /dev/zero fill the memory.
        if (Files.exists(path) && !Files.isRegularFile(path) && !Files.isDirectory(path)) {
            throw new MigrationException(ErrorCode.MIGRATION, "Cannot read " + what + " " + path + ": it is no regular "
                    + "file (a pipe, a socket or a device, or a link to one). Replace it with the file itself.",
                    path.getFileName().toString());
        }
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new MigrationException(ErrorCode.MIGRATION, "Cannot read " + what + " " + path + ": " + why(path, e),
                    path.getFileName().toString(), null, null, e);
        }
    }

    /** Why a file could not be read, with what to do: the exception's own message is often the path alone. */
    private static String why(Path path, IOException e) {
        if (Files.isDirectory(path)) {
            return "it is a folder, not a file. Move it out of the migrations folder, or rename it so that its name "
                    + "does not end in .sql";
        }
        if (e instanceof NoSuchFileException) {
            return Files.isSymbolicLink(path) ? "it is a link to a file that does not exist. Restore that file, or "
                    + "remove the link" : "it was removed while the folder was read. Run again";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied. Let the user that runs the migrations read it (chmod a+r)";
        }
        return e.getMessage();
    }

    /**
     * The file's text. Bytes that are no UTF-8 are refused: decoded leniently they would become U+FFFD and run that
     * way, silently changing what the file says (a Latin-1 'é' in a default or a comment, say).
     */
    private static String utf8(Path path, byte[] bytes) {
        boolean utf16 = bytes.length >= 2 && (bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE
                || bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF);
        if (utf16) {
            throw new MigrationException(ErrorCode.MIGRATION, "Migration " + path + " is UTF-16 (it starts with a "
                    + "UTF-16 byte order mark, as PowerShell's Out-File and some Windows editors write), not UTF-8. "
                    + "Save the file as UTF-8.", path.getFileName().toString());
        }
        return Utf8.decode(bytes, (line, offset, value) -> new MigrationException(ErrorCode.MIGRATION, "Migration "
                + path + " is not valid UTF-8: line " + line + " holds the byte 0x" + String.format("%02X", value)
                + " (byte " + offset + " of the file), which is no UTF-8 character there. Save the file as UTF-8 (was "
                + "it written in Latin-1 or Windows-1252?)", path.getFileName().toString()));
    }

    /** A file as it was read, and what it parsed to. */
    private record Parsed(byte[] bytes, MigrationFile file) {
    }

    /** Parses the text of a file that is to be at {@code path}, e.g. before it is written. */
    public static MigrationFile parse(Path path, String text) {
        Matcher name = name(path);
        return parse(path, version(name), name.group(2), text, checksum(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static Matcher name(Path path) {
        Matcher name = FILE_NAME.matcher(path.getFileName().toString());
        if (!name.matches()) {
            throw new AshlarException(ErrorCode.MIGRATION, "Migration file " + ControlCharacters.escape(path.toString())
                    + " is not named <14-digit version>_<lowercase_name>.sql; rename it"
                    + ControlCharacters.escape(misnamed(path.getFileName().toString())));
        }
        return name;
    }

    /** What is wrong with a file name that is no migration's, for the message that refuses it. */
    private static String misnamed(String fileName) {
        Matcher flyway = FLYWAY_NAME.matcher(fileName);
        if (flyway.matches()) {
            String name = flyway.group(1).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
            return switch (fileName.charAt(0)) {
                case 'U' -> " (this is a Flyway undo migration: put its SQL under the '-- migrate:down' line of the "
                        + "file it undoes)";
                case 'R' -> " (a repeatable migration's name is R__<lowercase_name>.sql: call it R__" + name
                        + ".sql, and add a '-- migrate:up' line above its SQL)";
                default -> " (this is a Flyway name: call it <14-digit version>_" + name + ".sql, e.g. with the date "
                        + "and time of the change, and add a '-- migrate:up' line above its SQL)";
            };
        }
        if (FLYWAY_CALLBACK.matcher(fileName).matches()) {
            return " (it is a Flyway callback that Ashlar does not run: its callback files are beforeMigrate.sql, "
                    + "beforeEachMigrate.sql, afterEachMigrate.sql, afterMigrate.sql and afterMigrateError.sql, one each, "
                    + "without a description; at another point, such as a validate or a failed file, a "
                    + "MigrationListener (Project.listener) runs what it must)";
        }
        Matcher versioned = VERSIONED.matcher(fileName);
        if (!versioned.matches()) {
            return " (it does not start with a version of 14 digits and '_', e.g. 20260101120000_)";
        }
        if (versioned.group(1).isEmpty()) {
            return " (give it a name after the version, e.g. 20260101120000_create_posts.sql)";
        }
        String wrong = versioned.group(1).codePoints().filter(c -> !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                || c == '_')).distinct().limit(5).mapToObj(c -> "'" + Character.toString(c) + "'")
                .collect(Collectors.joining(", "));
        return wrong.isEmpty() ? " (it must end in .sql, in lowercase)" : " (the name after the version holds " + wrong
                + ": use lowercase ASCII letters, digits and '_' only)";
    }

    private static MigrationFile parse(Path path, String version, String name, String text, String checksum) {
        // An editor may start a UTF-8 file with a byte order mark, which decodes to U+FEFF and would hide the first
        // header line. The checksum is taken from the bytes as they are, so skipping it changes no recorded checksum.
        String[] lines = (Utf8.withoutByteOrderMark(text)).split("\n", -1);
        Sections sections = new Sections(path);
        for (int i = 0; i < lines.length; i++) {
            sections.read(lines[i], i + 1);
        }
        return sections.file(version, name, checksum, sameText(text, checksum));
    }

    /**
     * The checksums of the text with LF and CRLF line endings, with and without a byte order mark, and with and
     * without a line ending after its last line (an editor's "insert final newline", as Flyway reads files by line).
     */
    private static Set<String> sameText(String text, String checksum) {
        String plain = (Utf8.withoutByteOrderMark(text)).replace("\r\n", "\n");
        String unended = plain.endsWith("\n") ? plain.substring(0, plain.length() - 1) : plain;
        Set<String> variants = new LinkedHashSet<>();
        for (String lines : List.of(unended, unended + "\n")) {
            for (String body : List.of(lines, lines.replace("\n", "\r\n"))) {
                for (String start : List.of("", BYTE_ORDER_MARK)) {
                    variants.add(checksum((start + body).getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
        variants.remove(checksum);
        return variants;
    }

    static String checksum(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /**
     * The header and the two sections of one file, collected line by line. A line that breaks the layout is refused,
     * never skipped: a skipped marker would leave an empty section, and the file would be recorded as applied with
     * nothing run.
     */
    private static final class Sections {
        private final Path path;
        private final List<String> up = new ArrayList<>();
        private final List<String> down = new ArrayList<>();
        private List<String> section;
        private int upMarker;
        private int downMarker;
        private boolean transactional = true;
        /** What the down line says of its transaction; null when it says nothing. */
        private Boolean downTransactional;
        private int requires;
        private String reason;
        private Duration lockTimeout;
        private String context;
        private Set<String> labels = Set.of();
        private String precondition;
        private Precondition.OnFail onFail;
        private boolean runAlways;
        private String tag;
        private final Set<String> validChecksums = new LinkedHashSet<>();
        private boolean failOnError = true;
        private Dbms dbms;
        /** Whether every line so far was blank. */
        private boolean empty = true;
        /** Whether a line before the up line holds a carriage return alone. */
        private boolean returnsAlone;
        private final IgnoredLines ignored = new IgnoredLines(this::refuse);
        /** Whether the current section has held only blank and comment lines so far. */
        private boolean leading;
        /**
         * Where the section's text stands. A line that starts inside a string, quoted identifier, block comment or
         * dollar-quoted body is the literal's text, and a row of a COPY ... FROM stdin is data: there '--changeset' or
         * '/* liquibase rollback' is a function's body or a value, not a Liquibase line.
         */
        private LineLexer lexer = new LineLexer();

        Sections(Path path) {
            this.path = path;
        }

        void read(String line, int number) {
            if (line.indexOf('\0') >= 0) {
                // The driver would send the statement cut at it, and the server drop the connection.
                throw refuse(line.replace("\0", "\\0"), number, "holds a NUL character (\\0), which PostgreSQL "
                        + "takes in no SQL text. Remove it; to store a zero byte, write it as bytea ('\\x00'::bytea)");
            }
            Matcher upLine = UP.matcher(line);
            Matcher downLine = DOWN.matcher(line);
            if (upLine.matches()) {
                enter(up, line, number);
                upMarker = number;
                transactional = !"false".equals(upLine.group(2));
            } else if (downLine.matches()) {
                enter(down, line, number);
                downMarker = number;
                downTransactional = downLine.group(2) == null ? null : "true".equals(downLine.group(2));
            } else if (MARKER.matcher(line).lookingAt()) {
                throw refuse(line, number, "looks like a section marker but is not one. Write "
                        + "'-- migrate:up' (or '-- migrate:up transaction:false') and '-- migrate:down' exactly so, "
                        + "each at the start of its line");
            } else if (section != null) {
                section.add(!lexer.atStatementLevel() ? lexer.read(line) : ignored.skips(line, number) ? ""
                        : lexer.read(sectionLine(line, number)));
            } else {
                header(line, number);
            }
        }

        /**
         * A line of a section, refused when it is a Liquibase line ({@link LiquibaseLines}) or a header among the
         * comments that open the section: below its marker a header is a comment of the SQL and would do nothing.
         */
        private String sectionLine(String line, int number) {
            String liquibase = LiquibaseLines.fix(line, section == down);
            if (liquibase != null) {
                throw refuse(line, number, liquibase);
            }
            if (leading && !line.isBlank() && !line.strip().startsWith("--")) {
                leading = false;
            } else if (leading && isHeader(line)) {
                throw refuse(line, number, "is a header below '-- migrate:" + (section == up ? "up" : "down") + "', "
                        + "where it is a comment of the SQL and would be ignored. Move it above the '-- migrate:up' "
                        + "line, where a file's headers go");
            }
            return line;
        }

        /** Whether {@code line} is one of the headers a file takes above its up line, written exactly so. */
        private static boolean isHeader(String line) {
            return Stream.of(REQUIRES, LOCK_TIMEOUT, CONTEXT, LABELS, PRECONDITION, ON_FAIL, TAG, VALID_CHECKSUM, DBMS,
                    FAIL_ON_ERROR).anyMatch(header -> header.matcher(line).matches())
                    || RUN_ALWAYS.equals(line.stripTrailing());
        }

        private void enter(List<String> next, String line, int number) {
            if (next == down && section == null) {
                throw refuse(line, number, "comes before '-- migrate:up'. Start the file's SQL with a "
                        + "'-- migrate:up' line, and put what undoes it after '-- migrate:down'");
            }
            if (next == up && section != null || next == down && section == down) {
                throw refuse(line, number, "repeats a section marker. A file has one '-- migrate:up' section "
                        + "followed by at most one '-- migrate:down' section: merge the repeated section into the "
                        + "first");
            }
            ignored.close();
            section = next;
            leading = true;
            lexer = new LineLexer();
        }

        private void header(String line, int number) {
            empty &= line.isBlank();
            returnsAlone |= loneReturn(line);
            Matcher requiresLine = REQUIRES.matcher(line);
            Matcher lockLine = LOCK_TIMEOUT.matcher(line);
            if (requiresLine.matches()) {
                long major = bounded(requiresLine.group(1), MAX_MAJOR_VERSION, line, number, "names a PostgreSQL "
                        + "major version out of range. Give the oldest major version the file needs, from 0 to "
                        + MAX_MAJOR_VERSION + ", e.g. '-- requires: postgresql 15'");
                requires = Math.max(requires, (int) major);
                reason = requiresLine.group(2);
            } else if (lockLine.matches()) {
                long millis = bounded(lockLine.group(1), MAX_LOCK_TIMEOUT_MILLIS, line, number, "sets a lock timeout "
                        + "out of range. PostgreSQL's lock_timeout takes at most " + MAX_LOCK_TIMEOUT_MILLIS
                        + "ms (about 24 days): give a shorter bound, e.g. '-- lock-timeout: 5000ms'");
                lockTimeout = Duration.ofMillis(Math.max(1, millis));
            } else if (CONTEXT.matcher(line).matches()) {
                context = filter(CONTEXT.matcher(line), line, number);
            } else if (LABELS.matcher(line).matches()) {
                String list = filter(LABELS.matcher(line), line, number);
                labels = Set.of(list.toLowerCase(Locale.ROOT).split("\\s*,\\s*"));
            } else if (PRECONDITION.matcher(line).matches() || ON_FAIL.matcher(line).matches()) {
                precondition(line, number);
            } else if (TAG.matcher(line).matches()) {
                tag(line, number);
            } else if (VALID_CHECKSUM.matcher(line).matches()) {
                Matcher valid = VALID_CHECKSUM.matcher(line);
                valid.matches();
                validChecksums.add(valid.group(1) != null ? valid.group(1) : FileFilters.ANY_CHECKSUM);
            } else if (DBMS.matcher(line).matches()) {
                dbms(line, number);
            } else if (FAIL_ON_ERROR.matcher(line).matches()) {
                failOnError = line.strip().endsWith("true");
            } else if (RUN_ALWAYS.equals(line.stripTrailing())) {
                runAlways = true;
            } else if (RUN_ALWAYS_LIKE.matcher(line).matches()) {
                throw refuse(line, number, "looks like the run-always header but is not it, so it would be ignored. "
                        + "Write '-- run-always' exactly so, alone on its line");
            } else if (HEADER.matcher(line).lookingAt()) {
                Matcher key = HEADER.matcher(line);
                key.lookingAt();
                String example = spelling(key.group(1));
                String prefix = example.substring(0, example.indexOf(':') + 1);
                throw refuse(line, number, "looks like a header but is not one, so it would be ignored: write the '"
                        + prefix + "' header exactly so, e.g. '" + example + "'"
                        + (example.startsWith("-- valid-checksum:") ? " (or 'any')" : "")
                        + (line.startsWith(prefix + " ") ? ", its value in this form" : ", lower case and one space "
                        + "after the colon"));
            } else if (LiquibaseLines.fix(line) != null) {
                throw refuse(line, number, LiquibaseLines.fix(line));
            } else if (IGNORE_LINES.matcher(line).lookingAt()) {
                throw refuse(line, number, "skips lines, but only a section's lines can be skipped: put it below "
                        + "'-- migrate:up' (or '-- migrate:down'), above the lines to skip");
            } else if (!line.isBlank() && !line.strip().startsWith("--")) {
                throw refuse(line, number, "is SQL before '-- migrate:up', where it would never run. SQL belongs "
                        + "after '-- migrate:up' (and what undoes it after '-- migrate:down'); only '--' comments and "
                        + "headers may come before it");
            }
        }

        /**
         * The header a line's key stands for, as an example of its spelling: the key in any case, with or without its
         * dashes or a plural {@code s} ({@code Tags}, {@code Fail_On_Error}), is the header meant.
         */
        private static String spelling(String key) {
            String bare = key.toLowerCase(Locale.ROOT).replaceAll("[-_ ]", "");
            return SPELLINGS.entrySet().stream().filter(e -> bare.startsWith(e.getKey())).findFirst()
                    .map(Map.Entry::getValue).orElseThrow();
        }

        /** A tag header, once per file, its name one that {@code rollback --to-tag} can be given as typed. */
        private void tag(String line, int number) {
            Matcher header = TAG.matcher(line);
            header.matches();
            if (tag != null) {
                throw refuse(line, number, "repeats a header. Give a file one '-- tag:' line; several releases "
                        + "with no migration between them are tagged with 'ashlar tag NAME' once it is applied");
            }
            try {
                Migrator.requireTagName(header.group(1), "this file");
            } catch (MigrationException e) {
                throw refuse(line, number, "names no tag: " + e.getMessage());
            }
            tag = header.group(1);
        }

        /** A dbms header, once per file, each name one of Liquibase's. */
        private void dbms(String line, int number) {
            if (dbms != null) {
                throw refuse(line, number, "repeats a header. Give a file one '-- dbms:' line, its databases "
                        + "separated by commas ('-- dbms: postgresql, h2')");
            }
            Matcher header = DBMS.matcher(line);
            header.matches();
            StringBuilder problem = new StringBuilder();
            dbms = Dbms.parse(header.group(1), problem);
            if (dbms == null) {
                throw refuse(line, number, problem.toString());
            }
        }

        /** A precondition or on-fail header, once per file, the on-fail word one of those known. */
        private void precondition(String line, int number) {
            Matcher query = PRECONDITION.matcher(line);
            if (query.matches() ? precondition != null : onFail != null) {
                throw refuse(line, number, "repeats a header. Give a file one '-- precondition:' line (a query "
                        + "answering one boolean) and at most one '-- on-fail:' line");
            }
            if (query.matches()) {
                precondition = query.group(1);
                return;
            }
            Matcher word = ON_FAIL.matcher(line);
            word.matches();
            onFail = Precondition.OnFail.of(word.group(1));
            if (onFail == null) {
                throw refuse(line, number, "names no action: write one of " + Precondition.OnFail.words()
                        + " (halt, the default, stops the run; skip leaves the file pending; mark-ran records it "
                        + "without running it; warn runs it with a warning)");
            }
        }

        /** A context or labels header's value, once per file and checked for its form. */
        private String filter(Matcher header, String line, int number) {
            header.matches();
            if (header.group(0).startsWith("-- context") ? context != null : !labels.isEmpty()) {
                throw refuse(line, number, "repeats a header. Give a file one '-- context:' line (an expression "
                        + "such as 'test or dev') and one '-- labels:' line (names separated by commas)");
            }
            if (header.group(0).startsWith("-- context")) {
                try {
                    FilterExpression.check(header.group(1), "The context");
                } catch (MigrationException e) {
                    throw refuse(line, number, "is no context expression: " + e.getMessage());
                }
            }
            return header.group(1);
        }

        private long bounded(String digits, long max, String line, int number, String problem) {
            if (new BigInteger(digits).compareTo(BigInteger.valueOf(max)) > 0) {
                throw refuse(line, number, problem);
            }
            return Long.parseLong(digits);
        }

        MigrationFile file(String version, String name, String checksum, Set<String> sameText) {
            ignored.close();
            if (section == null) {
                throw new MigrationException(ErrorCode.MIGRATION, "Migration " + path + (empty ? " is empty" : " has "
                        + "no '-- migrate:up' line") + ": every file needs a '-- migrate:up' line, at the start of a "
                        + "line, before its SQL (a file that runs nothing holds that line alone)."
                        + (returnsAlone ? RETURNS_ALONE : ""), fileName());
            }
            if (repeatable(version) && (context != null || !labels.isEmpty())) {
                throw new MigrationException(ErrorCode.MIGRATION, "Repeatable migration " + path + " has a '-- "
                        + (context != null ? "context" : "labels") + ":' header: a repeatable file runs again whenever "
                        + "its text changes, and one that a run skipped would stay outdated. Contexts and labels choose "
                        + "among versioned files: put its SQL in one, or remove the header.", fileName());
            }
            if (onFail != null && precondition == null) {
                throw new MigrationException(ErrorCode.MIGRATION, "Migration " + path + " has an '-- on-fail:' "
                        + "header but no '-- precondition:' one, so it would do nothing. Add the query it is about "
                        + "('-- precondition: SELECT to_regclass(''posts'') IS NOT NULL'), or remove it.", fileName());
            }
            if (repeatable(version) && precondition != null) {
                throw new MigrationException(ErrorCode.MIGRATION, "Repeatable migration " + path + " has a '-- "
                        + "precondition:' header: a repeatable file runs again whenever its text changes, and one "
                        + "that a precondition skipped would stay outdated. Put the condition in its SQL (a DO block "
                        + "with IF), or move it to a versioned file.", fileName());
            }
            if (!validChecksums.isEmpty() && repeatable(version)) {
                throw new MigrationException(ErrorCode.MIGRATION, "Repeatable migration " + path + " has a '-- "
                        + "valid-checksum:' header, but a repeatable file runs again whenever its text changes: a "
                        + "checksum kept valid would keep its change from running. Remove the header.", fileName());
            }
            if (!failOnError && !transactional) {
                throw new MigrationException(ErrorCode.MIGRATION, "Migration " + path + " has a '-- fail-on-error: "
                        + "false' header but runs outside a transaction (transaction:false): the statements before a "
                        + "failing one would stay applied, so it could not be left pending as if it had not run. Remove "
                        + "the header, or let the file run in a transaction.", fileName());
            }
            if (tag != null && repeatable(version)) {
                throw new MigrationException(ErrorCode.MIGRATION, "Repeatable migration " + path + " has a '-- tag:' "
                        + "header, but a tag marks a versioned migration, which 'rollback --to-tag' comes back to. Put "
                        + "the header in the versioned file the release ends with.", fileName());
            }
            if (runAlways && !repeatable(version)) {
                throw new MigrationException(ErrorCode.MIGRATION, "Migration " + path + " has a '-- run-always' "
                        + "header, but a versioned file is applied once and rolled back by its version. A file that "
                        + "runs at every migrate is repeatable: name it R__" + name + ".sql.", fileName());
            }
            Precondition checked = precondition == null ? null
                    : new Precondition(precondition, onFail == null ? Precondition.OnFail.HALT : onFail);
            return new MigrationFile(path, version, name, String.join("\n", up).strip(),
                    String.join("\n", down).strip(), transactional,
                    downTransactional == null ? transactional : downTransactional, requires, reason, checksum,
                    lockTimeout, sameText, start(up, upMarker), downMarker == 0 ? 0 : start(down, downMarker), null,
                    context == null && labels.isEmpty() && checked == null && !runAlways && tag == null
                            && validChecksums.isEmpty() && failOnError && dbms == null ? FileFilters.NONE
                            : new FileFilters(context, labels, checked, runAlways, tag, validChecksums, failOnError,
                                    dbms));
        }

        /** The line where a section's text starts, past the blank lines that stripping it leaves out. */
        private static int start(List<String> lines, int marker) {
            int blank = 0;
            while (blank < lines.size() - 1 && lines.get(blank).isBlank()) {
                blank++;
            }
            return marker + 1 + blank;
        }

        /**
         * The error for a line that breaks the layout. The line is shown with its control characters escaped, so that
         * a stray escape sequence cannot drive the terminal that prints the message, nor a carriage return hide it.
         */
        private MigrationException refuse(String line, int number, String problem) {
            String shown = line.strip();
            shown = shown.length() > QUOTED ? shown.substring(0, QUOTED - 3) + "..." : shown;
            return new MigrationException(ErrorCode.MIGRATION, "Line " + number + " of migration " + path + ", '"
                    + ControlCharacters.escape(shown) + "', " + problem + "." + (loneReturn(line) ? RETURNS_ALONE
                    : ""), fileName());
        }

        /** Whether a line holds a carriage return that no line feed follows (one ending a CRLF line is stripped). */
        private static boolean loneReturn(String line) {
            return LONE_RETURN.matcher(line.strip()).find();
        }

        private String fileName() {
            return path.getFileName().toString();
        }
    }
}
