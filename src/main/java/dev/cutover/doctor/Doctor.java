package dev.cutover.doctor;

import dev.cutover.deploy.Database;
import dev.cutover.planetscale.DatabaseWebhook;
import dev.cutover.planetscale.DeployRequestFilter;
import dev.cutover.planetscale.HttpPlanetScaleApi;
import dev.cutover.planetscale.PlanetScaleException;
import dev.cutover.reconcile.Reconciler;
import dev.cutover.reconcile.WebhookKeeper;
import dev.cutover.slack.SlackPostException;
import dev.cutover.slack.SlackPoster;
import dev.cutover.store.ChannelHealth;
import dev.cutover.store.ChannelProblem;
import dev.cutover.store.EventJournal;
import dev.cutover.store.ManagedWebhook;
import dev.cutover.store.StoreHealth;
import dev.cutover.store.Subscription;
import dev.cutover.store.SubscriptionStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Checks the whole installation with harmless reads only: the Slack token and its scopes against the manifest, the
 * connection mode, the PlanetScale token and, per database, the accesses Cutover needs, its webhook, the last event
 * received and the last reconciliation pass; the channels Cutover cannot post in; the outbox; the store.
 */
public final class Doctor {
    /** The bot scopes manifest.yml asks for (DoctorTest keeps the two lists equal). */
    public static final List<String> MANIFEST_SCOPES = List.of("commands", "chat:write", "chat:write.public",
            "channels:join", "channels:read", "groups:read", "channels:history", "groups:history", "usergroups:read");
    /** An outbox event older than this means delivery is stuck, not just busy. */
    static final Duration OUTBOX_STUCK = Duration.ofMinutes(5);

    /** Everything the doctor reads; built once in the wiring. */
    public record Sources(SlackPoster slack, boolean sandbox, boolean webhookSecretSet, Optional<String> defaultChannel,
            HttpPlanetScaleApi planetScale, SubscriptionStore subscriptions, ChannelHealth channelHealth,
            WebhookKeeper webhooks, Reconciler reconciler, Map<String, Instant> lastEventAt, EventJournal journal,
            StoreHealth storeHealth, Path dataDir, Clock clock, Supplier<String> slackTransport) {}

    private final Sources sources;

    public Doctor(Sources sources) {
        this.sources = sources;
    }

    /** How Slack and PlanetScale reach Cutover: HTTP or Socket Mode (with its state), webhooks or polling. */
    private Report.Line connection() {
        String planetScale = sources.webhookSecretSet() || !sources.webhooks().managedAll().isEmpty()
                ? "PlanetScale calls POST /webhooks/planetscale"
                : "PlanetScale is polled every " + sources.reconciler().period().toSeconds() + " s (no webhook)";
        String transport = sources.slackTransport().get();
        if (!transport.startsWith("socket_mode:")) {
            return new Report.Line(Report.Status.OK, "Connection", "HTTP: Slack calls POST /slack/events; " + planetScale,
                    "");
        }
        String state = transport.substring("socket_mode:".length());
        boolean connected = state.equals("connected");
        return new Report.Line(connected ? Report.Status.OK : Report.Status.WARN, "Connection",
                "Socket Mode (" + state + "): Cutover holds the connection to Slack, no public URL needed; "
                        + planetScale,
                connected ? "" : "Cutover is dialling Slack again by itself; if this stays, check SLACK_APP_TOKEN"
                        + " (an xapp- token with connections:write) and that this host can reach Slack");
    }

    public Report examine() {
        List<Report.Line> lines = new ArrayList<>();
        slack(lines);
        lines.add(connection());
        boolean seesOrganization = organization(lines);
        for (String database : databases(lines, seesOrganization)) {
            database(database, lines);
        }
        channels(lines);
        outbox(lines);
        store(lines);
        return new Report(lines);
    }

    private void slack(List<Report.Line> lines) {
        try {
            List<String> granted = sources.slack().grantedScopes();
            if (granted.isEmpty()) {
                lines.add(new Report.Line(Report.Status.OK, "Slack token", "valid (Slack did not list its scopes)", ""));
                return;
            }
            List<String> missing = MANIFEST_SCOPES.stream().filter(scope -> !granted.contains(scope)).toList();
            lines.add(missing.isEmpty()
                    ? new Report.Line(Report.Status.OK, "Slack token", "valid, with every scope of manifest.yml", "")
                    : new Report.Line(Report.Status.FAIL, "Slack token", "valid but missing scopes: "
                            + String.join(", ", missing), "add them under OAuth & Permissions (or re-create the app from"
                            + " manifest.yml) and reinstall the app"));
        } catch (SlackPostException e) {
            lines.add(new Report.Line(Report.Status.FAIL, "Slack token", "auth.test failed: " + e.error(),
                    "check SLACK_BOT_TOKEN (OAuth & Permissions → Bot User OAuth Token)"));
        }
    }

    private boolean organization(List<Report.Line> lines) {
        String org = sources.planetScale().org();
        try {
            if (sources.planetScale().canSeeOrganization()) {
                lines.add(new Report.Line(Report.Status.OK, "PlanetScale token", "sees organization " + org, ""));
                return true;
            }
            lines.add(new Report.Line(Report.Status.FAIL, "PlanetScale token", "works but cannot see organization "
                    + org, "check PLANETSCALE_ORG, or create the service token in that organization"));
        } catch (PlanetScaleException | IOException e) {
            lines.add(new Report.Line(Report.Status.FAIL, "PlanetScale token", "cannot list organizations ("
                    + e.getMessage() + ")", "check PLANETSCALE_SERVICE_TOKEN_ID and PLANETSCALE_SERVICE_TOKEN"));
        }
        return false;
    }

    private Set<String> databases(List<Report.Line> lines, boolean seesOrganization) {
        Set<String> databases = new TreeSet<>(sources.subscriptions().databases());
        if (sources.defaultChannel().isPresent() && seesOrganization) {
            try {
                sources.planetScale().listDatabases().stream().map(Database::name).forEach(databases::add);
            } catch (PlanetScaleException | IOException e) {
                lines.add(new Report.Line(Report.Status.WARN, "Databases", "cannot list the organization's databases"
                        + " for the default channel (" + e.getMessage() + ")", "grant read_database"));
            }
        }
        if (databases.isEmpty()) {
            lines.add(new Report.Line(Report.Status.WARN, "Databases", "no channel follows a database",
                    "run /pscale subscribe <database> in a channel, or set CUTOVER_DEFAULT_CHANNEL"));
        }
        return databases;
    }

    /** Harmless reads per access Cutover needs; writes cannot be probed without writing, so they are named. */
    private void database(String database, List<Report.Line> lines) {
        HttpPlanetScaleApi api = sources.planetScale();
        List<String> accesses = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        probe(() -> api.listDeployRequests(database, DeployRequestFilter.OPEN, 1), "read_deploy_request", accesses,
                missing);
        probe(() -> api.getDatabase(database), "read_database", accesses, missing);
        if (missing.isEmpty()) {
            lines.add(new Report.Line(Report.Status.OK, database + ": access", "has " + String.join(", ", accesses)
                    + " (write accesses show when first used)", ""));
        } else {
            lines.add(new Report.Line(Report.Status.FAIL, database + ": access", "missing " + String.join(", ", missing)
                    + (missing.contains("read_deploy_request") ? ": cards, list and show will fail"
                            : ": approval settings and webhook checks will fail"),
                    "grant " + String.join(", ", missing) + " to the service token on " + database));
        }
        webhook(database, lines);
        Optional<Instant> lastEvent = Optional.ofNullable(sources.lastEventAt().get(database));
        lines.add(new Report.Line(lastEvent.isPresent() ? Report.Status.OK : Report.Status.WARN, database + ": events",
                lastEvent.map(at -> "last webhook received " + at).orElse("no webhook received since start"),
                lastEvent.isPresent() ? "" : "fine if nothing happened; else check the webhook above"));
        Optional<Reconciler.Pass> pass = sources.reconciler().lastPass();
        lines.add(pass.map(p -> new Report.Line(p.problem().isPresent() ? Report.Status.WARN : Report.Status.OK,
                        database + ": reconciliation", "last pass " + p.at() + p.problem().map(x -> " — " + x)
                                .orElse(""), p.problem().isPresent() ? "see the problem; the next pass retries" : ""))
                .orElseGet(() -> new Report.Line(Report.Status.OK, database + ": reconciliation", "first pass due "
                        + sources.reconciler().nextPassAt(), "")));
    }

    private void webhook(String database, List<Report.Line> lines) {
        Optional<ManagedWebhook> managed = sources.webhooks().managed(database);
        if (managed.isEmpty()) {
            lines.add(new Report.Line(sources.webhookSecretSet() ? Report.Status.OK : Report.Status.WARN,
                    database + ": webhook", sources.webhookSecretSet() ? "configured by hand (PLANETSCALE_WEBHOOK_SECRET);"
                            + " not managed by Cutover" : "none: Slack learns of changes by polling only",
                    sources.webhookSecretSet() ? "" : "run /pscale webhooks setup " + database));
            return;
        }
        try {
            Optional<DatabaseWebhook> found = sources.planetScale().listWebhooks(database).stream()
                    .filter(webhook -> webhook.id().equals(managed.get().webhookId())).findFirst();
            if (found.isEmpty()) {
                lines.add(new Report.Line(Report.Status.FAIL, database + ": webhook", "the webhook Cutover created is"
                        + " gone", "run /pscale webhooks setup " + database));
            } else if (!found.get().enabled()) {
                lines.add(new Report.Line(Report.Status.FAIL, database + ": webhook", "disabled by PlanetScale"
                        + result(found.get()), "press Re-enable in the admin channel, or run /pscale webhooks setup "
                        + database));
            } else if (found.get().lastSentSuccess().orElse(true).equals(Boolean.FALSE)) {
                lines.add(new Report.Line(Report.Status.WARN, database + ": webhook", "enabled, but the last delivery"
                        + " failed" + result(found.get()), "check that CUTOVER_PUBLIC_URL reaches Cutover"));
            } else {
                lines.add(new Report.Line(Report.Status.OK, database + ": webhook", "enabled" + result(found.get()), ""));
            }
        } catch (PlanetScaleException | IOException e) {
            lines.add(new Report.Line(Report.Status.WARN, database + ": webhook", "cannot read webhooks ("
                    + e.getMessage() + ")", "grant read_database"));
        }
    }

    private static String result(DatabaseWebhook webhook) {
        return webhook.lastSentAt().map(at -> " (last delivery " + at + ": " + (webhook.lastSentResult().isBlank()
                ? "ok" : webhook.lastSentResult()) + ")").orElse(" (nothing delivered yet)");
    }

    private void channels(List<Report.Line> lines) {
        Set<String> channels = new LinkedHashSet<>();
        for (String database : sources.subscriptions().databases()) {
            sources.subscriptions().forDatabase(database).stream().map(Subscription::channelId).forEach(channels::add);
        }
        sources.defaultChannel().ifPresent(channels::add);
        List<String> broken = new ArrayList<>();
        for (String channel : channels) {
            Optional<ChannelProblem> problem = sources.channelHealth().problem(channel);
            try {
                SlackPoster.ChannelInfo info = sources.slack().channelInfo(channel);
                if (!info.exists() || info.isArchived() || info.isPrivate() && !info.isMember()) {
                    broken.add(channel + (info.isArchived() ? " (archived)" : info.exists() ? " (private, not invited)"
                            : " (not found)"));
                    continue;
                }
            } catch (SlackPostException e) {
                problem = problem.or(() -> Optional.of(new ChannelProblem(channel, e.error(), sources.clock().instant())));
            }
            problem.ifPresent(p -> broken.add(channel + " (" + p.error() + ")"));
        }
        lines.add(broken.isEmpty()
                ? new Report.Line(Report.Status.OK, "Channels", "Cutover can post in all " + channels.size()
                        + " channels it reports to", "")
                : new Report.Line(Report.Status.FAIL, "Channels", "cannot post in " + String.join(", ", broken),
                        "/invite @cutover in private channels; unsubscribe archived ones"));
    }

    private void outbox(List<Report.Line> lines) {
        long depth = sources.journal().pendingCount();
        Optional<Instant> oldest = sources.journal().oldestPendingReceivedAt();
        boolean stuck = oldest.filter(at -> at.isBefore(sources.clock().instant().minus(OUTBOX_STUCK))).isPresent();
        lines.add(new Report.Line(stuck ? Report.Status.WARN : Report.Status.OK, "Outbox", depth + " pending"
                + oldest.map(at -> ", oldest from " + at).orElse(""), stuck ? "Slack may be refusing or rate-limiting;"
                        + " see the logs and /pscale subscriptions" : ""));
    }

    private void store(List<Report.Line> lines) {
        long bytes;
        try (Stream<Path> files = Files.list(sources.dataDir())) {
            bytes = files.filter(Files::isRegularFile).mapToLong(path -> path.toFile().length()).sum();
        } catch (IOException e) {
            bytes = -1;
        }
        String size = bytes < 0 ? "size unknown" : String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
        Optional<String> problem = sources.storeHealth().problem();
        lines.add(problem.isPresent()
                ? new Report.Line(Report.Status.FAIL, "Store", "cannot write: " + problem.get() + " (" + size + ")",
                        "free disk space under CUTOVER_DATA_DIR (" + sources.dataDir() + "); webhooks get 503 meanwhile")
                : new Report.Line(Report.Status.OK, "Store", "writable, " + size + " in " + sources.dataDir(), ""));
    }

    @FunctionalInterface
    private interface Probe {
        Object run() throws PlanetScaleException, IOException;
    }

    private static void probe(Probe probe, String access, List<String> has, List<String> missing) {
        try {
            probe.run();
            has.add(access);
        } catch (PlanetScaleException e) {
            missing.add(access);
        } catch (IOException e) {
            missing.add(access + " (unreachable)");
        }
    }
}
