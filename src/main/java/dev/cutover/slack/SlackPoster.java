package dev.cutover.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.Gson;
import com.slack.api.Slack;
import com.slack.api.app_backend.interactive_components.response.ActionResponse;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.request.chat.ChatPostEphemeralRequest;
import com.slack.api.methods.request.chat.ChatPostMessageRequest;
import com.slack.api.methods.request.chat.ChatUpdateRequest;
import com.slack.api.methods.request.conversations.ConversationsInfoRequest;
import com.slack.api.methods.request.conversations.ConversationsJoinRequest;
import com.slack.api.methods.request.usergroups.users.UsergroupsUsersListRequest;
import com.slack.api.methods.response.conversations.ConversationsHistoryResponse;
import com.slack.api.methods.response.conversations.ConversationsInfoResponse;
import com.slack.api.methods.response.conversations.ConversationsRepliesResponse;
import com.slack.api.methods.response.usergroups.users.UsergroupsUsersListResponse;
import com.slack.api.model.Conversation;
import com.slack.api.model.Message;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.util.json.GsonFactory;
import com.slack.api.webhook.WebhookResponse;
import dev.cutover.slack.SlackPostException.Kind;
import dev.cutover.store.LedgerEntry;
import dev.cutover.store.PostLedger;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place the bot calls Slack's Web API (and posts to {@code response_url}s). Every answer is checked:
 * {@code ok:false}, non-2xx and network failures all become a {@link SlackPostException} with a
 * {@link Kind} and Slack's {@code Retry-After}.
 *
 * <p>It never sleeps and never retries; the caller owns retry timing. {@code chat.postMessage} is paced per
 * channel by a {@link ChannelPacer} (Slack's posting limit): a call the pacer holds back fails at once
 * with error {@link SlackPostException#PACED} and the wait, without reaching Slack. Thread-safe.
 */
public final class SlackPoster {
    private static final Logger log = LoggerFactory.getLogger(SlackPoster.class);
    /** Used when Slack answers 429 without a {@code Retry-After} header (it always sends one today). */
    private static final Duration DEFAULT_RATE_LIMIT_WAIT = Duration.ofSeconds(1);
    /** The metadata event type of every message Cutover posts once; its payload's {@code key} is the post key. */
    public static final String METADATA_EVENT_TYPE = "cutover_post";
    /** How far before the recorded intent a lookup starts (clock skew between us and Slack). */
    private static final Duration LOOKUP_SLACK = Duration.ofMinutes(2);
    private static final int LOOKUP_PAGES = 5;
    private static final Pattern BARE_ERROR = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final String RESPONSE_URL = "response_url";

    private final Slack slack;
    private final MethodsClient methods;
    private final ChannelPacer pacer;
    private final MeterRegistry registry;
    private final ObjectMapper json = new ObjectMapper();
    private final SandboxMarker marker;
    private final PostLedger ledger;
    private final AtomicBoolean historyScopeWarned = new AtomicBoolean();
    /**
     * The SDK's snake-case Gson, the one that knows how to write Block Kit model objects. Built once: building it
     * per answer was a third of the CPU when answering 200 commands a second.
     */
    private final Gson blockKitJson;
    private final ResponseUrls responseUrls;

    /**
     * Whether the bot can see a channel and how it may post there, from {@code conversations.info}.
     *
     * @param exists false when Slack answered {@code channel_not_found} (also for private channels the bot
     *     is not in); the other fields are then false
     */
    public record ChannelInfo(boolean exists, boolean isMember, boolean isPrivate, boolean isArchived) {
        public static final ChannelInfo NOT_FOUND = new ChannelInfo(false, false, false, false);

        /** The bot can post here: members always can, and {@code chat:write.public} covers public channels. */
        public boolean canPost() {
            return exists && !isArchived && (isMember || !isPrivate);
        }
    }

    /**
     * @param slack built by {@link SlackClients#create(String)}, so no hidden {@code auth.test} calls happen
     */
    public SlackPoster(Slack slack, String botToken, ChannelPacer pacer, SandboxMarker marker, PostLedger ledger,
            MeterRegistry registry) {
        this.marker = Objects.requireNonNull(marker, "marker");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.blockKitJson = GsonFactory.createSnakeCase(slack.getConfig());
        this.slack = Objects.requireNonNull(slack, "slack");
        this.methods = slack.methods(Objects.requireNonNull(botToken, "botToken"));
        this.pacer = Objects.requireNonNull(pacer, "pacer");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.responseUrls = new ResponseUrls(slack.getConfig().getMethodsEndpointUrlPrefix());
    }

    /**
     * Posts a message exactly once per {@code postKey}, whatever happens between here and Slack: the intent is recorded
     * before posting and the message carries the key in its metadata, so when an earlier attempt's outcome is
     * unknown (its answer was lost, or the process died before recording it) the message is looked up and adopted
     * instead of being posted again. A key already posted returns its ts without calling Slack.
     *
     * @param threadTsOrNull the parent's {@code ts} for a reply in its thread
     * @param text the fallback and notification text, always sent next to the blocks
     * @return the message's {@code ts}
     * @throws SlackPostException also with error {@code paced} when the channel must wait (nothing was sent then);
     *     after any failure nothing was posted, unless a later call finds and adopts it
     */
    public String postOnce(String postKey, String channel, String text, List<LayoutBlock> blocks, String threadTsOrNull)
            throws SlackPostException {
        Optional<LedgerEntry> known = ledger.find(postKey);
        if (known.isPresent() && known.get().isPosted()) {
            return known.get().ts();
        }
        if (known.isPresent()) {
            Optional<String> found = findPosted(postKey, channel, threadTsOrNull, known.get().intendedAt());
            if (found.isPresent()) {
                ledger.posted(postKey, found.get());
                Counter.builder("cutover.slack.posts.adopted").description("posts whose earlier attempt's outcome was"
                        + " unknown, found in Slack and adopted instead of posted again").register(registry).increment();
                return found.get();
            }
        }
        String method = "chat.postMessage";
        pace(method, channel, postKey);
        if (known.isEmpty()) {
            ledger.intend(postKey, channel, threadTsOrNull, pacer.clock().instant());
        }
        ChatPostMessageRequest request = ChatPostMessageRequest.builder()
                .channel(channel).text(marker.text(Objects.requireNonNull(text, "text"), blocks))
                .blocks(marker.blocks(blocks)).threadTs(threadTsOrNull).metadata(metadata(postKey))
                .build();
        String ts = call(method, channel, client -> client.chatPostMessage(request)).getTs();
        ledger.posted(postKey, ts);
        return ts;
    }

    /**
     * Whether new posts to {@code channel} are waiting for Slack's pace right now, or the post {@code postKey} was
     * already booked a slot (see {@link ChannelPacer}).
     */
    public boolean isBackedUp(String channel, String postKey) {
        return pacer.isBackedUp(channel) || pacer.isBooked(postKey);
    }

    /**
     * The bot's message carrying {@code postKey} in its metadata, posted since shortly before {@code since}: the
     * channel's history for a top-level message, the thread's replies for a reply. A few pages at most; a lookup Slack
     * refuses is an error (retry later), never a reason to post blind — except a token without the history scopes,
     * which can only be told once and then posts at least once.
     */
    private Optional<String> findPosted(String postKey, String channel, String threadTs, Instant since)
            throws SlackPostException {
        String oldest = String.format(Locale.ROOT, "%d.000000", since.minus(LOOKUP_SLACK).getEpochSecond());
        String cursor = null;
        try {
            for (int page = 0; page < LOOKUP_PAGES; page++) {
                String pageCursor = cursor;
                List<Message> messages;
                String next;
                if (threadTs == null) {
                    ConversationsHistoryResponse response = call("conversations.history", channel,
                            client -> client.conversationsHistory(r -> r.channel(channel).oldest(oldest).limit(200)
                                    .includeAllMetadata(true).cursor(pageCursor)));
                    messages = response.getMessages();
                    next = response.getResponseMetadata() == null ? null : response.getResponseMetadata().getNextCursor();
                } else {
                    ConversationsRepliesResponse response = call("conversations.replies", channel,
                            client -> client.conversationsReplies(r -> r.channel(channel).ts(threadTs).oldest(oldest)
                                    .limit(200).includeAllMetadata(true).cursor(pageCursor)));
                    messages = response.getMessages();
                    next = response.getResponseMetadata() == null ? null : response.getResponseMetadata().getNextCursor();
                }
                for (Message message : messages == null ? List.<Message>of() : messages) {
                    if (carries(message, postKey)) {
                        return Optional.of(message.getTs());
                    }
                }
                if (next == null || next.isBlank()) {
                    return Optional.empty();
                }
                cursor = next;
            }
            return Optional.empty();
        } catch (SlackPostException e) {
            if ("missing_scope".equals(e.error())) {
                if (historyScopeWarned.compareAndSet(false, true)) {
                    log.warn("Cannot check whether a message was already posted: the bot token lacks the *:history"
                            + " scopes in manifest.yml; a lost Slack answer may post a message twice until they are"
                            + " added");
                }
                return Optional.empty();
            }
            throw e;
        }
    }

    private static boolean carries(Message message, String postKey) {
        Message.Metadata metadata = message.getMetadata();
        return metadata != null && METADATA_EVENT_TYPE.equals(metadata.getEventType())
                && metadata.getEventPayload() != null && postKey.equals(metadata.getEventPayload().get("key"));
    }

    private static Message.Metadata metadata(String postKey) {
        return Message.Metadata.builder().eventType(METADATA_EVENT_TYPE).eventPayload(Map.of("key", postKey)).build();
    }

    /**
     * Replaces the text and blocks of one of the bot's own messages.
     *
     * @throws SlackPostException with {@link Kind#MESSAGE_GONE} when the message can no longer be updated
     */
    public void update(String channel, String ts, String text, List<LayoutBlock> blocks) throws SlackPostException {
        String method = "chat.update";
        ChatUpdateRequest request = ChatUpdateRequest.builder()
                .channel(channel).ts(Objects.requireNonNull(ts, "ts"))
                .text(marker.text(Objects.requireNonNull(text, "text"), blocks)).blocks(marker.blocks(blocks)).build();
        // Not paced: Slack's one-message-a-second-per-channel limit is for posting; chat.update has a method tier,
        // and a 429 on it is honoured like any other (https://docs.slack.dev/apis/web-api/rate-limits).
        call(method, channel, client -> client.chatUpdate(request));
    }

    /** Shows a message only {@code user} can see; it cannot be updated later with {@link #update}. */
    public void postEphemeral(String channel, String user, String text, List<LayoutBlock> blocks)
            throws SlackPostException {
        ChatPostEphemeralRequest request = ChatPostEphemeralRequest.builder()
                .channel(channel).user(Objects.requireNonNull(user, "user"))
                .text(marker.text(Objects.requireNonNull(text, "text"), blocks)).blocks(marker.blocks(blocks)).build();
        call("chat.postEphemeral", channel, client -> client.chatPostEphemeral(request));
    }

    /**
     * Opens a modal ({@code views.open}) from a click's or command's {@code trigger_id}, which Slack honours once and
     * only within 3 s of the interaction, so call it before anything slow. Not paced: views have their own tier.
     *
     * @return the view's id (for {@code views.update})
     */
    public String openView(String triggerId, com.slack.api.model.view.View view) throws SlackPostException {
        var request = com.slack.api.methods.request.views.ViewsOpenRequest.builder()
                .triggerId(Objects.requireNonNull(triggerId, "triggerId")).view(view).build();
        var response = call("views.open", null, client -> client.viewsOpen(request));
        return response.getView() == null ? "" : response.getView().getId();
    }

    /**
     * Answers through an interaction's {@code response_url} (the only way to change an ephemeral message).
     * Slack allows five uses within 30 minutes. The SDK's own respond does not check the answer; this does.
     *
     * @param replaceOriginal replace the message the interaction came from instead of adding one
     * @param inChannel show the answer to everyone in the channel instead of only to the user
     * @throws SlackPostException when the answer is not 2xx, or is {@code ok:false}
     */
    public void respond(String responseUrl, String text, List<LayoutBlock> blocks, boolean replaceOriginal,
            boolean inChannel) throws SlackPostException {
        if (!responseUrls.allows(responseUrl)) {
            // Defence in depth: the request was signed, but only Slack's own hosts may receive our answers.
            log.warn("Refused to answer through a response_url on {}: only {} are Slack's",
                    ResponseUrls.describe(responseUrl), responseUrls);
            count(RESPONSE_URL, "refused");
            throw new SlackPostException(RESPONSE_URL, "response_url_refused", Kind.PERMANENT, Optional.empty());
        }
        ActionResponse response = ActionResponse.builder()
                .text(marker.text(Objects.requireNonNull(text, "text"), blocks)).blocks(marker.blocks(blocks))
                .replaceOriginal(replaceOriginal)
                .responseType(inChannel ? "in_channel" : "ephemeral").build();
        String body = blockKitJson.toJson(response);
        Timer.Sample sample = Timer.start(registry);
        try {
            WebhookResponse answer = slack.send(responseUrl, body);
            int status = answer.getCode() == null ? 0 : answer.getCode();
            String error = responseUrlError(answer.getBody());
            if (status / 100 == 2 && error == null) {
                count(RESPONSE_URL, "ok");
                return;
            }
            if (status / 100 == 2) {
                throw failed(RESPONSE_URL, null, error, Kind.ofError(error), Optional.empty(), null);
            }
            throw failed(RESPONSE_URL, null, error == null ? "http_" + status : error,
                    Kind.ofHttpStatus(status, error), retryAfter(answer.getHeaders()), null);
        } catch (IOException e) {
            throw failed(RESPONSE_URL, null, SlackPostException.NETWORK, Kind.RETRYABLE, Optional.empty(), e);
        } finally {
            sample.stop(latency(RESPONSE_URL));
        }
    }

    /**
     * {@code auth.test}: whether the bot token works, and the scopes Slack granted it (from the
     * {@code x-oauth-scopes} response header; empty when Slack did not send it). Only {@code /pscale doctor} asks.
     */
    public List<String> grantedScopes() throws SlackPostException {
        com.slack.api.methods.response.auth.AuthTestResponse response = call("auth.test", null,
                client -> client.authTest(com.slack.api.methods.request.auth.AuthTestRequest.builder().build()));
        Map<String, List<String>> headers = response.getHttpResponseHeaders();
        if (headers == null) {
            return List.of();
        }
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            if (header.getKey() != null && header.getKey().equalsIgnoreCase("x-oauth-scopes")
                    && !header.getValue().isEmpty()) {
                return java.util.Arrays.stream(header.getValue().get(0).split(",")).map(String::trim)
                        .filter(scope -> !scope.isEmpty()).toList();
            }
        }
        return List.of();
    }

    /** Looks a channel up; a channel the bot cannot see comes back as {@link ChannelInfo#NOT_FOUND}. */
    public ChannelInfo channelInfo(String channel) throws SlackPostException {
        ConversationsInfoRequest request = ConversationsInfoRequest.builder().channel(channel).build();
        try {
            ConversationsInfoResponse response = call("conversations.info", channel,
                    client -> client.conversationsInfo(request));
            Conversation conversation = response.getChannel();
            return new ChannelInfo(true, conversation.isMember(), conversation.isPrivate(),
                    conversation.isArchived());
        } catch (SlackPostException e) {
            if (e.error().equals("channel_not_found")) {
                return ChannelInfo.NOT_FOUND;
            }
            throw e;
        }
    }

    /**
     * Joins a public channel ({@code conversations.join}; already being a member is fine).
     *
     * @return true when the bot is a member afterwards; false when Slack refuses for this channel (private,
     *     archived, missing, restricted)
     * @throws SlackPostException for every other failure (retryable, auth, …)
     */
    public boolean join(String channel) throws SlackPostException {
        ConversationsJoinRequest request = ConversationsJoinRequest.builder().channel(channel).build();
        try {
            call("conversations.join", channel, client -> client.conversationsJoin(request));
            return true;
        } catch (SlackPostException e) {
            if (e.kind() == Kind.CHANNEL || e.error().equals("method_not_supported_for_channel_type")) {
                return false;
            }
            throw e;
        }
    }

    /** The user ids in a user group ({@code S…}), e.g. to check who may approve. */
    public List<String> userGroupMembers(String groupId) throws SlackPostException {
        UsergroupsUsersListRequest request = UsergroupsUsersListRequest.builder()
                .usergroup(Objects.requireNonNull(groupId, "groupId")).build();
        UsergroupsUsersListResponse response = call("usergroups.users.list", null,
                client -> client.usergroupsUsersList(request));
        return response.getUsers() == null ? List.of() : List.copyOf(response.getUsers());
    }

    @FunctionalInterface
    private interface SlackCall<R extends SlackApiTextResponse> {
        R run(MethodsClient client) throws IOException, SlackApiException;
    }

    private <R extends SlackApiTextResponse> R call(String method, String channel, SlackCall<R> slackCall)
            throws SlackPostException {
        Timer.Sample sample = Timer.start(registry);
        try {
            R response = slackCall.run(methods);
            if (response.isOk()) {
                count(method, "ok");
                return response;
            }
            String error = response.getError() == null ? "unknown_error" : response.getError();
            throw failed(method, channel, error, Kind.ofError(error), Optional.empty(), null);
        } catch (SlackApiException e) {
            // Non-2xx, 429 included (slack.md §3): the status and headers are on the raw response.
            int status = e.getResponse().code();
            String slackError = e.getError() == null ? null : e.getError().getError();
            String error = slackError == null ? "http_" + status : slackError;
            throw failed(method, channel, error, Kind.ofHttpStatus(status, slackError),
                    retryAfter(e.getResponse().headers().toMultimap()), e);
        } catch (IOException e) {
            throw failed(method, channel, SlackPostException.NETWORK, Kind.RETRYABLE, Optional.empty(), e);
        } catch (RuntimeException e) {
            // The SDK throws unchecked exceptions for answers it cannot parse (e.g. an HTML error page with 200).
            throw failed(method, channel, "unreadable_response", Kind.PERMANENT, Optional.empty(), e);
        } finally {
            sample.stop(latency(method));
        }
    }

    /** The post named {@code postKey} is booked its own slot when held back; the wait says when to come back. */
    private void pace(String method, String channel, String postKey) throws SlackPostException {
        Optional<Instant> notBefore = pacer.reserve(Objects.requireNonNull(channel, "channel"), postKey);
        if (notBefore.isPresent()) {
            // Whole milliseconds, rounded up: the journal keeps milliseconds, and coming back a hair early would
            // only be held back again.
            Duration wait = Duration.ofMillis(Math.max(0,
                    (Duration.between(pacer.clock().instant(), notBefore.get()).toNanos() + 999_999) / 1_000_000));
            Counter.builder("cutover.slack.paced").description("Slack posts held back by the per-channel pace")
                    .tag("method", method).register(registry).increment();
            throw new SlackPostException(method, SlackPostException.PACED, Kind.RETRYABLE,
                    Optional.of(wait.isNegative() ? Duration.ZERO : wait));
        }
    }

    private SlackPostException failed(String method, String channel, String error, Kind kind,
            Optional<Duration> retryAfter, Throwable cause) {
        count(method, kind.outcome());
        boolean rateLimited = error.equals("ratelimited") || error.equals("rate_limited")
                || (cause instanceof SlackApiException apiException && apiException.getResponse().code() == 429);
        if (rateLimited && channel != null && isPaced(method)) {
            pacer.penalize(channel, retryAfter.orElse(DEFAULT_RATE_LIMIT_WAIT));
        }
        // Method, error and channel only: never the token, never a body.
        String where = channel == null ? "-" : channel;
        if (kind.isRetryable()) {
            log.info("Slack {} failed: {} (channel {}, retry after {})", method, error, where,
                    retryAfter.map(Duration::toString).orElse("-"));
        } else {
            log.warn("Slack {} failed: {} (channel {})", method, error, where);
        }
        return new SlackPostException(method, error, kind, retryAfter, cause);
    }

    private static boolean isPaced(String method) {
        return method.equals("chat.postMessage") || method.equals("chat.update");
    }

    /** Slack sends whole seconds (https://docs.slack.dev/apis/web-api/rate-limits). */
    static Optional<Duration> retryAfter(Map<String, List<String>> headers) {
        if (headers == null) {
            return Optional.empty();
        }
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            if (header.getKey() != null && header.getKey().equalsIgnoreCase("Retry-After")
                    && !header.getValue().isEmpty()) {
                try {
                    long seconds = Long.parseLong(header.getValue().get(0).trim());
                    return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** A response_url answers {@code ok}, a bare error word, or JSON; returns the error, or null for none. */
    private String responseUrlError(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        String trimmed = body.trim();
        if (trimmed.startsWith("{")) {
            try {
                JsonNode node = json.readTree(trimmed);
                if (node.path("ok").asBoolean(true)) {
                    return null;
                }
                String error = node.path("error").asText("");
                return BARE_ERROR.matcher(error).matches() ? error : "unknown_error";
            } catch (IOException e) {
                return null;
            }
        }
        return BARE_ERROR.matcher(trimmed).matches() && !trimmed.equals("ok") ? trimmed : null;
    }

    private void count(String method, String outcome) {
        Counter.builder("cutover.slack.calls").description("Slack Web API and response_url calls by method and"
                + " outcome (ok, or Slack's error word)").tag("method", method).tag("outcome", outcome)
                .register(registry).increment();
    }

    /** Slack answers in well under a second; the client gives up at 8 s. */
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2_500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private Timer latency(String method) {
        return Timer.builder("cutover.slack.call.duration").description("Slack call latency by method")
                .serviceLevelObjectives(LATENCY_BUCKETS).tag("method", method).register(registry);
    }
}
