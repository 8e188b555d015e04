package dev.cutover.render;

import dev.cutover.deploy.Actor;
import dev.cutover.deploy.AvailableActions;
import dev.cutover.deploy.DeployAction;
import dev.cutover.deploy.DeployBlocker;
import dev.cutover.deploy.DeployRef;
import dev.cutover.deploy.DeployRequest;
import dev.cutover.deploy.Deployment;
import dev.cutover.deploy.DeploymentState;
import dev.cutover.deploy.EventType;
import dev.cutover.deploy.LintError;
import dev.cutover.deploy.PlanetScaleEvent;
import dev.cutover.planetscale.PlanetScaleException;
import dev.cutover.slack.SandboxMarker;
import dev.cutover.store.ChannelProblem;
import dev.cutover.store.Subscription;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one place that turns outcomes and errors into words for a person: short, actionable mrkdwn with no stack
 * traces or raw JSON, and every user or PlanetScale string escaped. Sandbox mode is marked where messages leave
 * ({@link SandboxMarker}), never here.
 */
public final class Messages {
    private static final Pattern SLACK_USER_ID = Pattern.compile("[UW][A-Z0-9]{2,30}");
    private static final Pattern SLACK_MENTION = Pattern.compile("<(@[UW][A-Z0-9]{2,30}|!subteam\\^S[A-Z0-9]{2,30}|!here|!channel)>");
    private static final int API_MESSAGE_SHOWN = 400;
    private static final int NAME_SHOWN = 100;
    /** A comment quoted in a thread reply; PlanetScale has the whole of it. */
    private static final int COMMENT_SHOWN = 1_500;

    private Messages() {}

    /** The visible line that says PlanetScale is simulated. */
    public static String sandboxMarker() {
        return "🧪 Sandbox — simulated PlanetScale";
    }

    /** Every sub-command with an example. */
    public static String help() {
        return String.join("\n",
                "*Cutover — PlanetScale deploy requests in Slack*",
                "A deploy request can be written `shop 7`, `shop#7`, `#7` (when this channel follows one database)"
                        + " or pasted as its PlanetScale link. The `dr` / `deploy-request` prefix is optional.",
                "• `/pscale list [database] [--state open|closed|all]` — deploy requests, open ones by default",
                "• `/pscale show shop#7` — the card with its buttons",
                "• `/pscale queue [database]` — the deploy queue",
                "• `/pscale approve shop#7 [comment]` — approve it",
                "• `/pscale comment shop#7 Looks good` — add a comment",
                "• `/pscale deploy shop#7 [--instant]` — queue it for deploy (`--instant`: no revert, no gate)",
                "• `/pscale apply shop#7` — cut over a deploy that waits for you",
                "• `/pscale cancel shop#7` · `/pscale close shop#7`",
                "• `/pscale revert shop#7` · `/pscale skip-revert shop#7` — inside the 30-minute revert window",
                "• `/pscale unblock shop#7` — unblock the deploy queue after a failed deploy",
                "• `/pscale subscribe [database] [deploys|branches|storage|event…]` — post events here"
                        + " (default `deploys`), e.g. `/pscale subscribe shop deploy_request.opened`",
                "• `/pscale unsubscribe [database]` · `/pscale subscriptions`",
                "• `/pscale webhooks setup shop` — point PlanetScale's webhook at Cutover (admins)",
                "• `/pscale doctor` — check the whole installation, each problem with its fix (admins)",
                "• `/pscale login` · `/pscale whoami` · `/pscale logout` — act in PlanetScale as yourself",
                "• `/pscale audit shop[#7]` — who did what through Cutover, newest first",
                "• `/pscale dr show https://app.planetscale.com/acme/shop/deploy-requests/7` works too");
    }

    /**
     * A verb we do not know; {@code quotedVerb} is already escaped and quoted. With a likely meaning the answer
     * suggests it; either way {@link #usage(String)} follows (of the suggestion, else the overview).
     */
    public static String unknownCommand(String quotedVerb, Optional<String> meant) {
        return "I don't know the command " + quotedVerb + "."
                + meant.map(verb -> " Did you mean `/pscale " + verb + "`?").orElse("");
    }

    /** How to use one sub-command; an unknown one gets the short overview. */
    public static String usage(String subcommand) {
        String name = subcommand == null ? "" : subcommand.toLowerCase(Locale.ROOT);
        return switch (name) {
            case "list", "ls" -> "Usage: `/pscale list [database] [--state open|closed|all]`, e.g. `/pscale list shop --state closed`";
            case "show" -> "Usage: `/pscale show <deploy request>`, e.g. `/pscale show shop#7`".replace("<deploy request>", "&lt;deploy request&gt;");
            case "queue" -> "Usage: `/pscale queue [database]`, e.g. `/pscale queue shop`";
            case "approve" -> "Usage: `/pscale approve shop#7 [comment]`, e.g. `/pscale approve shop#7 ship it`";
            case "comment" -> "Usage: `/pscale comment shop#7 <text>`, e.g. `/pscale comment shop#7 Please add an index`".replace("<text>", "&lt;text&gt;");
            case "deploy" -> "Usage: `/pscale deploy shop#7 [--instant]` — `--instant` cannot be gated or reverted";
            case "apply" -> "Usage: `/pscale apply shop#7` — cuts over a deploy waiting in pending cutover";
            case "cancel" -> "Usage: `/pscale cancel shop#7` — stops a queued or running deploy before cutover";
            case "close" -> "Usage: `/pscale close shop#7` — closes without deploying";
            case "revert" -> "Usage: `/pscale revert shop#7` — inside the revert window";
            case "skip-revert", "skip_revert" -> "Usage: `/pscale skip-revert shop#7` — makes the change permanent now";
            case "unblock" -> "Usage: `/pscale unblock shop#7` — after a failed deploy or revert blocks the queue";
            case "subscribe" -> "Usage: `/pscale subscribe [database] [deploys|branches|storage|event…]`, "
                    + "e.g. `/pscale subscribe shop deploys branches`";
            case "unsubscribe" -> "Usage: `/pscale unsubscribe [database]`";
            case "login", "whoami", "logout" -> "Usage: `/pscale login`, `/pscale whoami`, `/pscale logout`";
            case "audit" -> "Usage: `/pscale audit <database>[#number] [--before <id>]`, e.g. `/pscale audit shop#7`"
                    .replace("<database>", "&lt;database&gt;").replace("<id>", "&lt;id&gt;");
            case "subscriptions" -> "Usage: `/pscale subscriptions` — what this channel follows";
            case "doctor" -> "Usage: `/pscale doctor` — checks Slack, PlanetScale, webhooks, channels, outbox and store";
            case "webhooks", "webhook" -> "Usage: `/pscale webhooks setup <database>` — points PlanetScale's webhook"
                    .replace("<database>", "&lt;database&gt;") + " at Cutover (admins)";
            default -> "Try `/pscale help` for every command, e.g. `/pscale list` or `/pscale show shop#7`.";
        };
    }

    /** A comment made through Cutover, with its text, for the deploy request's thread. */
    public static String commented(DeployRef ref, String slackUserId, String comment) {
        return "💬 " + mention(slackUserId) + " commented on " + ref + " via Cutover:\n>"
                + Mrkdwn.escape(comment, COMMENT_SHOWN).replace("\n", "\n>");
    }

    /** The line recorded in the thread and the card history after an action succeeded. */
    public static String done(DeployAction action, DeployRef ref, String slackUserId) {
        String who = mention(slackUserId);
        return switch (action) {
            case APPROVE -> "✅ " + who + " approved " + ref;
            case COMMENT -> "💬 " + who + " commented on " + ref;
            case DEPLOY -> "🚀 " + who + " queued " + ref + " for deploy";
            case DEPLOY_INSTANT -> "⚡ " + who + " deployed " + ref + " instantly";
            case APPLY -> "🔀 " + who + " applied the changes of " + ref;
            case CANCEL -> "🛑 " + who + " cancelled the deploy of " + ref;
            case CLOSE -> "🗂️ " + who + " closed " + ref;
            case REVERT -> "↩️ " + who + " started a revert of " + ref;
            case SKIP_REVERT -> "⏭️ " + who + " skipped the revert window of " + ref;
            case UNBLOCK -> "🔓 " + who + " unblocked the deploy queue after " + ref;
            case FORCE_CUTOVER -> "⏩ " + who + " forced the cutover of " + ref;
            case MAKE_GATED -> "🚧 " + who + " made " + ref + " gated: it will wait for someone to apply it";
        };
    }

    /**
     * Why {@code action} no longer applies, decided from the freshly fetched request (the button was stale or the
     * command came too late).
     */
    public static String notApplicable(DeployAction action, DeployRequest deployRequest) {
        DeployRef ref = deployRequest.ref();
        DeploymentState state = deployRequest.deploymentState();
        String now = " (it is " + DeployRequestCard.stateWords(state).toLowerCase(Locale.ROOT) + ")";
        if (!deployRequest.isOpen()) {
            return "ℹ️ " + ref + " is closed" + now + " — nothing to " + verb(action) + ".";
        }
        return "ℹ️ " + switch (action) {
            // Refused for a ready, deployable request means the approval was required and missing.
            case DEPLOY, DEPLOY_INSTANT -> whyNotDeploy(action, deployRequest, true, now);
            case APPLY -> ref + " is not waiting for cutover" + now + ".";
            case CANCEL -> ref + " is not queued or deploying, so there is nothing to cancel" + now + ".";
            case REVERT, SKIP_REVERT -> ref + " is not in its revert window" + now + ".";
            case UNBLOCK -> ref + " is not blocking the deploy queue" + now + ".";
            case FORCE_CUTOVER -> ref + " is not cutting over" + now + ".";
            case MAKE_GATED -> ref + " will not cut over by itself" + now + ".";
            case APPROVE -> deployRequest.approved()
                    ? ref + " is already approved."
                    : ref + " can no longer be approved" + now + ".";
            case COMMENT -> ref + " can no longer take comments" + now + ".";
            case CLOSE -> ref + " cannot be closed while its deploy is under way" + now + ".";
        };
    }

    private static String whyNotDeploy(DeployAction action, DeployRequest deployRequest, boolean approvalRequired,
            String now) {
        DeployRef ref = deployRequest.ref();
        DeployBlocker blocker = AvailableActions.deployBlocker(deployRequest, approvalRequired, action);
        if (blocker == null) {
            return ref + " can be deployed now — try again.";
        }
        return switch (blocker) {
            case CHECKING -> "PlanetScale is still checking " + ref + " — try again in a moment.";
            case NO_CHANGES -> ref + " has no schema changes — nothing to deploy.";
            case CHECKS_FAILED -> ref + " failed its deploy checks — fix the branch first; the card lists why.";
            case NOT_DEPLOYABLE -> ref + " is not deployable yet — the card lists why.";
            case NOT_INSTANT_ELIGIBLE -> ref + " cannot be deployed instantly — use Deploy instead.";
            case NEEDS_APPROVAL -> ref + " needs an approval before it can be deployed.";
            case ALREADY_UNDER_WAY -> ref + " is already queued — nothing to deploy" + now + ".";
            case WAITING_FOR_CUTOVER -> ref + " is already deployed and waits for cutover — press Apply changes.";
            case CANCELLED -> ref + " was cancelled and cannot be deployed again; open a new deploy request.";
            case FINISHED -> ref + " cannot be deployed now" + now + ".";
        };
    }

    /**
     * Turns a failed PlanetScale call into words.
     *
     * @param action the write that failed, or null for a read
     * @param what what was being read or written: {@code shop#7}, {@code databases}, …
     * @param tokenSeesOrganization whether {@code GET /v1/organizations} shows our organization; null when unknown.
     *     A 404 means "does not exist" only when the token can see the organization (planetscale-api.md §6.2)
     */
    public static String failure(DeployAction action, String what, Throwable error, Boolean tokenSeesOrganization) {
        return failure(action, what, null, error, tokenSeesOrganization);
    }

    /** {@link #failure(DeployAction, String, Throwable, Boolean)} naming the organization when the token cannot see it. */
    public static String failure(DeployAction action, String what, String org, Throwable error, Boolean tokenSeesOrganization) {
        return failure(action, what, org, error, tokenSeesOrganization, null);
    }

    /**
     * {@link #failure(DeployAction, String, String, Throwable, Boolean)} knowing which databases the token sees (null
     * when unknown): a 404 about a database it does not see names the ones it does.
     */
    public static String failure(DeployAction action, String what, String org, Throwable error,
            Boolean tokenSeesOrganization, List<String> visibleDatabases) {
        String subject = Mrkdwn.escape(what == null || what.isBlank() ? "that" : what, NAME_SHOWN);
        String doing = action == null ? "load " + subject : verb(action) + " " + subject;
        Throwable cause = rootOfInterest(error);
        if (cause instanceof PlanetScaleException api) {
            return apiFailure(action, what, subject, doing, org, api, tokenSeesOrganization, visibleDatabases);
        }
        if (cause instanceof IOException) {
            return action == null
                    ? "⚠️ Could not reach PlanetScale to " + doing + "; nothing was changed. Try again in a moment."
                    : "⚠️ Could not reach PlanetScale to " + doing + " — the action may or may not have happened;"
                            + " press Refresh to see.";
        }
        return "😵 Sorry — something went wrong while trying to " + doing
                + ". Try again, or ask an admin to look at Cutover's logs.";
    }

    private static String apiFailure(DeployAction action, String what, String subject, String doing, String org,
            PlanetScaleException error, Boolean tokenSeesOrganization, List<String> visibleDatabases) {
        int status = error.status();
        if (status == 404) {
            if (Boolean.FALSE.equals(tokenSeesOrganization)) {
                return "🔑 The PlanetScale service token cannot see the organization"
                        + (org == null || org.isBlank() ? "" : " " + Mrkdwn.escape(org, NAME_SHOWN))
                        + " (bad token or no access). Ask an admin to check it.";
            }
            // PlanetScale answers 404 for "no such thing" and for "no access" alike: one sentence says both, with
            // the access to grant (planetscale-api.md §6.2).
            Optional<String> database = databaseOf(what)
                    .or(() -> visibleDatabases != null && DeployRef.isValidName(what) ? Optional.of(what) : Optional.empty());
            if (database.isPresent() && visibleDatabases != null && !visibleDatabases.contains(database.get())) {
                String seen = visibleDatabases.isEmpty() ? "none at all"
                        : visibleDatabases.stream().map(name -> code(name)).collect(Collectors.joining(", "));
                return notFound("database " + code(database.get()), "`read_database` and "
                        + "`read_deploy_request` on it") + " It sees: " + seen + ".";
            }
            if (databaseOf(what).isPresent()) {
                String lead = Boolean.TRUE.equals(tokenSeesOrganization) ? "No deploy request " : "Could not find deploy request ";
                return "🔍 " + lead + subject + " that the service token can see. If it exists, grant the token "
                        + "`read_deploy_request` on " + Mrkdwn.escape(database.get(), NAME_SHOWN) + ".";
            }
            return notFound(subject, "access to it");
        }
        if (status == 401) {
            return "🔑 PlanetScale rejected Cutover's credentials (HTTP 401), so nothing was changed."
                    + " Ask an admin to check the service token.";
        }
        if (status == 403) {
            return "🔑 The PlanetScale service token may not " + doing + ": it needs " + access(action)
                    + databaseOf(what).map(db -> " on " + Mrkdwn.escape(db, NAME_SHOWN)).orElse("")
                    + ". Ask an admin to grant it; nothing was changed.";
        }
        if (status == 400 || status == 409 || status == 422) {
            String reason = error.apiMessage().isBlank()
                    ? "HTTP " + status
                    : Mrkdwn.escape(error.apiMessage(), API_MESSAGE_SHOWN);
            return "🙅 PlanetScale refused to " + doing + ": " + reason + ". Nothing was changed.";
        }
        if (status == 429) {
            return "🐢 PlanetScale is rate limiting Cutover; nothing was changed. Try again in a minute.";
        }
        if ((status == 502 || status == 504) && action != null) {
            // A gateway error can arrive after PlanetScale already acted: do not promise that nothing changed.
            return "⚠️ PlanetScale's gateway answered HTTP " + status + " while Cutover tried to " + doing
                    + " — the action may or may not have happened; press Refresh to see.";
        }
        if (status >= 500) {
            return "⚠️ PlanetScale is unavailable right now (HTTP " + status + "); nothing was changed. Try again shortly.";
        }
        return "😵 Sorry — PlanetScale answered HTTP " + status + " when Cutover tried to " + doing
                + ". Press Refresh to see where things stand.";
    }

    /** The one wording of PlanetScale's 404: there is no such thing, or the token may not see it. */
    private static String notFound(String subject, String access) {
        return "🔍 No " + subject + " that the service token can see. If it exists, grant the token " + access + ".";
    }

    /** The access a service token needs for an action (planetscale-api.md §1). */
    private static String access(DeployAction action) {
        if (action == null) {
            return "`read_deploy_request`";
        }
        return switch (action) {
            case APPROVE -> "`approve_deploy_request`";
            case COMMENT -> "`review_deploy_request`";
            case DEPLOY, DEPLOY_INSTANT, APPLY, CANCEL, CLOSE, REVERT, SKIP_REVERT, UNBLOCK, FORCE_CUTOVER, MAKE_GATED ->
                    "`create_deploy_request`";
        };
    }

    /** A policy said no. {@code reason} comes from the policy file and is escaped. */
    public static String denied(DeployAction action, String reason) {
        return denied(action == null ? "do that" : verb(action), reason);
    }

    /** A policy said no to something that is not a deploy action ("subscribe", "list closed requests"). */
    public static String denied(String action, String reason) {
        String what = action == null || action.isBlank() ? "do that" : Mrkdwn.escape(action, NAME_SHOWN);
        return "🚫 You are not allowed to " + what + " here"
                + (reason == null || reason.isBlank() ? "." : ": " + Mrkdwn.escape(reason, API_MESSAGE_SHOWN)
                        + (reason.strip().endsWith(".") ? "" : "."));
    }

    /** A request from a Slack workspace that {@code SLACK_TEAM_ID} does not list (e.g. through Slack Connect). */
    public static String otherWorkspace() {
        return "🚫 This Cutover serves only its own Slack workspace, so it cannot act for you. Ask someone in the"
                + " workspace that installed it.";
    }

    /** Under {@code /pscale show}: the author's actor id, the value the policy file's {@code people} takes. */
    public static String authorActorId(dev.cutover.deploy.Actor author) {
        return author.id().isBlank() ? "Author's PlanetScale actor id: unknown"
                : "Author's PlanetScale actor id: `" + Mrkdwn.escape(author.id(), NAME_SHOWN)
                        + "` (use it in the policy file's `people`)";
    }

    /** The Slack user opened the deploy request themselves; PlanetScale cannot tell, because the token approves. */
    public static String selfApproval(DeployRef ref) {
        return "🙅 You opened " + ref + ", so you cannot approve it yourself — ask a teammate to approve it.";
    }

    /** One line for the card's thread per deploy-request event: what happened, by whom and when. */
    public static String transition(EventType type, DeployRequest deployRequest) {
        return transition(type, deployRequest, Optional.empty());
    }

    /** Slack's limit for a section's text is 3,000 characters; a coalesced reply stays under it. */
    private static final int REPLY_LIMIT = 2_900;

    /**
     * One reply for transitions applied together while the channel's pace was backed up: one line each, oldest
     * first; when they would not fit one message, the oldest are counted instead of listed.
     */
    public static String transitions(List<String> lines) {
        if (lines.size() == 1) {
            return lines.get(0);
        }
        int first = 0;
        int length = String.join("\n", lines).length();
        while (length > REPLY_LIMIT && first < lines.size() - 1) {
            length -= lines.get(first).length() + 1;
            first++;
        }
        String listed = String.join("\n", lines.subList(first, lines.size()));
        return first == 0 ? listed : "_… " + first + " earlier " + (first == 1 ? "transition" : "transitions")
                + " not listed_\n" + listed;
    }

    /**
     * {@link #transition(EventType, DeployRequest)} crediting {@code slackActor}, the Slack user whose action through
     * Cutover caused the event (PlanetScale itself only saw the service token).
     */
    public static String transition(EventType type, DeployRequest deployRequest, Optional<String> slackActor) {
        return transition(type, deployRequest, slackActor, null);
    }

    /**
     * The thread line of an event, whoever told Cutover: a change found by reconciliation (done in the dashboard,
     * the CLI, or while webhooks were off) ends with a discreet "↻ seen in PlanetScale".
     */
    public static String transition(PlanetScaleEvent.DeployRequestChanged event, Optional<String> slackActor) {
        String line = transition(event.type(), event.request(), slackActor, event.actor());
        return event.isReconciled() ? line + " · " + SEEN_IN_PLANETSCALE : line;
    }

    /** Marks a reply that reconciliation, not a webhook, brought. */
    public static final String SEEN_IN_PLANETSCALE = "_↻ seen in PlanetScale_";

    private static String transition(EventType type, DeployRequest deployRequest, Optional<String> slackActor,
            Actor actor) {
        DeployRef ref = deployRequest.ref();
        Optional<Deployment> deployment = deployRequest.deploymentIfPresent();
        return switch (type) {
            case DEPLOY_REQUEST_OPENED -> "📝 " + ref + " opened" + by(deployRequest.author()) + " — "
                    + code(deployRequest.branch()) + " → " + code(deployRequest.intoBranch())
                    + at(deployRequest.createdAt(), deployRequest.updatedAt());
            case DEPLOY_REQUEST_QUEUED -> "📥 " + ref + " queued for deploy"
                    + by(deployment.map(Deployment::deployer).orElse(null), slackActor)
                    + at(deployment.map(Deployment::queuedAt).orElse(null), deployRequest.updatedAt());
            case DEPLOY_REQUEST_IN_PROGRESS -> "🔄 " + ref + " is deploying"
                    + deployment.map(Deployment::overallProgress).map(p -> String.format(Locale.ROOT, " (%.0f%%)", p)).orElse("")
                    + at(deployment.map(Deployment::startedAt).orElse(null), deployRequest.updatedAt());
            case DEPLOY_REQUEST_PENDING_CUTOVER -> "⏸️ " + ref + " is ready to apply — press Apply changes"
                    + at(deployRequest.updatedAt(), null);
            case DEPLOY_REQUEST_SCHEMA_APPLIED -> "✅ " + ref + " schema applied"
                    + by(deployment.map(Deployment::cutoverActor).orElse(null), slackActor)
                    + at(deployRequest.deployedAt(), deployRequest.updatedAt())
                    + deployRequest.revertWindowClosesAt().map(t -> " — revert window closes " + Mrkdwn.date(t)).orElse("");
            case DEPLOY_REQUEST_ERRORED -> "❌ " + ref + " errored" + at(deployRequest.updatedAt(), null)
                    + firstErrors(deployment.orElse(null));
            case DEPLOY_REQUEST_REVERTED -> "↩️ " + ref + " revert started"
                    + by(deployment.map(Deployment::revertWindow).map(w -> w.actor()).orElse(null), slackActor)
                    + at(deployRequest.updatedAt(), null);
            case DEPLOY_REQUEST_CLOSED -> closed(deployRequest, slackActor);
            case RECONCILED_APPROVED -> "👍 " + ref + " approved" + (actor == null || actor.name().isBlank() ? ""
                    : " by " + Mrkdwn.escape(actor.name(), NAME_SHOWN)) + " in PlanetScale"
                    + at(deployRequest.updatedAt(), null);
            case RECONCILED_CHANGED -> "ℹ️ " + ref + " is now "
                    + DeployRequestCard.stateWords(deployRequest.deploymentState()).toLowerCase(Locale.ROOT)
                    + (deployRequest.isOpen() ? "" : " (request closed)") + at(deployRequest.updatedAt(), null);
            // Not deploy-request events; a thread never gets them, but say something true if one arrives.
            case BRANCH_READY, BRANCH_SLEEPING, BRANCH_ANOMALY, BRANCH_PRIMARY_PROMOTED, BRANCH_START_MAINTENANCE,
                    BRANCH_OUT_OF_MEMORY, BRANCH_SCHEMA_RECOMMENDATION, KEYSPACE_STORAGE, CLUSTER_STORAGE,
                    DATABASE_ACCESS_REQUEST, WEBHOOK_TEST, UNKNOWN -> "ℹ️ " + ref + ": PlanetScale reported "
                    + code(type == EventType.UNKNOWN ? "an event" : type.wire()) + " — now "
                    + DeployRequestCard.stateWords(deployRequest.deploymentState()).toLowerCase(Locale.ROOT)
                    + at(deployRequest.updatedAt(), null);
        };
    }

    private static String closed(DeployRequest deployRequest, Optional<String> slackActor) {
        DeployRef ref = deployRequest.ref();
        String when = at(deployRequest.closedAt(), deployRequest.updatedAt());
        return switch (deployRequest.deploymentState()) {
            // Closed by PlanetScale when the revert window ends; credited when someone skipped or reverted it through us.
            case COMPLETE_REVERT -> "↩️ " + ref + " reverted and closed" + by(null, slackActor) + when;
            case COMPLETE -> "✅ " + ref + " deployed and closed" + by(null, slackActor) + when;
            default -> "🗂️ " + ref + " closed without deploying" + by(deployRequest.closedBy(), slackActor) + when;
        };
    }

    /**
     * A reminder that the revert window is closing.
     *
     * @param slackMentionOrNull {@code <@U123>} or a bare user id; null (or anything else) mentions nobody
     */
    public static String revertReminder(DeployRequest deployRequest, String slackMentionOrNull) {
        return revertReminder(deployRequest, slackMentionOrNull, null);
    }

    /** {@link #revertReminder(DeployRequest, String)} that also says how long is left, counted from {@code now}. */
    public static String revertReminder(DeployRequest deployRequest, String slackMentionOrNull, Instant now) {
        String who = reminderMention(slackMentionOrNull);
        Optional<Instant> closes = deployRequest.revertWindowClosesAt();
        String when = closes.map(Mrkdwn::date).orElse("soon");
        String left = closes.filter(t -> now != null).map(t -> " (" + inMinutes(Duration.between(now, t)) + ")").orElse("");
        return "⏰ " + (who.isEmpty() ? "" : who + " ") + "the revert window for " + deployRequest.ref() + " closes "
                + when + left + ". Revert or skip it now.";
    }

    /** Answer to PlanetScale's webhook test: the path from PlanetScale to this channel works. */
    public static String webhookWorks(String database) {
        return "✅ Webhook works" + (database == null || database.isBlank() ? "" : " for "
                + Mrkdwn.escape(database, NAME_SHOWN)) + ": PlanetScale's test webhook arrived, so notifications work.";
    }

    /** PlanetScale's test event arrived for a webhook set up from Slack. */
    public static String webhookSetupConfirmed(String database) {
        return "✅ PlanetScale's test event for *" + Mrkdwn.escape(database, NAME_SHOWN) + "* arrived: the webhook"
                + " works, so changes reach Slack within seconds (reconciliation stays on as the safety net).";
    }

    /** {@code /pscale webhooks setup} created (or adopted) the webhook and asked for PlanetScale's test event. */
    public static String webhookCreated(String slackUserId, String database, String url, boolean created) {
        return "🪝 " + mention(slackUserId) + (created ? " created" : " re-armed") + " PlanetScale's webhook for *"
                + Mrkdwn.escape(database, NAME_SHOWN) + "* → `" + Mrkdwn.escape(url, API_MESSAGE_SHOWN)
                + "` (enabled, with every event Cutover uses). Sent PlanetScale's test event; I'll confirm here"
                + " when it arrives.";
    }

    /** Set-up needs to know where PlanetScale can reach Cutover. */
    public static String webhookNeedsPublicUrl() {
        return "🌐 I don't know my public address, so I can't point PlanetScale at me. Set `CUTOVER_PUBLIC_URL`"
                + " (e.g. `https://cutover.example.com`) and try again. Nothing was changed.";
    }

    /** Set-up failed at PlanetScale. */
    public static String webhookSetupFailed(String database, Throwable error) {
        String why = error instanceof PlanetScaleException e ? "PlanetScale answered " + e.status()
                + (e.apiMessage().isBlank() ? "" : " (" + Mrkdwn.escape(e.apiMessage(), API_MESSAGE_SHOWN) + ")")
                : "PlanetScale could not be reached";
        return "❌ Could not set up the webhook for *" + Mrkdwn.escape(database, NAME_SHOWN) + "*: " + why
                + ". Creating webhooks needs the `write_database` access on the service token (reading them,"
                + " `read_database`).";
    }

    /** The admin channel's report of a webhook PlanetScale disabled. */
    public static String webhookDisabled(String database, String lastResult) {
        return "⚠️ PlanetScale disabled Cutover's webhook for *" + Mrkdwn.escape(database, NAME_SHOWN) + "*"
                + lastResultWords(lastResult) + ". Reconciliation keeps Slack current meanwhile (slower);"
                + " re-enable it to get the fast path back.";
    }

    public static String webhookReenabledAutomatically(String database, String lastResult) {
        return "🔁 PlanetScale had disabled Cutover's webhook for *" + Mrkdwn.escape(database, NAME_SHOWN) + "*"
                + lastResultWords(lastResult) + "; re-enabled it (CUTOVER_WEBHOOK_AUTO_REENABLE). Reconciliation"
                + " filled the gap.";
    }

    public static String webhookReenabled(String slackUserId, String database) {
        return "✅ " + mention(slackUserId) + " re-enabled Cutover's webhook for *" + Mrkdwn.escape(database, NAME_SHOWN)
                + "*. Reconciliation filled the gap while it was off.";
    }

    public static String webhookDeliveryFailed(String database, String lastResult) {
        return "⚠️ PlanetScale's last webhook delivery to Cutover for *" + Mrkdwn.escape(database, NAME_SHOWN)
                + "* failed" + lastResultWords(lastResult) + ". If it keeps failing PlanetScale will disable the"
                + " webhook; check that Cutover is reachable at its public URL.";
    }

    public static String webhookMissing(String database) {
        return "⚠️ The webhook Cutover set up for *" + Mrkdwn.escape(database, NAME_SHOWN) + "* is gone from"
                + " PlanetScale. Run `/pscale webhooks setup " + Mrkdwn.escape(database, NAME_SHOWN) + "` to create it"
                + " again; reconciliation keeps Slack current meanwhile.";
    }

    private static String lastResultWords(String lastResult) {
        return lastResult == null || lastResult.isBlank() ? ""
                : " (last delivery: `" + Mrkdwn.escape(lastResult, API_MESSAGE_SHOWN) + "`)";
    }

    /** {@code /pscale doctor}'s answer: one line per check, with its fix. */
    public static String doctor(dev.cutover.doctor.Report report) {
        StringBuilder text = new StringBuilder("*Cutover doctor* — " + report.overall().emoji());
        for (dev.cutover.doctor.Report.Line line : report.lines()) {
            text.append("\n").append(line.status().emoji()).append(" *").append(Mrkdwn.escape(line.subject(),
                    NAME_SHOWN)).append("*: ").append(Mrkdwn.escape(line.text(), API_MESSAGE_SHOWN));
            if (!line.fix().isBlank()) {
                text.append(" → ").append(Mrkdwn.escape(line.fix(), API_MESSAGE_SHOWN));
            }
        }
        return text.toString();
    }

    /** The work queue is full: the person should simply try again. */
    public static String busy() {
        return "⏳ Cutover is very busy right now and could not take that on. Nothing was changed — try again in a moment.";
    }

    /** A command left out the database and the channel does not say which one it means. */
    public static String whichDatabase(String what, List<String> channelDatabases) {
        String hint = channelDatabases.isEmpty()
                ? "This channel follows no database, so name one, e.g. `/pscale show shop 7`."
                : "This channel follows " + channelDatabases.size() + " databases ("
                        + Mrkdwn.escape(String.join(", ", channelDatabases), NAME_SHOWN) + "), so name one.";
        return "🤔 Which database for " + Mrkdwn.escape(what, NAME_SHOWN) + "? " + hint;
    }

    public static String subscribed(String slackUserId, String database, Set<String> filters) {
        return "📣 " + mention(slackUserId) + " subscribed this channel to *" + Mrkdwn.escape(database, NAME_SHOWN)
                + "* (" + Mrkdwn.escape(String.join(", ", new TreeSet<>(filters)), NAME_SHOWN)
                + "). Each deploy request gets one thread here.";
    }

    public static String unsubscribed(String slackUserId, String database) {
        return "🔕 " + mention(slackUserId) + " unsubscribed this channel from *" + Mrkdwn.escape(database, NAME_SHOWN) + "*.";
    }

    public static String notSubscribed(String database) {
        return "This channel is not subscribed to *" + Mrkdwn.escape(database, NAME_SHOWN)
                + "*. See `/pscale subscriptions`.";
    }

    /**
     * Why Cutover cannot post in the channel a subscription was asked for.
     *
     * @param invisible the channel is private without the bot, or does not exist for it
     */
    public static String cannotPostHere(boolean invisible) {
        return invisible
                ? "🔒 I can't post in this channel. If it is private, invite me first with `/invite @cutover`, then"
                        + " subscribe again. Nothing was changed."
                : "🗄️ This channel is archived, so I can't post here. Nothing was changed.";
    }

    /** This channel's subscriptions, and the last delivery problem if there is one. */
    public static String subscriptions(List<Subscription> subscriptions,
            Optional<ChannelProblem> problem) {
        StringBuilder text = new StringBuilder();
        if (subscriptions.isEmpty()) {
            text.append("This channel follows no database. Try `/pscale subscribe shop`.");
        } else {
            text.append("*This channel follows:*");
            for (Subscription subscription : subscriptions) {
                text.append("\n• *").append(Mrkdwn.escape(subscription.database(), NAME_SHOWN)).append("* — ")
                        .append(Mrkdwn.escape(String.join(", ", new TreeSet<>(subscription.filters())),
                                NAME_SHOWN));
            }
        }
        problem.ifPresent(p -> text.append("\n⚠️ Last delivery here failed: `").append(Mrkdwn.escape(p.error(), NAME_SHOWN))
                .append("` (").append(Mrkdwn.date(p.at())).append("). ").append(deliveryAdvice(p.error())));
        return text.toString();
    }

    private static String deliveryAdvice(String error) {
        return switch (error) {
            case "not_in_channel", "channel_not_found" -> "Invite me with `/invite @cutover`.";
            case "is_archived" -> "The channel is archived; subscribe another one.";
            default -> "Cutover keeps retrying what it can.";
        };
    }

    /** A branch, storage or other non-deploy-request event, as one line. */
    public static String otherEvent(PlanetScaleEvent.Other event) {
        String database = event.database();
        String branch = event.branch();
        String detail = event.detail();
        String db = "*" + Mrkdwn.escape(database, NAME_SHOWN) + "*";
        String on = branch.isBlank() ? db : db + " branch `" + Mrkdwn.escape(branch, NAME_SHOWN) + "`";
        String more = detail.isBlank() ? "" : " — " + Mrkdwn.escape(detail, API_MESSAGE_SHOWN);
        return switch (event.type()) {
            case WEBHOOK_TEST -> webhookWorks(database);
            case BRANCH_READY -> "🌿 " + on + " is ready" + more;
            case BRANCH_SLEEPING -> "😴 " + on + " went to sleep" + more;
            case BRANCH_ANOMALY -> "📈 New Insights anomaly on " + on + more;
            case BRANCH_START_MAINTENANCE -> "🛠️ Maintenance is starting on " + on + more;
            case BRANCH_PRIMARY_PROMOTED -> "🔁 A new primary was promoted on " + on + more;
            case BRANCH_OUT_OF_MEMORY -> "💥 " + on + " ran out of memory" + more;
            case BRANCH_SCHEMA_RECOMMENDATION -> "💡 New schema recommendation for " + on + more;
            case KEYSPACE_STORAGE, CLUSTER_STORAGE -> "💾 Storage alert on " + on + more;
            case DATABASE_ACCESS_REQUEST -> "🔑 PlanetScale staff requested access to " + db + more;
            case DEPLOY_REQUEST_OPENED, DEPLOY_REQUEST_QUEUED, DEPLOY_REQUEST_IN_PROGRESS,
                    DEPLOY_REQUEST_PENDING_CUTOVER, DEPLOY_REQUEST_SCHEMA_APPLIED, DEPLOY_REQUEST_ERRORED,
                    DEPLOY_REQUEST_REVERTED, DEPLOY_REQUEST_CLOSED, RECONCILED_APPROVED, RECONCILED_CHANGED, UNKNOWN ->
                    "ℹ️ " + Mrkdwn.escape(event.wireName(), NAME_SHOWN) + " on " + on + more;
        };
    }

    /** A button whose value is not a deploy request (crafted, or from an unknown version of the card). */
    public static String brokenButton() {
        return "That button doesn't name a deploy request I understand. Nothing was changed — try `/pscale show`.";
    }

    /** The confirm step of a typed write: nothing happens until the button below is pressed. */
    public static String typedConfirm(DeployAction action, DeployRef ref) {
        return "Only you can see this. To " + verb(action) + " " + ref + ", press *" + action.label()
                + "* below; nothing has been changed yet.";
    }

    /** A modal was submitted, but the deploy request is no longer what the person confirmed. */
    public static String changedSinceConfirmed(DeployAction action, DeployRequest now) {
        return "⚠️ " + now.ref() + " changed while you were confirming (it is now "
                + DeployRequestCard.stateWords(now.deploymentState()).toLowerCase(Locale.ROOT)
                + "). Nothing was done — look at it again and " + verb(action) + " it from the fresh card if you still"
                + " want to.";
    }

    /** Slack would not open the confirmation modal (the click's trigger expired, or Slack failed). */
    public static String confirmationNotOpened(DeployAction action, DeployRef ref) {
        return "⚠️ Could not open the confirmation to " + verb(action) + " " + ref + ". Nothing was changed — press"
                + " the button again.";
    }

    /** The name typed into a confirmation modal was not the one asked for. */
    public static String wrongName(String expected) {
        return "That is not " + expected + ". Type " + expected + " exactly to go on; nothing was changed.";
    }

    /** A gated deploy request has waited for cutover long enough to hold up everyone behind it. */
    public static String queueBlocked(DeployRef ref, String intoBranch, Duration waited, String deployer,
            List<String> behind) {
        return "🚧 " + ref + " has waited " + Mrkdwn.escape(duration(waited)) + " for someone to apply it, and blocks"
                + " every other deploy to `" + Mrkdwn.escape(intoBranch, NAME_SHOWN) + "` meanwhile. Deployed by "
                + deployer + "." + (behind.isEmpty() ? "" : " Waiting behind it: " + String.join(", ", behind) + ".")
                + " Apply it when ready, or cancel it to let the others through.";
    }

    /** A cutover has taken far longer than swapping tables should. */
    public static String cutoverStuck(DeployRef ref, Duration waited) {
        return "⏳ The cutover of " + ref + " has been running for " + Mrkdwn.escape(duration(waited))
                + "; it may be stuck on locks held by long queries. *Force cutover* finishes it now — PlanetScale may"
                + " kill the queries that hold locks on its tables.";
    }

    /** A production deploy that will cut over by itself where the policy wants production gated. */
    public static String notGated(DeployRef ref, String intoBranch) {
        return "⚠️ " + ref + " will cut over to `" + Mrkdwn.escape(intoBranch, NAME_SHOWN) + "` by itself (auto-apply"
                + " is on), but the policy says this database deploys gated. *Make gated* so it waits for someone to"
                + " apply it.";
    }

    private static String duration(Duration waited) {
        long minutes = waited.toMinutes();
        return minutes >= 120 ? waited.toHours() + " hours" : minutes >= 1 ? minutes + " min" : waited.toSeconds()
                + " s";
    }

    /** Appended to an action's done line when a second person confirmed it. */
    public static String secondPersonCredit(String secondUserId) {
        return "(second person: " + mention(secondUserId) + ")";
    }

    /** The pending request a second person confirms, posted in the thread. */
    public static String secondPersonAsked(String requesterId, DeployAction action, DeployRef ref, boolean dropsData,
            Instant expiresAt) {
        return "✋ " + mention(requesterId) + " wants to " + verb(action) + " " + ref
                + (dropsData ? " (its operations can drop data)" : "") + ". The policy asks a second person to confirm:"
                + " anyone else allowed to " + verb(action) + " it can press the button. Expires "
                + Mrkdwn.date(expiresAt) + ".";
    }

    /** The confirm dialog on the second person's button. */
    public static String secondPersonDialog(String requesterId, DeployAction action, DeployRef ref) {
        return "As the second person, you let the person who asked " + verb(action) + " " + ref
                + ". It happens at once.";
    }

    /** Told privately to the first person. */
    public static String secondPersonWaiting(DeployAction action, DeployRef ref, Instant expiresAt) {
        return "⏳ Nothing is done yet: a second person must confirm before " + Mrkdwn.date(expiresAt) + " that you may "
                + verb(action) + " " + ref + ".";
    }

    public static String ownSecondPerson() {
        return "🚫 You asked for this yourself: a different person must confirm it. Nothing was changed.";
    }

    public static String secondPersonExpired(String requesterId, DeployAction action, DeployRef ref) {
        return "⌛ The request of " + mention(requesterId) + " to " + verb(action) + " " + ref + " expired before a"
                + " second person confirmed it. Nothing was changed; ask again if it is still wanted.";
    }

    public static String secondPersonAlreadyConfirmed(String confirmedBy, DeployRef ref) {
        return "ℹ️ This request about " + ref + " was already confirmed"
                + (confirmedBy == null ? "" : " by " + mention(confirmedBy)) + ".";
    }

    /** A button or link names another PlanetScale organization than the one this bot serves. */
    public static String otherOrganization(String org) {
        return "That deploy request belongs to another organization; this bot serves *" + Mrkdwn.escape(org, NAME_SHOWN)
                + "*. Nothing was changed.";
    }

    private static String verb(DeployAction action) {
        return switch (action) {
            case APPROVE -> "approve";
            case COMMENT -> "comment on";
            case DEPLOY -> "deploy";
            case DEPLOY_INSTANT -> "deploy instantly";
            case APPLY -> "apply";
            case CANCEL -> "cancel";
            case CLOSE -> "close";
            case REVERT -> "revert";
            case SKIP_REVERT -> "skip the revert window of";
            case UNBLOCK -> "unblock the deploy queue after";
            case FORCE_CUTOVER -> "force the cutover of";
            case MAKE_GATED -> "gate";
        };
    }

    private static String mention(String slackUserId) {
        if (slackUserId != null && SLACK_USER_ID.matcher(slackUserId).matches()) {
            return "<@" + slackUserId + ">";
        }
        return "Someone";
    }

    private static String reminderMention(String mention) {
        if (mention == null) {
            return "";
        }
        if (SLACK_MENTION.matcher(mention).matches()) {
            return mention;
        }
        return SLACK_USER_ID.matcher(mention).matches() ? "<@" + mention + ">" : "";
    }

    private static String inMinutes(Duration left) {
        long minutes = (long) Math.ceil(left.getSeconds() / 60.0);
        if (minutes <= 0) {
            return "now";
        }
        return "in " + minutes + (minutes == 1 ? " minute" : " minutes");
    }

    /** Credits the Slack user when Cutover knows one caused it, else PlanetScale's actor. */
    private static String by(Actor actor, Optional<String> slackActor) {
        return slackActor.filter(id -> SLACK_USER_ID.matcher(id).matches())
                .map(id -> " by <@" + id + "> via Cutover")
                .orElseGet(() -> by(actor));
    }

    private static String by(Actor actor) {
        if (actor == null || actor.name().isBlank()) {
            return "";
        }
        return " by " + Mrkdwn.escape(actor.name(), NAME_SHOWN);
    }

    private static String at(Instant preferred, Instant fallback) {
        Instant when = preferred != null ? preferred : fallback;
        return when == null ? "" : " · " + Mrkdwn.date(when);
    }

    private static String firstErrors(Deployment deployment) {
        if (deployment == null) {
            return "";
        }
        List<LintError> lintErrors = deployment.lintErrors();
        StringBuilder text = new StringBuilder();
        for (LintError lintError : lintErrors.subList(0, Math.min(2, lintErrors.size()))) {
            text.append(text.length() == 0 ? ": " : "; ").append(Mrkdwn.lintError(lintError, 200));
        }
        if (lintErrors.size() > 2) {
            text.append(" (and ").append(lintErrors.size() - 2).append(" more)");
        }
        if (text.length() == 0 && !deployment.deployCheckErrors().isBlank()) {
            text.append(": ").append(Mrkdwn.escape(deployment.deployCheckErrors(), 300));
        }
        if (text.length() == 0) {
            deployment.operations().stream().filter(o -> !o.deployErrors().isBlank()).findFirst()
                    .ifPresent(o -> text.append(": ").append(Mrkdwn.escape(o.deployErrors(), 300)));
        }
        return text.toString();
    }

    /** The database of "shop#7", if {@code what} names a deploy request. */
    private static Optional<String> databaseOf(String what) {
        if (what == null) {
            return Optional.empty();
        }
        int hash = what.indexOf('#');
        if (hash <= 0 || !DeployRef.isValidName(what.substring(0, hash))) {
            return Optional.empty();
        }
        return Optional.of(what.substring(0, hash));
    }

    /** The PlanetScale or network failure inside wrappers such as CompletionException, if there is one. */
    private static Throwable rootOfInterest(Throwable error) {
        Throwable current = error;
        for (int depth = 0; current != null && depth < 10; depth++) {
            if (current instanceof PlanetScaleException || current instanceof IOException) {
                return current;
            }
            current = current.getCause();
        }
        return error;
    }

    private static String code(String name) {
        return Mrkdwn.code(name, NAME_SHOWN);
    }

    // ---- linked PlanetScale accounts (/pscale login, whoami, logout) and the audit record ----

    /** The private answer to {@code /pscale login}. */
    public static String loginLink() {
        return "🔗 Link your PlanetScale account so what you do here is done as you, under your own PlanetScale"
                + " permissions. The link is yours alone, works once and expires in 10 minutes.";
    }

    /** The login button's action id: a link button, acked and otherwise ignored (Slack opens the URL). */
    public static final String LINK_ACTION_ID = "cutover_link_account";

    /** The button that opens a login link. */
    public static List<com.slack.api.model.block.LayoutBlock> linkButton(String loginUrl) {
        if (loginUrl == null || loginUrl.isBlank()) {
            return List.of();
        }
        return List.of(com.slack.api.model.block.ActionsBlock.builder().elements(List.of(
                com.slack.api.model.block.element.ButtonElement.builder().actionId(LINK_ACTION_ID)
                        .text(com.slack.api.model.block.composition.PlainTextObject.builder()
                                .text("Link your PlanetScale account").build())
                        .url(loginUrl).style("primary").build())).build());
    }

    /** {@code /pscale login} without the OAuth application configured. */
    public static String oauthNotConfigured() {
        return "🔑 Linking PlanetScale accounts is not set up here: an admin sets PLANETSCALE_OAUTH_APP_ID,"
                + " PLANETSCALE_OAUTH_CLIENT_ID, PLANETSCALE_OAUTH_CLIENT_SECRET, CUTOVER_PUBLIC_URL and"
                + " CUTOVER_ENCRYPTION_KEY. Until then Cutover acts through its service token.";
    }

    /** Told in Slack once the callback stored the link. */
    public static String linked(String actorName) {
        return "✅ You are linked to PlanetScale as *" + Mrkdwn.escape(actorName, NAME_SHOWN) + "*. What you do"
                + " through Cutover now reaches PlanetScale as you. `/pscale logout` unlinks.";
    }

    /** The callback's page after linking. */
    public static String linkedPage(String actorName) {
        return "You are linked to PlanetScale as " + actorName + ". You can close this tab and go back to Slack.";
    }

    /** The callback's (or login redirect's) page when the state is refused; {@code why} names the refusal. */
    public static String loginRefused(String why) {
        return switch (why) {
            case "EXPIRED" -> "This login link has expired. Type /pscale login in Slack for a new one.";
            case "USED" -> "This login link was already used. Type /pscale login in Slack for a new one.";
            case "OTHER_BROWSER" -> "This login link was opened in another browser (or by someone else). Open the"
                    + " link from your own /pscale login in this browser.";
            case "NO_CODE" -> "PlanetScale did not send an authorization code. Type /pscale login in Slack to try"
                    + " again.";
            case "FORGED" -> "This login link is not one Cutover made. Type /pscale login in Slack for a real one.";
            default -> "Something went wrong while linking. Type /pscale login in Slack to try again.";
        };
    }

    /** The person declined on PlanetScale's page (or PlanetScale sent {@code error}). */
    public static String loginDeclined(String error) {
        return "PlanetScale did not authorize the link (" + (error.length() > 60 ? error.substring(0, 60) : error)
                + "). Nothing was linked; type /pscale login in Slack to try again.";
    }

    /** The code exchange failed; no secret or raw body in it. */
    public static String loginExchangeFailed(Exception error) {
        if (error instanceof PlanetScaleException api) {
            return "PlanetScale refused to finish the link (HTTP " + api.status() + (api.apiMessage().isBlank() ? ""
                    : ": " + api.apiMessage()) + "). Type /pscale login in Slack to try again; if it keeps failing, an"
                    + " admin should check the OAuth application and the service token's OAuth accesses.";
        }
        return "PlanetScale could not be reached to finish the link. Type /pscale login in Slack to try again.";
    }

    /** A refresh was refused: the person must link again (never a silent fallback to another identity). */
    public static String linkExpired() {
        return "🔑 PlanetScale no longer accepts your linked account (its token was rejected or could not be refreshed),"
                + " so Cutover will not act for you until you link again.";
    }

    /** {@code /pscale whoami}. */
    public static String whoami(String slackUserId, Optional<String> actorName, Optional<String> actorId,
            boolean usable, boolean linkRequired) {
        if (actorName.isEmpty()) {
            return "You (<@" + slackUserId + ">) are not linked to a PlanetScale account: your actions reach"
                    + " PlanetScale " + (linkRequired ? "only once you link (`/pscale login`)."
                            : "through Cutover's service token. `/pscale login` to act as yourself.");
        }
        return (usable ? "🔗 " : "⚠️ ") + "You (<@" + slackUserId + ">) are linked to PlanetScale as *"
                + Mrkdwn.escape(actorName.get(), NAME_SHOWN) + "* (actor id " + code(actorId.orElse("?")) + ")."
                + (usable ? "" : " The link no longer works: `/pscale login` to link again.");
    }

    /** {@code /pscale logout}. */
    public static String loggedOut(Optional<String> actorName) {
        return actorName.map(name -> "👋 Unlinked from PlanetScale account *" + Mrkdwn.escape(name, NAME_SHOWN)
                + "*; its token was revoked.").orElse("You were not linked to a PlanetScale account.");
    }

    /** A write refused because the person must link (again) first. */
    public static String needsLink(DeployAction action, String reason) {
        String doing = action == null ? "do that" : verb(action);
        return switch (reason) {
            case "NOT_LINKED" -> "🔗 To " + doing + " you need to link your PlanetScale account first: this"
                    + " workspace's policy has every write made as the person (`identity: linked`). Nothing was changed.";
            case "EXPIRED" -> linkExpired() + " Nothing was changed.";
            case "UNREADABLE" -> "🔑 Your PlanetScale link cannot be read any more (Cutover's encryption key changed)."
                    + " Link again; nothing was changed.";
            default -> "⚠️ Could not reach PlanetScale to refresh your linked account; nothing was changed. Try again"
                    + " in a moment.";
        };
    }

    /** PlanetScale refused the person's own token: their own permissions or rules said no. */
    public static String refusedForPerson(DeployAction action, DeployRef ref, String actorName,
            PlanetScaleException error) {
        String doing = (action == null ? "do that to" : verb(action)) + " " + Mrkdwn.escape(ref.toString(), NAME_SHOWN);
        String who = "*" + Mrkdwn.escape(actorName, NAME_SHOWN) + "*";
        String detail = error.apiMessage().isBlank() ? "HTTP " + error.status()
                : Mrkdwn.escape(error.apiMessage(), API_MESSAGE_SHOWN);
        if (error.status() == 401 || "invalid_token".equals(error.code())) {
            return "🔑 PlanetScale no longer accepts the token of your linked account " + who + " (" + detail
                    + "). Link again; nothing was changed.";
        }
        if (error.status() == 403 || error.status() == 404) {
            return "🔒 PlanetScale says your account " + who + " may not " + doing + " (" + detail + "). Ask an"
                    + " organization admin for access; nothing was changed.";
        }
        return "🙅 PlanetScale refused to let " + who + " " + doing + ": " + detail + ". Nothing was changed.";
    }

    /** {@code /pscale audit}: one line per attempted write, newest first. */
    public static String audit(String what, List<dev.cutover.store.AuditEntry> entries, boolean more) {
        if (entries.isEmpty()) {
            return "📜 No actions through Cutover are recorded for " + Mrkdwn.escape(what, NAME_SHOWN) + ".";
        }
        StringBuilder text = new StringBuilder("📜 *Audit of " + Mrkdwn.escape(what, NAME_SHOWN)
                + "*, newest first (all times UTC)\n");
        for (dev.cutover.store.AuditEntry entry : entries) {
            text.append("• `").append(entry.id()).append("` ")
                    .append(java.time.format.DateTimeFormatter.ISO_INSTANT.format(
                            entry.at().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)))
                    .append(" <@").append(entry.slackUserId()).append("> ")
                    .append(Mrkdwn.escape(entry.action(), NAME_SHOWN)).append(" ")
                    .append(Mrkdwn.escape(entry.database() + "#" + entry.number(), NAME_SHOWN)).append(" → *")
                    .append(Mrkdwn.escape(entry.outcome(), NAME_SHOWN)).append("* as ")
                    .append(entry.planetScaleActor() == null ? Mrkdwn.escape(entry.identity().replace('_', ' '), NAME_SHOWN)
                            : Mrkdwn.escape(entry.planetScaleActor(), NAME_SHOWN))
                    .append(" · policy: ").append(Mrkdwn.escape(entry.policyRule(), NAME_SHOWN));
            if (entry.confirmation() != null) {
                text.append(" · confirmed: ").append(Mrkdwn.escape(entry.confirmation(), NAME_SHOWN));
            }
            if (entry.secondPerson() != null) {
                text.append(" · second: <@").append(entry.secondPerson()).append(">");
            }
            if (entry.planetScaleAnswer() != null && !entry.planetScaleAnswer().isBlank()) {
                text.append(" · PlanetScale: ").append(Mrkdwn.escape(entry.planetScaleAnswer(), 200));
            }
            text.append("\n");
        }
        if (more) {
            text.append("Older: `/pscale audit ").append(Mrkdwn.escape(what, NAME_SHOWN)).append(" --before ")
                    .append(entries.get(entries.size() - 1).id()).append("`");
        }
        return text.toString().strip();
    }
}
