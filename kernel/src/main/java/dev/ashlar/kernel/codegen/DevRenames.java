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
    private static final Pattern TABLE = Pattern.compile("^-- rename table (?:[^.\\s]+\\.)?(\\S+) to (\\S+)$");

    private DevRenames() {
    }

    /** The hints ({@code table.old=new}, {@code old=new}) that the files' renames add up to, oldest file first. */
    static List<String> of(List<MigrationFile> files) {
        Map<String, String> tables = new LinkedHashMap<>();
        Map<String, String> columns = new LinkedHashMap<>();
        for (MigrationFile file : files) {
            for (String line : upLines(file)) {
                Matcher table = TABLE.matcher(line);
                Matcher column = COLUMN.matcher(line);
                if (table.matches()) {
                    chain(tables, table.group(1), table.group(2));
                    rekey(columns, table.group(1), table.group(2));
                } else if (column.matches()) {
                    chain(columns, column.group(1) + "." + column.group(2), column.group(1) + "." + column.group(3));
                }
            }
        }
        List<String> hints = new ArrayList<>();
        tables.forEach((now, original) -> add(hints, original, now, now));
        columns.forEach((now, original) -> add(hints, original, now, now.substring(now.indexOf('.') + 1)));
        return hints;
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
    private static void add(List<String> hints, String original, String now, String newName) {
        if (!original.equals(now)) {
            hints.add(original + "=" + newName);
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
