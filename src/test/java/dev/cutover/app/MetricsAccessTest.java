package dev.cutover.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.RunningCutover;
import java.io.IOException;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Who may read {@code /metrics}: the bearer of CUTOVER_METRICS_TOKEN, or without one only this machine. */
@Timeout(30)
class MetricsAccessTest {
    static final String TOKEN = "metrics-token-0123456789abcdef";

    @RegisterExtension
    final CutoverExtension cutover = CutoverExtension.sandbox();
    final OkHttpClient http = new OkHttpClient();

    @AfterEach
    void stop() {
        http.connectionPool().evictAll();
        http.dispatcher().executorService().shutdown();
    }

    @Test
    void withAToken_onlyItsBearerGetsTheMetrics() throws Exception {
        cutover.restartFresh(Map.of("CUTOVER_METRICS_TOKEN", TOKEN));

        assertThat(scrape(null).status()).isEqualTo(401);
        assertThat(scrape("Bearer not-the-token-at-all").status()).isEqualTo(401);
        assertThat(scrape("Basic " + TOKEN).status()).isEqualTo(401);
        RunningCutover.HttpResult allowed = scrape("Bearer " + TOKEN);
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.body()).contains("jvm_memory_used_bytes");
    }

    @Test
    void withoutAToken_loopbackGetsTheMetrics_butNothingThroughAProxy() throws Exception {
        assertThat(scrape(null).status()).isEqualTo(200);
        RunningCutover.HttpResult proxied = get("X-Forwarded-For", "203.0.113.7");
        assertThat(proxied.status()).isEqualTo(403);
        assertThat(proxied.body()).contains("CUTOVER_METRICS_TOKEN").doesNotContain("jvm_");
    }

    private RunningCutover.HttpResult scrape(String authorization) throws IOException {
        return authorization == null ? get(null, null) : get("Authorization", authorization);
    }

    private RunningCutover.HttpResult get(String header, String value) throws IOException {
        Request.Builder request = new Request.Builder().url(cutover.service().url("/metrics"))
                .header("Connection", "close");
        if (header != null) {
            request.header(header, value);
        }
        try (Response response = http.newCall(request.build()).execute()) {
            return new RunningCutover.HttpResult(response.code(), response.body().string(), java.time.Duration.ZERO);
        }
    }
}
