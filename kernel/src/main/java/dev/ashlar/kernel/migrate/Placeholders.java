package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.kernel.migrate.FileRunner.Direction;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ${name}} placeholders of migration files, as Flyway's: each is replaced in the section that runs with a
 * value the project defines, or with a built-in ({@code ${ashlar:schema}}, the schema the file runs in;
 * {@code ${ashlar:user}}, the user migrating; {@code ${ashlar:database}}, the database; {@code ${ashlar:timestamp}},
 * the time the file is read to run, {@code yyyy-MM-dd HH:mm:ss} in the JVM's time zone;
 * {@code ${ashlar:filename}}, the file's name; {@code ${ashlar:table}}, the history table's). A placeholder with no
 * value is refused before anything runs. Checksums are of the file as written, so a changed value changes no applied
 * file. Values hold no line break, so a statement keeps the lines of the file for messages.
 *
 * <pre>{@code
 * Placeholders.of(Map.of("owner", "app_owner"))   // "GRANT SELECT ON t TO ${owner}"
 * }</pre>
 *
 * @param values     the project's values by name
 * @param enabled    false to run every file as written, {@code ${...}} included
 * @param delimiters   how a placeholder is written ({@code ${name}} by default)
 * @param historyTable the history table's name, {@code ${ashlar:table}} ({@link History#DEFAULT_TABLE} for null)
 */
public record Placeholders(Map<String, String> values, boolean enabled, PlaceholderDelimiters delimiters,
                           String historyTable) {
    /** No values of the project's own; the built-ins are replaced. */
    public static final Placeholders NONE = new Placeholders(Map.of(), true);
    /** The prefix of the built-ins, which no value of the project's may take. */
    public static final String BUILT_IN = "ashlar:";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final List<String> BUILT_INS = List.of("ashlar:schema", "ashlar:user", "ashlar:database",
            "ashlar:timestamp", "ashlar:filename", "ashlar:table");
    /** As Flyway formats {@code ${flyway:timestamp}}. */
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    /** Flyway's built-in placeholders, in files brought from a Flyway project, and Ashlar's that mean the same. */
    private static final String FLYWAY_BUILT_IN = "flyway:";
    private static final Map<String, String> FLYWAY_BUILT_INS = Map.of("flyway:defaultSchema", "ashlar:schema",
            "flyway:user", "ashlar:user", "flyway:database", "ashlar:database", "flyway:timestamp", "ashlar:timestamp",
            "flyway:filename", "ashlar:filename", "flyway:table", "ashlar:table");

    /**
     * @throws AshlarException naming a name that is not letters, digits, '_', '.', '-', one that takes the built-ins'
     *                         prefix, or a value with a line break
     */
    public Placeholders {
        check(values);
        values = Map.copyOf(values);
        delimiters = delimiters == null ? PlaceholderDelimiters.DEFAULT : delimiters;
        historyTable = historyTable == null ? History.DEFAULT_TABLE : historyTable;
    }

    /** The values, written with these delimiters, for the default history table. */
    public Placeholders(Map<String, String> values, boolean enabled, PlaceholderDelimiters delimiters) {
        this(values, enabled, delimiters, null);
    }

    /** The values, written {@code ${name}}. */
    public Placeholders(Map<String, String> values, boolean enabled) {
        this(values, enabled, PlaceholderDelimiters.DEFAULT);
    }

    /** The project's values, replaced ({@link #Placeholders} says what is refused). */
    public static Placeholders of(Map<String, String> values) {
        return new Placeholders(values, true);
    }

    private static void check(Map<String, String> values) {
        for (Map.Entry<String, String> value : values.entrySet()) {
            String name = value.getKey();
            if (name == null || !NAME.matcher(name).matches()) {
                throw new AshlarException(ErrorCode.MIGRATION, "The placeholder name '" + name + "' is not one: "
                        + "give a name of letters, digits, '_', '.' and '-' (e.g. owner, app.schema), used as ${name}"
                        + (name != null && name.startsWith(BUILT_IN) ? ". Names starting with " + BUILT_IN + " are "
                        + "Ashlar's own (" + String.join(", ", BUILT_INS) + ")" : ""));
            }
            String text = value.getValue();
            if (text == null || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
                throw new AshlarException(ErrorCode.MIGRATION, "The placeholder " + name + (text == null ? " has no "
                        + "value: give one (an empty value is allowed)" : " has a value with a line break, which "
                        + "would move the lines of the files that use it in every message: give it on one line"));
            }
        }
    }

    /** The same values, replaced or not ({@code --no-placeholders}). */
    public Placeholders enabled(boolean replace) {
        return new Placeholders(values, replace, delimiters, historyTable);
    }

    /** The same values, written with these delimiters ({@code --placeholder-prefix}, {@code --placeholder-suffix}). */
    public Placeholders delimiters(PlaceholderDelimiters written) {
        return new Placeholders(values, enabled, written, historyTable);
    }

    /** Other values, written with the same delimiters and replaced or not as these are. */
    public Placeholders values(Map<String, String> others) {
        return new Placeholders(others, enabled, delimiters, historyTable);
    }

    /** The same, with {@code ${ashlar:table}} the history table {@code name}. */
    public Placeholders historyTable(String name) {
        return new Placeholders(values, enabled, delimiters, name);
    }

    /**
     * The files with their {@code direction} section's placeholders replaced, for {@code schema} and the user and
     * database of {@code connection}; the same file where it holds none.
     *
     * @throws MigrationException naming the file, the line and the placeholder without a value, before any file runs
     * @throws SQLException       when the connection cannot say its user
     */
    public List<MigrationFile> apply(List<MigrationFile> files, Direction direction, String schema,
                                     Connection connection) throws SQLException {
        List<MigrationFile> replaced = new ArrayList<>(files.size());
        for (MigrationFile file : files) {
            replaced.add(apply(file, direction, schema, connection));
        }
        return replaced;
    }

    /** {@link #apply(List, Direction, String, Connection)} of one file. */
    public MigrationFile apply(MigrationFile file, Direction direction, String schema, Connection connection)
            throws SQLException {
        if (!holdsAny(file, direction)) {
            return file;
        }
        // pgjdbc's catalog is the connection's database, known since it connected: no round trip.
        return apply(file, direction, schema, connection.getMetaData().getUserName(), connection.getCatalog());
    }

    // Most files hold no placeholder: they are handed back before anything is made, once per file and schema.
    private boolean holdsAny(MigrationFile file, Direction direction) {
        return enabled && (direction == Direction.UP ? file.up() : file.down()).contains(delimiters.prefix());
    }

    private MigrationFile apply(MigrationFile file, Direction direction, String schema, String user, String database) {
        if (!holdsAny(file, direction)) {
            return file;
        }
        Map<String, String> all = new HashMap<>(values);
        all.put("ashlar:schema", schema);
        all.put("ashlar:user", user);
        all.put("ashlar:database", database);
        all.put("ashlar:timestamp", LocalDateTime.now().format(TIMESTAMP));
        all.put("ashlar:filename", file.fileName());
        all.put("ashlar:table", historyTable);
        return direction == Direction.UP
                ? file.withSections(replace(file, file.up(), file.upLine(), all), file.down())
                : file.withSections(file.up(), replace(file, file.down(), file.downLine(), all));
    }

    /** The files of a migrations folder ({@link MigrationDirectory#read}), {@link #checksummed}. */
    public List<MigrationFile> read(Path folder) {
        return checksummed(MigrationDirectory.read(folder));
    }

    /** The files of several migrations folders, merged ({@link MigrationDirectory#read(List)}), {@link #checksummed}. */
    public List<MigrationFile> read(List<Path> folders) {
        return checksummed(MigrationDirectory.read(folders));
    }

    /**
     * The files with each repeatable one that uses a value of the project's checksummed with the values it uses, so
     * that it runs again when one of them changes, as Flyway's do; every other file as it is. The built-ins take no
     * part: each schema's own {@code ${ashlar:schema}} would otherwise make every tenant's repeatable file differ.
     */
    public List<MigrationFile> checksummed(List<MigrationFile> files) {
        if (!enabled || values.isEmpty()) {
            return files;
        }
        List<MigrationFile> checksummed = new ArrayList<>(files.size());
        for (MigrationFile file : files) {
            checksummed.add(file.repeatable() ? checksummed(file) : file);
        }
        return checksummed;
    }

    private MigrationFile checksummed(MigrationFile file) {
        Map<String, String> used = new TreeMap<>();
        Matcher found = delimiters.pattern().matcher(file.up());
        while (found.find()) {
            String value = values.get(found.group(1));
            if (value != null) {
                used.put(found.group(1), value);
            }
        }
        if (used.isEmpty()) {
            return file;
        }
        Set<String> alike = new HashSet<>();
        file.sameText().forEach(checksum -> alike.add(withValues(checksum, used)));
        return file.withChecksums(withValues(file.checksum(), used), alike);
    }

    private static String withValues(String checksum, Map<String, String> used) {
        return MigrationFile.checksum((checksum + used).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Refuses a placeholder without a value in the up or down section of any of these files, as {@link #apply} would
     * at a migrate or a rollback, where no schema is at hand (lint).
     */
    public void check(List<MigrationFile> files) {
        for (MigrationFile file : files) {
            apply(file, Direction.UP, "", "", "");
            apply(file, Direction.DOWN, "", "", "");
        }
    }

    private String replace(MigrationFile file, String text, int firstLine, Map<String, String> all) {
        Matcher found = delimiters.pattern().matcher(text);
        StringBuilder replaced = new StringBuilder(text.length());
        while (found.find()) {
            String value = all.get(found.group(1));
            if (value == null) {
                throw undefined(file, found.group(1), firstLine + (int) text.substring(0, found.start()).chars()
                        .filter(c -> c == '\n').count());
            }
            found.appendReplacement(replaced, Matcher.quoteReplacement(value));
        }
        return found.appendTail(replaced).toString();
    }

    private MigrationException undefined(MigrationFile file, String name, int line) {
        if (name.startsWith(FLYWAY_BUILT_IN)) {
            return flywayBuiltIn(file, name, line);
        }
        if (!NAME.matcher(name).matches() && !BUILT_INS.contains(name)) {
            return new MigrationException(ErrorCode.MIGRATION, "Line " + line + " of migration " + file.path()
                    + " holds " + delimiters.written(name) + ", and '" + name + "' is no placeholder name: " + (name.startsWith(BUILT_IN)
                    ? "Ashlar's own are " + String.join(", ", BUILT_INS) : "a name is letters, digits, '_', '.' and "
                    + "'-' (a placeholder never holds another, and ends at the first '" + delimiters.suffix() + "')") + ". Write "
                    + delimiters.written("name") + " with "
                    + "such a name; or, if the file means the text as it is, turn replacement off "
                    + "(--no-placeholders, Project.placeholderReplacement(false)). Nothing was run.", file.fileName());
        }
        List<String> defined = new ArrayList<>(new TreeMap<>(values).keySet());
        defined.addAll(BUILT_INS);
        return new MigrationException(ErrorCode.MIGRATION, "Line " + line + " of migration " + file.path()
                + " uses the placeholder " + delimiters.written(name) + ", which has no value (defined: "
                + String.join(", ", defined) + "). Give it one (Project.placeholders, --placeholder " + name
                + "=value, <placeholders> in the Maven plugin, ashlar.migrate.placeholders." + name + " in Spring Boot, "
                + "Ashlar.builder().placeholders for tenants created at run time); or, if the file means the text "
                + delimiters.written(name) + " as "
                + "it is, turn replacement off (--no-placeholders, Project.placeholderReplacement(false)). Nothing "
                + "was run.", file.fileName());
    }

    private MigrationException flywayBuiltIn(MigrationFile file, String name, int line) {
        String ours = FLYWAY_BUILT_INS.get(name);
        String own = name.substring(FLYWAY_BUILT_IN.length());
        return new MigrationException(ErrorCode.MIGRATION, "Line " + line + " of migration " + file.path() + " holds "
                + delimiters.written(name) + ", Flyway's built-in placeholder" + (ours != null ? ": write "
                + delimiters.written(ours) + ", Ashlar's own "
                + "for it." : ", which Ashlar has no counterpart of (its own are " + String.join(", ", BUILT_INS)
                + "): write a placeholder of your own, " + delimiters.written(own) + ", and give it a value (--placeholder " + own
                + "=VALUE).") + " Nothing was run.", file.fileName());
    }
}
