package dev.cutover.planetscale;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Counts and times every HTTP exchange with PlanetScale, retries included, by endpoint family (the path with its
 * names and numbers taken out: {@code deploy_request}, {@code deploy_request_deploy}, {@code databases} …) and
 * status ({@code 200}, {@code 404}, … or {@code io_error}): {@code cutover_planetscale_calls_total} and
 * {@code cutover_planetscale_call_duration_seconds}. An OkHttp interceptor on the client Cutover hands to
 * {@link HttpPlanetScaleApi}, so the client itself stays unaware of metrics.
 */
public final class ApiCallMetrics implements Interceptor {
    /** PlanetScale answers most reads in tens of milliseconds; the client gives up at 10 s. */
    static final Duration[] BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2_500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final MeterRegistry registry;

    public ApiCallMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        String family = family(chain.request().url().pathSegments());
        long start = System.nanoTime();
        String status = "io_error";
        try {
            Response response = chain.proceed(chain.request());
            status = Integer.toString(response.code());
            return response;
        } finally {
            Counter.builder("cutover.planetscale.calls").description("HTTP calls to the PlanetScale API, retries"
                    + " included, by endpoint family and status (io_error: no answer)")
                    .tag("family", family).tag("status", status).register(registry).increment();
            Timer.builder("cutover.planetscale.call.duration").description("PlanetScale API call latency by"
                    + " endpoint family").serviceLevelObjectives(BUCKETS).tag("family", family).register(registry)
                    .record(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /**
     * {@code /v1/organizations/acme/databases/shop/deploy-requests/7/deploy} → {@code deploy_request_deploy}: the
     * last fixed word, prefixed by its resource when a name or number sits between. A bounded set, whatever is
     * asked.
     */
    static String family(List<String> segments) {
        List<String> path = segments.isEmpty() || !segments.get(0).equals("v1") ? segments
                : segments.subList(1, segments.size());
        // Resources alternate with their names: organizations/{org}/databases/{db}/deploy-requests/{n}/{action}.
        if (path.isEmpty() || !path.get(0).equals("organizations")) {
            return "other";
        }
        String resource = "organizations";
        for (int i = 0; i < path.size(); i++) {
            String segment = path.get(i);
            boolean isName = i % 2 == 1;
            if (i == path.size() - 1) {
                return isName ? singular(resource) : (i >= 6 ? singular(resource) + "_" : "") + word(segment);
            }
            if (!isName) {
                resource = segment;
            }
        }
        return "other";
    }

    private static String singular(String resource) {
        String word = word(resource);
        return word.endsWith("s") ? word.substring(0, word.length() - 1) : word;
    }

    private static String word(String segment) {
        String word = segment.replace('-', '_');
        return word.matches("[a-z_]{1,40}") ? word : "other";
    }
}
