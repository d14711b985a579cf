package dev.ashlar.kernel.data.internal;

import java.util.Collection;
import java.util.Locale;

/**
 * The name a misspelt one most likely meant, for the message that refuses it: the candidate fewest edits away
 * (a letter added, dropped, changed, or two swapped; case and {@code _} ignored), when it is close enough to be a slip
 * rather than another name.
 */
public final class ClosestName {
    private ClosestName() {
    }

    /**
     * A hint to put after the refused name, such as {@code " (did you mean 'title'?)"}, or an empty string when no
     * candidate is close.
     */
    public static String hint(String name, Collection<String> candidates) {
        if (name == null || name.isEmpty()) {
            return "";
        }
        String wanted = folded(name);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(wanted, folded(candidate));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        // Two edits make almost any other short name ("ghost" is two from "post"): one edit per four letters.
        int allowed = Math.max(1, wanted.length() / 4);
        return best == null || best.equals(name) || bestDistance > allowed ? "" : " (did you mean '" + best + "'?)";
    }

    private static String folded(String name) {
        return name.toLowerCase(Locale.ROOT).replace("_", "");
    }

    /** The optimal string alignment distance: Levenshtein's, with a swap of two neighbours as one edit. */
    public static int distance(String a, String b) {
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
