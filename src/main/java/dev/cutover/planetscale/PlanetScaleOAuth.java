package dev.cutover.planetscale;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * PlanetScale's OAuth application endpoints (planetscale-api.md §10): the authorization-code exchange, refresh and
 * revocation. Every call carries the service token (it needs {@code read_oauth_applications}, {@code
 * write_oauth_tokens} and {@code read_oauth_tokens}); the client secret travels in the query as PlanetScale documents,
 * so no URL of these calls is ever logged. Sent once each, never retried: a code and (UNCONFIRMED, assumed) a refresh
 * token are single-use.
 */
public final class PlanetScaleOAuth {
    private static final MediaType JSON = MediaType.get("application/json");

    private final OkHttpClient http;
    private final HttpUrl applicationUrl;
    private final String serviceAuthorization;
    private final String clientId;
    private final String clientSecret;
    private final List<String> secrets;

    /**
     * @param apiUrl e.g. {@code https://api.planetscale.com/v1}
     * @param applicationId the OAuth application's id ({@code PLANETSCALE_OAUTH_APP_ID})
     */
    public PlanetScaleOAuth(OkHttpClient http, String apiUrl, String org, String applicationId, String clientId,
            String clientSecret, String serviceTokenId, String serviceToken) {
        HttpUrl base = Objects.requireNonNull(HttpUrl.parse(apiUrl), "apiUrl");
        this.http = http.newBuilder().followRedirects(false).followSslRedirects(false)
                .retryOnConnectionFailure(false).connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(10)).build();
        this.applicationUrl = base.newBuilder().addPathSegment("organizations").addPathSegment(org)
                .addPathSegment("oauth-applications").addPathSegment(applicationId).build();
        this.serviceAuthorization = serviceTokenId + ":" + serviceToken;
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
        this.secrets = List.of(clientSecret, serviceToken, serviceAuthorization);
    }

    /** Exchanges the single-use {@code code} PlanetScale sent to {@code redirectUri}. */
    public OAuthToken exchange(String code, String redirectUri) throws PlanetScaleException, IOException {
        return token(tokenUrl().addQueryParameter("code", code)
                .addQueryParameter("grant_type", "authorization_code")
                .addQueryParameter("redirect_uri", redirectUri).build());
    }

    /** A new access token for a refresh token (the answer carries a new refresh token too; keep it). */
    public OAuthToken refresh(String refreshToken) throws PlanetScaleException, IOException {
        return token(tokenUrl().addQueryParameter("grant_type", "refresh_token")
                .addQueryParameter("refresh_token", refreshToken).build());
    }

    /** Revokes the token ({@code DELETE …/tokens/{id}}); a token PlanetScale no longer knows counts as revoked. */
    public void revoke(String tokenId) throws PlanetScaleException, IOException {
        HttpUrl url = applicationUrl.newBuilder().addPathSegment("tokens").addPathSegment(tokenId).build();
        Request request = request(url).delete().build();
        try (Response response = http.newCall(request).execute()) {
            if (!response.isSuccessful() && response.code() != 404) {
                throw ErrorAnswer.toException(response.code(), redact(body(response)));
            }
        }
    }

    private HttpUrl.Builder tokenUrl() {
        return applicationUrl.newBuilder().addPathSegment("token").addQueryParameter("client_id", clientId)
                .addQueryParameter("client_secret", clientSecret);
    }

    private OAuthToken token(HttpUrl url) throws PlanetScaleException, IOException {
        Request request = request(url).post(RequestBody.create(new byte[] {'{', '}'}, JSON)).build();
        String text;
        try (Response response = http.newCall(request).execute()) {
            text = body(response);
            if (!response.isSuccessful()) {
                throw ErrorAnswer.toException(response.code(), redact(text));
            }
        } catch (IOException e) {
            // The exception must not carry the URL: its query holds the client secret.
            throw new IOException("No answer from PlanetScale's OAuth token endpoint", null);
        }
        JsonNode json;
        try {
            json = PlanetScaleJson.mapper().readTree(text);
        } catch (IOException e) {
            throw new IOException("PlanetScale's OAuth token endpoint sent an unreadable answer");
        }
        String id = json.path("id").asText("");
        String token = json.path("token").asText("");
        String actorId = json.path("actor_id").asText("");
        if (id.isEmpty() || token.isEmpty() || actorId.isEmpty()) {
            throw new IOException("PlanetScale's OAuth token answer lacks id, token or actor_id");
        }
        return new OAuthToken(id, token, json.path("plain_text_refresh_token").asText(""),
                instant(json.path("expires_at").asText("")), actorId,
                json.path("actor_display_name").asText(json.path("display_name").asText("")));
    }

    private static Instant instant(String text) {
        try {
            return text.isEmpty() ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private Request.Builder request(HttpUrl url) {
        return new Request.Builder().url(url).header("Authorization", serviceAuthorization)
                .header("Accept", "application/json").header("User-Agent", "cutover");
    }

    private static String body(Response response) throws IOException {
        ResponseBody body = response.body();
        return body == null ? "" : body.string();
    }

    private String redact(String text) {
        String redacted = text;
        for (String secret : secrets) {
            if (secret.length() >= 8) {
                redacted = redacted.replace(secret, "[redacted]");
            }
        }
        return redacted;
    }
}
