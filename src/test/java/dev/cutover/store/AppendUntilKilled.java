package dev.cutover.store;

import java.nio.file.Path;
import java.time.Clock;

/**
 * Run in a child JVM by {@link KillDurabilityTest}: appends from four threads until killed, printing
 * {@code acked <key>} after each append returns, the moment a webhook would answer 2xx.
 */
public final class AppendUntilKilled {
    private AppendUntilKilled() {}

    public static void main(String[] args) {
        SqliteStore store = SqliteStore.open(Path.of(args[0]), Clock.systemUTC());
        for (int t = 0; t < 4; t++) {
            int thread = t;
            new Thread(() -> {
                for (int i = 0; ; i++) {
                    String key = "t" + thread + "-" + i;
                    store.events().append(Events.queued(key));
                    synchronized (System.out) {
                        System.out.println("acked " + key);
                        System.out.flush();
                    }
                }
            }).start();
        }
    }
}
