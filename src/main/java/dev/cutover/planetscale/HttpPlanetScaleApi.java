package dev.cutover.planetscale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.deploy.Database;
import dev.cutover.deploy.DeployOperation;
import dev.cutover.deploy.DeployRef;
import dev.cutover.deploy.DeployRequest;
import dev.cutover.deploy.Deployment;
import dev.cutover.deploy.Review;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PlanetScaleApi} over PlanetScale's REST API with OkHttp and Jackson (planetscale-api.md §1–§3, §6).
 * Reads are retried on 429, 5xx and network failures; writes are sent exactly once. Thread-safe.
 */
public final class HttpPlanetScaleApi implements PlanetScaleApi {
    static final int MAX_ATTEMPTS = 3;
    /** PlanetScale's maximum page size (planetscale-api.md §2). */
    static final int PER_PAGE = 100;
    /** A server that keeps announcing a next page must not keep us busy forever. */
    static final int MAX_PAGES = 1000;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(HttpPlanetScaleApi.class);
    // Bytes, not a String: OkHttp would add "; charset=utf-8" to the Content-Type of a String body.
    private static final MediaType JSON = MediaType.get("application/json");
    private static final ObjectMapper MAPPER = PlanetScaleJson.mapper();
    private static final String REDACTED = "[redacted]";
    /** Shorter values are not worth redacting: they would mangle ordinary words (the sandbox's "sandbox"). */
    private static final int MIN_REDACTED_LENGTH = 8;

    private final OkHttpClient http;
    private final HttpUrl baseUrl;
    private final String org;
    private final String authorization;
    private final List<String> secrets;
    private final String userAgent;
    private final Sleeper sleeper;
    private final Backoff backoff;
    /** {@link #MAX_ATTEMPTS}, or 1 for a caller with its own schedule ({@link #withoutReadRetries()}). */
    private final int readAttempts;

    /**
     * @param http the shared client; this class derives its own variant (timeouts, no redirects)
     * @param baseUrl e.g. {@code https://api.planetscale.com/v1}, without a trailing slash
     * @param version Cutover's version, sent as {@code User-Agent: cutover/<version>}
     * @param sleeper waits between retries of a read
     */
    public HttpPlanetScaleApi(OkHttpClient http, String baseUrl, String org, String serviceTokenId,
            String serviceToken, String version, Sleeper sleeper) {
        this(http, baseUrl, org, serviceTokenId, serviceToken, version, sleeper, Clock.systemUTC());
    }

    /** As above, reading {@code Retry-After} dates against {@code clock}. */
    public HttpPlanetScaleApi(OkHttpClient http, String baseUrl, String org, String serviceTokenId,
            String serviceToken, String version, Sleeper sleeper, Clock clock) {
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(serviceTokenId, "serviceTokenId");
        Objects.requireNonNull(serviceToken, "serviceToken");
        Objects.requireNonNull(version, "version");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.backoff = new Backoff(Objects.requireNonNull(clock, "clock"));
        this.readAttempts = MAX_ATTEMPTS;
        if (!DeployRef.isValidName(org)) {
            throw new IllegalArgumentException("invalid organization name: " + org);
        }
        HttpUrl parsed = HttpUrl.parse(baseUrl);
        if (parsed == null) {
            throw new IllegalArgumentException("PlanetScale base URL is not an http(s) URL: " + baseUrl);
        }
        this.baseUrl = parsed;
        this.org = org;
        // Service tokens go without a scheme word: "<id>:<token>" (planetscale-api.md §1).
        this.authorization = serviceTokenId + ":" + serviceToken;
        this.secrets = List.of(authorization, serviceToken, serviceTokenId).stream()
                .filter(s -> s.length() >= MIN_REDACTED_LENGTH)
                .toList();
        this.userAgent = "cutover/" + version;
        // A followed redirect would carry the Authorization header to wherever it points. OkHttp's own
        // silent retry after a connection failure would resend a write (and add attempts to reads).
        this.http = http.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .readTimeout(READ_TIMEOUT)
                .followRedirects(false)
                .followSslRedirects(false)
                .retryOnConnectionFailure(false)
                .build();
    }

    @Override
    public String org() {
        return org;
    }

    @Override
    public List<Database> listDatabases() throws PlanetScaleException, IOException {
        return getPages(orgUrl().addPathSegment("databases"), WireDatabase.class, WireDatabase::toDomain,
                Integer.MAX_VALUE);
    }

    /**
     * A client for the same organization that tries each read once: a caller on its own schedule (reconciliation)
     * backs off itself on 429 rather than sleeping in here, and its failures never delay commands.
     */
    public HttpPlanetScaleApi withoutReadRetries() {
        return new HttpPlanetScaleApi(this, 1);
    }

    private HttpPlanetScaleApi(HttpPlanetScaleApi from, int readAttempts) {
        this(from, readAttempts, from.authorization, from.secrets);
    }

    /**
     * A client for the same organization that authenticates as a person: an OAuth application token, sent as
     * {@code <id>:<token>} like a service token (planetscale-api.md §10), so PlanetScale applies that person's
     * permissions and records them as the actor.
     */
    public HttpPlanetScaleApi actingAs(String oauthTokenId, String oauthToken) {
        Objects.requireNonNull(oauthTokenId, "oauthTokenId");
        Objects.requireNonNull(oauthToken, "oauthToken");
        String personal = oauthTokenId + ":" + oauthToken;
        List<String> personalSecrets = java.util.stream.Stream.concat(secrets.stream(),
                java.util.stream.Stream.of(personal, oauthToken, oauthTokenId))
                .filter(s -> s.length() >= MIN_REDACTED_LENGTH).toList();
        return new HttpPlanetScaleApi(this, readAttempts, personal, personalSecrets);
    }

    private HttpPlanetScaleApi(HttpPlanetScaleApi from, int readAttempts, String authorization, List<String> secrets) {
        this.readAttempts = readAttempts;
        this.http = from.http;
        this.baseUrl = from.baseUrl;
        this.org = from.org;
        this.authorization = authorization;
        this.secrets = secrets;
        this.userAgent = from.userAgent;
        this.sleeper = from.sleeper;
        this.backoff = from.backoff;
    }

    /**
     * Deploy requests of a database as PlanetScale's JSON too, for a journal that replays them later
     * (reconciliation); otherwise as {@link #listDeployRequests}.
     */
    public List<ObservedDeployRequest> observeDeployRequests(String database, DeployRequestFilter filter, int limit)
            throws PlanetScaleException, IOException {
        HttpUrl.Builder url = databaseUrl(database).addPathSegment("deploy-requests");
        addQuery(url, "state", filter.state());
        addQuery(url, "branch", filter.branch());
        addQuery(url, "into_branch", filter.intoBranch());
        return getPages(url, JsonNode.class, node -> new ObservedDeployRequest(
                PlanetScaleJson.deployRequest(org, database, node), node.toString(), node.path("updated_at").asText("")), limit);
    }

    /** One deploy request with its JSON, as {@link #observeDeployRequests}. */
    public ObservedDeployRequest observeDeployRequest(DeployRef ref) throws PlanetScaleException, IOException {
        return getOne(deployRequestUrl(ref).build(), JsonNode.class, node -> new ObservedDeployRequest(
                PlanetScaleJson.deployRequest(org, ref.database(), node), node.toString(), node.path("updated_at").asText("")));
    }

    /** {@code GET …/webhooks} (needs {@code read_database}). */
    public List<DatabaseWebhook> listWebhooks(String database) throws PlanetScaleException, IOException {
        return getPages(databaseUrl(database).addPathSegment("webhooks"), JsonNode.class,
                HttpPlanetScaleApi::webhook, Integer.MAX_VALUE);
    }

    /**
     * {@code POST …/webhooks} with {@code enabled: true} said explicitly (pscale creates them disabled, and the
     * API's default is not documented). Needs {@code write_database}.
     */
    public DatabaseWebhook createWebhook(String database, String url, List<String> events)
            throws PlanetScaleException, IOException {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("url", url);
        fields.put("enabled", true);
        fields.put("events", events);
        Request request = write("POST", databaseUrl(database).addPathSegment("webhooks").build(), fields);
        return decode(request, send(request), type(JsonNode.class), HttpPlanetScaleApi::webhook);
    }

    /** {@code PATCH …/webhooks/{id}} with {@code enabled: true}. */
    public DatabaseWebhook enableWebhook(String database, String id) throws PlanetScaleException, IOException {
        Request request = write("PATCH", databaseUrl(database).addPathSegment("webhooks").addPathSegment(id).build(),
                Map.of("enabled", true));
        return decode(request, send(request), type(JsonNode.class), HttpPlanetScaleApi::webhook);
    }

    /** {@code POST …/webhooks/{id}/test}: PlanetScale sends {@code webhook.test} (at most once every 20 s). */
    public void testWebhook(String database, String id) throws PlanetScaleException, IOException {
        Request request = write("POST", databaseUrl(database).addPathSegment("webhooks").addPathSegment(id)
                .addPathSegment("test").build(), Map.of());
        send(request);
    }

    private static DatabaseWebhook webhook(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("a webhook must be a JSON object");
        }
        List<String> events = new ArrayList<>();
        node.path("events").forEach(event -> events.add(event.asText()));
        JsonNode success = node.path("last_sent_success");
        Optional<java.time.Instant> lastSentAt = Optional.empty();
        try {
            if (node.path("last_sent_at").isTextual()) {
                lastSentAt = Optional.of(java.time.Instant.parse(node.path("last_sent_at").asText()));
            }
        } catch (java.time.format.DateTimeParseException e) {
            lastSentAt = Optional.empty();
        }
        return new DatabaseWebhook(node.path("id").asText(""), node.path("url").asText(""),
                node.path("secret").asText(""), node.path("enabled").asBoolean(false), events,
                success.isBoolean() ? Optional.of(success.asBoolean()) : Optional.empty(),
                node.path("last_sent_result").isTextual() ? node.path("last_sent_result").asText() : "", lastSentAt);
    }

    @Override
    public Database getDatabase(String database) throws PlanetScaleException, IOException {
        return getOne(databaseUrl(database).build(), WireDatabase.class, WireDatabase::toDomain);
    }

    @Override
    public List<DeployRequest> listDeployRequests(String database, DeployRequestFilter filter, int limit)
            throws PlanetScaleException, IOException {
        Objects.requireNonNull(filter, "filter");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        HttpUrl.Builder url = databaseUrl(database).addPathSegment("deploy-requests");
        addQuery(url, "state", filter.state());
        addQuery(url, "branch", filter.branch());
        addQuery(url, "into_branch", filter.intoBranch());
        return getPages(url, WireDeployRequest.class, wire -> wire.toDomain(org, database), limit);
    }

    @Override
    public DeployRequest getDeployRequest(DeployRef ref) throws PlanetScaleException, IOException {
        return getOne(deployRequestUrl(ref).build(), WireDeployRequest.class, toDeployRequest(ref));
    }

    @Override
    public Review approve(DeployRef ref, String body) throws PlanetScaleException, IOException {
        return review(ref, "approved", body);
    }

    @Override
    public Review comment(DeployRef ref, String body) throws PlanetScaleException, IOException {
        return review(ref, "commented", body);
    }

    @Override
    public List<Review> listReviews(DeployRef ref) throws PlanetScaleException, IOException {
        return getPages(deployRequestUrl(ref).addPathSegment("reviews"), WireReview.class, WireReview::toDomain,
                Integer.MAX_VALUE);
    }

    @Override
    public DeployRequest deploy(DeployRef ref, boolean instant) throws PlanetScaleException, IOException {
        return action(ref, "deploy", Map.of("instant_ddl", instant));
    }

    @Override
    public DeployRequest applyDeploy(DeployRef ref) throws PlanetScaleException, IOException {
        return action(ref, "apply-deploy", Map.of());
    }

    @Override
    public DeployRequest cancel(DeployRef ref) throws PlanetScaleException, IOException {
        return action(ref, "cancel", Map.of());
    }

    @Override
    public DeployRequest close(DeployRef ref) throws PlanetScaleException, IOException {
        // Closing is a PATCH of the request itself, not a /close sub-path (planetscale-api.md §3).
        Request request = write("PATCH", deployRequestUrl(ref).build(), Map.of("state", "closed"));
        return decode(request, send(request), type(WireDeployRequest.class), toDeployRequest(ref));
    }

    @Override
    public DeployRequest revert(DeployRef ref) throws PlanetScaleException, IOException {
        return action(ref, "revert", Map.of());
    }

    @Override
    public DeployRequest skipRevert(DeployRef ref) throws PlanetScaleException, IOException {
        return action(ref, "skip-revert", Map.of());
    }

    @Override
    public DeployRequest completeErroredDeploy(DeployRef ref) throws PlanetScaleException, IOException {
        return action(ref, "complete-deploy", Map.of());
    }

    @Override
    public DeployRequest forceCutover(DeployRef ref) throws PlanetScaleException, IOException {
        return action(ref, "force-cutover", Map.of());
    }

    @Override
    public DeployRequest autoApply(DeployRef ref, boolean enable) throws PlanetScaleException, IOException {
        // A PUT, unlike the other actions (planetscale-api.md §3 #14; the CLI's client sends {"enable": …}).
        Request request = write("PUT", deployRequestUrl(ref).addPathSegment("auto-apply").build(),
                Map.of("enable", enable));
        return decode(request, send(request), type(WireDeployRequest.class), toDeployRequest(ref));
    }

    @Override
    public List<Deployment> deployQueue(String database) throws PlanetScaleException, IOException {
        return getPages(databaseUrl(database).addPathSegment("deploy-queue"), WireDeployment.class,
                WireDeployment::toDomain, Integer.MAX_VALUE);
    }

    @Override
    public List<DeployOperation> listOperations(DeployRef ref) throws PlanetScaleException, IOException {
        return getPages(deployRequestUrl(ref).addPathSegment("operations"), WireDeployOperation.class,
                WireDeployOperation::toDomain, Integer.MAX_VALUE);
    }

    @Override
    public boolean canSeeOrganization() throws PlanetScaleException, IOException {
        return getPages(baseUrl.newBuilder().addPathSegment("organizations"), WireOrganization.class,
                WireOrganization::name, Integer.MAX_VALUE).contains(org);
    }

    private Review review(DeployRef ref, String state, String body) throws PlanetScaleException, IOException {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("state", state);
        fields.put("body", body == null ? "" : body);
        Request request = write("POST", deployRequestUrl(ref).addPathSegment("reviews").build(), fields);
        return decode(request, send(request), type(WireReview.class), WireReview::toDomain);
    }

    /** {@code POST …/deploy-requests/{number}/<verb>}; the answer is the request as it is now. */
    private DeployRequest action(DeployRef ref, String verb, Map<String, Object> fields)
            throws PlanetScaleException, IOException {
        Request request = write("POST", deployRequestUrl(ref).addPathSegment(verb).build(), fields);
        return decode(request, send(request), type(WireDeployRequest.class), toDeployRequest(ref));
    }

    private Function<WireDeployRequest, DeployRequest> toDeployRequest(DeployRef ref) {
        return wire -> wire.toDomain(ref.org(), ref.database());
    }

    private <W, R> R getOne(HttpUrl url, Class<W> type, Function<W, R> toDomain)
            throws PlanetScaleException, IOException {
        Request request = read(url);
        return decode(request, get(request), type(type), toDomain);
    }

    /** Follows {@code next_page} until it is null or {@code limit} items are read (planetscale-api.md §2). */
    private <W, R> List<R> getPages(HttpUrl.Builder url, Class<W> itemType, Function<W, R> toDomain, int limit)
            throws PlanetScaleException, IOException {
        JavaType pageType = pageType(itemType);
        List<R> items = new ArrayList<>();
        for (int page = 1, pages = 0; pages < MAX_PAGES; pages++) {
            Request request = read(pageUrl(url, page));
            WirePage<W> wirePage = decode(request, get(request), pageType, Function.identity());
            List<R> pageItems = decode(request, wirePage, p -> p.toDomain(toDomain));
            for (R item : pageItems) {
                if (items.size() == limit) {
                    return items;
                }
                items.add(item);
            }
            Integer next = nextPage(request, wirePage, page);
            if (next == null || items.size() == limit) {
                return items;
            }
            page = next;
        }
        log.warn("PlanetScale {} announced more than {} pages; stopping there", url.build().encodedPath(), MAX_PAGES);
        return items;
    }

    /** The next page to ask for, or null when there is none or the server points backwards. */
    private static Integer nextPage(Request request, WirePage<?> page, int current) {
        Integer next = page.nextPage();
        if (next != null && next <= current) {
            log.warn("PlanetScale {} gave next_page {} on page {}; stopping", request.url().encodedPath(), next,
                    current);
            return null;
        }
        return next;
    }

    private static HttpUrl pageUrl(HttpUrl.Builder url, int page) {
        return url.build().newBuilder()
                .setQueryParameter("page", Integer.toString(page))
                .setQueryParameter("per_page", Integer.toString(PER_PAGE))
                .build();
    }

    private static void addQuery(HttpUrl.Builder url, String name, String value) {
        if (value != null) {
            url.addQueryParameter(name, value);
        }
    }

    private HttpUrl.Builder orgUrl() {
        // addPathSegment encodes each segment, so a name can never add a path of its own.
        return baseUrl.newBuilder().addPathSegment("organizations").addPathSegment(org);
    }

    private HttpUrl.Builder databaseUrl(String database) {
        if (!DeployRef.isValidName(database)) {
            throw new IllegalArgumentException("invalid database name: " + database);
        }
        return orgUrl().addPathSegment("databases").addPathSegment(database);
    }

    private HttpUrl.Builder deployRequestUrl(DeployRef ref) {
        Objects.requireNonNull(ref, "ref");
        if (!ref.org().equals(org)) {
            throw new IllegalArgumentException("deploy request " + ref + " belongs to organization " + ref.org()
                    + ", not " + org);
        }
        return databaseUrl(ref.database()).addPathSegment("deploy-requests")
                .addPathSegment(Integer.toString(ref.number()));
    }

    private Request.Builder request(HttpUrl url) {
        return new Request.Builder()
                .url(url)
                .header("Authorization", authorization)
                .header("Accept", "application/json")
                .header("User-Agent", userAgent);
    }

    private Request read(HttpUrl url) {
        return request(url).get().build();
    }

    /** Every write carries a JSON object, {@code {}} when it has no fields, as the official client does. */
    private Request write(String method, HttpUrl url, Map<String, Object> fields) throws IOException {
        return request(url).method(method, RequestBody.create(MAPPER.writeValueAsBytes(fields), JSON)).build();
    }

    /** A GET, tried up to {@link #MAX_ATTEMPTS} times on 429, 5xx and network failures. Returns the body. */
    private String get(Request request) throws PlanetScaleException, IOException {
        for (int attempt = 1; ; attempt++) {
            Answer answer;
            try {
                answer = exchange(request);
            } catch (IOException e) {
                if (attempt >= readAttempts) {
                    throw e;
                }
                pause(request, attempt, "failed (" + e.getClass().getSimpleName() + ")", null);
                continue;
            }
            if (answer.isSuccessful()) {
                return answer.body();
            }
            if (!answer.isRetryable() || attempt >= readAttempts) {
                throw error(answer);
            }
            pause(request, attempt, "answered " + answer.status(), answer.retryAfter());
        }
    }

    /** A write, sent exactly once: a retry after a lost answer could deploy or revert twice. */
    private String send(Request request) throws PlanetScaleException, IOException {
        Answer answer;
        try {
            answer = exchange(request);
        } catch (IOException e) {
            throw new IOException("No answer from PlanetScale to " + request.method() + " "
                    + request.url().encodedPath() + "; the outcome is unknown", e);
        }
        if (!answer.isSuccessful()) {
            throw error(answer);
        }
        return answer.body();
    }

    private void pause(Request request, int attempt, String what, String retryAfter) throws IOException {
        Duration wait = backoff.waitBefore(attempt - 1, retryAfter);
        log.warn("PlanetScale {} {} {}; attempt {} of {} in {} ms", request.method(), request.url().encodedPath(),
                what, attempt + 1, readAttempts, wait.toMillis());
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry " + request.url().encodedPath());
        }
    }

    private Answer exchange(Request request) throws IOException {
        try (Response response = http.newCall(request).execute()) {
            ResponseBody body = response.body();
            return new Answer(response.code(), body == null ? "" : body.string(), response.header("Retry-After"));
        }
    }

    private PlanetScaleException error(Answer answer) {
        return ErrorAnswer.toException(answer.status(), redact(answer.body()));
    }

    /** Error bodies are shown to people and logged; a server echoing our credentials must not leak them. */
    private String redact(String text) {
        String redacted = text;
        for (String secret : secrets) {
            redacted = redacted.replace(secret, REDACTED);
        }
        return redacted;
    }

    private static JavaType type(Class<?> type) {
        return MAPPER.getTypeFactory().constructType(type);
    }

    private static JavaType pageType(Class<?> itemType) {
        return MAPPER.getTypeFactory().constructParametricType(WirePage.class, itemType);
    }

    /** Binds a 2xx body and maps it to the domain; a body that does not fit is an unreadable answer. */
    private static <W, R> R decode(Request request, String body, JavaType type, Function<W, R> toDomain)
            throws IOException {
        W wire;
        try {
            wire = MAPPER.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw unreadable(request, e);
        }
        if (wire == null) {
            throw unreadable(request, null);
        }
        return decode(request, wire, toDomain);
    }

    private static <W, R> R decode(Request request, W wire, Function<W, R> toDomain) throws IOException {
        try {
            return toDomain.apply(wire);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw unreadable(request, e);
        }
    }

    /**
     * An IOException, not a PlanetScaleException: the call went through but we cannot tell what happened, as
     * with a lost answer. The body stays out of the message (it is raw JSON).
     */
    private static IOException unreadable(Request request, Exception cause) {
        return new IOException("PlanetScale sent an unreadable answer to " + request.method() + " "
                + request.url().encodedPath(), cause);
    }

    /** One HTTP answer, read fully so the connection is released before any retry. */
    private record Answer(int status, String body, String retryAfter) {
        boolean isSuccessful() {
            return status >= 200 && status < 300;
        }

        boolean isRetryable() {
            return status == 429 || status >= 500;
        }
    }
}
