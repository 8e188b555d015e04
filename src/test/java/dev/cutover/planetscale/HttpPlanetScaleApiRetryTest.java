package dev.cutover.planetscale;

import static dev.cutover.planetscale.HttpPlanetScaleApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.deploy.DeployRef;
import dev.cutover.deploy.DeployRequest;
import dev.cutover.testing.FakeClock;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Reads are retried a bounded number of times; writes never are. */
@Timeout(10)
class HttpPlanetScaleApiRetryTest {
    private static final DeployRef REF = new DeployRef("acme", "shop", 42);

    private final MockWebServer server = new MockWebServer();
    private final RecordingSleeper sleeper = new RecordingSleeper();
    private final FakeClock clock = new FakeClock(Instant.parse("2026-11-21T12:00:00Z"));
    private HttpPlanetScaleApi api;

    @BeforeEach
    void start() throws IOException {
        server.start(InetAddress.getLoopbackAddress(), 0);
        api = LoopbackApi.create(server, sleeper, clock);
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    @Test
    void rateLimitedRead_waitsRetryAfterSecondsThenSucceeds() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "2"));
        server.enqueue(json(Fixtures.text("deploy-request.json")));

        DeployRequest request = api.getDeployRequest(REF);

        assertThat(request.ref()).isEqualTo(REF);
        assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(2));
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void retryAfterDate_waitsUntilThatDate() throws Exception {
        String inThreeSeconds = DateTimeFormatter.RFC_1123_DATE_TIME
                .format(clock.instant().plusSeconds(3).atOffset(ZoneOffset.UTC));
        server.enqueue(new MockResponse().setResponseCode(503).setHeader("Retry-After", inThreeSeconds));
        server.enqueue(json(Fixtures.text("deploy-request.json")));

        api.getDeployRequest(REF);

        assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void longRetryAfter_isCappedAtFiveSeconds() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "120"));
        server.enqueue(json(Fixtures.text("deploy-request.json")));

        api.getDeployRequest(REF);

        assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(5));
    }

    @Test
    void unavailableRead_isRetriedWithBackoffThenSucceeds() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(503));
        server.enqueue(json(Fixtures.text("deploy-request.json")));

        DeployRequest request = api.getDeployRequest(REF);

        assertThat(request.ref()).isEqualTo(REF);
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(sleeper.waits()).singleElement()
                .satisfies(wait -> assertThat(wait).isBetween(Duration.ofMillis(100), Duration.ofMillis(200)));
    }

    @Test
    void failingRead_givesUpAfterThreeAttempts() {
        for (int i = 0; i < 4; i++) {
            server.enqueue(json("{\"code\":\"internal_server_error\",\"message\":\"boom\"}").setResponseCode(500));
        }

        PlanetScaleException error = catchThrowableOfType(PlanetScaleException.class,
                () -> api.getDeployRequest(REF));

        assertThat(error.status()).isEqualTo(500);
        assertThat(error.apiMessage()).isEqualTo("boom");
        assertThat(server.getRequestCount()).isEqualTo(3);
        assertThat(sleeper.waits()).hasSize(2);
        assertThat(sleeper.waits().get(1)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
    }

    @Test
    void readCutOffByTheNetwork_isRetriedThenSucceeds() throws Exception {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
        server.enqueue(json(Fixtures.text("deploy-request.json")));

        DeployRequest request = api.getDeployRequest(REF);

        assertThat(request.ref()).isEqualTo(REF);
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(sleeper.waits()).hasSize(1);
    }

    @Test
    void readCutOffEveryTime_isAnIOExceptionAfterThreeAttempts() {
        for (int i = 0; i < 4; i++) {
            server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
        }

        IOException error = catchThrowableOfType(IOException.class, () -> api.listDatabases());

        assertThat(error).isNotNull();
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void serverErrorOnPost_isNotRetried() {
        server.enqueue(new MockResponse().setResponseCode(500));
        server.enqueue(json(Fixtures.text("deploy-request.json")));

        PlanetScaleException error = catchThrowableOfType(PlanetScaleException.class, () -> api.deploy(REF, false));

        assertThat(error.status()).isEqualTo(500);
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(sleeper.waits()).isEmpty();
    }

    @Test
    void rateLimitOnPost_isNotRetried() {
        server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "1"));
        server.enqueue(json(Fixtures.text("deploy-request.json")));

        PlanetScaleException error = catchThrowableOfType(PlanetScaleException.class, () -> api.revert(REF));

        assertThat(error.isRateLimited()).isTrue();
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void serverErrorOnPatch_isNotRetried() {
        server.enqueue(new MockResponse().setResponseCode(503));
        server.enqueue(json(Fixtures.text("deploy-request.json")));

        PlanetScaleException error = catchThrowableOfType(PlanetScaleException.class, () -> api.close(REF));

        assertThat(error.status()).isEqualTo(503);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void postCutOffByTheNetwork_isSentOnceAndReportedAsUnknownOutcome() {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
        server.enqueue(json(Fixtures.text("deploy-request.json")));

        IOException error = catchThrowableOfType(IOException.class, () -> api.deploy(REF, true));

        assertThat(error).hasMessageContaining("outcome is unknown");
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(sleeper.waits()).isEmpty();
    }

    @Test
    void postCutOffOnAReusedConnection_isNotResentByOkHttp() throws Exception {
        server.enqueue(json(Fixtures.text("deploy-request.json")));
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
        server.enqueue(json(Fixtures.text("deploy-request.json")));
        api.getDeployRequest(REF);

        IOException error = catchThrowableOfType(IOException.class, () -> api.deploy(REF, false));

        assertThat(error).hasMessageContaining("outcome is unknown");
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void patchCutOffByTheNetwork_isSentOnce() {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
        server.enqueue(json(Fixtures.text("deploy-request.json")));

        IOException error = catchThrowableOfType(IOException.class, () -> api.close(REF));

        assertThat(error).hasMessageContaining("outcome is unknown");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void interruptedWhileWaiting_stopsRetryingAndKeepsTheInterrupt() throws Exception {
        HttpPlanetScaleApi interruptible = LoopbackApi.create(server, duration -> {
            throw new InterruptedException();
        });
        server.enqueue(new MockResponse().setResponseCode(503));
        server.enqueue(json(Fixtures.text("deploy-request.json")));

        try {
            InterruptedIOException error = catchThrowableOfType(InterruptedIOException.class,
                    () -> interruptible.getDeployRequest(REF));

            assertThat(error).isNotNull();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(server.getRequestCount()).isEqualTo(1);
        } finally {
            Thread.interrupted();
        }
    }
}
