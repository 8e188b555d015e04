package dev.cutover.slack;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.util.http.SlackHttpClient;
import java.time.Duration;
import java.util.Objects;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

/**
 * Builds the one {@link Slack} client the bot uses, for both {@code SlackPoster} and Bolt's {@code AppConfig},
 * pointed at a Web API prefix (Slack, GovSlack, or a test double) with our own timeouts.
 *
 * <p>Stats are turned off so the SDK never makes hidden {@code auth.test} calls to learn the team id
 * (TeamIdCache, slack.md §1.3): start-up and request handling must not depend on Slack being reachable.
 */
public final class SlackClients {
    /** Slack usually answers in well under a second; five idle seconds means something is wrong. */
    static final Duration READ_WRITE_TIMEOUT = Duration.ofSeconds(5);
    /** Caps a whole call, connect included (SlackConfig has no connect timeout of its own). */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(8);

    private SlackClients() {
    }

    /**
     * @param apiUrlPrefix the Web API base, ending in {@code /}; the SDK appends the method name to it
     */
    public static Slack create(String apiUrlPrefix) {
        return create(apiUrlPrefix, READ_WRITE_TIMEOUT, CALL_TIMEOUT);
    }

    /**
     * As {@link #create(String)}, with {@code limit} around every HTTP exchange (Web API and response_url alike),
     * so the one place that wires the service decides how many Slack calls may be in flight at once.
     */
    public static Slack create(String apiUrlPrefix, Interceptor limit) {
        SlackConfig config = config(apiUrlPrefix, READ_WRITE_TIMEOUT, CALL_TIMEOUT);
        OkHttpClient http = SlackHttpClient.buildOkHttpClient(config).newBuilder().addInterceptor(limit).build();
        SlackHttpClient client = new SlackHttpClient(http);
        client.setConfig(config);
        return Slack.getInstance(config, client);
    }

    /** As {@link #create(String)}, with other timeouts (tests use short ones to provoke a timeout quickly). */
    public static Slack create(String apiUrlPrefix, Duration readWriteTimeout, Duration callTimeout) {
        return Slack.getInstance(config(apiUrlPrefix, readWriteTimeout, callTimeout));
    }

    private static SlackConfig config(String apiUrlPrefix, Duration readWriteTimeout, Duration callTimeout) {
        Objects.requireNonNull(apiUrlPrefix, "apiUrlPrefix");
        if (!apiUrlPrefix.endsWith("/")) {
            // MethodsClientImpl builds URLs as prefix + method name (slack.md §1.2).
            throw new IllegalArgumentException("Slack API URL prefix must end with '/': " + apiUrlPrefix);
        }
        // A fresh config: SlackConfig.DEFAULT is immutable, and timeouts are read only when the client is built.
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(apiUrlPrefix);
        config.setHttpClientReadTimeoutMillis(millis(readWriteTimeout));
        config.setHttpClientWriteTimeoutMillis(millis(readWriteTimeout));
        config.setHttpClientCallTimeoutMillis(millis(callTimeout));
        // Also switches MethodsConfig stats off, which is what stops TeamIdCache's auth.test lookups.
        config.setStatsEnabled(false);
        config.getMethodsConfig().setStatsEnabled(false);
        return config;
    }

    private static int millis(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        return Math.toIntExact(timeout.toMillis());
    }
}
