package dev.cutover.identity;

import com.slack.api.model.block.LayoutBlock;
import dev.cutover.planetscale.HttpPlanetScaleApi;
import dev.cutover.planetscale.OAuthToken;
import dev.cutover.planetscale.PlanetScaleException;
import dev.cutover.planetscale.PlanetScaleOAuth;
import dev.cutover.render.Messages;
import dev.cutover.slack.SlackPostException;
import dev.cutover.slack.SlackPoster;
import dev.cutover.store.LinkedAccountRow;
import dev.cutover.store.LinkedAccounts;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slack users linked to their PlanetScale account through PlanetScale's OAuth application (planetscale-api.md §10):
 * the login link, the callback's code exchange, tokens sealed at rest, refresh before expiry, whoami and logout. A
 * link that cannot be used (refresh refused, key rotated away) is never replaced by another identity: the person is
 * asked to link again.
 */
public final class AccountLinks implements Identities {
    /** Tokens are refreshed when they would expire within this margin (PlanetScale's last 31 days). */
    public static final Duration REFRESH_MARGIN = Duration.ofMinutes(10);
    public static final String LOGIN_PATH = "/oauth/planetscale/login";
    public static final String CALLBACK_PATH = "/oauth/planetscale/callback";
    /** PlanetScale's authorize page (planetscale-api.md §10). */
    public static final String PLANETSCALE_AUTHORIZE_URL = "https://app.planetscale.com/oauth/authorize";
    private static final Logger log = LoggerFactory.getLogger(AccountLinks.class);

    /** What a person's link looks like to them (no token in it). */
    public record Link(String actorId, String actorName, Instant linkedAt, Instant expiresAt, boolean usable) {}

    /** The callback's result: linked as someone, or refused with the reason to show. */
    public sealed interface Completion {
        record Linked(String slackUserId, String actorName) implements Completion {}

        record Refused(int status, String reason) implements Completion {}
    }

    private final LinkedAccounts store;
    private final TokenCipher cipher;
    private final LoginStates states;
    private final PlanetScaleOAuth oauth;
    private final HttpPlanetScaleApi api;
    private final SlackPoster poster;
    private final Clock clock;
    private final Supplier<Optional<String>> publicUrl;
    private final String authorizeUrl;
    private final String clientId;
    /** One refresh at a time: two concurrent refreshes with one (single-use) refresh token would break the link. */
    private final ReentrantLock refreshing = new ReentrantLock();

    /**
     * @param api the service-token client; a person's client is derived from it with their token
     * @param publicUrl Cutover's public base URL (the sandbox's own loopback address when unset there)
     * @param authorizeUrl PlanetScale's authorize page ({@code https://app.planetscale.com/oauth/authorize})
     */
    public AccountLinks(LinkedAccounts store, TokenCipher cipher, PlanetScaleOAuth oauth, HttpPlanetScaleApi api,
            SlackPoster poster, Clock clock, Supplier<Optional<String>> publicUrl, String authorizeUrl,
            String clientId) {
        this.store = store;
        this.cipher = cipher;
        this.states = new LoginStates(cipher, store, clock);
        this.oauth = oauth;
        this.api = api;
        this.poster = poster;
        this.clock = clock;
        this.publicUrl = publicUrl;
        this.authorizeUrl = authorizeUrl;
        this.clientId = clientId;
    }

    /** A fresh, single-use login link for this Slack user (through Cutover, which then sends them to PlanetScale). */
    public String loginUrl(String teamId, String slackUserId) {
        String state = states.mint(teamId, slackUserId);
        return base() + LOGIN_PATH + "?state=" + encode(state);
    }

    /**
     * The login redirect: checks the state (without using it up) and says where to send the browser and which
     * cookie binds it to this state.
     */
    public sealed interface Start {
        record Redirect(String location, String cookie) implements Start {}

        record Refused(int status, String reason) implements Start {}
    }

    public Start start(String state) {
        try {
            LoginStates.State read = states.read(state);
            String location = authorizeUrl + "?client_id=" + encode(clientId) + "&redirect_uri="
                    + encode(redirectUri()) + "&state=" + encode(state);
            return new Start.Redirect(location, read.browserBinding());
        } catch (LoginStates.RefusedException e) {
            return new Start.Refused(400, Messages.loginRefused(e.refusal.name()));
        }
    }

    /** The callback: uses the state up, exchanges the code, stores the sealed tokens and tells the person in Slack. */
    public Completion complete(String code, String state, String browserBinding) {
        LoginStates.State taken;
        try {
            taken = states.take(state, browserBinding);
        } catch (LoginStates.RefusedException e) {
            log.info("Refused an OAuth callback: {}", e.refusal);
            return new Completion.Refused(400, Messages.loginRefused(e.refusal.name()));
        }
        if (code == null || code.isBlank() || code.length() > 512) {
            return new Completion.Refused(400, Messages.loginRefused("NO_CODE"));
        }
        OAuthToken token;
        try {
            token = oauth.exchange(code, redirectUri());
        } catch (PlanetScaleException e) {
            log.warn("PlanetScale refused the OAuth code exchange for {}: {} {}", taken.slackUserId(), e.status(),
                    e.code());
            return new Completion.Refused(400, Messages.loginExchangeFailed(e));
        } catch (IOException e) {
            log.warn("PlanetScale's OAuth code exchange failed for {}: {}", taken.slackUserId(), e.getMessage());
            return new Completion.Refused(502, Messages.loginExchangeFailed(e));
        }
        save(taken.teamId(), taken.slackUserId(), token, clock.instant());
        log.info("Slack user {} linked to PlanetScale actor {}", taken.slackUserId(), token.actorId());
        tell(taken.slackUserId(), "link:" + taken.nonce(), Messages.linked(token.actorDisplayName()), List.of());
        return new Completion.Linked(taken.slackUserId(), token.actorDisplayName());
    }

    @Override
    public Credential forWrite(String teamId, String slackUserId, boolean linkRequired) {
        Optional<LinkedAccountRow> found = store.find(teamId, slackUserId);
        if (found.isEmpty()) {
            return linkRequired ? missing(Credential.Reason.NOT_LINKED, teamId, slackUserId)
                    : new Credential.ServiceToken();
        }
        LinkedAccountRow row = found.get();
        if (row.refreshFailedAt() != null) {
            return missing(Credential.Reason.EXPIRED, teamId, slackUserId);
        }
        if (row.expiresAt() != null && !clock.instant().plus(REFRESH_MARGIN).isBefore(row.expiresAt())) {
            return refresh(row);
        }
        try {
            String tokenId = cipher.open(row.tokenIdSealed(), context(row, "token_id"));
            String token = cipher.open(row.tokenSealed(), context(row, "token"));
            if (cipher.isStale(row.tokenSealed())) {
                reseal(row, tokenId, token);
            }
            return new Credential.Person(row.actorId(), row.actorDisplayName(), api.actingAs(tokenId, token));
        } catch (TokenCipher.SealedValueException e) {
            log.warn("The PlanetScale link of {} cannot be opened: {}", slackUserId, e.getMessage());
            return missing(Credential.Reason.UNREADABLE, teamId, slackUserId);
        }
    }

    private Credential refresh(LinkedAccountRow stale) {
        refreshing.lock();
        try {
            // Another thread may have refreshed it while this one waited.
            LinkedAccountRow row = store.find(stale.teamId(), stale.slackUserId()).orElse(stale);
            if (row.refreshFailedAt() != null) {
                return missing(Credential.Reason.EXPIRED, row.teamId(), row.slackUserId());
            }
            if (row.expiresAt() == null || clock.instant().plus(REFRESH_MARGIN).isBefore(row.expiresAt())) {
                return forWrite(row.teamId(), row.slackUserId(), true);
            }
            String refreshToken;
            try {
                refreshToken = cipher.open(row.refreshTokenSealed(), context(row, "refresh_token"));
            } catch (TokenCipher.SealedValueException e) {
                return missing(Credential.Reason.UNREADABLE, row.teamId(), row.slackUserId());
            }
            try {
                if (refreshToken.isEmpty()) {
                    throw new PlanetScaleException(401, "no_refresh_token", "PlanetScale gave no refresh token");
                }
                OAuthToken token = oauth.refresh(refreshToken);
                save(row.teamId(), row.slackUserId(), token, row.linkedAt());
                log.info("Refreshed the PlanetScale token of {}", row.slackUserId());
                return new Credential.Person(token.actorId(), token.actorDisplayName(),
                        api.actingAs(token.id(), token.token()));
            } catch (PlanetScaleException e) {
                if (e.isServerError() || e.isRateLimited()) {
                    return new Credential.Missing(Credential.Reason.TRY_LATER, "");
                }
                log.warn("PlanetScale refused to refresh the token of {}: {} {}", row.slackUserId(), e.status(),
                        e.code());
                store.save(new LinkedAccountRow(row.teamId(), row.slackUserId(), row.actorId(),
                        row.actorDisplayName(), row.tokenIdSealed(), row.tokenSealed(), row.refreshTokenSealed(),
                        row.expiresAt(), row.linkedAt(), clock.instant()));
                Credential.Missing missing = missing(Credential.Reason.EXPIRED, row.teamId(), row.slackUserId());
                tell(row.slackUserId(), "relink:" + row.slackUserId() + ":" + clock.instant().toEpochMilli(),
                        Messages.linkExpired(), Messages.linkButton(missing.loginUrl()));
                return missing;
            } catch (IOException e) {
                log.warn("Could not refresh the PlanetScale token of {}: {}", row.slackUserId(), e.getMessage());
                return new Credential.Missing(Credential.Reason.TRY_LATER, "");
            }
        } finally {
            refreshing.unlock();
        }
    }

    @Override
    public String rejected(String teamId, String slackUserId) {
        store.find(teamId, slackUserId).filter(row -> row.refreshFailedAt() == null).ifPresent(row -> {
            log.warn("PlanetScale rejected the token of {}; the link must be made again", slackUserId);
            store.save(new LinkedAccountRow(row.teamId(), row.slackUserId(), row.actorId(), row.actorDisplayName(),
                    row.tokenIdSealed(), row.tokenSealed(), row.refreshTokenSealed(), row.expiresAt(), row.linkedAt(),
                    clock.instant()));
        });
        return loginUrl(teamId, slackUserId);
    }

    public Optional<Link> whoami(String teamId, String slackUserId) {
        return store.find(teamId, slackUserId).map(row -> new Link(row.actorId(), row.actorDisplayName(),
                row.linkedAt(), row.expiresAt(), row.refreshFailedAt() == null));
    }

    /**
     * Revokes the token at PlanetScale (best effort: a failure is logged and the link is deleted anyway, since the
     * person asked to be unlinked) and deletes the link. Returns the unlinked account, empty when there was none.
     */
    public Optional<Link> logout(String teamId, String slackUserId) {
        Optional<LinkedAccountRow> found = store.find(teamId, slackUserId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        LinkedAccountRow row = found.get();
        try {
            oauth.revoke(cipher.open(row.tokenIdSealed(), context(row, "token_id")));
        } catch (TokenCipher.SealedValueException | PlanetScaleException | IOException e) {
            log.warn("Could not revoke the PlanetScale token of {} ({}); deleting the link anyway", slackUserId,
                    e.getMessage());
        }
        store.delete(teamId, slackUserId);
        return Optional.of(new Link(row.actorId(), row.actorDisplayName(), row.linkedAt(), row.expiresAt(), false));
    }

    private Credential.Missing missing(Credential.Reason reason, String teamId, String slackUserId) {
        return new Credential.Missing(reason, loginUrl(teamId, slackUserId));
    }

    private void save(String teamId, String slackUserId, OAuthToken token, Instant linkedAt) {
        LinkedAccountRow shape = new LinkedAccountRow(teamId, slackUserId, token.actorId(), token.actorDisplayName(),
                "-", "-", "-", token.expiresAt(), linkedAt, null);
        store.save(new LinkedAccountRow(teamId, slackUserId, token.actorId(), token.actorDisplayName(),
                cipher.seal(token.id(), context(shape, "token_id")), cipher.seal(token.token(), context(shape, "token")),
                cipher.seal(token.refreshToken(), context(shape, "refresh_token")), token.expiresAt(), linkedAt,
                null));
    }

    /** Seals a link again with the current key (after a key rotation). */
    private void reseal(LinkedAccountRow row, String tokenId, String token) {
        try {
            String refreshToken = cipher.open(row.refreshTokenSealed(), context(row, "refresh_token"));
            store.save(new LinkedAccountRow(row.teamId(), row.slackUserId(), row.actorId(), row.actorDisplayName(),
                    cipher.seal(tokenId, context(row, "token_id")), cipher.seal(token, context(row, "token")),
                    cipher.seal(refreshToken, context(row, "refresh_token")), row.expiresAt(), row.linkedAt(), null));
        } catch (TokenCipher.SealedValueException e) {
            log.warn("Could not re-seal the link of {}: {}", row.slackUserId(), e.getMessage());
        }
    }

    /** Authenticated data: a sealed token opens only in its own row and field. */
    private static String context(LinkedAccountRow row, String field) {
        return "linked_account|" + row.teamId() + "|" + row.slackUserId() + "|" + field;
    }

    /** A private message to the person (their DM with the bot), through the one path to Slack. */
    private void tell(String slackUserId, String postKey, String text, List<LayoutBlock> blocks) {
        try {
            poster.postOnce(postKey, slackUserId, text, blocks, null);
        } catch (SlackPostException | RuntimeException e) {
            log.warn("Could not tell {} about their PlanetScale link: {}", slackUserId, e.getMessage());
        }
    }

    private String redirectUri() {
        return base() + CALLBACK_PATH;
    }

    private String base() {
        return publicUrl.get().orElseThrow(() -> new IllegalStateException("CUTOVER_PUBLIC_URL is not known yet"));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
