package dev.cutover.app;

import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.bolt.middleware.Middleware;
import com.slack.api.bolt.middleware.MiddlewareChain;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.response.Response;
import dev.cutover.render.Messages;
import dev.cutover.slack.SlackPostException;
import dev.cutover.slack.SlackPoster;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code SLACK_TEAM_ID}: only these workspaces may use the bot. Without it a user of another workspace in a Slack
 * Connect channel could deploy (and, with no policy file, do anything). A slash command from elsewhere is answered
 * with the refusal at once; a click, whose answer Slack ignores, gets it through its {@code response_url}.
 */
final class WorkspaceGate implements Middleware {
    private static final Logger log = LoggerFactory.getLogger(WorkspaceGate.class);

    private final Set<String> teams;
    private final SlackPoster poster;
    private final Executor executor;

    WorkspaceGate(Set<String> teams, SlackPoster poster, Executor executor) {
        this.teams = Set.copyOf(teams);
        this.poster = poster;
        this.executor = executor;
    }

    @Override
    @SuppressWarnings("rawtypes") // Bolt's Middleware interface is declared with the raw Request type
    public Response apply(Request req, Response resp, MiddlewareChain chain) throws Exception {
        if (teams.isEmpty()) {
            return chain.next(req);
        }
        List<String> from = teamsOf(req);
        if (!from.isEmpty() && teams.containsAll(from)) {
            return chain.next(req);
        }
        log.info("Refused a {} from workspace {} (SLACK_TEAM_ID allows {})", req.getRequestType(), from, teams);
        String refusal = Messages.otherWorkspace();
        if (req instanceof SlashCommandRequest) {
            return Response.json(200, "{\"response_type\":\"ephemeral\",\"text\":" + jsonString(refusal) + "}");
        }
        if (req instanceof BlockActionRequest click && click.getPayload().getResponseUrl() != null) {
            String responseUrl = click.getPayload().getResponseUrl();
            try {
                executor.execute(() -> {
                    try {
                        poster.respond(responseUrl, refusal, List.of(), false, false);
                    } catch (SlackPostException e) {
                        log.warn("Could not tell a user of another workspace why: {}", e.error());
                    }
                });
            } catch (RejectedExecutionException busy) {
                // Nothing was done for them either way.
            }
        }
        return Response.ok();
    }

    /** Every workspace the request speaks for: the team, and for a click also the clicking user's team. */
    private static List<String> teamsOf(Request<?> req) {
        Stream<String> teams = Stream.of(req.getContext().getTeamId());
        if (req instanceof BlockActionRequest click) {
            BlockActionPayload.User user = click.getPayload().getUser();
            teams = Stream.concat(teams, Stream.of(user == null ? null : user.getTeamId()));
        }
        return teams.filter(team -> team != null && !team.isBlank()).distinct().toList();
    }

    private static String jsonString(String text) {
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode(text).toString();
    }
}
