package dev.ashlar.cli;

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
                .filter(candidate -> distance(word, bare(candidate)) <= allowed
                        || word.length() >= SHORTEST_PREFIX && bare(candidate).startsWith(word))
                .sorted(Comparator.comparingInt((String candidate) -> distance(word, bare(candidate)))
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

    /** The optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
