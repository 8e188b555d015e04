package dev.cutover.commands;

import java.util.Collection;
import java.util.Optional;

/**
 * The known word a typo most likely meant, by edit distance (Levenshtein: insertions, deletions, substitutions).
 * Fifteen lines of dynamic programming over a dozen short words; not worth a library.
 */
final class Spelling {
    private Spelling() {}

    /**
     * The closest of {@code words} to {@code typed}, if it is close enough to be a typo: at most one edit for words
     * up to four letters, two for longer ones ("lsit" → "list", "aprove" → "approve").
     */
    static Optional<String> nearest(String typed, Collection<String> words) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String word : words) {
            int distance = distance(typed, word);
            if (distance < bestDistance) {
                best = word;
                bestDistance = distance;
            }
        }
        int allowed = typed.length() <= 3 ? 1 : 2;
        return bestDistance <= allowed ? Optional.ofNullable(best) : Optional.empty();
    }

    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
