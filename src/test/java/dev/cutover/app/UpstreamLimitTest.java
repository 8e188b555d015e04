package dev.cutover.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Five callers on virtual threads, a limit of two: the upstream never sees more than two requests at once. */
@Timeout(20)
class UpstreamLimitTest {
    final MockWebServer upstream = new MockWebServer();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger mostAtOnce = new AtomicInteger();
    final CountDownLatch answer = new CountDownLatch(1);

    @AfterEach
    void stop() throws Exception {
        answer.countDown();
        upstream.shutdown();
    }

    @Test
    void neverMoreCallsInFlightThanTheLimit() throws Exception {
        upstream.setDispatcher(new okhttp3.mockwebserver.Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                mostAtOnce.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                answer.await();
                inFlight.decrementAndGet();
                return new MockResponse().setBody("ok");
            }
        });
        upstream.start();
        UpstreamLimit limit = new UpstreamLimit("test", 2);
        OkHttpClient http = new OkHttpClient.Builder().addInterceptor(limit).build();
        AtomicInteger answered = new AtomicInteger();
        List<Thread> callers = new ArrayList<>();

        for (int i = 0; i < 5; i++) {
            callers.add(Thread.ofVirtual().start(() -> {
                try (Response response = http.newCall(new Request.Builder().url(upstream.url("/")).build()).execute()) {
                    if (response.body().string().equals("ok")) {
                        answered.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> inFlight.get() == 2);
        // Give the other three every chance to get through if the limit did not hold them.
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> inFlight.get() == 2);
        assertThat(limit.inFlight()).isEqualTo(2);
        answer.countDown();
        for (Thread caller : callers) {
            caller.join();
        }

        assertThat(answered).hasValue(5);
        assertThat(mostAtOnce).hasValue(2);
        assertThat(limit.inFlight()).isZero();
    }
}
