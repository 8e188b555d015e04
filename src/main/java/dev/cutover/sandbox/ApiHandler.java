package dev.cutover.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code /v1/…} for one organization: checks the token like PlanetScale (a missing or malformed
 * {@code Authorization} is a 404), routes to the organization, and wraps lists in the page envelope
 * (planetscale-api.md §2). Also where the test hooks bite: every request is recorded, and canned failures
 * and the slow-answer delay are applied before routing.
 */
final class ApiHandler extends Handler.Abstract {
    /** A status and body to answer instead of the real one. */
    record CannedAnswer(int status, String body) {}

    private record Answer(int status, JsonNode body) {}

    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);
    private static final int DEFAULT_PER_PAGE = 25;
    private static final int MAX_PER_PAGE = 100;

    private final SimulatedOrganization organization;
    private final WireJson json;
    private final SimulatedOAuth oauth;
    private final Deque<AttributedRequest> attributed = new ArrayDeque<>();
    /** The live sandbox runs for days; only the latest requests are kept. */
    private static final int MAX_RECORDED = 10_000;

    private final Deque<ReceivedRequest> received = new ArrayDeque<>();
    private final Queue<CannedAnswer> cannedAnswers = new ConcurrentLinkedQueue<>();
    private volatile Duration delay = Duration.ZERO;

    ApiHandler(SimulatedOrganization organization, WireJson json, SimulatedOAuth oauth) {
        this.organization = organization;
        this.json = json;
        this.oauth = oauth;
    }

    List<AttributedRequest> attributed() {
        synchronized (received) {
            return List.copyOf(attributed);
        }
    }

    List<ReceivedRequest> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    private void record(ReceivedRequest request, String identity) {
        synchronized (received) {
            if (received.size() == MAX_RECORDED) {
                received.removeFirst();
                attributed.removeFirst();
            }
            received.addLast(request);
            attributed.addLast(new AttributedRequest(request, identity));
        }
    }

    /** Who a request's credentials say it is from, for {@link AttributedRequest}; never throws. */
    private String identity(String authorization) {
        try {
            Principal principal = caller(authorization);
            return principal.type().equals("User") ? "user:" + principal.id() : "service_token:" + principal.id();
        } catch (ApiError e) {
            return "none";
        }
    }

    void answerNextWith(CannedAnswer answer) {
        cannedAnswers.add(answer);
    }

    void delayEveryAnswer(Duration by) {
        delay = by;
    }

    void clearFailures() {
        cannedAnswers.clear();
        delay = Duration.ZERO;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        String body = Content.Source.asString(request, StandardCharsets.UTF_8);
        record(new ReceivedRequest(request.getMethod(), path, request.getHttpURI().getQuery(), body),
                identity(request.getHeaders().get(HttpHeader.AUTHORIZATION)));

        Duration wait = delay;
        if (!wait.isZero()) {
            // Sleeping here is the point: it is the simulated server being slow, not the code under test.
            Thread.sleep(wait.toMillis());
        }
        CannedAnswer canned = cannedAnswers.poll();
        if (canned != null) {
            String type = canned.body().stripLeading().startsWith("{") ? "application/json; charset=utf-8"
                    : "text/html; charset=utf-8";
            write(response, callback, canned.status(), type, canned.body());
            return true;
        }

        Answer answer;
        try {
            answer = route(request, path, body);
        } catch (ApiError e) {
            answer = e.code().equals("invalid_token") ? oauthError(e) : error(e.status(), e.code(), e.getMessage());
        } catch (RuntimeException e) {
            log.error("Sandbox failed on {} {}", request.getMethod(), path, e);
            answer = error(500, "internal_server_error", "Internal Server Error");
        }
        // 204 No Content carries no body at all (a client may refuse one that has).
        write(response, callback, answer.status(), "application/json; charset=utf-8",
                answer.status() == 204 ? "" : WireJson.MAPPER.writeValueAsString(answer.body()));
        return true;
    }

    private Answer route(Request request, String path, String rawBody) {
        Principal caller = caller(request.getHeaders().get(HttpHeader.AUTHORIZATION));
        List<String> segments = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
        String method = request.getMethod();
        Fields query = Request.extractQueryParameters(request);
        if (segments.size() < 2 || !segments.get(0).equals("v1") || !segments.get(1).equals("organizations")) {
            throw ApiError.notFound();
        }
        if (segments.size() == 2 && method.equals("GET")) {
            return organization.locked(() -> ok(page(List.of(json.organization(organization.id,
                    organization.createdAt, organization.databases().size())), query, path, false)));
        }
        if (!segments.get(2).equals(organization.name)) {
            throw ApiError.notFound();
        }
        List<String> rest = segments.subList(3, segments.size());
        if (!rest.isEmpty() && rest.get(0).equals("oauth-applications")) {
            return oauthApplications(method, rest, query, caller);
        }
        if (rest.isEmpty() || !rest.get(0).equals("databases")) {
            throw ApiError.notFound();
        }
        if (rest.size() == 1 && method.equals("GET")) {
            return organization.locked(() -> ok(page(
                    organization.databases().stream().map(json::database).toList(), query, path, false)));
        }
        String database = rest.get(1);
        if (rest.size() == 2 && method.equals("GET")) {
            return organization.locked(() -> ok(json.database(organization.database(database))));
        }
        if (rest.size() == 3 && method.equals("GET") && rest.get(2).equals("deploy-queue")) {
            return organization.locked(() -> ok(page(organization.deployQueue(database).stream()
                    .map(organization::renderDeployment).toList(), query, path, false)));
        }
        if (rest.get(2).equals("webhooks")) {
            return webhooks(method, database, rest, rawBody, query, path);
        }
        if (!rest.get(2).equals("deploy-requests")) {
            throw ApiError.notFound();
        }
        if (rest.size() == 3 && method.equals("GET")) {
            return organization.locked(() -> ok(page(organization.deployRequests(database).stream()
                    .filter(filter(query)).map(organization::render).toList(), query, path, true)));
        }
        int number = number(rest.get(3));
        String action = rest.size() == 5 ? rest.get(4) : "";
        if (rest.size() > 5) {
            throw ApiError.notFound();
        }
        JsonNode body = method.equals("GET") ? WireJson.MAPPER.createObjectNode() : parse(rawBody);
        return organization.locked(() -> {
            SimulatedDeployRequest deployRequest = organization.deployRequest(database, number);
            switch (method + " " + action) {
                case "GET " -> { }
                case "PATCH " -> organization.close(deployRequest, body.path("state").asText(""), caller);
                case "GET deployment" -> {
                    return ok(organization.renderDeployment(deployRequest));
                }
                case "GET operations" -> {
                    return ok(page(deployRequest.operations.stream().map(json::operation).toList(), query, path,
                            false));
                }
                case "GET reviews" -> {
                    return ok(page(deployRequest.reviews.stream().map(json::review).toList(), query, path, false));
                }
                case "POST reviews" -> {
                    var review = organization.review(deployRequest, body.path("state").asText(""),
                            body.path("body").asText(""), caller);
                    return new Answer(201, json.review(review));
                }
                case "POST deploy" -> organization.deploy(deployRequest, body.path("instant_ddl").asBoolean(false),
                        caller);
                case "POST cancel" -> organization.cancel(deployRequest, caller);
                case "POST apply-deploy" -> organization.applyDeploy(deployRequest, caller);
                case "POST revert" -> organization.revert(deployRequest, caller);
                case "POST skip-revert" -> organization.skipRevert(deployRequest, caller);
                case "POST complete-deploy" -> organization.completeErroredDeploy(deployRequest, caller);
                case "POST force-cutover" -> organization.forceCutover(deployRequest, caller);
                case "PUT auto-apply" -> organization.autoApply(deployRequest, body.path("enable").asBoolean(true));
                default -> throw ApiError.notFound();
            }
            return ok(organization.render(deployRequest));
        });
    }

    /**
     * {@code POST …/oauth-applications/{id}/token} (exchange and refresh, parameters in the query) and {@code DELETE
     * …/oauth-applications/{id}/tokens/{token id}}; only a service token may call them (planetscale-api.md §10).
     */
    private Answer oauthApplications(String method, List<String> rest, Fields query, Principal caller) {
        if (!caller.type().equals("ServiceToken") || rest.size() < 3
                || !rest.get(1).equals(SimulatedOAuth.APPLICATION_ID)) {
            throw ApiError.notFound();
        }
        if (rest.size() == 3 && rest.get(2).equals("token") && method.equals("POST")) {
            String grant = query.getValue("grant_type");
            if ("authorization_code".equals(grant)) {
                return ok(oauth.exchange(query.getValue("client_id"), query.getValue("client_secret"),
                        query.getValue("code"), query.getValue("redirect_uri")));
            }
            if ("refresh_token".equals(grant)) {
                return ok(oauth.refresh(query.getValue("client_id"), query.getValue("client_secret"),
                        query.getValue("refresh_token")));
            }
            throw ApiError.badRequest("grant_type must be authorization_code or refresh_token");
        }
        if (rest.size() == 4 && rest.get(2).equals("tokens") && method.equals("DELETE")) {
            oauth.revoke(rest.get(3));
            return new Answer(204, WireJson.MAPPER.createObjectNode());
        }
        throw ApiError.notFound();
    }

    /** {@code …/webhooks}, {@code …/webhooks/{id}} and {@code …/webhooks/{id}/test} (planetscale-api.md §7.1). */
    private Answer webhooks(String method, String database, List<String> rest, String rawBody, Fields query,
            String path) {
        JsonNode body = method.equals("GET") || method.equals("DELETE") ? WireJson.MAPPER.createObjectNode()
                : parse(rawBody);
        String id = rest.size() > 3 ? rest.get(3) : null;
        String action = rest.size() > 4 ? rest.get(4) : "";
        if (rest.size() > 5) {
            throw ApiError.notFound();
        }
        return organization.locked(() -> {
            if (id == null) {
                return switch (method) {
                    case "GET" -> ok(page(organization.webhooks(database).stream().map(json::webhook).toList(),
                            query, path, false));
                    case "POST" -> new Answer(201, json.webhook(organization.createWebhook(database,
                            text(body, "url"), body.path("enabled").asBoolean(false), events(body))));
                    default -> throw ApiError.notFound();
                };
            }
            switch (method + " " + action) {
                case "GET " -> {
                    return ok(json.webhook(organization.webhook(database, id)));
                }
                case "PATCH " -> {
                    Boolean enabled = body.has("enabled") ? body.path("enabled").asBoolean() : null;
                    return ok(json.webhook(organization.updateWebhook(database, id, text(body, "url"), enabled,
                            body.has("events") ? events(body) : null)));
                }
                case "DELETE " -> {
                    organization.deleteWebhook(database, id);
                    return new Answer(204, WireJson.MAPPER.createObjectNode());
                }
                case "POST test" -> {
                    organization.testWebhook(database, id);
                    return new Answer(204, WireJson.MAPPER.createObjectNode());
                }
                default -> throw ApiError.notFound();
            }
        });
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.path(field);
        return value.isTextual() ? value.asText() : null;
    }

    private static List<String> events(JsonNode body) {
        List<String> events = new java.util.ArrayList<>();
        body.path("events").forEach(event -> events.add(event.asText()));
        return events;
    }

    /**
     * The service token behind {@code Authorization: <id>:<token>}. PlanetScale answers a missing or
     * malformed token with 404, not 401 (planetscale-api.md §8.1), so the simulator does too.
     */
    private Principal caller(String authorization) {
        if (authorization == null) {
            throw ApiError.notFound();
        }
        int colon = authorization.indexOf(':');
        if (colon <= 0 || colon == authorization.length() - 1) {
            throw ApiError.notFound();
        }
        String tokenId = authorization.substring(0, colon).strip();
        if (tokenId.isEmpty() || tokenId.chars().anyMatch(Character::isWhitespace)) {
            throw ApiError.notFound();
        }
        // An OAuth application token acts as its person; anything else is a service token.
        return oauth.actorOf(tokenId, authorization.substring(colon + 1).strip()).map(Principal::user)
                .orElseGet(() -> Principal.serviceToken(tokenId));
    }

    private static int number(String text) {
        try {
            int number = Integer.parseInt(text);
            if (number < 1) {
                throw ApiError.notFound();
            }
            return number;
        } catch (NumberFormatException e) {
            throw ApiError.notFound();
        }
    }

    private static JsonNode parse(String body) {
        if (body.isBlank()) {
            return WireJson.MAPPER.createObjectNode();
        }
        try {
            JsonNode node = WireJson.MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw ApiError.badRequest("Request body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("Request body is not valid JSON");
        }
    }

    /** The list filters of {@code GET …/deploy-requests}: {@code state}, {@code branch}, {@code into_branch}. */
    private static Predicate<SimulatedDeployRequest> filter(Fields query) {
        String state = query.getValue("state");
        String branch = query.getValue("branch");
        String intoBranch = query.getValue("into_branch");
        return request -> (state == null || state.isEmpty()
                        || state.equals("open") && request.open
                        || state.equals("closed") && !request.open
                        || state.equals("deployed") && request.deployedAt != null)
                && (branch == null || branch.isEmpty() || branch.equals(request.branch))
                && (intoBranch == null || intoBranch.isEmpty() || intoBranch.equals(request.intoBranch));
    }

    /** The list envelope; {@code total_count} and {@code total_pages} only where PlanetScale declares them. */
    private ObjectNode page(List<? extends JsonNode> items, Fields query, String path, boolean withTotals) {
        int perPage = Math.min(MAX_PER_PAGE, positive(query.getValue("per_page"), DEFAULT_PER_PAGE));
        int page = positive(query.getValue("page"), 1);
        int totalPages = Math.max(1, (items.size() + perPage - 1) / perPage);
        int from = Math.min(items.size(), (page - 1) * perPage);
        int to = Math.min(items.size(), from + perPage);

        ObjectNode envelope = WireJson.MAPPER.createObjectNode();
        envelope.put("type", "list");
        envelope.put("current_page", page);
        envelope.put("per_page", perPage);
        Integer next = to < items.size() ? page + 1 : null;
        Integer previous = page > 1 ? Math.min(page - 1, totalPages) : null;
        envelope.put("next_page", next);
        envelope.put("next_page_url", next == null ? null : pageUrl(path, query, next));
        envelope.put("prev_page", previous);
        envelope.put("prev_page_url", previous == null ? null : pageUrl(path, query, previous));
        if (withTotals) {
            envelope.put("total_count", items.size());
            envelope.put("total_pages", totalPages);
        }
        ArrayNode data = envelope.putArray("data");
        items.subList(from, to).forEach(data::add);
        return envelope;
    }

    private String pageUrl(String path, Fields query, int page) {
        List<String> pairs = new ArrayList<>();
        for (Fields.Field field : query) {
            if (!field.getName().equals("page")) {
                field.getValues().forEach(value -> pairs.add(encode(field.getName()) + "=" + encode(value)));
            }
        }
        pairs.add("page=" + page);
        String base = json.baseUrl();
        return base.substring(0, base.length() - "/v1".length()) + path + "?"
                + pairs.stream().collect(Collectors.joining("&"));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static int positive(String text, int fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.strip());
            return value >= 1 ? value : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static Answer ok(JsonNode body) {
        return new Answer(200, body);
    }

    private static Answer oauthError(ApiError e) {
        ObjectNode body = WireJson.MAPPER.createObjectNode();
        body.put("error", "invalid_token");
        body.put("error_description", e.getMessage());
        body.put("state", "unauthorized");
        return new Answer(e.status(), body);
    }

    private static Answer error(int status, String code, String message) {
        ObjectNode body = WireJson.MAPPER.createObjectNode();
        body.put("code", code);
        body.put("message", message);
        return new Answer(status, body);
    }

    private static void write(Response response, Callback callback, int status, String contentType, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        Content.Sink.write(response, true, body, callback);
    }
}
