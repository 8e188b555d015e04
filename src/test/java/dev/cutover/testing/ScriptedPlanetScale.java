package dev.cutover.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * PlanetScale for one organization ({@link RunningCutover#ORG}) as a loopback {@link MockWebServer} answering
 * from the canned JSON in {@code src/test/resources/planetscale/}: any database exists, and any deploy request
 * number is the fixture renumbered, in the deployment state a test chose. Tests script errors and slowness per
 * path and read what arrived. Thread-safe.
 */
public final class ScriptedPlanetScale implements AutoCloseable {
    /** One request as received. */
    public record Received(String method, String path, String body) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORG_PATH = "/v1/organizations/" + RunningCutover.ORG;
    private static final Pattern DEPLOY_REQUEST =
            Pattern.compile(Pattern.quote(ORG_PATH) + "/databases/([^/]+)/deploy-requests/([0-9]+)(/[a-z-]+)?");
    private static final Pattern DATABASE = Pattern.compile(Pattern.quote(ORG_PATH) + "/databases/([^/]+)");

    private final MockWebServer server = new MockWebServer();
    private final Object lock = new Object();
    // Guarded by lock.
    private final List<Received> received = new ArrayList<>();
    private final Map<String, Deque<MockResponse>> scripted = new HashMap<>();
    private final Map<String, String> states = new HashMap<>();
    private boolean organizationVisible = true;
    private boolean remembersWrites;
    private Duration delay = Duration.ZERO;

    public ScriptedPlanetScale() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer(request);
            }
        });
    }

    public ScriptedPlanetScale start() {
        try {
            server.start(InetAddress.getByName("127.0.0.1"), 0);
            return this;
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

    /** The value for {@code PLANETSCALE_API_URL}. */
    public String apiUrl() {
        return server.url("/v1").toString();
    }

    /** The path of a deploy request (plus {@code /<suffix>} when given), as the client sends it. */
    public static String path(String database, int number, String suffix) {
        return ORG_PATH + "/databases/" + database + "/deploy-requests/" + number
                + (suffix == null || suffix.isEmpty() ? "" : "/" + suffix);
    }

    // ---- Scripting ----

    /** From now on {@code database}'s deploy requests are in {@code deploymentState} (default: the fixture's). */
    public void deploymentState(String database, int number, String deploymentState) {
        synchronized (lock) {
            states.put(database + "#" + number, deploymentState);
        }
    }

    /** Whether {@code GET /organizations} lists our organization (it decides what a 404 means). */
    public void organizationVisible(boolean visible) {
        synchronized (lock) {
            organizationVisible = visible;
        }
    }

    /** The next requests to {@code method path} get these answers, in order, before the normal ones resume. */
    public void answerNext(String method, String path, MockResponse... answers) {
        synchronized (lock) {
            Deque<MockResponse> queue = scripted.computeIfAbsent(method + " " + path, key -> new ArrayDeque<>());
            queue.addAll(List.of(answers));
        }
    }

    /** Every answer waits {@code delay} before its headers (a slow PlanetScale). */
    public void delayEveryAnswer(Duration delay) {
        synchronized (lock) {
            this.delay = Objects.requireNonNull(delay, "delay");
        }
    }

    /** A JSON error answer in PlanetScale's envelope. */
    public static MockResponse error(int status, String code, String message) {
        return json(status, JSON.createObjectNode().put("code", code).put("message", message).toString());
    }

    public static MockResponse json(int status, String body) {
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json").setBody(body);
    }

    // ---- Questions ----

    public List<Received> requests() {
        synchronized (lock) {
            return List.copyOf(received);
        }
    }

    public List<Received> requests(String method, String path) {
        return requests().stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }

    /** Every POST, PATCH, PUT or DELETE received. */
    public List<Received> writes() {
        return requests().stream().filter(r -> !r.method().equals("GET")).toList();
    }

    // ---- Answering ----

    private MockResponse answer(RecordedRequest request) {
        String target = Objects.requireNonNullElse(request.getPath(), "/");
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        String method = request.getMethod();
        MockResponse response;
        Duration wait;
        synchronized (lock) {
            received.add(new Received(method, path, request.getBody().readString(UTF_8)));
            Deque<MockResponse> queue = scripted.get(method + " " + path);
            MockResponse next = queue == null ? null : queue.poll();
            response = next != null ? next : route(method, path);
            wait = delay;
        }
        if (!wait.isZero()) {
            response.setHeadersDelay(wait.toMillis(), TimeUnit.MILLISECONDS);
        }
        return response;
    }

    /** A write's answer; with {@link #rememberWrites()} the deploy request stays in its new state for later reads. */
    private MockResponse written(String database, int number, String newState) {
        if (remembersWrites) {
            states.put(database + "#" + number, newState);
        }
        return json(200, deployRequest(database, number, newState).toString());
    }

    /** From now on a write moves the deploy request to the state it answered with, as PlanetScale does. */
    public void rememberWrites() {
        synchronized (lock) {
            remembersWrites = true;
        }
    }

    private MockResponse route(String method, String path) {
        if (method.equals("GET") && path.equals("/v1/organizations")) {
            ObjectNode organization = JSON.createObjectNode().put("name", organizationVisible ? RunningCutover.ORG : "other-org");
            return page(organization);
        }
        Matcher deployRequest = DEPLOY_REQUEST.matcher(path);
        if (deployRequest.matches()) {
            String database = deployRequest.group(1);
            int number = Integer.parseInt(deployRequest.group(2));
            String action = deployRequest.group(3) == null ? "" : deployRequest.group(3).substring(1);
            String state = states.getOrDefault(database + "#" + number, "complete_pending_revert");
            return switch (method + " " + action) {
                case "GET " -> json(200, deployRequest(database, number, state).toString());
                case "POST revert" -> written(database, number, "in_progress_revert");
                case "POST skip-revert" -> written(database, number, "complete");
                case "POST deploy" -> written(database, number, "queued");
                case "POST apply-deploy" -> written(database, number, "in_progress_cutover");
                case "POST cancel" -> written(database, number, "in_progress_cancel");
                default -> error(404, "not_found", "Not Found");
            };
        }
        Matcher database = DATABASE.matcher(path);
        if (method.equals("GET") && database.matches()) {
            return json(200, fixture("database.json").put("name", database.group(1)).toString());
        }
        if (method.equals("GET") && path.equals(ORG_PATH + "/databases")) {
            return page(fixture("database.json"));
        }
        return error(404, "not_found", "Not Found");
    }

    /** The canned deploy request, renumbered, in another database and deployment state. */
    public static ObjectNode deployRequest(String database, int number, String deploymentState) {
        ObjectNode request = fixture("deploy-request.json");
        request.put("number", number).put("deployment_state", deploymentState)
                .put("html_url", "https://app.planetscale.com/" + RunningCutover.ORG + "/" + database
                        + "/deploy-requests/" + number);
        ((ObjectNode) request.path("deployment")).put("state", deploymentState);
        return request;
    }

    private static MockResponse page(ObjectNode... items) {
        ObjectNode page = JSON.createObjectNode().put("type", "list").put("current_page", 1).putNull("next_page");
        ArrayNode data = page.putArray("data");
        for (ObjectNode item : items) {
            data.add(item);
        }
        return json(200, page.toString());
    }

    private static ObjectNode fixture(String name) {
        try (InputStream in = ScriptedPlanetScale.class.getResourceAsStream("/planetscale/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no fixture " + name);
            }
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
