package dev.cutover.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cutover.security.CapturedLogs;
import dev.cutover.testing.FakeClock;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data directory's disk fills up while events wait for Slack, as it does in production: a small tmpfs under
 * CUTOVER_DATA_DIR, filled by a file. Intake answers 503, delivery waits without spinning, re-posting or flooding
 * the log, /healthz says why, and once space is freed every event reaches Slack exactly once by itself.
 *
 * <p>Mounting a tmpfs needs root, which CI has (it runs as root); elsewhere the test is reported as skipped.
 */
@Timeout(90)
class FullDiskTest {
    static final String CHANNEL = "C0DEPLOYS";

    @TempDir
    Path temp;
    Path disk;
    final FakeClock clock = new FakeClock();
    final FakeSlackApi slack = new FakeSlackApi().start();
    RunningCutover cutover;

    @BeforeEach
    void mountSmallDisk() throws Exception {
        disk = Files.createDirectories(temp.resolve("disk"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", disk.toString())
                .redirectErrorStream(true).start();
        boolean mounted = mount.waitFor() == 0;
        Assumptions.assumeTrue(mounted, "mounting a tmpfs needs root: " + new String(
                mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
        cutover = RunningCutover.sandbox(slack, clock, disk.resolve("data"),
                Map.of("CUTOVER_DEFAULT_CHANNEL", CHANNEL));
    }

    @AfterEach
    void unmount() throws Exception {
        if (cutover != null) {
            cutover.close();
        }
        slack.close();
        if (disk != null) {
            new ProcessBuilder("umount", "-l", disk.toString()).start().waitFor();
        }
    }

    @Test
    void diskFull_deliveryWaitsQuietly_healthzSaysWhy_andEverythingIsPostedOnceWhenSpaceReturns() throws Exception {
        slack.down(); // events wait in the outbox
        for (int number = 21; number <= 23; number++) {
            assertThat(cutover.webhook(queued(number)).status()).isEqualTo(200);
        }
        Path filler = fill(disk);
        slack.up();

        List<String> logged;
        int refusedStatus;
        try (CapturedLogs logs = CapturedLogs.start()) {
            for (int second = 0; second < 20; second++) { // twenty seconds of a full disk, pass by pass
                clock.advance(Duration.ofSeconds(1));
                cutover.cutover().deliverNow();
            }
            refusedStatus = cutover.webhook(queued(24)).status();
            logged = logs.lines();
        }
        RunningCutover.HttpResult degraded = cutover.get("/healthz");

        // An event whose intent was recorded before the disk filled may reach Slack once (its ts cannot be recorded
        // now, and will be adopted later); none twice, and nothing whose intent could not be recorded.
        List<String> postedDuringFullDisk = slack.posts(CHANNEL).stream().map(post -> post.param("text")).toList();
        assertThat(postedDuringFullDisk).doesNotHaveDuplicates().hasSizeLessThanOrEqualTo(3);
        assertThat(refusedStatus).isEqualTo(503);
        assertThat(degraded.status()).isEqualTo(503);
        assertThat(degraded.body()).contains("cannot write").contains(disk.toString());
        assertThat(logged).filteredOn(line -> line.startsWith("WARN") || line.startsWith("ERROR"))
                .hasSizeLessThanOrEqualTo(2)
                .anySatisfy(line -> assertThat(line).contains("Cannot write to the store").contains(disk.toString()));

        Files.delete(filler);
        clock.advance(Duration.ofMinutes(1));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
            cutover.cutover().deliverNow();
            return cutover.get("/healthz").body().contains("\"outbox\":0");
        });

        assertThat(slack.posts(CHANNEL)).hasSize(3);
        assertThat(slack.posts(CHANNEL)).extracting(post -> post.param("text"))
                .anySatisfy(text -> assertThat(text).contains("shop#21"))
                .anySatisfy(text -> assertThat(text).contains("shop#22"))
                .anySatisfy(text -> assertThat(text).contains("shop#23"));
        assertThat(cutover.get("/healthz").status()).isEqualTo(200);
    }

    /** Fills the file system under {@code dir} to the last byte. */
    private static Path fill(Path dir) throws IOException {
        Path filler = dir.resolve("filler");
        byte[] chunk = new byte[16 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException full) {
            // No space left: exactly what we wanted.
        }
        return filler;
    }

    private static byte[] queued(int number) throws IOException {
        return new String(StoreFailureTest.queuedEvent(), StandardCharsets.UTF_8)
                .replace("\"number\": 12", "\"number\": " + number)
                .replace("\"id\": \"7avs3to15b7r\"", "\"id\": \"dr" + number + "\"")
                .getBytes(StandardCharsets.UTF_8);
    }
}
