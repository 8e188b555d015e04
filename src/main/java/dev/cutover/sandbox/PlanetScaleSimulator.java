package dev.cutover.sandbox;

import dev.cutover.deploy.Actor;
import dev.cutover.deploy.DeploymentState;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PlanetScale API for one organization, served over HTTP on loopback, so Cutover runs end to end with no
 * PlanetScale account ({@code --sandbox}) and end-to-end tests can drive a deploy request's whole lifecycle.
 * It answers like the real service (planetscale-api.md): same paths, JSON, states, errors and signed webhooks.
 *
 * <p>Time only moves in {@link #tick()}, which applies every lifecycle step whose due time on the injected
 * {@link Clock} has passed; tests call it after advancing a fake clock, the live sandbox through
 * {@link #startTicking}. All methods are thread-safe.
 */
public final class PlanetScaleSimulator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PlanetScaleSimulator.class);

    private final Clock clock;
    private final Steps steps;
    private final SimulatedOrganization organization;
    private final WebhookSender webhooks;
    private final ApiHandler handler;
    private final SimulatedOAuth oauth;
    private final Server server;
    private volatile String baseUrl;

    /**
     * @param webhookUrl where to post webhooks, or null to send none
     * @param webhookSecret the HMAC key for {@code X-PlanetScale-Signature}
     * @param webhookExecutor runs each delivery ({@code Runnable::run} delivers before the triggering call returns)
     */
    public PlanetScaleSimulator(Clock clock, String org, String webhookUrl, String webhookSecret,
            Executor webhookExecutor) {
        this(clock, org, webhookUrl, webhookSecret, webhookExecutor, Steps.DEFAULT);
    }

    public PlanetScaleSimulator(Clock clock, String org, String webhookUrl, String webhookSecret,
            Executor webhookExecutor, Steps steps) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.steps = Objects.requireNonNull(steps, "steps");
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(webhookSecret, "webhookSecret");
        Objects.requireNonNull(webhookExecutor, "webhookExecutor");
        WireJson json = new WireJson(org, this::baseUrl);
        this.webhooks = new WebhookSender(org, webhookUrl, webhookSecret, webhookExecutor);
        this.organization = new SimulatedOrganization(org, clock, steps, json, webhooks);
        // PlanetScale's OAuth tokens last 31 days (its example); the sandbox's pass as fast as its other steps.
        this.oauth = new SimulatedOAuth(clock, steps.scale(Duration.ofDays(31)));
        this.handler = new ApiHandler(organization, json, oauth);
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("planetscale-sandbox");
        this.server = new Server(threads);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        // The pages behind html_url first; everything else is the API.
        server.setHandler(new Handler.Sequence(new OAuthAuthorizePage(oauth), new DeployRequestPage(organization),
                handler));
    }

    /** Binds a free port on 127.0.0.1 and starts answering. */
    public void start() {
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("The PlanetScale sandbox could not start", e);
        }
        int port = ((NetworkConnector) server.getConnectors()[0]).getLocalPort();
        baseUrl = "http://127.0.0.1:" + port + "/v1";
        log.info("PlanetScale sandbox for organization {} listening on {}", organization.name, baseUrl);
    }

    /** Where the read-only pages behind {@code html_url} live: {@code http://127.0.0.1:<port>}. */
    public String pagesUrl() {
        String url = baseUrl();
        return url.substring(0, url.length() - "/v1".length());
    }

    /** {@code http://127.0.0.1:<port>/v1}, the value for {@code PLANETSCALE_API_URL}. */
    public String baseUrl() {
        String url = baseUrl;
        if (url == null) {
            throw new IllegalStateException("start() the simulator before asking for its address");
        }
        return url;
    }

    public String org() {
        return organization.name;
    }

    /** Sends webhooks to {@code url} from now on (null: send none). */
    public void webhookUrl(String url) {
        webhooks.target(url);
    }

    /** The simulated databases' names, for the start-up banner. */
    public List<String> databaseNames() {
        return organization.locked(() -> organization.databases().stream().map(d -> d.name).toList());
    }

    public Steps steps() {
        return steps;
    }

    /** Loads the demo organization: databases {@code shop} (approval required) and {@code analytics}. */
    public void seedDemo() {
        organization.locked(() -> {
            DemoData.seed(organization, clock.instant());
            return null;
        });
    }

    /** Creates the database, or changes its {@code require_approval_for_deploy}. */
    public void setDatabase(String name, boolean requireApprovalForDeploy) {
        organization.locked(() -> organization.putDatabase(name, requireApprovalForDeploy));
    }

    /**
     * Opens a deploy request in {@code pending} (checks run for {@link Steps#checks()}) and sends
     * {@code deploy_request.opened}. Returns its number.
     *
     * @throws IllegalArgumentException when the database does not exist
     */
    public int createDeployRequest(String database, String branch, String intoBranch, Actor author,
            boolean autoCutover, boolean instantEligible, List<String> ddl) {
        DeployRequestSeed seed = DeployRequestSeed.of(database, branch, author, ddl).withIntoBranch(intoBranch);
        seed = autoCutover ? seed : seed.gated();
        return createDeployRequest(instantEligible ? seed.withInstantEligible() : seed);
    }

    /** Opens a deploy request from a seed and sends {@code deploy_request.opened}. Returns its number. */
    public int createDeployRequest(DeployRequestSeed seed) {
        return organization.locked(() -> organization.open(seed, true).number);
    }

    /** @throws IllegalArgumentException when there is no such deploy request */
    public DeploymentState stateOf(String database, int number) {
        return organization.locked(() -> existing(database, number).deploymentState);
    }

    /** Whether the request's own {@code state} is {@code open}. */
    public boolean isOpen(String database, int number) {
        return organization.locked(() -> existing(database, number).open);
    }

    /** Applies every lifecycle step that is due on the clock; webhooks for them are sent before it returns. */
    public void tick() {
        organization.locked(() -> {
            organization.tick();
            return null;
        });
    }

    /** Calls {@link #tick()} every {@code interval} on {@code scheduler} (the live sandbox; tests tick by hand). */
    public ScheduledFuture<?> startTicking(ScheduledExecutorService scheduler, Duration interval) {
        long millis = interval.toMillis();
        return scheduler.scheduleAtFixedRate(() -> {
            try {
                tick();
            } catch (RuntimeException e) {
                // An exception would silently cancel the schedule and freeze every deploy request.
                log.error("Sandbox tick failed", e);
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Every request received so far (the latest 10,000 in a long run), oldest first. */
    public List<ReceivedRequest> requests() {
        return handler.received();
    }

    /**
     * Every request received so far with the identity its credentials carried ({@code user:<actor id>} for a linked
     * person's OAuth token, {@code service_token:<id>}), oldest first.
     */
    public List<AttributedRequest> attributedRequests() {
        return handler.attributed();
    }

    /** PlanetScale's OAuth authorize page in the sandbox (pick a demo user there). */
    public String authorizeUrl() {
        return pagesUrl() + OAuthAuthorizePage.PATH;
    }

    /** How long OAuth tokens issued from now on last. */
    public void oauthTokenLifetime(Duration lifetime) {
        oauth.tokenLifetime(lifetime);
    }

    /** Refuses every OAuth refresh from now on ({@code true}), as when a person revoked Cutover in PlanetScale. */
    public void refuseOAuthRefresh(boolean refuse) {
        oauth.refuseRefresh(refuse);
    }

    /** Revokes every OAuth token of {@code actorId} (they removed Cutover's access in PlanetScale). */
    public void revokeOAuthTokensOf(String actorId) {
        oauth.revokeAllOf(actorId);
    }

    /** OAuth tokens issued and not revoked. */
    public long liveOAuthTokens() {
        return oauth.liveTokens();
    }

    /** Answers the next request (whatever it is) with {@code status} and {@code body}; calls queue up. */
    public void failNext(int status, String body) {
        handler.answerNextWith(new ApiHandler.CannedAnswer(status, body));
    }

    /** Holds every answer back by {@code delay} (a real sleep on the server's own thread) until cleared. */
    public void respondSlowly(Duration delay) {
        handler.delayEveryAnswer(delay);
    }

    /** Drops queued {@link #failNext} answers and the {@link #respondSlowly} delay. */
    public void clearFailures() {
        handler.clearFailures();
    }

    /**
     * An approval made in PlanetScale's dashboard (or with pscale) by {@code reviewer}: recorded exactly like one
     * through the API, and, as with PlanetScale, no webhook is sent for it (planetscale-api.md §7.5 "Gaps").
     */
    public void approveInDashboard(String database, int number, Actor reviewer) {
        organization.locked(() -> organization.review(existing(database, number), "approved", "",
                new Principal(reviewer.id(), reviewer.displayName(), "User")));
    }

    /**
     * From now on, deliveries to the webhooks configured on {@code database} through the API fail as if the
     * receiver were down ({@code broken}), and after {@link #disableWebhooksAfter} failures in a row the webhook is
     * disabled, as PlanetScale does; {@code false} heals the path (a disabled webhook stays disabled).
     */
    public void breakWebhookDeliveries(String database, boolean broken) {
        organization.locked(() -> broken ? organization.brokenDeliveries.add(database)
                : organization.brokenDeliveries.remove(database));
    }

    /** Failed deliveries in a row that disable a webhook (3 unless changed; PlanetScale does not publish its own). */
    public void disableWebhooksAfter(int failures) {
        organization.locked(() -> organization.disableAfterFailures = failures);
    }

    /** Whether the webhook {@code id} of {@code database} is enabled, as the API would say. */
    public boolean isWebhookEnabled(String database, String id) {
        return organization.locked(() -> organization.webhook(database, id).enabled);
    }

    /** The ids of the webhooks configured on {@code database} through the API. */
    public List<String> webhookIds(String database) {
        return organization.locked(() -> organization.webhooks(database).stream().map(w -> w.id).toList());
    }

    /** Sends {@code webhook.test} with the database as its resource, like the dashboard's test button. */
    public void sendTestWebhook(String database) {
        organization.locked(() -> {
            organization.raiseTest(database);
            return null;
        });
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("The PlanetScale sandbox did not stop cleanly", e);
        }
        webhooks.close();
    }

    private SimulatedDeployRequest existing(String database, int number) {
        try {
            return organization.deployRequest(database, number);
        } catch (ApiError e) {
            throw new IllegalArgumentException("no deploy request " + database + "#" + number, e);
        }
    }
}
