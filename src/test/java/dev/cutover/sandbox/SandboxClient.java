package dev.cutover.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** A plain OkHttp client for the simulator's tests: sends a service-token header and parses the JSON answer. */
final class SandboxClient {
    record Reply(int status, JsonNode json, String text) {}

    static final String AUTHORIZATION = "token-id:pscale_tkn_secret";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final MediaType JSON = MediaType.get("application/json");

    private final OkHttpClient client = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(10)).build();
    private final String baseUrl;
    private final String orgPrefix;

    SandboxClient(PlanetScaleSimulator simulator) {
        this.baseUrl = simulator.baseUrl();
        this.orgPrefix = "/organizations/" + simulator.org();
    }

    /** {@code GET} a path below the organization, e.g. {@code /databases/shop}. */
    Reply get(String path) throws IOException {
        return send(new Request.Builder().url(baseUrl + orgPrefix + path).header("Authorization", AUTHORIZATION)
                .get().build());
    }

    Reply post(String path, String body) throws IOException {
        return send(new Request.Builder().url(baseUrl + orgPrefix + path).header("Authorization", AUTHORIZATION)
                .post(RequestBody.create(body, JSON)).build());
    }

    Reply patch(String path, String body) throws IOException {
        return send(new Request.Builder().url(baseUrl + orgPrefix + path).header("Authorization", AUTHORIZATION)
                .patch(RequestBody.create(body, JSON)).build());
    }

    /** A request to an absolute path below {@code /v1} with any (or no) Authorization header. */
    Reply getWithAuthorization(String path, String authorization) throws IOException {
        Request.Builder request = new Request.Builder().url(baseUrl + path).get();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build());
    }

    private Reply send(Request request) throws IOException {
        try (Response response = client.newCall(request).execute()) {
            String text = response.body() == null ? "" : response.body().string();
            JsonNode json = text.stripLeading().startsWith("{") ? MAPPER.readTree(text) : null;
            return new Reply(response.code(), json, text);
        }
    }
}
