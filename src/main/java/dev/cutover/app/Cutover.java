package dev.cutover.app;

import com.slack.api.Slack;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.middleware.Middleware;
import com.slack.api.bolt.middleware.builtin.SSLCheck;
import dev.cutover.actions.DeployRequestActions;
import dev.cutover.cards.ApprovalSettings;
import dev.cutover.cards.CardWriter;
import dev.cutover.cards.Cards;
import dev.cutover.commands.CardButtons;
import dev.cutover.confirm.ConfirmModal;
import dev.cutover.confirm.Confirmations;
import dev.cutover.confirm.SecondPerson;
import dev.cutover.commands.PscaleCommand;
import dev.cutover.commands.WebhookButtons;
import dev.cutover.config.Config;
import dev.cutover.config.ConfigException;
import dev.cutover.config.IdentityConfig;
import dev.cutover.audit.AuditTrail;
import dev.cutover.commands.IdentityCommands;
import dev.cutover.identity.AccountLinks;
import dev.cutover.identity.Identities;
import dev.cutover.identity.OAuthServlet;
import dev.cutover.identity.TokenCipher;
import dev.cutover.planetscale.PlanetScaleOAuth;
import dev.cutover.render.Messages;
import dev.cutover.config.DatabaseUrl;
import dev.cutover.deploy.Database;
import dev.cutover.doctor.Doctor;
import dev.cutover.doctor.Report;
import dev.cutover.notify.EventDelivery;
import dev.cutover.notify.Outbox;
import dev.cutover.moments.HumanMoments;
import dev.cutover.notify.RevertReminders;
import dev.cutover.notify.Routing;
import dev.cutover.planetscale.ApiCallMetrics;
import dev.cutover.planetscale.CachingPlanetScaleApi;
import dev.cutover.planetscale.HttpPlanetScaleApi;
import dev.cutover.planetscale.Sleeper;
import dev.cutover.planetscale.WebhookEnvelope;
import dev.cutover.policy.CachingGroupMembers;
import dev.cutover.policy.GroupMembers;
import dev.cutover.policy.Policy;
import dev.cutover.policy.Safeguards;
import dev.cutover.reconcile.Reconciler;
import dev.cutover.reconcile.WebhookKeeper;
import dev.cutover.sandbox.PlanetScaleSimulator;
import dev.cutover.sandbox.Steps;
import dev.cutover.slack.ChannelPacer;
import dev.cutover.slack.SandboxMarker;
import dev.cutover.slack.SlackClients;
import dev.cutover.slack.SlackPoster;
import dev.cutover.store.DataDirectoryInUseException;
import dev.cutover.store.IncomingEvent;
import dev.cutover.store.ManagedWebhook;
import dev.cutover.store.PostgresStore;
import dev.cutover.store.SqliteStore;
import dev.cutover.store.Store;
import dev.cutover.store.StoreException;
import dev.cutover.webhooks.EventRecorder;
import dev.cutover.webhooks.RejectedSignatures;
import dev.cutover.webhooks.WebhookSecrets;
import dev.cutover.webhooks.WebhookServlet;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service, and the one place that builds it: clock, HTTP clients, executors, store, Slack, the
 * Jetty server and (in sandbox mode) the PlanetScale simulator. Tests start it exactly as {@link Main} does,
 * on port 0, with a fake clock.
 */
public final class Cutover implements AutoCloseable {
    public static final String VERSION = Optional.ofNullable(Cutover.class.getPackage().getImplementationVersion())
            .orElse("dev");
    private static final Logger log = LoggerFactory.getLogger(Cutover.class);
    /**
     * This process among the replicas (outbox claims, the jobs lease, {@code /healthz}): the host name (a pod's
     * name on Kubernetes, the container id on Docker) and the pid, unique even for two processes on one host.
     */
    static final String REPLICA = hostName() + "/" + ProcessHandle.current().pid();
    /** Parallel deliveries within one outbox pass, each to a different deploy request's thread. */
    static final int LANES = 8;
    /** How long a card waits for a database's approval setting before rendering without it. */
    static final Duration APPROVAL_PATIENCE = Duration.ofMillis(500);
    /** "Busy" answers in flight at once; past that a rejected click gets no answer rather than more memory. */
    static final int BUSY_REPLIES = 64;

    /**
     * @param autoTick move the sandbox simulator's lifecycle on a real timer (off in tests, which tick it)
     * @param startWorker run the outbox and reminder threads (off in tests that drive {@link #deliverNow()})
     * @param bindHost where the HTTP server listens
     * @param steps the sandbox lifecycle at speed 1; CUTOVER_SANDBOX_SPEED makes it that much faster
     * @param sandboxWebhooksInline the simulator sends each webhook before the call that caused it returns
     *     (deterministic tests); otherwise on its own thread, like the real service
     * @param reconcileOnTimer run reconciliation passes on a timer (tests run them with {@link #reconcileDue()})
     * @param socketModeFirstRetry the first wait before reconnecting to Slack over Socket Mode (it then doubles)
     */
    public record Options(boolean autoTick, boolean startWorker, String bindHost, Steps steps,
            boolean sandboxWebhooksInline, Limits limits, boolean reconcileOnTimer, Duration socketModeFirstRetry) {
        public Options(boolean autoTick, boolean startWorker, String bindHost, Steps steps,
                boolean sandboxWebhooksInline, Limits limits) {
            this(autoTick, startWorker, bindHost, steps, sandboxWebhooksInline, limits, startWorker && autoTick,
                    SocketModeConnection.Backoff.DEFAULT.first());
        }

        public static Options live() {
            return new Options(true, true, "0.0.0.0", Steps.REAL_TIME, false, Limits.DEFAULT, true,
                    SocketModeConnection.Backoff.DEFAULT.first());
        }

        /** Tests run reconciliation passes themselves ({@link #reconcileDue()}) after moving the fake clock. */
        public static Options test() {
            return new Options(false, true, "127.0.0.1", Steps.DEFAULT, true, Limits.DEFAULT, false,
                    Duration.ofMillis(20));
        }

        public Options withLimits(Limits limits) {
            return new Options(autoTick, startWorker, bindHost, steps, sandboxWebhooksInline, limits, reconcileOnTimer,
                    socketModeFirstRetry);
        }
    }

    /**
     * What bounds slash-command and button work now that it runs on virtual threads: not a pool size, but how
     * many calls each upstream gets at once, and how many tasks may be unfinished before a new one is answered
     * "busy". Defaults can be changed with {@code -Dcutover.work.maxTasks=}, {@code -Dcutover.planetscale.concurrency=}
     * and {@code -Dcutover.slack.concurrency=}; figures in BENCHMARKS.md.
     *
     * @param maxTasks commands and clicks admitted at once, running or waiting on an upstream: 256 PlanetScale calls
     *     in flight plus about 4 s of queue at 1.5 s per call; each waiting task holds its request and a parked
     *     stack on the heap, and 4,096 of them drove a 128 MiB heap into back-to-back full GCs (BENCHMARKS.md)
     * @param planetScaleCalls PlanetScale calls in flight at once, across commands, clicks, webhooks, reminders
     * @param slackCalls Slack Web API and response_url calls in flight at once
     */
    public record Limits(int maxTasks, int planetScaleCalls, int slackCalls) {
        public static final Limits DEFAULT = new Limits(Integer.getInteger("cutover.work.maxTasks", 1_024),
                Integer.getInteger("cutover.planetscale.concurrency", 256),
                Integer.getInteger("cutover.slack.concurrency", 64));
    }

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final HttpServer server;
    private final Outbox worker;
    private final RevertReminders reminders;
    private final Reconciler reconciler;
    private final PlanetScaleSimulator simulator;
    private final PrometheusMeterRegistry registry;
    private final String organization;
    private final EventRetention retention;
    private AuditTrail audit;
    /** Set once built; tests run its passes with {@link #checkMomentsNow()}. */
    private HumanMoments moments;
    private final Leadership leadership;

    private Cutover(HttpServer server, Outbox worker, RevertReminders reminders, Reconciler reconciler,
            PlanetScaleSimulator simulator, PrometheusMeterRegistry registry, String organization,
            EventRetention retention, Leadership leadership) {
        this.leadership = leadership;
        this.server = server;
        this.worker = worker;
        this.reminders = reminders;
        this.reconciler = reconciler;
        this.simulator = simulator;
        this.registry = registry;
        this.organization = organization;
        this.retention = retention;
    }

    public static Cutover start(Config config, Clock clock, Options options) throws Exception {
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            return build(config, clock, options, resources);
        } catch (Exception | Error e) {
            closeAll(resources);
            throw e;
        }
    }

    private static Cutover build(Config config, Clock clock, Options options, List<AutoCloseable> resources)
            throws Exception {
        // Opening the store (SQLite's native library, Flyway's migrations) is the slowest step of start-up, about
        // 40 % of it in a JFR profile; it runs alongside the wiring below, which needs the store only for the
        // listeners. Failures surface at the join, as if opened here.
        Config opened = config;
        CompletableFuture<Store> opening = CompletableFuture.supplyAsync(() -> openStore(opened, clock),
                runnable -> Thread.ofPlatform().name("store-open").daemon().start(runnable));
        resources.add(() -> {
            if (!opening.isCompletedExceptionally()) {
                opening.join().close();
            }
        });
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        resources.add(gc);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        // Hundreds of PlanetScale calls can be in flight under load; keep their connections instead of churning.
        // Each upstream is bounded by a semaphore around every HTTP exchange, not by a thread pool's size.
        UpstreamLimit planetScaleLimit = new UpstreamLimit("PlanetScale", options.limits().planetScaleCalls());
        UpstreamLimit slackLimit = new UpstreamLimit("Slack", options.limits().slackCalls());
        Gauge.builder("cutover.upstream.in.flight", planetScaleLimit, UpstreamLimit::inFlight)
                .description("HTTP calls in flight to each upstream (bounded per upstream)")
                .tags(Tags.of("upstream", "planetscale")).register(registry);
        Gauge.builder("cutover.upstream.in.flight", slackLimit, UpstreamLimit::inFlight)
                .description("HTTP calls in flight to each upstream (bounded per upstream)")
                .tags(Tags.of("upstream", "slack")).register(registry);
        OkHttpClient http = new OkHttpClient.Builder()
                .connectionPool(new okhttp3.ConnectionPool(64, 5, TimeUnit.MINUTES))
                .addInterceptor(planetScaleLimit).build();

        // Sandbox: PlanetScale is simulated on loopback and reached through the same client as the real API.
        PlanetScaleSimulator simulator = null;
        Steps steps = options.steps().faster(config.sandboxSpeed());
        if (config.sandbox()) {
            Executor webhookSender = options.sandboxWebhooksInline() ? Runnable::run
                    : Executors.newSingleThreadExecutor(daemon("sandbox-webhooks"));
            simulator = new PlanetScaleSimulator(clock, config.planetScaleOrg(), null,
                    config.planetScaleWebhookSecret().orElseThrow(), webhookSender, steps);
            resources.add(simulator);
            simulator.start();
            simulator.seedDemo();
            config = config.withPlanetScaleApiUrl(simulator.baseUrl());
        }

        Store store = opened(opening);
        // The fleet-wide jobs run on one replica; on SQLite that is always this process.
        Leadership leadership = new Leadership(store.leases(), REPLICA, config.leasePeriod());
        EventRetention retention = new EventRetention(store, clock, config.eventRetention(), leadership::isLeader);
        resources.add(retention);

        // Every PlanetScale exchange, retries included, is counted by endpoint family and status.
        OkHttpClient planetScaleHttp = http.newBuilder().addInterceptor(new ApiCallMetrics(registry)).build();
        HttpPlanetScaleApi httpApi = new HttpPlanetScaleApi(planetScaleHttp, config.planetScaleApiUrl(),
                config.planetScaleOrg(), config.planetScaleServiceTokenId(), config.planetScaleServiceToken(), VERSION,
                Sleeper.SYSTEM, clock);
        CachingPlanetScaleApi api = new CachingPlanetScaleApi(httpApi, clock);

        Slack slack = SlackClients.create(config.slackApiUrl(), slackLimit);
        SlackPoster poster = new SlackPoster(slack, config.slackBotToken(),
                ChannelPacer.forStore(clock, store.sharedPaces()), SandboxMarker.of(config.sandbox()), store.posts(),
                registry);

        Policy policy = Policy.loadOrAllowAll(config.policyFile());
        policy.warnings().forEach(warning -> log.warn("Policy: {}", warning));
        GroupMembers groups = new CachingGroupMembers(
                groupId -> Set.copyOf(poster.userGroupMembers(groupId)), clock, Duration.ofMinutes(5));
        // Linked PlanetScale accounts (when OAuth is configured) and the audit record of every attempted write.
        AuditTrail audit = new AuditTrail(store.audit(), config.identity().auditLog(), clock,
                config.identity().auditRetention());
        AtomicReference<String> ownUrl = new AtomicReference<>();
        Optional<AccountLinks> links = accountLinks(config, store, httpApi, planetScaleHttp, poster, clock, ownUrl,
                simulator);
        if (policy.requiresLinkedIdentity() && links.isEmpty()) {
            throw new ConfigException(List.of("CUTOVER_POLICY_FILE says identity: linked, but linking PlanetScale"
                    + " accounts is not configured — set PLANETSCALE_OAUTH_APP_ID, PLANETSCALE_OAUTH_CLIENT_ID,"
                    + " PLANETSCALE_OAUTH_CLIENT_SECRET, CUTOVER_ENCRYPTION_KEY and CUTOVER_PUBLIC_URL"));
        }
        DeployRequestActions actions = new DeployRequestActions(api, policy, groups, store.actions(), clock,
                links.<Identities>map(l -> l).orElse(Identities.SHARED), audit, store.locks());

        // Database settings a card may not wait for are read here (they fill the cache for the next card). Bounded:
        // with PlanetScale slow, more reads than this only mean "unknown for now", never a growing queue.
        ExecutorService lookups = new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(64),
                daemon("approval-lookup"));
        resources.add(lookups::shutdownNow);
        ApprovalSettings approvals = database -> api.databaseWithin(database, APPROVAL_PATIENCE, lookups)
                .map(Database::requireApprovalForDeploy).orElse(false);
        Cards cards = new Cards(approvals, store.actions());
        CardWriter writer = new CardWriter(poster, store.threads(), store.actions(), cards, clock);

        // Slow PlanetScale calls run here, never on Jetty's request threads: one virtual thread per command or
        // click, so waiting costs a parked stack, not a platform thread. Past Limits.maxTasks unfinished tasks,
        // overload turns into a polite "busy" answer (itself bounded) instead of memory growth. BENCHMARKS.md.
        VirtualWork work = new VirtualWork("slack-work", options.limits().maxTasks());
        resources.add(work);
        VirtualWork busyReplies = new VirtualWork("busy-reply", BUSY_REPLIES);
        resources.add(busyReplies);
        Gauge.builder("cutover.work.unfinished", work, VirtualWork::unfinished)
                .description("slash-command and button tasks accepted but not finished").register(registry);

        // Webhooks Cutover set up itself: their secrets verify intake next to PLANETSCALE_WEBHOOK_SECRET.
        WebhookSecrets webhookSecrets = new WebhookSecrets(config.planetScaleWebhookSecret(),
                store.webhooks().all().stream().map(ManagedWebhook::secret).toList());
        Optional<String> configuredUrl = config.publicUrl();
        boolean sandbox = config.sandbox();
        // In the sandbox PlanetScale is on loopback, so it reaches Cutover on its own port without a public URL.
        Supplier<Optional<String>> publicUrl = () -> configuredUrl.or(() -> sandbox
                ? Optional.ofNullable(ownUrl.get()) : Optional.empty());
        HttpPlanetScaleApi background = httpApi.withoutReadRetries();
        WebhookKeeper webhookKeeper = new WebhookKeeper(background, store.webhooks(), webhookSecrets, poster,
                config.adminChannel(), config.webhookAutoReenable(), publicUrl, clock);

        App app = boltApp(config, slack);
        app.use(new WorkspaceGate(config.slackTeamIds(), poster, work));
        // Built once everything it reads exists (below); commands only ask it when someone types /pscale doctor.
        AtomicReference<Doctor> doctor = new AtomicReference<>();
        Supplier<Report> examine = () -> doctor.get().examine();
        Routing routing = new Routing(store.subscriptions(), config.defaultChannel());
        PscaleCommand pscale = new PscaleCommand(api, actions, policy, groups, store, poster, writer, cards, work,
                clock, SandboxMarker.of(config.sandbox()), routing, webhookKeeper, examine,
                new IdentityCommands(links, audit, policy, poster));
        SecondPerson secondPerson = new SecondPerson(store.secondPersons(), policy.safeguards(), actions, writer, poster,
                clock);
        Confirmations confirmations = new Confirmations(api, actions, writer, poster, secondPerson, work);
        CardButtons buttons = new CardButtons(api, actions, writer, cards, poster, work, busyReplies, confirmations,
                secondPerson, routing);
        WebhookButtons webhookButtons = new WebhookButtons(webhookKeeper, policy, groups, poster, work);
        app.command(PscaleCommand.COMMAND, pscale::handle);
        app.blockAction(CardButtons.ACTION_IDS, buttons::handle);
        app.viewSubmission(ConfirmModal.CALLBACK_ID, confirmations::submit);
        app.blockAction(WebhookKeeper.REENABLE_ACTION_ID, webhookButtons::handle);
        // The login button is a link: Slack opens it and still tells us of the click, which needs only an ack.
        app.blockAction(Messages.LINK_ACTION_ID, (request, context) -> context.ack());

        // A sped-up sandbox shortens the reminder's lead with its revert window, so the reminder can be watched.
        Duration reminderLead = config.sandbox() ? steps.scale(RevertReminders.LEAD) : RevertReminders.LEAD;
        RevertReminders reminders = new RevertReminders(store.reminders(), writer, api::fresh, clock, reminderLead);
        EventDelivery delivery = new EventDelivery(routing, writer, poster, reminders, store.channelHealth(),
                api::invalidate, config.planetScaleOrg(), clock, registry, webhookKeeper);
        ExecutorService lanes = Executors.newFixedThreadPool(LANES, daemon("outbox-lane"));
        resources.add(lanes::shutdown);
        Outbox worker = new Outbox(store.events(), delivery, clock, lanes, daemon("outbox"), registry);
        // Closed after the worker: what this replica had claimed goes back to the others at once.
        resources.add(() -> store.events().releaseClaims());
        resources.add(worker);
        Map<String, Instant> lastEventAt = new ConcurrentHashMap<>();
        EventRecorder recorder = event -> {
            lastEventAt.put(event.database(), clock.instant());
            IncomingEvent incoming = toIncoming(event, clock);
            EventRecorder.Outcome outcome = switch (store.events().append(incoming)) {
                case APPENDED -> EventRecorder.Outcome.RECORDED;
                case DUPLICATE -> EventRecorder.Outcome.DUPLICATE;
            };
            worker.arrived(incoming);
            return outcome;
        };

        // Socket Mode (an app token is set): Slack is reached by dialling out, and envelopes run through the same App.
        SocketModeConnection socketMode = null;
        if (config.slackAppToken().isPresent()) {
            ScheduledExecutorService dialer = Executors.newSingleThreadScheduledExecutor(daemon("socket-mode"));
            resources.add(dialer::shutdownNow);
            // Acks must not queue behind slow work, so envelopes get their own few threads.
            ExecutorService envelopes = Executors.newFixedThreadPool(4, daemon("socket-mode-envelope"));
            resources.add(envelopes::shutdownNow);
            socketMode = new SocketModeConnection(app, slack, config.slackAppToken().get(), dialer, envelopes,
                    new SocketModeConnection.Backoff(options.socketModeFirstRetry(),
                            SocketModeConnection.Backoff.DEFAULT.max()), registry);
            resources.add(socketMode);
        }
        SocketModeConnection socket = socketMode;
        Supplier<String> slackTransport = () -> socket == null ? "http" : "socket_mode:" + socket.state().wire();

        Map<String, HttpServlet> servlets = new LinkedHashMap<>();
        servlets.put("/slack/events", new SlackEventsServlet(app,
                new SlackRequestVerifier(config.slackSigningSecret(), clock), new RejectedSignatures("slack",
                        "check SLACK_SIGNING_SECRET (the app's Basic Information page) and this machine's clock",
                        clock, registry)));
        Reconciler reconciler = new Reconciler(background,
                () -> api.listDatabases().stream().map(Database::name).toList(), store.subscriptions(),
                config.defaultChannel(), store.threads(), store.events(), worker::wakeUp, clock,
                config.reconcilePeriod(), webhookKeeper, registry);
        // A sped-up sandbox shortens the moments' thresholds and period with its lifecycle, so they can be watched.
        Safeguards safeguards = config.sandbox() ? policy.safeguards().withThresholds(
                steps.scale(policy.safeguards().queueBlockerAfter()),
                steps.scale(policy.safeguards().stuckCutoverAfter())) : policy.safeguards();
        HumanMoments moments = new HumanMoments(background, HumanMoments.routed(store.subscriptions(),
                config.defaultChannel(), background), writer, safeguards, clock,
                config.sandbox() ? steps.scale(HumanMoments.PERIOD) : HumanMoments.PERIOD);
        servlets.put("/webhooks/planetscale", new WebhookServlet(webhookSecrets, config.planetScaleOrg(), recorder,
                registry, new RejectedSignatures("planetscale", "check PLANETSCALE_WEBHOOK_SECRET (the webhook's Show"
                        + " secret in PlanetScale), or run /pscale webhooks setup again", clock, registry),
                config.reconcilePeriod().toSeconds()));
        doctor.set(new Doctor(new Doctor.Sources(poster, config.sandbox(), config.planetScaleWebhookSecret().isPresent(),
                config.defaultChannel(), background, store.subscriptions(), store.channelHealth(), webhookKeeper,
                reconciler, lastEventAt, store.events(), store.health(), config.dataDir(), clock, slackTransport)));
        servlets.put("/healthz", new HealthServlet(config.sandbox(), worker::pending, store.health(), examine,
                new OperatorAccess(config.metricsToken()), slackTransport,
                new HealthServlet.Replica(REPLICA, store.isShared() ? "postgresql" : "sqlite", leadership::isLeader,
                        store::ping)));
        servlets.put("/metrics", new MetricsServlet(registry, config.metricsToken()));
        links.ifPresent(l -> servlets.put("/oauth/planetscale/*", new OAuthServlet(l,
                configuredUrl.map(url -> url.startsWith("https:")).orElse(false))));
        HttpServer server = new HttpServer(options.bindHost(), config.port(), servlets);
        resources.add(server);
        startServer(server, config.port());
        ownUrl.set("http://127.0.0.1:" + server.port());

        if (simulator != null) {
            // Stop the simulator before the server: its idle webhook connection would hold the server's stop up.
            resources.remove(simulator);
            resources.add(simulator);
            simulator.webhookUrl("http://127.0.0.1:" + server.port() + "/webhooks/planetscale");
            if (options.autoTick()) {
                ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(daemon("sandbox-clock"));
                resources.add(ticker::shutdownNow);
                simulator.startTicking(ticker, Duration.ofMillis(500));
            }
        }
        if (socketMode != null) {
            socketMode.start();
        }
        if (options.startWorker()) {
            worker.start();
            // Reminders keep their own schedule: a slow PlanetScale re-check never holds up the outbox.
            ScheduledExecutorService reminderTimer = Executors.newSingleThreadScheduledExecutor(daemon("reminders"));
            resources.add(reminderTimer::shutdownNow);
            reminderTimer.scheduleWithFixedDelay(() -> {
                if (leadership.isLeader()) {
                    fireQuietly(reminders);
                }
            }, 1, 1, TimeUnit.SECONDS);
        }
        if (options.reconcileOnTimer()) {
            // Checked every second against the clock; a pass runs when its period is up (never two at once).
            ScheduledExecutorService reconcileTimer = Executors.newSingleThreadScheduledExecutor(daemon("reconcile"));
            resources.add(reconcileTimer::shutdownNow);
            reconcileTimer.scheduleWithFixedDelay(() -> {
                if (leadership.isLeader()) {
                    reconcileQuietly(reconciler);
                }
            }, 1, 1, TimeUnit.SECONDS);
            // Moments that need a human are looked for on the same kind of clock-checked timer, by the leader only
            // (each is told once across the fleet).
            ScheduledExecutorService momentsTimer = Executors.newSingleThreadScheduledExecutor(daemon("moments"));
            resources.add(momentsTimer::shutdownNow);
            momentsTimer.scheduleWithFixedDelay(() -> {
                if (leadership.isLeader()) {
                    moments.runDue();
                }
            }, 5, 1, TimeUnit.SECONDS);
        }
        leadership.start();
        // Closed before the timers and the store: the lease goes to another replica at once.
        resources.add(leadership);
        retention.start();
        AuditRetention auditRetention = new AuditRetention(audit);
        resources.add(auditRetention);
        auditRetention.start();
        Cutover cutover = new Cutover(server, worker, reminders, reconciler, simulator, registry,
                config.planetScaleOrg(), retention, leadership);
        cutover.resources.addAll(resources);
        cutover.audit = audit;
        cutover.moments = moments;
        log.info("Cutover {} started: {}", VERSION, config);
        return cutover;
    }

    /**
     * Linking Slack users to PlanetScale accounts, when OAuth is configured. In the sandbox the simulator's authorize
     * page and OAuth application are used and Cutover's own loopback address stands in for CUTOVER_PUBLIC_URL.
     */
    private static Optional<AccountLinks> accountLinks(Config config, Store store, HttpPlanetScaleApi httpApi,
            OkHttpClient http, SlackPoster poster, Clock clock, AtomicReference<String> ownUrl,
            PlanetScaleSimulator simulator) {
        Optional<IdentityConfig.OAuth> oauth = config.identity().oauth();
        if (oauth.isEmpty()) {
            return Optional.empty();
        }
        IdentityConfig.OAuth settings = oauth.get();
        if (settings.ephemeralKey()) {
            log.warn("Sandbox: CUTOVER_ENCRYPTION_KEY is not set, so linked PlanetScale accounts are sealed with a key"
                    + " generated for this run; links are lost when Cutover stops");
        }
        TokenCipher cipher = new TokenCipher(settings.encryptionKey(), settings.previousKeys());
        PlanetScaleOAuth client = new PlanetScaleOAuth(http, config.planetScaleApiUrl(), config.planetScaleOrg(),
                settings.applicationId(), settings.clientId(), settings.clientSecret(),
                config.planetScaleServiceTokenId(), config.planetScaleServiceToken());
        Optional<String> configuredUrl = config.publicUrl();
        boolean sandbox = config.sandbox();
        Supplier<Optional<String>> publicUrl = () -> configuredUrl.or(() -> sandbox
                ? Optional.ofNullable(ownUrl.get()) : Optional.empty());
        String authorizeUrl = simulator != null ? simulator.authorizeUrl() : AccountLinks.PLANETSCALE_AUTHORIZE_URL;
        return Optional.of(new AccountLinks(store.linkedAccounts(), cipher, client, httpApi, poster, clock, publicUrl,
                authorizeUrl, settings.clientId()));
    }

    /**
     * The store, or a start-up problem that names the directory and {@code CUTOVER_DATA_DIR}: a directory that
     * cannot be written (probed with a real file, since permissions alone say nothing to root or on a read-only
     * mount) or one another Cutover process already has open.
     */
    private static Store openStore(Config config, Clock clock) {
        if (config.database().isPresent()) {
            DatabaseUrl url = config.database().get();
            try {
                return PostgresStore.open(new PostgresStore.Connection(url.jdbcUrl(), url.user().orElse(null),
                        url.password().orElse(null), REPLICA, claimLease(config.leasePeriod())), clock);
            } catch (StoreException e) {
                throw new ConfigException(List.of(e.getMessage() + " — check CUTOVER_DATABASE_URL and its"
                        + " credentials (CUTOVER_DATABASE_USER, CUTOVER_DATABASE_PASSWORD)"));
            }
        }
        Path dataDir = config.dataDir();
        Path absolute = dataDir.toAbsolutePath();
        try {
            Files.createDirectories(absolute);
            Files.delete(Files.createTempFile(absolute, ".write-check", ".tmp"));
        } catch (IOException | SecurityException e) {
            String why = Files.exists(absolute) && !Files.isDirectory(absolute) ? "it is a file, not a directory"
                    : Files.isDirectory(absolute) ? "no file can be created in it" : "it cannot be created";
            throw new ConfigException(List.of("CUTOVER_DATA_DIR " + absolute + " is not writable (" + why
                    + ") — fix its permissions or set CUTOVER_DATA_DIR to a writable directory"));
        }
        try {
            return SqliteStore.open(dataDir, clock);
        } catch (DataDirectoryInUseException e) {
            throw new ConfigException(List.of("CUTOVER_DATA_DIR " + absolute + " is in use by another Cutover"
                    + " process (pid " + e.owner() + ") — stop that process or set CUTOVER_DATA_DIR to another"
                    + " directory"));
        }
    }

    private static void startServer(HttpServer server, int port) throws Exception {
        try {
            server.start();
        } catch (Exception e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof BindException) {
                    throw new ConfigException(List.of("port " + port + " is in use — set PORT to a free port"));
                }
            }
            throw e;
        }
    }

    /**
     * Bolt without its default middleware: no hidden {@code auth.test} calls, so start-up and request handling
     * never depend on Slack being reachable (slack.md §1.3). Signatures are checked before Bolt, over the raw
     * bytes, by {@link SlackEventsServlet}.
     */
    private static App boltApp(Config config, Slack slack) {
        AppConfig appConfig = AppConfig.builder()
                .singleTeamBotToken(config.slackBotToken())
                .signingSecret(config.slackSigningSecret().orElse(null))
                .slack(slack)
                .requestVerificationEnabled(false)
                .build();
        List<Middleware> middleware = new ArrayList<>();
        middleware.add(new SSLCheck(null));
        return new App(appConfig, middleware);
    }

    /** The store once open; a failure to open is rethrown as it was thrown. */
    private static Store opened(CompletableFuture<Store> opening) {
        try {
            return opening.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private static IncomingEvent toIncoming(WebhookEnvelope event, Clock clock) {
        return new IncomingEvent(event.dedupeKey(), event.name(), event.organization(), event.database(),
                event.deployRequestNumber().orElse(null), event.resourceUpdatedAt().orElse(null), clock.instant(),
                event.body());
    }

    /**
     * How long a claimed outbox event stays with its replica: four leases, and at least 30 s, so a delivery that
     * meets Slack's slowest answers (8 s a call) is never taken over while it still runs; a killed replica's events
     * move on after that (the claim is not renewed during a delivery, so it must outlast one).
     */
    static Duration claimLease(Duration leasePeriod) {
        Duration fourLeases = leasePeriod.multipliedBy(4);
        return fourLeases.compareTo(MIN_CLAIM) < 0 ? MIN_CLAIM : fourLeases;
    }

    private static final Duration MIN_CLAIM = Duration.ofSeconds(30);

    private static String hostName() {
        String host = System.getenv("HOSTNAME");
        if (host != null && !host.isBlank()) {
            return host.trim();
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "cutover";
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    public int port() {
        return server.port();
    }

    public String organization() {
        return organization;
    }

    public Optional<PlanetScaleSimulator> simulator() {
        return Optional.ofNullable(simulator);
    }

    public List<String> sandboxDatabases() {
        return simulator == null ? List.of() : simulator.databaseNames();
    }

    /** Runs one outbox pass and one reminder pass on the caller's thread (tests with a fake clock). */
    public int deliverNow() {
        int delivered = worker.runOnce();
        reminders.fireDue();
        return delivered;
    }

    /** Runs a reconciliation pass if one is due on the clock, then delivers what it found (tests with a fake clock). */
    public boolean reconcileDue() {
        boolean ran = reconciler.runDue();
        if (ran) {
            deliverNow();
        }
        return ran;
    }

    /** Looks for moments that need a human now, on the caller's thread (tests with a fake clock). */
    public void checkMomentsNow() {
        moments.passNow();
    }

    public Reconciler reconciler() {
        return reconciler;
    }

    private static void reconcileQuietly(Reconciler reconciler) {
        try {
            reconciler.runDue();
        } catch (RuntimeException e) {
            log.warn("Reconciliation failed; trying again next period: {}", e.toString());
        }
    }

    private static void fireQuietly(RevertReminders reminders) {
        try {
            reminders.fireDue();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again; a store hiccup must not end reminders.
            log.warn("Reminder pass failed; trying again shortly: {}", e.toString());
        }
    }

    /** Runs one retention pass now, with the clock's current time (tests with a fake clock). */
    public int purgeNow() {
        return retention.purgeNow();
    }

    /** Deletes audit entries older than CUTOVER_AUDIT_RETENTION now, by the clock (tests with a fake clock). */
    public int purgeAuditNow() {
        return audit.purge();
    }

    /** Whether this replica holds the jobs lease now. */
    public boolean isLeader() {
        return leadership.isLeader();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        List<AutoCloseable> reversed = new ArrayList<>(resources);
        Collections.reverse(reversed);
        closeAll(reversed);
        resources.clear();
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("Error while stopping: {}", e.toString());
            }
        }
    }
}
