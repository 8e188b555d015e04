package dev.cutover.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.testing.FakeClock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The webhook promise: an event acknowledged before the process is SIGKILLed is there after restart. */
class KillDurabilityTest {
    @TempDir
    Path dataDir;

    @Test
    @Timeout(120)
    void sigkill_whileAppending_losesNoAcknowledgedEvent() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                AppendUntilKilled.class.getName(), dataDir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        Set<String> acknowledged = new HashSet<>();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acknowledged.size() < 500 && (line = out.readLine()) != null) {
                acknowledged.add(line.substring("acked ".length()));
            }

            // SIGKILL through the handle: Process.destroyForcibly() would also close our end of the pipe.
            child.toHandle().destroyForcibly();
            child.waitFor();

            // Lines already printed before the kill were acknowledged too.
            while ((line = out.readLine()) != null) {
                if (line.startsWith("acked ")) {
                    acknowledged.add(line.substring("acked ".length()));
                }
            }
        }

        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(500);
        try (SqliteStore store = SqliteStore.open(dataDir, new FakeClock())) {
            Set<String> stored = store.events().due(Events.RECEIVED_AT, Integer.MAX_VALUE).stream()
                    .map(event -> event.incoming().dedupeKey())
                    .collect(Collectors.toSet());
            assertThat(stored).containsAll(acknowledged);
        }
    }
}
