package dev.cutover.sandbox;

import java.util.SplittableRandom;

/**
 * Hands out PlanetScale-style public ids (12 lowercase letters and digits). Seeded, so two runs of the same
 * test or sandbox produce the same ids. Not thread-safe: used under the organization's lock.
 */
final class PublicIds {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private final SplittableRandom random = new SplittableRandom(20231025L);

    String next() {
        StringBuilder id = new StringBuilder(12);
        for (int i = 0; i < 12; i++) {
            id.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }
}
