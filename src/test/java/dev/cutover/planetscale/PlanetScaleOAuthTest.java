package dev.cutover.planetscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutover.deploy.DeployRef;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * PlanetScale's OAuth application endpoints as planetscale-api.md §10 describes them, against a loopback
 * MockWebServer: the exchange and refresh with query parameters and the service token, the documented answer, revoke;
 * and a person's token sent as {@code <id>:<token>} with no scheme word.
 */
@Timeout(10)
class PlanetScaleOAuthTest {
    static final String SECRET = "oauth-client-secret-value-123";
    static final String TOKEN_ANSWER = """
            {"id":"tok4xsz0ql82","type":"ServiceToken","name":"Cutover","display_name":"Alice Ng",
             "token":"pscale_oauth_person_secret","plain_text_refresh_token":"pscale_oauth_refresh_1",
             "avatar_url":"https://example.com/a.png","created_at":"2026-01-01T00:00:00.000Z",
             "updated_at":"2026-01-01T00:00:00.000Z","last_used_at":null,"expires_at":"2026-02-01T00:00:00.000Z",
             "actor_id":"alice4xsz0ql","actor_display_name":"Alice Ng","actor_type":"User",
             "service_token_accesses":[]}""";

    private final MockWebServer server = new MockWebServer();
    private PlanetScaleOAuth oauth;

    @BeforeEach
    void start() throws IOException {
        server.start(InetAddress.getLoopbackAddress(), 0);
        oauth = new PlanetScaleOAuth(new OkHttpClient(), server.url("/v1").toString(), LoopbackApi.ORG, "app123",
                "client-id", SECRET, LoopbackApi.TOKEN_ID, LoopbackApi.TOKEN);
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    @Test
    void exchange_postsTheCodeInTheQuery_withTheServiceToken_andReadsTheDocumentedAnswer() throws Exception {
        server.enqueue(new MockResponse().setBody(TOKEN_ANSWER).setHeader("Content-Type", "application/json"));

        OAuthToken token = oauth.exchange("the-code", "https://cutover.example.com/oauth/planetscale/callback");

        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        HttpUrl url = request.getRequestUrl();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(url.encodedPath()).isEqualTo("/v1/organizations/acme/oauth-applications/app123/token");
        assertThat(url.queryParameter("client_id")).isEqualTo("client-id");
        assertThat(url.queryParameter("client_secret")).isEqualTo(SECRET);
        assertThat(url.queryParameter("code")).isEqualTo("the-code");
        assertThat(url.queryParameter("grant_type")).isEqualTo("authorization_code");
        assertThat(url.queryParameter("redirect_uri")).isEqualTo("https://cutover.example.com/oauth/planetscale/callback");
        assertThat(request.getHeader("Authorization")).isEqualTo(LoopbackApi.AUTHORIZATION);
        assertThat(token.id()).isEqualTo("tok4xsz0ql82");
        assertThat(token.token()).isEqualTo("pscale_oauth_person_secret");
        assertThat(token.refreshToken()).isEqualTo("pscale_oauth_refresh_1");
        assertThat(token.expiresAt()).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
        assertThat(token.actorId()).isEqualTo("alice4xsz0ql");
        assertThat(token.actorDisplayName()).isEqualTo("Alice Ng");
        assertThat(token.toString()).doesNotContain("pscale_oauth");
    }

    @Test
    void refresh_sendsTheRefreshToken() throws Exception {
        server.enqueue(new MockResponse().setBody(TOKEN_ANSWER));

        oauth.refresh("pscale_oauth_refresh_0");

        HttpUrl url = server.takeRequest(1, TimeUnit.SECONDS).getRequestUrl();
        assertThat(url.queryParameter("grant_type")).isEqualTo("refresh_token");
        assertThat(url.queryParameter("refresh_token")).isEqualTo("pscale_oauth_refresh_0");
    }

    @Test
    void refusedExchange_isAPlanetScaleException_withoutTheClientSecret() {
        server.enqueue(new MockResponse().setResponseCode(422)
                .setBody("{\"code\":\"unprocessable\",\"message\":\"bad code for " + SECRET + "\"}"));

        assertThatThrownBy(() -> oauth.exchange("x", "https://c.example/cb"))
                .isInstanceOfSatisfying(PlanetScaleException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.getMessage()).doesNotContain(SECRET);
                });
    }

    @Test
    void answerWithoutAToken_isUnreadable() {
        server.enqueue(new MockResponse().setBody("{\"id\":\"x\"}"));

        assertThatThrownBy(() -> oauth.exchange("x", "https://c.example/cb")).isInstanceOf(IOException.class)
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void revoke_deletesTheToken_andAnUnknownTokenCountsAsRevoked() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(204));
        server.enqueue(new MockResponse().setResponseCode(404).setBody("{\"code\":\"not_found\"}"));

        oauth.revoke("tok4xsz0ql82");
        oauth.revoke("gone");

        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(request.getMethod()).isEqualTo("DELETE");
        assertThat(request.getPath()).isEqualTo("/v1/organizations/acme/oauth-applications/app123/tokens/tok4xsz0ql82");
        assertThat(request.getHeader("Authorization")).isEqualTo(LoopbackApi.AUTHORIZATION);
    }

    @Test
    void personsClient_sendsTheirTokenAsIdColonToken_withNoSchemeWord() throws Exception {
        HttpPlanetScaleApi service = LoopbackApi.create(server, wait -> { });
        server.enqueue(new MockResponse().setBody(dev.cutover.planetscale.Fixtures.text("deploy-request.json")));

        service.actingAs("tok4xsz0ql82", "pscale_oauth_person_secret").deploy(new DeployRef("acme", "shop", 42), false);

        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(request.getHeader("Authorization")).isEqualTo("tok4xsz0ql82:pscale_oauth_person_secret");
        assertThat(request.getPath()).isEqualTo("/v1/organizations/acme/databases/shop/deploy-requests/42/deploy");
    }
}
