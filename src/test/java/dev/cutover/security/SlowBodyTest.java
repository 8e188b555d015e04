package dev.cutover.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Unauthenticated slow bodies: 200 connections that announce {@code Content-Length: 100000} and then trickle one
 * byte every 2 s (each byte resets Jetty's idle timeout) must not stall the real traffic behind them.
 */
@Timeout(60)
class SlowBodyTest {
    static final int SLOW_CONNECTIONS = 200;

    @RegisterExtension
    final CutoverExtension cutover = CutoverExtension.sandbox().env("CUTOVER_DEFAULT_CHANNEL", "C0SLOW");
    final FakeSlackApi slack = cutover.slack();
    final List<Socket> attackers = new ArrayList<>();
    final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();

    /** Runs before the extension stops the service: the slow sockets go first. */
    @AfterEach
    void stopAttackers() throws IOException {
        trickle.shutdownNow();
        for (Socket socket : attackers) {
            socket.close();
        }
    }

    @Test
    void withTwoHundredSlowBodiesOpen_aSignedCommandAndASignedWebhookAreAnsweredWithinASecond() throws Exception {
        for (String path : List.of("/slack/events", "/webhooks/planetscale")) {
            for (int i = 0; i < SLOW_CONNECTIONS / 2; i++) {
                attackers.add(slowBody(path));
            }
        }
        // One byte every 2 s on each connection for the rest of the test (bounded by the test's own end).
        trickle.scheduleAtFixedRate(() -> attackers.forEach(socket -> {
            try {
                socket.getOutputStream().write('a');
                socket.getOutputStream().flush();
            } catch (IOException closedByServer) {
                // fine: the server may cut a slow client off
            }
        }), 0, 2, TimeUnit.SECONDS);
        Thread.sleep(500); // let every slow request reach the server (real sockets; not the clock under test)

        RunningCutover.HttpResult command = cutover.service().command("U0ALICE", "C0SLOW", "help",
                slack.responseUrl("slow"));
        byte[] webhook = ("{\"event\":\"webhook.test\",\"organization\":\"" + RunningCutover.ORG
                + "\",\"database\":\"shop\",\"resource\":{\"name\":\"shop\"}}").getBytes(StandardCharsets.UTF_8);
        RunningCutover.HttpResult hook = cutover.service().webhook(webhook);

        assertThat(command.status()).isEqualTo(200);
        assertThat(command.took()).isLessThan(Duration.ofSeconds(1));
        assertThat(hook.status()).isEqualTo(200);
        assertThat(hook.body()).contains("accepted");
        assertThat(hook.took()).isLessThan(Duration.ofSeconds(1));
    }

    private Socket slowBody(String path) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), cutover.service().cutover().port());
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }
}
