package dev.cutover.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okhttp3.mockwebserver.MockResponse;

/**
 * Slack's side of Socket Mode, served by {@link FakeSlackApi}: {@code apps.connections.open} hands out a
 * {@code ws://} URL on the same loopback server, where a real WebSocket says {@code hello}, pushes envelopes and
 * collects acks by {@code envelope_id}. Like Slack, it keeps every envelope until it is acked and sends the unacked
 * ones again (with {@code retry_attempt}) on the next connection, so a dropped socket loses nothing. Thread-safe.
 */
public final class FakeSocketMode {
    public static final String APP_TOKEN = "xapp-1-A0CUTOVER-1-fakeapptoken";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Object lock = new Object();
    private final AtomicInteger nextEnvelope = new AtomicInteger();
    // Guarded by lock.
    private final Map<String, ObjectNode> unacked = new LinkedHashMap<>();
    private final Map<String, JsonNode> acks = new LinkedHashMap<>();
    private final List<WebSocket> sockets = new ArrayList<>();
    private WebSocket current;
    private int opened;
    private int helloes;

    /** The {@code apps.connections.open} answer's URL, or null for a refusal (wrong token). */
    String open(String authorization, String baseWsUrl) {
        if (!("Bearer " + APP_TOKEN).equals(authorization)) {
            return null;
        }
        synchronized (lock) {
            opened++;
            return baseWsUrl + "/socket-mode?ticket=" + opened;
        }
    }

    MockResponse upgrade() {
        return new MockResponse().withWebSocketUpgrade(new WebSocketListener() {
            @Override
            public void onOpen(WebSocket socket, Response response) {
                List<ObjectNode> resend;
                synchronized (lock) {
                    sockets.add(socket);
                    current = socket;
                    helloes++;
                    resend = List.copyOf(unacked.values());
                }
                socket.send("{\"type\":\"hello\",\"num_connections\":1,\"debug_info\":{\"host\":\"fake\"},"
                        + "\"connection_info\":{\"app_id\":\"A0CUTOVER\"}}");
                for (ObjectNode envelope : resend) {
                    envelope.put("retry_attempt", envelope.path("retry_attempt").asInt() + 1);
                    envelope.put("retry_reason", "timeout");
                    socket.send(envelope.toString());
                }
            }

            @Override
            public void onMessage(WebSocket socket, String text) {
                try {
                    JsonNode ack = JSON.readTree(text);
                    String id = ack.path("envelope_id").asText();
                    synchronized (lock) {
                        if (unacked.remove(id) != null) {
                            acks.put(id, ack);
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void onClosing(WebSocket socket, int code, String reason) {
                socket.close(1000, null);
                forget(socket);
            }

            @Override
            public void onFailure(WebSocket socket, Throwable t, Response response) {
                forget(socket);
            }
        });
    }

    private void forget(WebSocket socket) {
        synchronized (lock) {
            sockets.remove(socket);
            if (current == socket) {
                current = null;
            }
        }
    }

    // ---- Scripting ----

    /** Pushes {@code /pscale <text>} as a {@code slash_commands} envelope; returns its envelope id. */
    public String slashCommand(String user, String channel, String text, String responseUrl) {
        ObjectNode payload = JSON.createObjectNode();
        SlackPayloads.command(user, channel, text, responseUrl).forEach(payload::put);
        return push("slash_commands", payload, true);
    }

    /** Pushes a button click as an {@code interactive} envelope; returns its envelope id. */
    public String click(String user, String channel, String messageTs, boolean ephemeral, String actionId,
            String value, JsonNode blocks, String responseUrl) {
        return push("interactive",
                SlackPayloads.click(user, channel, messageTs, ephemeral, actionId, value, blocks, responseUrl), false);
    }

    private String push(String type, ObjectNode payload, boolean acceptsResponsePayload) {
        String id = "envelope-" + nextEnvelope.incrementAndGet();
        ObjectNode envelope = JSON.createObjectNode().put("envelope_id", id).put("type", type)
                .put("accepts_response_payload", acceptsResponsePayload);
        envelope.set("payload", payload);
        WebSocket socket;
        synchronized (lock) {
            unacked.put(id, envelope);
            socket = current;
        }
        if (socket != null) {
            socket.send(envelope.toString());
        }
        return id;
    }

    /**
     * Slack's side ends the current socket with no {@code disconnect} warning (code 1011, as when the server behind
     * it fails). MockWebServer cannot cut a server-side WebSocket's TCP connection, so this is the hardest drop it
     * can stage; either way the client learns of it only from the close.
     */
    public void dropConnection() {
        WebSocket socket;
        synchronized (lock) {
            socket = current;
            current = null;
        }
        if (socket != null) {
            socket.close(1011, "server error");
        }
    }

    /** Sends Slack's {@code disconnect} (a refresh request) on the current socket, which stays open meanwhile. */
    public void askForRefresh() {
        WebSocket socket;
        synchronized (lock) {
            socket = current;
        }
        if (socket != null) {
            socket.send("{\"type\":\"disconnect\",\"reason\":\"refresh_requested\",\"debug_info\":{\"host\":\"fake\"}}");
        }
    }

    // ---- Questions ----

    /** How many times {@code apps.connections.open} handed out a URL. */
    public int connectionsOpened() {
        synchronized (lock) {
            return opened;
        }
    }

    /** How many sockets were opened (and greeted with hello). */
    public int socketsOpened() {
        synchronized (lock) {
            return helloes;
        }
    }

    /** Sockets open right now. */
    public int openSockets() {
        synchronized (lock) {
            return sockets.size();
        }
    }

    /** The ack for that envelope, if it came. */
    public Optional<JsonNode> ack(String envelopeId) {
        synchronized (lock) {
            return Optional.ofNullable(acks.get(envelopeId));
        }
    }

    /** Waits for the ack of that envelope and returns it. */
    public JsonNode awaitAck(String envelopeId) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .until(() -> ack(envelopeId).isPresent());
        return ack(envelopeId).orElseThrow();
    }

    /** Waits until {@code count} sockets have been opened in all. */
    public void awaitSockets(int count) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .until(() -> socketsOpened() >= count);
    }
}
