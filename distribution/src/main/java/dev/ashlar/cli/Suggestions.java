package dev.ashlar.cli;

import dev.ashlar.kernel.data.internal.ClosestName;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The names close to a mistyped command or option: those a typo or two away, or that begin with what was typed.
 * Picocli's own suggestions rank every name by the letters they share, so {@code migrat} also brought
 * {@code validate} and {@code status}; these keep only the near ones, and none when nothing is near.
 */
final class Suggestions {
    /** At most this many names are suggested. */
    private static final int MOST = 3;
    /** A typed word this long or longer may be the beginning of a name ({@code roll} for {@code rollback}). */
    private static final int SHORTEST_PREFIX = 3;

    private Suggestions() {
    }

    /**
     * The candidates near {@code typed}, nearest first: within one edit (a letter added, removed, changed, or two
     * neighbours swapped) for every three letters typed, at least one; leading dashes are not counted.
     */
    static List<String> near(String typed, List<String> candidates) {
        String word = bare(typed);
        int allowed = Math.max(1, word.length() / 3);
        return candidates.stream().distinct()
                .filter(candidate -> ClosestName.distance(word, bare(candidate)) <= allowed
                        || word.length() >= SHORTEST_PREFIX && bare(candidate).startsWith(word))
                .sorted(Comparator.comparingInt((String candidate) -> ClosestName.distance(word, bare(candidate)))
                        .thenComparing(Comparator.naturalOrder()))
                .limit(MOST).toList();
    }

    private static String bare(String name) {
        int start = 0;
        while (start < name.length() && name.charAt(start) == '-') {
            start++;
        }
        return name.substring(start).toLowerCase(Locale.ROOT);
    }
}
