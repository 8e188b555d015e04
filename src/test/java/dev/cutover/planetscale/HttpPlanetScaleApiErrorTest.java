package dev.cutover.planetscale;

import static dev.cutover.planetscale.HttpPlanetScaleApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.deploy.DeployRef;
import java.io.IOException;
import java.net.InetAddress;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How every kind of error answer becomes a {@link PlanetScaleException} (planetscale-api.md §6). */
@Timeout(10)
class HttpPlanetScaleApiErrorTest {
    private static final DeployRef REF = new DeployRef("acme", "shop", 42);

    private final MockWebServer server = new MockWebServer();
    private final RecordingSleeper sleeper = new RecordingSleeper();
    private HttpPlanetScaleApi api;

    @BeforeEach
    void start() throws IOException {
        server.start(InetAddress.getLoopbackAddress(), 0);
        api = LoopbackApi.create(server, sleeper);
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "400, bad_request, Bad Request",
        "401, unauthorized, Unauthorized",
        "403, forbidden, Forbidden",
        "404, not_found, Not Found",
        "422, unprocessable, Deploy request authors cannot approve their own deploy requests.",
        "500, internal_server_error, Internal Server Error",
        "503, service_unavailable, Service Unavailable"
    })
    void errorEnvelope_keepsStatusCodeAndMessage(int status, String code, String message) {
        server.enqueue(json("{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}").setResponseCode(status));

        PlanetScaleException error = catchThrowableOfType(PlanetScaleException.class, () -> api.close(REF));

        assertThat(error.status()).isEqualTo(status);
        assertThat(error.code()).isEqualTo(code);
        assertThat(error.apiMessage()).isEqualTo(message);
    }

    @Test
    void notFoundOnARead_isNotRetried() {
        server.enqueue(json("{\"code\":\"not_found\",\"message\":\"Not Found\"}").setResponseCode(404));

        PlanetScaleException error = catchThrowableOfType(PlanetScaleException.class,
                () -> api.getDeployRequest(REF));

        assertThat(error.isNotFound()).isTrue();
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(sleeper.waits()).isEmpty();
    }

    @Test
    void emptyBody_keepsTheStatusWithEmptyCodeAndMessage() {
        server.enqueue(new MockResponse().setResponseCode(500));

        PlanetScaleException error = catchThrowableOfType(PlanetScaleException.class, () -> api.cancel(REF));

        assertThat(error.status()).isEqualTo(500);
        assertThat(error.code()).isEmpty();
        assertThat(error.apiMessage()).isEmpty();
        assertThat(error.isServerError()).isTrue();
    }

    @Test
    void emptyObject_keepsTheStatusWithEmptyCodeAndMessage() {
        server.enqueue(json("{}").setResponseCode(500));

        PlanetScaleException error = catchThrowableOfType(PlanetScaleException.class, () -> api.cancel(REF));

        assertThat(error.status()).isEqualTo(500);
        assertThat(error.code()).isEmpty();
        assertThat(error.apiMessage()).isEmpty();
    }

    @Test
    void htmlBody_becomesAShortSingleLineSnippet() {
        server.enqueue(new MockResponse().setResponseCode(403).setHeader("Content-Type", "text/html")
                .setBody("<html>\n<head><title>403 Forbidden</title></head>\n<body>\n<center><h1>forbidden</h1>"
                        + "</center>\n" + "<p>" + "padding ".repeat(100) + "</p>\n</body>\n</html>\n"));

        PlanetScaleException error = catchThrowableOfType(PlanetScaleException.class, () -> api.cancel(REF));

        assertThat(error.status()).isEqualTo(403);
        assertThat(error.code()).isEmpty();
        assertThat(error.apiMessage()).startsWith("403 Forbidden forbidden padding")
                .hasSizeLessThanOrEqualTo(200)
                .doesNotContain("\n", "<", ">");
    }

    @Test
    void validationErrors_areJoinedIntoTheMessage() {
        server.enqueue(json("{\"errors\":[{\"namespace\":\"branch\",\"name\":\"name\",\"errors\":[\"can't be blank\","
                + "\"is too short\"]},{\"namespace\":\"branch\",\"name\":\"parent\",\"errors\":[\"does not exist\"]}]}")
                .setResponseCode(422));

        PlanetScaleException error = catchThrowableOfType(PlanetScaleException.class, () -> api.cancel(REF));

        assertThat(error.status()).isEqualTo(422);
        assertThat(error.apiMessage()).isEqualTo("name: can't be blank; name: is too short; parent: does not exist");
    }

    @Test
    void oauthError_usesErrorAsCodeAndDescriptionAsMessage() {
        server.enqueue(json("{\"error\":\"invalid_token\",\"error_description\":\"The access token is invalid\","
                + "\"state\":\"unauthorized\"}").setResponseCode(401));

        PlanetScaleException error = catchThrowableOfType(PlanetScaleException.class,
                () -> api.getDeployRequest(REF));

        assertThat(error.status()).isEqualTo(401);
        assertThat(error.code()).isEqualTo("invalid_token");
        assertThat(error.apiMessage()).isEqualTo("The access token is invalid");
    }

    @Test
    void credentialsEchoedByTheServer_neverReachTheException() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String echoed = request.getHeader("Authorization");
                return json("{\"code\":\"unauthorized\",\"message\":\"token " + echoed + " is not valid\"}")
                        .setResponseCode(401);
            }
        });

        PlanetScaleException error = catchThrowableOfType(PlanetScaleException.class,
                () -> api.getDeployRequest(REF));

        assertThat(error.apiMessage()).contains("is not valid");
        assertThat(error.getMessage()).doesNotContain(LoopbackApi.TOKEN, LoopbackApi.TOKEN_ID);
        assertThat(error.apiMessage()).doesNotContain(LoopbackApi.TOKEN, LoopbackApi.TOKEN_ID);
    }

    @Test
    void redirect_isNotFollowed() {
        server.enqueue(new MockResponse().setResponseCode(302)
                .setHeader("Location", server.url("/elsewhere/collect-credentials")));
        server.enqueue(json(Fixtures.text("deploy-request.json")));

        PlanetScaleException error = catchThrowableOfType(PlanetScaleException.class,
                () -> api.getDeployRequest(REF));

        assertThat(error.status()).isEqualTo(302);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void unreadableSuccessBody_isAnIOExceptionWithoutTheBody() {
        server.enqueue(json("{\"number\": \"secret-payload\""));

        IOException error = catchThrowableOfType(IOException.class, () -> api.getDeployRequest(REF));

        assertThat(error).hasMessageContaining("unreadable answer").hasMessageNotContaining("secret-payload");
    }

    @Test
    void successBodyWithoutNumber_isAnIOException() {
        server.enqueue(json("{\"branch\":\"no-number\"}"));

        IOException error = catchThrowableOfType(IOException.class, () -> api.deploy(REF, false));

        assertThat(error).hasMessageContaining("unreadable answer");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }
}
