package dev.cutover.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.sandbox.PlanetScaleSimulator;
import java.io.IOException;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Calls the sandbox simulator's PlanetScale API directly, as someone using the dashboard or the CLI would,
 * so a test can move a deploy request along without going through Slack.
 */
public final class SandboxCalls {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final OkHttpClient HTTP = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(10)).build();

    private final String prefix;

    public SandboxCalls(PlanetScaleSimulator simulator) {
        this.prefix = simulator.baseUrl() + "/organizations/" + simulator.org() + "/databases/";
    }

    /** {@code GET …/deploy-requests/{number}}: the deploy request as the API renders it now. */
    public JsonNode deployRequest(String database, int number) throws IOException {
        return send(new Request.Builder().url(prefix + database + "/deploy-requests/" + number).get());
    }

    /** {@code POST …/deploy-requests/{number}/{action}}, e.g. {@code deploy}, {@code apply-deploy}. */
    public JsonNode post(String database, int number, String action) throws IOException {
        return send(new Request.Builder().url(prefix + database + "/deploy-requests/" + number + "/" + action)
                .post(RequestBody.create("{}", JSON_TYPE)));
    }

    /** {@code PATCH …/deploy-requests/{number}} with {@code state: closed}. */
    public JsonNode close(String database, int number) throws IOException {
        return send(new Request.Builder().url(prefix + database + "/deploy-requests/" + number)
                .patch(RequestBody.create("{\"state\":\"closed\"}", JSON_TYPE)));
    }

    /** {@code POST …/deploy-requests/{number}/reviews} with {@code state: commented}, as in the dashboard. */
    public JsonNode comment(String database, int number, String body) throws IOException {
        String json = JSON.createObjectNode().put("state", "commented").put("body", body).toString();
        return send(new Request.Builder().url(prefix + database + "/deploy-requests/" + number + "/reviews")
                .post(RequestBody.create(json, JSON_TYPE)));
    }

    private static JsonNode send(Request.Builder request) throws IOException {
        try (Response response = HTTP.newCall(request.header("Authorization", "x:y").build()).execute()) {
            String text = response.body() == null ? "" : response.body().string();
            if (!response.isSuccessful()) {
                throw new IOException("sandbox answered " + response.code() + ": " + text);
            }
            return JSON.readTree(text);
        }
    }
}
