package dev.cutover.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * Stands in for the service's webhook endpoint so the sandbox simulator's webhooks are caught instead of
 * delivered: a test then replays the real bodies to the service in any order, twice, or not at all. Point the
 * simulator here with {@code simulator().webhookUrl(receiver.url())}. Thread-safe.
 */
public final class RecordingWebhookReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MockWebServer server = new MockWebServer();
    private final List<byte[]> bodies = new ArrayList<>();

    public RecordingWebhookReceiver() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                synchronized (bodies) {
                    bodies.add(request.getBody().readByteArray());
                }
                return new MockResponse().setResponseCode(200);
            }
        });
    }

    public RecordingWebhookReceiver start() {
        try {
            server.start(InetAddress.getByName("127.0.0.1"), 0);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getPort() + "/webhooks/planetscale";
    }

    /** Every body received, oldest first, byte for byte as the simulator signed it. */
    public List<byte[]> bodies() {
        synchronized (bodies) {
            return List.copyOf(bodies);
        }
    }

    /** The event names received for {@code database}, oldest first. */
    public List<String> events(String database) {
        return of(database).stream().map(body -> parse(body).path("event").asText()).toList();
    }

    /** The one body received for {@code database} and {@code event}, e.g. {@code deploy_request.queued}. */
    public byte[] only(String database, String event) {
        List<byte[]> matching = of(database).stream()
                .filter(body -> parse(body).path("event").asText().equals(event)).toList();
        if (matching.size() != 1) {
            throw new AssertionError("expected one " + event + " webhook for " + database + ", got "
                    + matching.size() + " of " + events(database));
        }
        return matching.get(0);
    }

    private List<byte[]> of(String database) {
        return bodies().stream().filter(body -> parse(body).path("database").asText().equals(database)).toList();
    }

    public static JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            server.shutdown();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
