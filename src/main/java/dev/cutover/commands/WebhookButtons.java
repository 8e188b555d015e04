package dev.cutover.commands;

import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.response.Response;
import dev.cutover.deploy.DeployRef;
import dev.cutover.planetscale.PlanetScaleException;
import dev.cutover.policy.Decision;
import dev.cutover.policy.GroupMembers;
import dev.cutover.policy.Policy;
import dev.cutover.reconcile.WebhookKeeper;
import dev.cutover.render.Messages;
import dev.cutover.slack.SlackPostException;
import dev.cutover.slack.SlackPoster;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin channel's Re-enable button under "PlanetScale disabled Cutover's webhook": an {@code admin} action in
 * the policy. Acks at once; the PlanetScale call runs on the executor and the report is replaced with who did it.
 */
public final class WebhookButtons {
    private static final Logger log = LoggerFactory.getLogger(WebhookButtons.class);

    private final WebhookKeeper keeper;
    private final Policy policy;
    private final GroupMembers groups;
    private final SlackPoster poster;
    private final Replies replies;
    private final Executor executor;

    public WebhookButtons(WebhookKeeper keeper, Policy policy, GroupMembers groups, SlackPoster poster,
            Executor executor) {
        this.keeper = keeper;
        this.policy = policy;
        this.groups = groups;
        this.poster = poster;
        this.replies = new Replies(poster);
        this.executor = executor;
    }

    public Response handle(BlockActionRequest request, ActionContext context) {
        BlockActionPayload payload = request.getPayload();
        try {
            executor.execute(() -> click(payload));
        } catch (RejectedExecutionException e) {
            log.warn("Re-enable click dropped: the work queue is full");
        }
        return context.ack();
    }

    private void click(BlockActionPayload payload) {
        if (payload.getActions() == null || payload.getActions().isEmpty()) {
            return;
        }
        String database = payload.getActions().get(0).getValue();
        String user = payload.getUser() == null ? "" : payload.getUser().getId();
        if (database == null || !DeployRef.isValidName(database)) {
            replies.tell(payload.getResponseUrl(), Messages.brokenButton());
            return;
        }
        Decision decision = policy.check(user, Policy.ADMIN, database, groups);
        if (!decision.allowed()) {
            replies.tell(payload.getResponseUrl(), Messages.denied(Policy.ADMIN, decision.reason()));
            return;
        }
        try {
            keeper.reenable(database);
        } catch (PlanetScaleException | IOException e) {
            replies.tell(payload.getResponseUrl(), Messages.webhookSetupFailed(database, e));
            return;
        }
        try {
            poster.respond(payload.getResponseUrl(), Messages.webhookReenabled(user, database), List.of(), true, true);
        } catch (SlackPostException e) {
            log.warn("Could not replace the webhook report: {}", e.error());
        }
    }
}
