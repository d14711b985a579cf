package dev.ashlar.kernel.codegen;

import dev.ashlar.kernel.migrate.MigrationFile;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The renames that development migrations made, as rename hints for the generation that squashes
 * them: without them, the squashed migration would see a column disappear and another appear, and
 * drop the one with its data. Read from the comment codegen writes above each step
 * ({@code -- rename column public.posts.title to headline}); a chain of renames
 * (title to headline, then headline to subject) becomes one (title to subject).
 */
final class DevRenames {
    private static final Pattern COLUMN = Pattern.compile("^-- rename column (?:[^.\\s]+\\.)?([^.\\s]+)\\.(\\S+) to (\\S+)$");
    /** A table renamed, moved to another schema, or both: {@code -- rename table public.posts to public.articles}. */
    private static final Pattern TABLE = Pattern.compile("^-- (?:rename|move) table (\\S+) to (\\S+)$");

    private DevRenames() {
    }

    /**
     * The hints ({@code table.old=new}, {@code old=new}, {@code schema.old=schema.new}) that the files' renames add
     * up to, oldest file first.
     */
    static List<String> of(List<MigrationFile> files) {
        Map<String, String> tables = new LinkedHashMap<>();
        Map<String, String> columns = new LinkedHashMap<>();
        for (MigrationFile file : files) {
            for (String line : upLines(file)) {
                Matcher table = TABLE.matcher(line);
                Matcher column = COLUMN.matcher(line);
                if (table.matches()) {
                    chain(tables, table.group(1), table.group(2));
                    rekey(columns, bare(table.group(1)), bare(table.group(2)));
                } else if (column.matches()) {
                    chain(columns, column.group(1) + "." + column.group(2), column.group(1) + "." + column.group(3));
                }
            }
        }
        List<String> hints = new ArrayList<>();
        tables.forEach((now, original) -> add(hints, tableHint(original, now), now, original));
        columns.forEach((now, original) -> add(hints, original + "=" + now.substring(now.indexOf('.') + 1), now,
                original));
        return hints;
    }

    /**
     * The hint for a table known by its keys ({@code schema.table} for a main table, {@code table} for a tenant's):
     * bare names within a schema, whole keys for a move to another, as {@link dev.ashlar.kernel.diff.Renames#hints}
     * reads them.
     */
    private static String tableHint(String original, String now) {
        boolean sameSchema = schema(original).equals(schema(now));
        return sameSchema ? bare(original) + "=" + bare(now) : original + "=" + now;
    }

    /** The schema part of a main table's key ({@code ""} for a tenant table's, which has none). */
    private static String schema(String key) {
        int dot = key.indexOf('.');
        return dot < 0 ? "" : key.substring(0, dot);
    }

    /** The table's name without its schema. */
    private static String bare(String key) {
        return key.substring(key.indexOf('.') + 1);
    }

    /** Records that {@code from} is now {@code to}, keeping the name it had before the first rename. */
    private static void chain(Map<String, String> originals, String from, String to) {
        String original = originals.getOrDefault(from, from);
        originals.remove(from);
        originals.put(to, original);
    }

    /** A renamed table's columns are hinted under its new name, which the differ matches them by. */
    private static void rekey(Map<String, String> columns, String from, String to) {
        for (String key : List.copyOf(columns.keySet())) {
            if (key.startsWith(from + ".")) {
                String original = columns.remove(key);
                columns.put(to + key.substring(from.length()), to + original.substring(original.indexOf('.')));
            }
        }
    }

    /** A hint, unless the renames went back to where they started. */
    private static void add(List<String> hints, String hint, String now, String original) {
        if (!original.equals(now)) {
            hints.add(hint);
        }
    }

    private static List<String> upLines(MigrationFile file) {
        try {
            String text = Files.readString(file.path());
            int down = text.indexOf("\n-- migrate:down");
            return (down < 0 ? text : text.substring(0, down)).lines().toList();
        } catch (IOException e) {
            return List.of(file.up().split("\n"));
        }
    }
}
