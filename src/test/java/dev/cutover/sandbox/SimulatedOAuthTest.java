package dev.cutover.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.testing.FakeClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The sandbox's OAuth application over HTTP, as a client of PlanetScale would see it: the authorize page, the token
 * endpoint's documented answer, expiry, refresh rotation, per-user attribution and PlanetScale's self-approval rule for
 * a person's token. In the demo data shop#2 was opened by Alice Ng and shop requires approval.
 */
@Timeout(20)
class SimulatedOAuthTest {
    static final String REDIRECT = "https://cutover.example.com/oauth/planetscale/callback";
    static final String SERVICE = "svc-token-id:svc-token-secret";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeClock clock = new FakeClock();
    private final OkHttpClient http = new OkHttpClient.Builder().followRedirects(false)
            .readTimeout(5, TimeUnit.SECONDS).build();
    private PlanetScaleSimulator simulator;

    @BeforeEach
    void start() {
        simulator = new PlanetScaleSimulator(clock, "acme", null, "secret", Runnable::run);
        simulator.start();
        simulator.seedDemo();
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void authorizePage_listsTheDemoUsers_andPickingOneRedirectsWithACodeAndTheState() throws Exception {
        String page = get(simulator.authorizeUrl() + "?client_id=sandbox-client&redirect_uri=" + REDIRECT
                + "&state=s1").body;

        String location = authorize("alice-ng");

        assertThat(page).contains("Alice Ng").contains("Bruno Costa").contains("/oauth/authorize/as?user=alice-ng");
        assertThat(location).startsWith(REDIRECT + "?code=").endsWith("&state=s1");
    }

    @Test
    void exchange_answersTheDocumentedShape_andTheCodeWorksOnce() throws Exception {
        String code = HttpUrl.get(authorize("alice-ng")).queryParameter("code");

        JsonNode token = token("grant_type=authorization_code&code=" + code + "&redirect_uri=" + REDIRECT);
        Answer again = post(tokenUrl("grant_type=authorization_code&code=" + code + "&redirect_uri=" + REDIRECT),
                SERVICE);

        assertThat(token.fieldNames()).toIterable().contains("id", "token", "plain_text_refresh_token", "expires_at",
                "actor_id", "actor_display_name", "actor_type", "display_name", "name", "avatar_url", "created_at",
                "updated_at", "last_used_at", "service_token_accesses");
        assertThat(token.path("actor_id").asText()).isEqualTo("alice-ng");
        assertThat(Instant.parse(token.path("expires_at").asText())).isEqualTo(clock.instant().plus(Duration.ofDays(31)));
        assertThat(again.status).isEqualTo(422);
    }

    @Test
    void personsToken_isAttributedToThem_andTheirOwnApprovalIsRefused() throws Exception {
        JsonNode alice = linked("alice-ng");
        String auth = alice.path("id").asText() + ":" + alice.path("token").asText();

        Answer review = post(simulator.baseUrl() + "/organizations/acme/databases/shop/deploy-requests/2/reviews",
                auth, "{\"state\":\"approved\",\"body\":\"\"}");

        assertThat(review.status).isEqualTo(422);
        assertThat(review.body).contains("authors cannot approve their own");
        assertThat(simulator.attributedRequests()).last().satisfies(r -> assertThat(r.isByUser("alice-ng")).isTrue());
    }

    @Test
    void expiredToken_isRefusedInTheOAuthShape_andRefreshRotatesTheRefreshToken() throws Exception {
        JsonNode first = linked("bruno-costa");
        String auth = first.path("id").asText() + ":" + first.path("token").asText();

        clock.advance(Duration.ofDays(32));
        Answer expired = get(simulator.baseUrl() + "/organizations/acme/databases/shop", auth);
        JsonNode second = token("grant_type=refresh_token&refresh_token=" + first.path("plain_text_refresh_token").asText());
        Answer reused = post(tokenUrl("grant_type=refresh_token&refresh_token="
                + first.path("plain_text_refresh_token").asText()), SERVICE);

        assertThat(expired.status).isEqualTo(401);
        assertThat(JSON.readTree(expired.body).path("error").asText()).isEqualTo("invalid_token");
        assertThat(second.path("plain_text_refresh_token").asText())
                .isNotEqualTo(first.path("plain_text_refresh_token").asText());
        assertThat(reused.status).isEqualTo(422);
        assertThat(get(simulator.baseUrl() + "/organizations/acme/databases/shop",
                second.path("id").asText() + ":" + second.path("token").asText()).status).isEqualTo(200);
    }

    private JsonNode linked(String actorId) throws IOException {
        String code = HttpUrl.get(authorize(actorId)).queryParameter("code");
        return token("grant_type=authorization_code&code=" + code + "&redirect_uri=" + REDIRECT);
    }

    private String authorize(String actorId) throws IOException {
        Response response = http.newCall(new Request.Builder().url(simulator.authorizeUrl() + "/as?user=" + actorId
                + "&client_id=sandbox-client&redirect_uri=" + REDIRECT + "&state=s1").build()).execute();
        response.close();
        assertThat(response.code()).isEqualTo(302);
        return response.header("Location");
    }

    private String tokenUrl(String query) {
        return simulator.baseUrl() + "/organizations/acme/oauth-applications/sandbox-app/token?client_id=sandbox-client"
                + "&client_secret=sandbox-client-secret&" + query;
    }

    private JsonNode token(String query) throws IOException {
        Answer answer = post(tokenUrl(query), SERVICE);
        assertThat(answer.status).as(answer.body).isEqualTo(200);
        return JSON.readTree(answer.body);
    }

    private record Answer(int status, String body) {}

    private Answer post(String url, String authorization) throws IOException {
        return post(url, authorization, "{}");
    }

    private Answer post(String url, String authorization, String body) throws IOException {
        return call(new Request.Builder().url(url).header("Authorization", authorization)
                .post(RequestBody.create(body, MediaType.get("application/json"))).build());
    }

    private Answer get(String url) throws IOException {
        return call(new Request.Builder().url(url).build());
    }

    private Answer get(String url, String authorization) throws IOException {
        return call(new Request.Builder().url(url).header("Authorization", authorization).build());
    }

    private Answer call(Request request) throws IOException {
        try (Response response = http.newCall(request).execute()) {
            return new Answer(response.code(), response.body() == null ? "" : response.body().string());
        }
    }
}
