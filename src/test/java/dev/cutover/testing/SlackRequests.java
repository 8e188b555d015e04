package dev.cutover.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import okhttp3.MediaType;

/**
 * The same signed slash commands and clicks as {@link RunningCutover#command} and {@link RunningCutover#click},
 * sent with {@code Connection: close}. RunningCutover's own client keeps its connection alive, and Jetty's
 * graceful stop then waits about 2 s for that idle connection in every {@code close()}; suites that start the
 * service once per test use this instead to stay fast.
 */
public final class SlackRequests {
    private static final MediaType FORM = MediaType.get("application/x-www-form-urlencoded");

    private final RunningCutover cutover;

    public SlackRequests(RunningCutover cutover) {
        this.cutover = cutover;
    }

    /** {@code /pscale <text>} typed by {@code user} in {@code channel}; answers go to {@code responseUrl}. */
    public RunningCutover.HttpResult command(String user, String channel, String text, String responseUrl)
            throws IOException {
        return post(RunningCutover.formBody(SlackPayloads.command(user, channel, text, responseUrl)));
    }

    /**
     * A click on a button of a message in {@code channel} (ts {@code messageTs}); {@code blocks} are the clicked
     * message's blocks as Slack echoes them (may be null).
     */
    public RunningCutover.HttpResult click(String user, String channel, String messageTs, boolean ephemeral,
            String actionId, String value, JsonNode blocks, String responseUrl) throws IOException {
        ObjectNode payload = SlackPayloads.click(user, channel, messageTs, ephemeral, actionId, value, blocks,
                responseUrl);
        return post(RunningCutover.formBody(Map.of("payload", payload.toString())));
    }

    /** {@code user} submits a modal Cutover opened ({@code view} from {@link FakeSlackApi#openedViews()}). */
    public RunningCutover.HttpResult submit(String user, JsonNode view, String typedName) throws IOException {
        ObjectNode payload = SlackPayloads.viewSubmission(user, view, "confirm_name", "name", typedName);
        return post(RunningCutover.formBody(Map.of("payload", payload.toString())));
    }

    /**
     * A typed write carried through its confirm step, as a person would: {@code /pscale <text>}, then a press of the
     * confirm button in the private answer and, when that opens a modal, its submission with the name it asks for.
     * Answers keep going to {@code responseUrl}; returns the private answer with the confirm step (or the refusal).
     */
    public JsonNode typedWrite(FakeSlackApi slack, String user, String channel, String text, String responseUrl)
            throws IOException {
        String name = java.net.URLDecoder.decode(responseUrl.substring(responseUrl.lastIndexOf('/') + 1),
                java.nio.charset.StandardCharsets.UTF_8);
        int before = slack.responses(name).size();
        command(user, channel, text, responseUrl);
        JsonNode answer = Answers.nth(slack, name, before + 1);
        java.util.Optional<JsonNode> confirm = Cards.buttons(answer.path("blocks")).stream()
                .filter(button -> button.path("action_id").asText().startsWith("cutover:typed:")).findFirst();
        if (confirm.isEmpty()) {
            return answer; // refused before any confirmation (policy, state, PlanetScale)
        }
        int views = slack.calls("views.open").size();
        click(user, channel, null, true, confirm.get().path("action_id").asText(), confirm.get().path("value").asText(),
                answer.path("blocks"), responseUrl);
        // Either the action's answer arrives, or a modal opens first.
        org.awaitility.Awaitility.await().atMost(Answers.PATIENCE).until(() -> slack.responses(name).size() > before + 1
                || slack.calls("views.open").size() > views);
        if (slack.calls("views.open").size() > views) {
            JsonNode view = slack.openedViews().get(views);
            String label = view.toString().contains("confirm_name")
                    ? expectedName(view) : null;
            submit(user, view, label);
        }
        return answer;
    }

    /**
     * A typed write carried through its confirm step ({@link #typedWrite}); returns what the person is answered once
     * it was carried out (or refused): the answer after the confirm step, or the refusal that came instead of one.
     */
    public JsonNode write(FakeSlackApi slack, String user, String channel, String text, String responseUrl)
            throws IOException {
        String name = java.net.URLDecoder.decode(responseUrl.substring(responseUrl.lastIndexOf('/') + 1),
                java.nio.charset.StandardCharsets.UTF_8);
        int before = slack.responses(name).size();
        JsonNode step = typedWrite(slack, user, channel, text, responseUrl);
        boolean confirmed = Cards.buttons(step.path("blocks")).stream()
                .anyMatch(button -> button.path("action_id").asText().startsWith("cutover:typed:"));
        if (!confirmed) {
            return step;
        }
        // A write PlanetScale does not answer is reported after the client's 10-second read timeout.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(25))
                .until(() -> slack.responses(name).size() >= before + 2);
        return slack.responses(name).get(before + 1).body();
    }

    private static final java.util.Set<String> WRITES = java.util.Set.of("approve", "deploy", "apply", "cancel", "close",
            "revert", "skip-revert", "unblock");

    /** Whether {@code /pscale <text>} is a write that asks before acting (a comment acts at once). */
    public static boolean isWrite(String text) {
        String[] words = text.strip().split("\\s+");
        int first = words.length > 1 && (words[0].equals("dr") || words[0].equals("deploy-request")) ? 1 : 0;
        return WRITES.contains(words[first]);
    }

    /**
     * After a press of a write button that has no confirm dialog: its modal opens (from the press's trigger), and
     * {@code user} submits it as asked (the name it wants, if any).
     */
    public void submitModal(FakeSlackApi slack, String user, int viewsBefore) throws IOException {
        org.awaitility.Awaitility.await().atMost(Answers.PATIENCE)
                .until(() -> slack.calls("views.open").size() > viewsBefore);
        JsonNode view = slack.openedViews().get(viewsBefore);
        submit(user, view, view.toString().contains("confirm_name") ? expectedName(view) : null);
    }

    /** The name a typed-name modal asks for, read from its input's label ("Type products to confirm"). */
    public static String expectedName(JsonNode view) {
        for (JsonNode block : view.path("blocks")) {
            if ("confirm_name".equals(block.path("block_id").asText())) {
                String label = block.path("label").path("text").asText();
                return label.substring("Type ".length(), label.length() - " to confirm".length());
            }
        }
        throw new AssertionError("no name field in " + view);
    }

    private RunningCutover.HttpResult post(byte[] body) throws IOException {
        long now = cutover.clock().instant().getEpochSecond();
        return cutover.post("/slack/events", body, Map.of("X-Slack-Request-Timestamp", Long.toString(now),
                "X-Slack-Signature", Signatures.slack(RunningCutover.SIGNING_SECRET, now, body),
                "Connection", "close"), FORM);
    }
}
