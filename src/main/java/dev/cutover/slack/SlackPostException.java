package dev.cutover.slack;

import java.net.ConnectException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A Slack Web API call did not succeed. It carries Slack's own {@code error} string (or {@code http_<code>},
 * {@code network}, {@link #PACED}), a {@link Kind} telling the caller what to do about it, and the wait Slack
 * asked for, so the caller (an outbox worker or the interactive path) owns retry timing.
 *
 * <p>The message names only the method and the error: never a token, never a response body.
 */
public final class SlackPostException extends Exception {
    /** The error used when {@link ChannelPacer} held the call back locally and nothing was sent. */
    public static final String PACED = "paced";
    /** The error used when the request never got an HTTP answer (refused, reset, timed out). */
    public static final String NETWORK = "network";

    /**
     * What a failure means for the caller. Sorted by the errors Slack documents for the methods we call
     * (https://docs.slack.dev/reference/methods/chat.postMessage and friends).
     */
    public enum Kind {
        /** Try again later: rate limits, Slack-side trouble, timeouts, a dropped connection. */
        RETRYABLE,
        /** The channel cannot take the message: missing, archived, restricted, or the bot is not in it. */
        CHANNEL,
        /** The message to update is gone or can no longer be edited; post a new one instead. */
        MESSAGE_GONE,
        /** The token is bad or lacks a scope; nothing works until someone fixes the app's installation. */
        AUTH,
        /** The request itself is wrong (e.g. {@code invalid_blocks}, {@code msg_too_long}); retrying won't help. */
        PERMANENT;

        public boolean isRetryable() {
            return this == RETRYABLE;
        }

        /** The value of the {@code outcome} metric tag. */
        String outcome() {
            return name().toLowerCase(Locale.ROOT);
        }

        private static final Set<String> RETRYABLE_ERRORS = Set.of("ratelimited", "rate_limited", "internal_error",
                "service_unavailable", "request_timeout", "fatal_error", NETWORK, PACED);
        private static final Set<String> CHANNEL_ERRORS = Set.of("channel_not_found", "not_in_channel", "is_archived");
        private static final Set<String> MESSAGE_GONE_ERRORS =
                Set.of("message_not_found", "cant_update_message", "edit_window_closed");
        private static final Set<String> AUTH_ERRORS = Set.of("invalid_auth", "not_authed", "token_revoked",
                "token_expired", "account_inactive", "missing_scope", "no_permission");

        /** Classifies one of Slack's {@code error} strings from an {@code ok:false} answer. */
        public static Kind ofError(String error) {
            if (RETRYABLE_ERRORS.contains(error)) {
                return RETRYABLE;
            }
            // restricted_action, restricted_action_read_only_channel, restricted_action_thread_only_channel, …
            if (CHANNEL_ERRORS.contains(error) || error.startsWith("restricted_action")) {
                return CHANNEL;
            }
            if (MESSAGE_GONE_ERRORS.contains(error)) {
                return MESSAGE_GONE;
            }
            if (AUTH_ERRORS.contains(error)) {
                return AUTH;
            }
            return PERMANENT;
        }

        /** Classifies a non-2xx HTTP answer, preferring Slack's error string when the body had one. */
        public static Kind ofHttpStatus(int status, String errorOrNull) {
            if (status == 429 || status >= 500) {
                return RETRYABLE;
            }
            return errorOrNull == null ? PERMANENT : ofError(errorOrNull);
        }
    }

    private final String method;
    private final String error;
    private final Kind kind;
    private final Optional<Duration> retryAfter;

    public SlackPostException(String method, String error, Kind kind, Optional<Duration> retryAfter) {
        this(method, error, kind, retryAfter, null);
    }

    public SlackPostException(String method, String error, Kind kind, Optional<Duration> retryAfter,
            Throwable cause) {
        super(method + " failed: " + error, cause);
        this.method = Objects.requireNonNull(method, "method");
        this.error = Objects.requireNonNull(error, "error");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** The Web API method that failed, e.g. {@code chat.postMessage}, or {@code response_url}. */
    public String method() {
        return method;
    }

    /** Slack's error string ({@code channel_not_found}), or {@code http_503}, {@code network}, {@code paced}. */
    public String error() {
        return error;
    }

    public Kind kind() {
        return kind;
    }

    /** How long Slack (its {@code Retry-After} header) or our own pacer asked us to wait; empty if unsaid. */
    public Optional<Duration> retryAfter() {
        return retryAfter;
    }

    /**
     * Whether the call may have taken effect although it failed: Slack documents {@code fatal_error} as
     * possibly partial, and a timed-out request may have been processed. A caller re-posting a message
     * should look for it first (https://docs.slack.dev/apis/web-api/rate-limits, slack.md §4.1).
     */
    public boolean mayHaveTakenEffect() {
        return error.equals("fatal_error") || error.equals("request_timeout") || error.startsWith("http_5")
                || (error.equals(NETWORK) && !(getCause() instanceof ConnectException));
    }
}
