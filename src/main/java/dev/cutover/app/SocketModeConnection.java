package dev.cutover.app;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.slack.api.Slack;
import com.slack.api.bolt.App;
import com.slack.api.bolt.response.Response;
import com.slack.api.bolt.socket_mode.request.SocketModeRequest;
import com.slack.api.bolt.socket_mode.request.SocketModeRequestParser;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.response.apps.connections.AppsConnectionsOpenResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.handshake.ServerHandshake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slack over Socket Mode: Cutover dials out to Slack, so Slack needs no public URL. It opens a connection with
 * {@code apps.connections.open} (through the same {@link Slack} client, so {@code SLACK_API_URL} applies), turns
 * each envelope into a Bolt request with Bolt's own {@link SocketModeRequestParser}, runs it through the same
 * {@link App} as {@code POST /slack/events}, and acks with the envelope's id.
 *
 * <p>Why not Bolt's {@code SocketModeApp}: it gives up for good when the first {@code apps.connections.open} fails
 * (a logged stack trace, then a NullPointerException), it notices a dead socket only through a 5-second ping poll
 * and then retries every 10 s without backoff, and when Slack asks for a refresh ({@code disconnect}) the old
 * socket's close cannot be told from a drop. Here each socket knows whether it is still the current one: a drop of
 * the current one reconnects with exponential backoff and jitter; a socket Slack asked us to leave closes once its
 * successor has said {@code hello}. Envelopes Slack could not deliver while we were away are retried by Slack on
 * the new socket.
 */
final class SocketModeConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SocketModeConnection.class);
    /** Java-WebSocket pings at this interval and drops a socket that stops answering. */
    private static final int LOST_AFTER_SECONDS = 30;

    /** What {@code /healthz} reports. */
    enum State {
        CONNECTING, CONNECTED, RECONNECTING, STOPPED;

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Waits between attempts: {@code first}, doubling up to {@code max}, each with half of it random so that many
     * instances do not come back in step.
     */
    record Backoff(Duration first, Duration max) {
        static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

        Backoff {
            Objects.requireNonNull(first, "first");
            Objects.requireNonNull(max, "max");
        }

        Duration before(int attempt) {
            long exponential = Math.min(max.toMillis(), first.toMillis() << Math.min(attempt, 20));
            return Duration.ofMillis(exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1));
        }
    }

    private final App app;
    private final Slack slack;
    private final String appToken;
    private final ScheduledExecutorService timer;
    private final Executor handlers;
    private final Backoff backoff;
    private final SocketModeRequestParser parser;
    private final Gson gson = new Gson();
    private final Counter reconnects;
    private final Counter envelopes;
    private final AtomicInteger failedAttempts = new AtomicInteger();
    private final Object lock = new Object();
    // Guarded by lock.
    private Socket current;
    private Socket retiring;
    private State state = State.CONNECTING;
    private boolean everConnected;
    private boolean dialing;

    /**
     * @param timer runs connection attempts (one at a time) and their backoff
     * @param handlers runs Bolt for each envelope; listeners ack at once and hand slow work on
     */
    SocketModeConnection(App app, Slack slack, String appToken, ScheduledExecutorService timer, Executor handlers,
            Backoff backoff, MeterRegistry registry) {
        this.app = app;
        this.slack = slack;
        this.appToken = appToken;
        this.timer = timer;
        this.handlers = handlers;
        this.backoff = backoff;
        this.parser = new SocketModeRequestParser(app.config());
        this.reconnects = Counter.builder("cutover_socket_mode_reconnects")
                .description("Socket Mode connections opened after the first (drops and refreshes Slack asked for)")
                .register(registry);
        this.envelopes = Counter.builder("cutover_socket_mode_envelopes")
                .description("Socket Mode envelopes received and handed to the Slack handlers")
                .register(registry);
        Gauge.builder("cutover_socket_mode_connected", this, connection -> connection.state() == State.CONNECTED ? 1 : 0)
                .description("1 while the Socket Mode connection to Slack is open, else 0").register(registry);
    }

    /** Starts connecting in the background; start-up never waits for Slack. */
    void start() {
        dialSoon(Duration.ZERO);
    }

    State state() {
        synchronized (lock) {
            return state;
        }
    }

    private void dialSoon(Duration delay) {
        synchronized (lock) {
            if (state == State.STOPPED || dialing) {
                return;
            }
            dialing = true;
        }
        try {
            timer.schedule(this::dial, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            synchronized (lock) {
                dialing = false;
            }
        }
    }

    /** One attempt: ask Slack for a socket URL, then open it (the handshake completes on Java-WebSocket's thread). */
    private void dial() {
        Socket socket;
        try {
            AppsConnectionsOpenResponse opened = slack.methods(appToken).appsConnectionsOpen(request -> request);
            if (!opened.isOk() || opened.getUrl() == null) {
                retryLater("apps.connections.open answered " + opened.getError());
                return;
            }
            socket = new Socket(URI.create(opened.getUrl()));
        } catch (IOException | SlackApiException | IllegalArgumentException e) {
            retryLater("apps.connections.open failed: " + e.getMessage());
            return;
        }
        synchronized (lock) {
            dialing = false;
            if (state == State.STOPPED) {
                return;
            }
            if (current != null && current.isOpen() && retiring == null) {
                retiring = current; // a refresh: the old socket serves until the new one says hello
            }
            current = socket;
            if (everConnected) {
                reconnects.increment();
            }
        }
        socket.setConnectionLostTimeout(LOST_AFTER_SECONDS);
        socket.connect();
    }

    private void retryLater(String why) {
        int attempt = failedAttempts.getAndIncrement();
        Duration wait = backoff.before(attempt);
        synchronized (lock) {
            dialing = false;
            if (state == State.STOPPED) {
                return;
            }
            state = everConnected ? State.RECONNECTING : State.CONNECTING;
        }
        log.warn("Socket Mode: {}; retrying in {} ms (attempt {})", why, wait.toMillis(), attempt + 1);
        dialSoon(wait);
    }

    private void onHello(Socket socket) {
        Socket old;
        synchronized (lock) {
            if (socket != current) {
                return;
            }
            state = State.CONNECTED;
            everConnected = true;
            old = retiring;
            retiring = null;
        }
        failedAttempts.set(0);
        log.info("Socket Mode: connected to Slack");
        if (old != null) {
            old.close();
        }
    }

    private void onDisconnectRequest(Socket socket, String reason) {
        synchronized (lock) {
            if (socket != current) {
                return;
            }
        }
        log.info("Socket Mode: Slack asked for a new connection ({})", reason);
        dialSoon(Duration.ZERO);
    }

    private void onClosed(Socket socket, int code, String reason) {
        synchronized (lock) {
            if (socket != current || state == State.STOPPED) {
                return; // a socket we left on purpose
            }
            current = null;
            state = State.RECONNECTING;
        }
        retryLater("connection closed (" + code + (reason == null || reason.isBlank() ? "" : " " + reason) + ")");
    }

    /** Runs one envelope through Bolt and acks it on the socket it came on, as Slack expects. */
    private void handle(Socket socket, String message) {
        SocketModeRequest request;
        try {
            request = parser.parse(message);
        } catch (RuntimeException e) {
            log.warn("Socket Mode: unreadable envelope ({} chars): {}", message.length(), e.getClass().getSimpleName());
            return;
        }
        if (request == null) {
            return;
        }
        envelopes.increment();
        String envelopeId = request.getEnvelope().getEnvelopeId();
        JsonObject ack = new JsonObject();
        ack.addProperty("envelope_id", envelopeId);
        try {
            Response response = app.run(request.getBoltRequest());
            if (response.getStatusCode() == 200 && response.getBody() != null && !response.getBody().isEmpty()) {
                ack.add("payload", payload(response));
            } else if (response.getStatusCode() != 200) {
                log.warn("Socket Mode: {} envelope answered {}", request.getEnvelope().getType(),
                        response.getStatusCode());
            }
        } catch (Exception e) {
            log.error("Socket Mode: {} envelope {} failed", request.getEnvelope().getType(), envelopeId, e);
        }
        // Acked even when a handler failed: Slack would only redeliver the same envelope to the same failure.
        try {
            socket.send(ack.toString());
        } catch (WebsocketNotConnectedException dropped) {
            log.info("Socket Mode: connection dropped before envelope {} was acked; Slack will retry it", envelopeId);
        }
    }

    /** Bolt's HTTP answer as the ack's payload: JSON as it is, plain text as {@code {"text": …}}. */
    private JsonElement payload(Response response) {
        String contentType = Objects.requireNonNullElse(response.getContentType(), "");
        if (contentType.startsWith("application/json")) {
            return gson.fromJson(response.getBody(), JsonElement.class);
        }
        JsonObject text = new JsonObject();
        text.addProperty("text", response.getBody());
        return text;
    }

    @Override
    public void close() {
        Socket open;
        Socket old;
        synchronized (lock) {
            state = State.STOPPED;
            open = current;
            old = retiring;
            current = null;
            retiring = null;
        }
        // Not closeBlocking(): a socket still dialling would never count its close latch down.
        for (Socket socket : new Socket[] {open, old}) {
            if (socket != null) {
                socket.close();
            }
        }
        log.info("Socket Mode: stopped");
    }

    /** One WebSocket to Slack. */
    private final class Socket extends WebSocketClient {
        Socket(URI uri) {
            super(uri);
            setDaemon(true); // never what keeps the JVM alive
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
            log.debug("Socket Mode: socket open, waiting for hello");
        }

        @Override
        public void onMessage(String message) {
            String type;
            JsonObject json;
            try {
                json = gson.fromJson(message, JsonObject.class);
                type = json == null || !json.has("type") ? "" : json.get("type").getAsString();
            } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
                log.warn("Socket Mode: unreadable message ({} chars)", message.length());
                return;
            }
            switch (type) {
                case "hello" -> onHello(this);
                case "disconnect" -> onDisconnectRequest(this,
                        json.has("reason") ? json.get("reason").getAsString() : "no reason given");
                default -> {
                    try {
                        handlers.execute(() -> handle(this, message));
                    } catch (RejectedExecutionException stopping) {
                        log.warn("Socket Mode: {} envelope dropped while stopping; Slack will retry it", type);
                    }
                }
            }
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            onClosed(this, code, reason);
        }

        @Override
        public void onError(Exception e) {
            // onClose follows with the code; this only adds the cause, in one line.
            log.debug("Socket Mode: socket error: {}", e.toString());
        }
    }
}
