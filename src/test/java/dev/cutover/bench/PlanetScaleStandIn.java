package dev.cutover.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A slow PlanetScale API: every call is answered after a fixed delay (1.5 s in the benchmark) with realistic
 * JSON built from the canned files in {@code src/test/resources/planetscale/}. No thread waits: the answer is
 * scheduled, so hundreds of calls can be in flight at once. Stateless: every deploy request is open and
 * {@code ready}, not yet approved, on a database that requires approval, so "approve" takes the whole path
 * (fresh read, review, fresh read).
 */
final class PlanetScaleStandIn extends Handler.Abstract {
    private final ObjectMapper json = new ObjectMapper();
    private final ScheduledExecutorService scheduler;
    private final long delayMillis;
    private final ObjectNode database;
    private final ObjectNode deployRequest;
    private final ObjectNode review;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicLong calls = new AtomicLong();

    PlanetScaleStandIn(ScheduledExecutorService scheduler, long delayMillis) {
        this.scheduler = scheduler;
        this.delayMillis = delayMillis;
        this.database = canned("database.json");
        this.deployRequest = canned("deploy-request.json");
        this.review = canned("review.json");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        if (path.equals("/bench/stats")) {
            return write(response, callback, 200, "{\"calls\":" + calls.get() + ",\"max_in_flight\":"
                    + maxInFlight.get() + ",\"in_flight\":" + inFlight.get() + "}");
        }
        calls.incrementAndGet();
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        int status;
        String body;
        try {
            String[] answer = answer(request.getMethod(), path.split("/"));
            status = Integer.parseInt(answer[0]);
            body = answer[1];
        } catch (RuntimeException e) {
            status = 500;
            body = "{}";
        }
        int finalStatus = status;
        String finalBody = body;
        // Drain the request body now; answer later without holding a thread.
        Content.Source.consumeAll(request, Callback.NOOP);
        scheduler.schedule(() -> {
            inFlight.decrementAndGet();
            write(response, callback, finalStatus, finalBody);
        }, delayMillis, TimeUnit.MILLISECONDS);
        return true;
    }

    /** {@code [status, body]} for {@code /v1/organizations/{org}/databases/{db}/deploy-requests/{n}/…}. */
    private String[] answer(String method, String[] segments) {
        // segments: "", "v1", "organizations", org, "databases", db, "deploy-requests", n, verb
        int depth = segments.length;
        if (depth == 3) {
            ObjectNode org = json.createObjectNode().put("id", "org000000001").put("type", "Organization")
                    .put("name", "bench-org");
            return ok(list(json.createArrayNode().add(org)));
        }
        String org = segments[3];
        if (depth == 5) {
            ArrayNode databases = json.createArrayNode();
            for (int i = 0; i < 10; i++) {
                databases.add(database(org, "bench-" + i));
            }
            return ok(list(databases));
        }
        String db = segments[5];
        if (depth == 6) {
            return ok(database(org, db).toString());
        }
        if (depth == 7 && segments[6].equals("deploy-queue")) {
            return ok(list(json.createArrayNode()));
        }
        if (depth == 7 && segments[6].equals("deploy-requests")) {
            return ok(list(json.createArrayNode().add(deployRequest(org, db, 1))));
        }
        int number = Integer.parseInt(segments[7]);
        if (depth == 8) {
            return ok(deployRequest(org, db, number).toString());
        }
        String verb = segments[8];
        if (verb.equals("reviews") && method.equals("POST")) {
            return new String[] {"201", review.toString()};
        }
        if (verb.equals("reviews") || verb.equals("operations")) {
            return ok(list(json.createArrayNode()));
        }
        return ok(deployRequest(org, db, number).toString());
    }

    private ObjectNode database(String org, String name) {
        ObjectNode copy = database.deepCopy();
        copy.put("name", name).put("html_url", "https://app.planetscale.com/" + org + "/" + name);
        return copy;
    }

    private ObjectNode deployRequest(String org, String db, int number) {
        ObjectNode copy = deployRequest.deepCopy();
        copy.put("number", number).put("state", "open").put("deployment_state", "ready").put("approved", false)
                .put("branch", "bench-" + number)
                .put("html_url", "https://app.planetscale.com/" + org + "/" + db + "/deploy-requests/" + number);
        ObjectNode deployment = (ObjectNode) copy.path("deployment");
        deployment.put("state", "ready").put("deploy_request_number", number).putNull("deployment_revert_request");
        deployment.putArray("lint_errors");
        return copy;
    }

    private String list(ArrayNode data) {
        ObjectNode page = json.createObjectNode().put("type", "list").put("current_page", 1).put("per_page", 100);
        page.putNull("next_page").putNull("next_page_url").putNull("prev_page").putNull("prev_page_url");
        page.put("total_count", data.size()).put("total_pages", 1).set("data", data);
        return page.toString();
    }

    private static String[] ok(String body) {
        return new String[] {"200", body};
    }

    private static boolean write(Response response, Callback callback, int status, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        Content.Sink.write(response, true, body, callback);
        return true;
    }

    private ObjectNode canned(String name) {
        try (InputStream in = PlanetScaleStandIn.class.getResourceAsStream("/planetscale/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing canned file planetscale/" + name);
            }
            return (ObjectNode) json.readTree(new String(in.readAllBytes(), UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
