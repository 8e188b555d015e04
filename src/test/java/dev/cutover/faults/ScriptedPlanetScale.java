package dev.cutover.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutover.testing.RunningCutover;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * PlanetScale on a {@link MockWebServer}: the database {@code shop} (no approval needed) whose deploy requests are
 * all {@code ready}, deploys that answer {@code queued}, and scripted faults per {@code "METHOD path"}. Remembers
 * every request it received. Thread-safe.
 */
final class ScriptedPlanetScale implements AutoCloseable {
    static final String ORG_PATH = "/v1/organizations/" + RunningCutover.ORG;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MockWebServer server = new MockWebServer();
    private final Map<String, Deque<MockResponse>> faults = new HashMap<>();
    private final List<String> received = new ArrayList<>();

    ScriptedPlanetScale() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer(request);
            }
        });
    }

    ScriptedPlanetScale start() {
        try {
            server.start(InetAddress.getByName("127.0.0.1"), 0);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String apiUrl() {
        return "http://127.0.0.1:" + server.getPort() + "/v1";
    }

    static String deployRequestPath(int number) {
        return ORG_PATH + "/databases/shop/deploy-requests/" + number;
    }

    /** The next requests to {@code "GET /v1/…"} get these answers, in order, before the normal one. */
    synchronized void failNext(String methodAndPath, MockResponse... answers) {
        Deque<MockResponse> queue = faults.computeIfAbsent(methodAndPath, key -> new ArrayDeque<>());
        queue.addAll(List.of(answers));
    }

    /** How many requests arrived for {@code "METHOD path"} (whatever was answered). */
    synchronized int count(String methodAndPath) {
        return (int) received.stream().filter(methodAndPath::equals).count();
    }

    synchronized List<String> received() {
        return List.copyOf(received);
    }

    static MockResponse status(int status) {
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json")
                .setBody("{\"code\":\"" + (status == 429 ? "rate_limited" : "internal_error")
                        + "\",\"message\":\"scripted " + status + "\"}");
    }

    private MockResponse answer(RecordedRequest request) {
        String path = Objects.requireNonNullElse(request.getPath(), "/");
        int query = path.indexOf('?');
        String key = request.getMethod() + " " + (query < 0 ? path : path.substring(0, query));
        synchronized (this) {
            received.add(key);
            Deque<MockResponse> queue = faults.get(key);
            if (queue != null && !queue.isEmpty()) {
                return queue.poll();
            }
        }
        if (key.equals("GET " + ORG_PATH + "/databases/shop")) {
            ObjectNode database = fixture("database.json");
            database.put("require_approval_for_deploy", false);
            return ok(database);
        }
        if (key.equals("GET /v1/organizations")) {
            return ok(JSON.createObjectNode().put("type", "list").putNull("next_page")
                    .set("data", JSON.createArrayNode().add(JSON.createObjectNode().put("name", RunningCutover.ORG))));
        }
        String prefix = "GET " + ORG_PATH + "/databases/shop/deploy-requests/";
        if (key.startsWith(prefix) && key.substring(prefix.length()).matches("\\d+")) {
            return ok(deployRequest(Integer.parseInt(key.substring(prefix.length())), "ready"));
        }
        String postPrefix = "POST " + ORG_PATH + "/databases/shop/deploy-requests/";
        if (key.startsWith(postPrefix) && key.endsWith("/deploy")) {
            String number = key.substring(postPrefix.length(), key.length() - "/deploy".length());
            return ok(deployRequest(Integer.parseInt(number), "queued"));
        }
        return new MockResponse().setResponseCode(404).setHeader("Content-Type", "application/json")
                .setBody("{\"code\":\"not_found\",\"message\":\"Not Found\"}");
    }

    static ObjectNode deployRequest(int number, String deploymentState) {
        ObjectNode request = fixture("deploy-request.json");
        request.put("number", number).put("deployment_state", deploymentState).put("approved", true)
                .put("html_url", "https://app.planetscale.com/" + RunningCutover.ORG + "/shop/deploy-requests/" + number);
        ((ObjectNode) request.path("deployment")).put("state", deploymentState).put("deploy_request_number", number)
                .putArray("lint_errors");
        return request;
    }

    private static MockResponse ok(Object body) {
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                .setBody(body.toString());
    }

    private static ObjectNode fixture(String name) {
        try (InputStream in = ScriptedPlanetScale.class.getResourceAsStream("/planetscale/" + name)) {
            return (ObjectNode) JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
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
