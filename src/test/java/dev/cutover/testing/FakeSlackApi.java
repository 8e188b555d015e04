package dev.cutover.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A loopback fake of Slack's Web API (a {@link MockWebServer} with a dispatcher keyed by method) for every test
 * that talks to Slack: point {@code SlackClients.create(fake.apiUrl())} at it, hand out
 * {@link #responseUrl(String)} as an interaction's {@code response_url}, then ask what was sent.
 *
 * <p>It behaves like Slack where our code could get it wrong: it checks the Bearer token, decodes the form body
 * (and {@code blocks}, a JSON string inside it), knows which channels exist and which messages can be updated,
 * and can be scripted to fail ({@link #failNext}, {@link #down()}). Unknown channels are public channels the bot
 * is in; unknown users exist. Thread-safe.
 */
public final class FakeSlackApi implements AutoCloseable {
    public static final String BOT_TOKEN = "xoxb-fake-cutover-token";
    public static final String TEAM_ID = "T0CUTOVER";
    public static final String BOT_USER_ID = "U0CUTOVER";
    public static final String BOT_ID = "B0CUTOVER";

    /** One request to a Web API method, as received (whatever was answered). */
    public record Call(String method, Map<String, String> params, JsonNode blocks, Instant at) {
        /** A form parameter, or null when it was not sent. */
        public String param(String name) {
            return params.get(name);
        }
    }

    /** One JSON body posted to a {@link #responseUrl(String)}. */
    public record Response(String name, JsonNode body) {
    }

    /** How a scripted failure answers; see {@link #failNext}. */
    public sealed interface Fault {
        /** HTTP 429 with {@code Retry-After} and {@code {"ok":false,"error":"ratelimited"}}, as Slack does. */
        static Fault rateLimited(int retryAfterSeconds) {
            return new RateLimited(retryAfterSeconds);
        }

        /** HTTP 200 with {@code {"ok":false,"error":slackError}}. */
        static Fault error(String slackError) {
            return new Error(slackError);
        }

        /** A bare HTTP status (500, 503, 404 …) with a non-JSON body, as a proxy or load balancer sends. */
        static Fault httpStatus(int status) {
            return new HttpStatus(status);
        }

        /** The normal answer, but only after {@code delay}: for client timeouts. The call still takes effect. */
        static Fault delay(Duration delay) {
            return new Delay(delay);
        }

        record RateLimited(int retryAfterSeconds) implements Fault {
        }

        record Error(String slackError) implements Fault {
        }

        record HttpStatus(int status) implements Fault {
        }

        record Delay(Duration delay) implements Fault {
        }
    }

    private record ChannelState(boolean exists, boolean isMember, boolean isPrivate, boolean isArchived) {
        static final ChannelState DEFAULT = new ChannelState(true, true, false, false);
    }

    private static final long FIRST_TS_MICROS = 1_700_000_000_000_100L;

    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock;
    private final String botToken;
    private final MockWebServer server = new MockWebServer();
    private final FakeSocketMode socketMode = new FakeSocketMode();
    private final AtomicLong nextTsMicros = new AtomicLong(FIRST_TS_MICROS);
    private final Object lock = new Object();

    // Everything below is guarded by lock.
    private final List<Call> calls = new ArrayList<>();
    private final List<Call> delivered = new ArrayList<>();
    private final Map<Call, String> tsOfPost = new IdentityHashMap<>();
    private final Set<String> messages = new HashSet<>();
    /** Trigger ids already exchanged for a modal (Slack honours each once). */
    private final Set<String> usedTriggers = new HashSet<>();
    /** Every message posted, per channel, as conversations.history and conversations.replies return them. */
    private final Map<String, List<ObjectNode>> history = new HashMap<>();
    private final List<Response> responses = new ArrayList<>();
    private final Map<String, Deque<Fault>> faults = new HashMap<>();
    private final Map<String, Deque<Fault>> responseFaults = new HashMap<>();
    private final Map<String, ChannelState> channels = new HashMap<>();
    private final Map<String, List<String>> userGroups = new HashMap<>();
    private final Map<String, String> userNames = new HashMap<>();
    private boolean down;

    public FakeSlackApi() {
        this(Clock.systemUTC(), BOT_TOKEN);
    }

    /**
     * @param clock stamps {@link Call#at()}
     * @param botToken the only token accepted; others get {@code invalid_auth}
     */
    public FakeSlackApi(Clock clock, String botToken) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.botToken = Objects.requireNonNull(botToken, "botToken");
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer(request);
            }
        });
    }

    /** Starts listening on 127.0.0.1 on a free port. */
    public FakeSlackApi start() {
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

    /** Slack's Socket Mode side: {@code apps.connections.open} and the WebSocket it points at. */
    public FakeSocketMode socketMode() {
        return socketMode;
    }

    /** The Web API prefix, {@code http://127.0.0.1:<port>/api/}, for {@code SlackClients.create}. */
    public String apiUrl() {
        return "http://127.0.0.1:" + server.getPort() + "/api/";
    }

    /** A {@code response_url} on this server; posts to it are kept under {@code name}. */
    public String responseUrl(String name) {
        return "http://127.0.0.1:" + server.getPort() + "/responses/" + URLEncoder.encode(name, UTF_8);
    }

    // ---- Scripting ----

    /** The next {@code times} calls to {@code method} fail with {@code fault} (queued after earlier faults). */
    public void failNext(String method, int times, Fault fault) {
        enqueue(faults, method, times, fault);
    }

    /** As {@link #failNext}, but only for calls about {@code channel}; other channels are answered normally. */
    public void failNextIn(String method, String channel, int times, Fault fault) {
        enqueue(faults, method + " " + channel, times, fault);
    }

    /** The next {@code times} posts to {@link #responseUrl(String) responseUrl(name)} fail with {@code fault}. */
    public void failNextResponses(String name, int times, Fault fault) {
        enqueue(responseFaults, name, times, fault);
    }

    /** Until {@link #up()}, every method and response URL answers HTTP 503, as during a Slack outage. */
    public void down() {
        synchronized (lock) {
            down = true;
        }
    }

    public void up() {
        synchronized (lock) {
            down = false;
        }
    }

    /** Describes a channel for {@code conversations.info}, and makes posts to it behave accordingly. */
    public void channel(String id, boolean isMember, boolean isPrivate, boolean isArchived) {
        synchronized (lock) {
            channels.put(id, new ChannelState(true, isMember, isPrivate, isArchived));
        }
    }

    /** The channel does not exist, or the bot cannot see it: every method answers {@code channel_not_found}. */
    public void channelNotFound(String id) {
        synchronized (lock) {
            channels.put(id, new ChannelState(false, false, false, false));
        }
    }

    public void userGroup(String groupId, List<String> userIds) {
        synchronized (lock) {
            userGroups.put(groupId, List.copyOf(userIds));
        }
    }

    public void user(String userId, String realName) {
        synchronized (lock) {
            userNames.put(userId, realName);
        }
    }

    /** Makes a message the bot posted earlier (say, in a previous run) known, so it can be updated. */
    public void seedMessage(String channel, String ts) {
        synchronized (lock) {
            messages.add(channel + "/" + ts);
        }
    }

    // ---- Questions ----

    /** Every call received, in order, including the ones answered with a failure. */
    public List<Call> calls() {
        synchronized (lock) {
            return List.copyOf(calls);
        }
    }

    /** Every call to {@code method} received, in order, including the ones answered with a failure. */
    public List<Call> calls(String method) {
        return select(calls, call -> call.method().equals(method));
    }

    /** The top-level messages that went into {@code channel} ({@code chat.postMessage} answered ok). */
    public List<Call> posts(String channel) {
        return select(delivered, call -> call.method().equals("chat.postMessage")
                && channel.equals(call.param("channel")) && call.param("thread_ts") == null);
    }

    /** Every message that went into {@code channel}, cards and replies ({@code chat.postMessage} answered ok). */
    public List<Call> postedIn(String channel) {
        return select(delivered, call -> call.method().equals("chat.postMessage")
                && channel.equals(call.param("channel")));
    }

    /** The thread replies that went in under {@code threadTs} in {@code channel}. */
    public List<Call> replies(String channel, String threadTs) {
        return select(delivered, call -> call.method().equals("chat.postMessage")
                && channel.equals(call.param("channel")) && threadTs.equals(call.param("thread_ts")));
    }

    /** The last {@code chat.update} of that message that was answered ok. */
    public Optional<Call> lastUpdate(String channel, String ts) {
        List<Call> updates = select(delivered, call -> call.method().equals("chat.update")
                && channel.equals(call.param("channel")) && ts.equals(call.param("ts")));
        return updates.isEmpty() ? Optional.empty() : Optional.of(updates.get(updates.size() - 1));
    }

    /** The {@code ts} this fake gave a delivered {@code chat.postMessage} call. */
    public String tsOf(Call post) {
        synchronized (lock) {
            String ts = tsOfPost.get(post);
            if (ts == null) {
                throw new IllegalArgumentException("not a delivered chat.postMessage call: " + post);
            }
            return ts;
        }
    }

    /** The bodies posted to {@link #responseUrl(String) responseUrl(name)} and answered 2xx, in order. */
    public List<Response> responses(String name) {
        synchronized (lock) {
            return responses.stream().filter(response -> response.name().equals(name)).toList();
        }
    }

    /** Waits until at least {@code count} calls to {@code method} arrived, then returns all of them. */
    public List<Call> awaitCalls(String method, int count, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(10))
                .until(() -> calls(method).size() >= count);
        return calls(method);
    }

    /** The bot token's scopes, as Slack reports them in {@code x-oauth-scopes}; the manifest's by default. */
    private volatile List<String> scopes = List.of("commands", "chat:write", "chat:write.public", "channels:join",
            "channels:read", "groups:read", "channels:history", "groups:history", "usergroups:read");

    /** Installs the app with other scopes (e.g. one missing), as {@code auth.test} will report them. */
    public void scopes(List<String> granted) {
        this.scopes = List.copyOf(granted);
    }

    // ---- Answering ----

    private MockResponse answer(RecordedRequest request) {
        String path = Objects.requireNonNullElse(request.getPath(), "/");
        int query = path.indexOf('?');
        String route = query < 0 ? path : path.substring(0, query);
        if (route.equals("/socket-mode")) {
            return socketMode.upgrade();
        }
        if (route.startsWith("/responses/")) {
            return answerResponseUrl(URLDecoder.decode(route.substring("/responses/".length()), UTF_8), request);
        }
        if (!route.startsWith("/api/")) {
            return new MockResponse().setResponseCode(404).setBody("not found");
        }
        String method = route.substring("/api/".length());
        Map<String, String> params = new LinkedHashMap<>();
        if (query >= 0) {
            decodeForm(path.substring(query + 1), params);
        }
        decodeForm(request.getBody().readUtf8(), params);
        JsonNode blocks = null;
        boolean blocksUnreadable = false;
        if (params.containsKey("blocks")) {
            try {
                blocks = json.readTree(params.get("blocks"));
            } catch (JsonProcessingException e) {
                blocksUnreadable = true;
            }
        }
        Call call = new Call(method, Collections.unmodifiableMap(params), blocks, clock.instant());

        synchronized (lock) {
            calls.add(call);
            if (down) {
                return new MockResponse().setResponseCode(503).setBody("service unavailable");
            }
            Fault fault = poll(faults, method + " " + params.get("channel"));
            if (fault == null) {
                fault = poll(faults, method);
            }
            if (fault != null && !(fault instanceof Fault.Delay)) {
                return failure(fault);
            }
            MockResponse response = blocksUnreadable ? error("invalid_blocks_format") : handle(call, request);
            if (fault instanceof Fault.Delay delay) {
                response.setHeadersDelay(delay.delay().toMillis(), TimeUnit.MILLISECONDS);
            }
            return response;
        }
    }

    private MockResponse handle(Call call, RecordedRequest request) {
        String authorization = request.getHeader("Authorization");
        if (call.method().equals("apps.connections.open")) {
            // The one method called with the app-level token, not the bot token.
            String url = socketMode.open(authorization, "ws://127.0.0.1:" + server.getPort());
            return url == null ? error("invalid_auth") : ok(object().put("url", url));
        }
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return error("not_authed");
        }
        if (!authorization.equals("Bearer " + botToken)) {
            return error("invalid_auth");
        }
        return switch (call.method()) {
            case "auth.test" -> ok(object()
                    .put("url", "https://cutover-test.example/").put("team", "Cutover Test").put("user", "cutover")
                    .put("team_id", TEAM_ID).put("user_id", BOT_USER_ID).put("bot_id", BOT_ID)
                    .put("is_enterprise_install", false)).setHeader("x-oauth-scopes", String.join(",", scopes));
            case "chat.postMessage" -> postMessage(call);
            case "chat.update" -> update(call);
            case "chat.postEphemeral" -> postEphemeral(call);
            case "conversations.info" -> conversationsInfo(call);
            case "conversations.history" -> conversationsHistory(call);
            case "conversations.replies" -> conversationsReplies(call);
            case "conversations.join" -> conversationsJoin(call);
            case "usergroups.users.list" -> userGroupUsers(call);
            case "users.info" -> usersInfo(call);
            case "views.open" -> viewsOpen(call);
            default -> error("unknown_method");
        };
    }

    private MockResponse postMessage(Call call) {
        String channel = call.param("channel");
        Optional<String> refusal = refusePost(channel);
        if (refusal.isPresent()) {
            return error(refusal.get());
        }
        if (isBlank(call.param("text")) && call.blocks() == null) {
            return error("no_text");
        }
        String ts = nextTs();
        messages.add(channel + "/" + ts);
        delivered.add(call);
        tsOfPost.put(call, ts);
        ObjectNode message = message(call, ts);
        if (call.param("thread_ts") != null) {
            message.put("thread_ts", call.param("thread_ts"));
        }
        ObjectNode stored = message.deepCopy();
        if (call.param("metadata") != null) {
            try {
                stored.set("metadata", json.readTree(call.param("metadata")));
            } catch (JsonProcessingException e) {
                return error("invalid_metadata_format");
            }
        }
        history.computeIfAbsent(channel, c -> new ArrayList<>()).add(stored);
        return ok(object().put("channel", channel).put("ts", ts).set("message", message));
    }

    private MockResponse update(Call call) {
        String channel = call.param("channel");
        String ts = call.param("ts");
        ChannelState state = channelState(channel);
        if (!state.exists()) {
            return error("channel_not_found");
        }
        if (state.isArchived()) {
            return error("is_archived");
        }
        if (ts == null || !messages.contains(channel + "/" + ts)) {
            return error("message_not_found");
        }
        delivered.add(call);
        return ok(object().put("channel", channel).put("ts", ts).put("text", call.param("text"))
                .set("message", message(call, ts)));
    }

    /** A modal opened from a trigger: Slack honours a trigger once (exchanged_trigger_id afterwards). */
    private MockResponse viewsOpen(Call call) {
        String trigger = call.param("trigger_id");
        if (isBlank(trigger)) {
            return error("invalid_trigger_id");
        }
        if (!usedTriggers.add(trigger)) {
            return error("exchanged_trigger_id");
        }
        JsonNode view;
        try {
            view = json.readTree(call.param("view") == null ? "" : call.param("view"));
        } catch (JsonProcessingException e) {
            return error("invalid_arguments");
        }
        if (view == null || !"modal".equals(view.path("type").asText())) {
            return error("invalid_arguments");
        }
        delivered.add(call);
        return ok(object().set("view", ((ObjectNode) view.deepCopy()).put("id", "V" + nextTs().replace(".", ""))));
    }

    /** The modals opened with {@code views.open}, oldest first, as Cutover sent them. */
    public List<JsonNode> openedViews() {
        List<JsonNode> views = new ArrayList<>();
        for (Call call : calls("views.open")) {
            try {
                views.add(json.readTree(call.param("view")));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return views;
    }

    private MockResponse postEphemeral(Call call) {
        Optional<String> refusal = refusePost(call.param("channel"));
        if (refusal.isPresent()) {
            return error(refusal.get());
        }
        if (isBlank(call.param("user"))) {
            return error("user_not_in_channel");
        }
        delivered.add(call);
        return ok(object().put("message_ts", nextTs()));
    }

    /** Top-level messages, newest first, since {@code oldest}; metadata only with {@code include_all_metadata}. */
    private MockResponse conversationsHistory(Call call) {
        String channel = call.param("channel");
        if (!channelState(channel).exists()) {
            return error("channel_not_found");
        }
        List<ObjectNode> found = new ArrayList<>();
        for (ObjectNode message : history.getOrDefault(channel, List.of())) {
            if (!message.has("thread_ts") && since(message, call.param("oldest"))) {
                found.add(0, withMetadataIf(message, call));
            }
        }
        ObjectNode answer = object();
        answer.putArray("messages").addAll(found);
        return ok(answer.put("has_more", false));
    }

    /** The parent and its replies, oldest first, since {@code oldest}. */
    private MockResponse conversationsReplies(Call call) {
        String channel = call.param("channel");
        String parent = call.param("ts");
        if (parent == null || !messages.contains(channel + "/" + parent)) {
            return error("thread_not_found");
        }
        ObjectNode answer = object();
        var found = answer.putArray("messages");
        for (ObjectNode message : history.getOrDefault(channel, List.of())) {
            boolean inThread = parent.equals(message.path("ts").asText()) || parent.equals(message.path("thread_ts").asText());
            if (inThread && since(message, call.param("oldest"))) {
                found.add(withMetadataIf(message, call));
            }
        }
        return ok(answer.put("has_more", false));
    }

    private static boolean since(ObjectNode message, String oldest) {
        return oldest == null || new BigDecimal(message.path("ts").asText()).compareTo(new BigDecimal(oldest)) >= 0;
    }

    private static ObjectNode withMetadataIf(ObjectNode message, Call call) {
        ObjectNode copy = message.deepCopy();
        String include = call.param("include_all_metadata");
        if (!"true".equals(include) && !"1".equals(include)) {
            copy.remove("metadata");
        }
        return copy;
    }

    private MockResponse conversationsInfo(Call call) {
        String channel = call.param("channel");
        ChannelState state = channelState(channel);
        if (!state.exists()) {
            return error("channel_not_found");
        }
        return ok(object().set("channel", channelJson(channel, state)));
    }

    private MockResponse conversationsJoin(Call call) {
        String channel = call.param("channel");
        ChannelState state = channelState(channel);
        if (!state.exists()) {
            return error("channel_not_found");
        }
        if (state.isPrivate()) {
            return error("method_not_supported_for_channel_type");
        }
        if (state.isArchived()) {
            return error("is_archived");
        }
        ChannelState joined = new ChannelState(true, true, false, false);
        channels.put(channel, joined);
        ObjectNode body = object().set("channel", channelJson(channel, joined));
        if (state.isMember()) {
            body.put("warning", "already_in_channel");
        }
        return ok(body);
    }

    private MockResponse userGroupUsers(Call call) {
        List<String> users = userGroups.get(call.param("usergroup"));
        if (users == null) {
            return error("no_such_subteam");
        }
        ArrayNode array = json.createArrayNode();
        users.forEach(array::add);
        return ok(object().set("users", array));
    }

    private MockResponse usersInfo(Call call) {
        String userId = call.param("user");
        if (isBlank(userId)) {
            return error("user_not_found");
        }
        String realName = userNames.getOrDefault(userId, "User " + userId);
        ObjectNode profile = object().put("real_name", realName).put("display_name", realName);
        ObjectNode user = object().put("id", userId).put("team_id", TEAM_ID)
                .put("name", realName.toLowerCase(Locale.ROOT).replace(' ', '.'))
                .put("real_name", realName).put("is_bot", false);
        user.set("profile", profile);
        return ok(object().set("user", user));
    }

    private MockResponse answerResponseUrl(String name, RecordedRequest request) {
        String body = request.getBody().readUtf8();
        synchronized (lock) {
            if (down) {
                return new MockResponse().setResponseCode(503).setBody("service unavailable");
            }
            Fault fault = poll(responseFaults, name);
            if (fault != null && !(fault instanceof Fault.Delay)) {
                return failure(fault);
            }
            JsonNode parsed;
            try {
                parsed = json.readTree(body);
            } catch (JsonProcessingException e) {
                // response_url takes JSON only (slack.md §1.7); a form body is a bug in the sender.
                return new MockResponse().setResponseCode(400).setBody("invalid_payload");
            }
            responses.add(new Response(name, parsed));
            MockResponse response = ok(object());
            if (fault instanceof Fault.Delay delay) {
                response.setHeadersDelay(delay.delay().toMillis(), TimeUnit.MILLISECONDS);
            }
            return response;
        }
    }

    /** What Slack answers a post to this channel with a bot token holding chat:write and chat:write.public. */
    private Optional<String> refusePost(String channel) {
        ChannelState state = channelState(channel);
        if (!state.exists() || (state.isPrivate() && !state.isMember())) {
            return Optional.of("channel_not_found");
        }
        if (state.isArchived()) {
            return Optional.of("is_archived");
        }
        return Optional.empty();
    }

    private ChannelState channelState(String channel) {
        if (isBlank(channel)) {
            return new ChannelState(false, false, false, false);
        }
        return channels.getOrDefault(channel, ChannelState.DEFAULT);
    }

    private ObjectNode channelJson(String channel, ChannelState state) {
        return object().put("id", channel).put("name", "channel-" + channel.toLowerCase(Locale.ROOT))
                .put("is_channel", !state.isPrivate()).put("is_group", false).put("is_im", false)
                .put("is_private", state.isPrivate()).put("is_archived", state.isArchived())
                .put("is_member", state.isMember());
    }

    private ObjectNode message(Call call, String ts) {
        ObjectNode message = object().put("type", "message").put("text", call.param("text"))
                .put("user", BOT_USER_ID).put("bot_id", BOT_ID).put("ts", ts).put("team", TEAM_ID);
        if (call.blocks() != null) {
            message.set("blocks", call.blocks());
        }
        return message;
    }

    private MockResponse failure(Fault fault) {
        if (fault instanceof Fault.RateLimited rateLimited) {
            return json(429, object().put("ok", false).put("error", "ratelimited"))
                    .setHeader("Retry-After", String.valueOf(rateLimited.retryAfterSeconds()));
        }
        if (fault instanceof Fault.Error error) {
            return error(error.slackError());
        }
        if (fault instanceof Fault.HttpStatus status) {
            return new MockResponse().setResponseCode(status.status()).setBody("upstream said " + status.status());
        }
        throw new IllegalStateException("not a failing fault: " + fault);
    }

    /** Like Slack's: the time of posting (by this fake's clock), in microseconds, unique and increasing. */
    private String nextTs() {
        Instant now = clock.instant();
        long nowMicros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
        long micros = nextTsMicros.getAndUpdate(last -> Math.max(last, nowMicros) + 100);
        micros = Math.max(micros, nowMicros);
        return String.format(Locale.ROOT, "%d.%06d", micros / 1_000_000, micros % 1_000_000);
    }

    private void enqueue(Map<String, Deque<Fault>> queues, String key, int times, Fault fault) {
        Objects.requireNonNull(fault, "fault");
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1, got " + times);
        }
        synchronized (lock) {
            Deque<Fault> queue = queues.computeIfAbsent(key, ignored -> new ArrayDeque<>());
            for (int i = 0; i < times; i++) {
                queue.add(fault);
            }
        }
    }

    private static Fault poll(Map<String, Deque<Fault>> queues, String key) {
        Deque<Fault> queue = queues.get(key);
        return queue == null ? null : queue.poll();
    }

    private List<Call> select(List<Call> source, Predicate<Call> filter) {
        synchronized (lock) {
            return source.stream().filter(filter).toList();
        }
    }

    private ObjectNode object() {
        return json.createObjectNode();
    }

    private MockResponse ok(ObjectNode body) {
        ObjectNode answer = object().put("ok", true);
        answer.setAll(body);
        return json(200, answer);
    }

    private MockResponse error(String slackError) {
        return json(200, object().put("ok", false).put("error", slackError));
    }

    private static MockResponse json(int status, JsonNode body) {
        return new MockResponse().setResponseCode(status)
                .setHeader("Content-Type", "application/json; charset=utf-8").setBody(body.toString());
    }

    private static void decodeForm(String form, Map<String, String> into) {
        if (form == null || form.isEmpty()) {
            return;
        }
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), UTF_8);
            // The Java SDK sends thread_ts twice (slack.md §3); the first value wins, they are equal anyway.
            into.putIfAbsent(name, value);
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
