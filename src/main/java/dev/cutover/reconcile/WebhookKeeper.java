package dev.cutover.reconcile;

import com.slack.api.model.block.ActionsBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.composition.PlainTextObject;
import com.slack.api.model.block.element.ButtonElement;
import dev.cutover.deploy.EventType;
import dev.cutover.notify.TestEventWatch;
import dev.cutover.planetscale.DatabaseWebhook;
import dev.cutover.planetscale.HttpPlanetScaleApi;
import dev.cutover.planetscale.PlanetScaleException;
import dev.cutover.render.Messages;
import dev.cutover.slack.SlackPostException;
import dev.cutover.slack.SlackPoster;
import dev.cutover.store.ManagedWebhook;
import dev.cutover.store.ManagedWebhooks;
import dev.cutover.webhooks.WebhookSecrets;
import java.io.IOException;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Self-healing webhooks: creates PlanetScale's webhook for a database pointing at Cutover
 * ({@code /pscale webhooks setup}), keeps its secret so intake accepts it, confirms PlanetScale's test event
 * arrives, and on every reconciliation pass checks the webhooks of the databases it manages: a webhook PlanetScale
 * disabled is reported in the admin channel with a Re-enable button (or re-enabled at once when the admin opted in),
 * and a failed last delivery is reported with PlanetScale's {@code last_sent_result}. Reconciliation itself fills
 * the gap while a webhook was off.
 */
public final class WebhookKeeper implements TestEventWatch {
    /** The button of the admin channel's report; its value is the database. */
    public static final String REENABLE_ACTION_ID = "cutover:webhook_reenable";
    /** Where PlanetScale posts, below {@code CUTOVER_PUBLIC_URL}. */
    public static final String PATH = "/webhooks/planetscale";
    /** Every event PlanetScale sends that Cutover understands (webhook.test is sent whatever the list says). */
    static final List<String> EVENTS = Arrays.stream(EventType.values())
            .filter(type -> type.isSentByPlanetScale() && type != EventType.WEBHOOK_TEST).map(EventType::wire).toList();

    private static final Logger log = LoggerFactory.getLogger(WebhookKeeper.class);

    /** What a set-up did, for the words of the answer. */
    public sealed interface Setup {
        /** Created (or found and adopted) and enabled; PlanetScale's test event is on its way. */
        record Done(String database, String url, boolean created) implements Setup {}

        /** {@code CUTOVER_PUBLIC_URL} is not set, so there is nothing to point PlanetScale at. */
        record NoPublicUrl() implements Setup {}

        /** PlanetScale refused (usually the token lacks {@code write_database}) or could not be reached. */
        record Failed(String database, Exception error) implements Setup {}
    }

    private final HttpPlanetScaleApi api;
    private final ManagedWebhooks managed;
    private final WebhookSecrets secrets;
    private final SlackPoster poster;
    private final Optional<String> adminChannel;
    private final boolean autoReenable;
    private final Supplier<Optional<String>> publicUrl;
    private final Clock clock;
    /** Databases whose set-up waits for PlanetScale's test event, with the channel to tell when it arrives. */
    private final Map<String, String> awaitingTest = new ConcurrentHashMap<>();
    /** What the last check saw per database, for {@code /pscale doctor}. */
    private final Map<String, DatabaseWebhook> lastSeen = new ConcurrentHashMap<>();

    public WebhookKeeper(HttpPlanetScaleApi api, ManagedWebhooks managed, WebhookSecrets secrets, SlackPoster poster,
            Optional<String> adminChannel, boolean autoReenable, Supplier<Optional<String>> publicUrl, Clock clock) {
        this.api = api;
        this.managed = managed;
        this.secrets = secrets;
        this.poster = poster;
        this.adminChannel = adminChannel;
        this.autoReenable = autoReenable;
        this.publicUrl = publicUrl;
        this.clock = clock;
    }

    /**
     * Creates the database's webhook pointing at Cutover with the events Cutover uses, {@code enabled: true} (or
     * adopts one already pointing there, re-enabling it), stores its secret, and asks PlanetScale for its test
     * event; {@code channel} is told when the test arrives.
     */
    public Setup setup(String database, String channel) {
        Optional<String> base = publicUrl.get();
        if (base.isEmpty()) {
            return new Setup.NoPublicUrl();
        }
        String url = base.get() + PATH;
        try {
            Optional<DatabaseWebhook> existing = api.listWebhooks(database).stream()
                    .filter(webhook -> webhook.url().equals(url)).findFirst();
            DatabaseWebhook webhook = existing.isPresent() ? existing.get() : api.createWebhook(database, url, EVENTS);
            if (!webhook.enabled()) {
                webhook = api.enableWebhook(database, webhook.id());
            }
            if (webhook.secret().isBlank()) {
                throw new IOException("PlanetScale returned the webhook without its secret");
            }
            managed.save(new ManagedWebhook(database, webhook.id(), webhook.secret(), url, clock.instant()));
            secrets.add(webhook.secret());
            if (channel != null) {
                awaitingTest.put(database, channel);
            }
            api.testWebhook(database, webhook.id());
            lastSeen.put(database, webhook);
            return new Setup.Done(database, url, existing.isEmpty());
        } catch (PlanetScaleException | IOException e) {
            awaitingTest.remove(database);
            log.warn("Webhook set-up for {} failed: {}", database, e.getMessage());
            return new Setup.Failed(database, e);
        }
    }

    @Override
    public Optional<String> awaitingTest(String database) {
        return Optional.ofNullable(database == null ? null : awaitingTest.get(database));
    }

    @Override
    public void arrived(String database) {
        awaitingTest.remove(database);
    }

    /** Turns the database's managed webhook back on (the admin channel's button). */
    public DatabaseWebhook reenable(String database) throws PlanetScaleException, IOException {
        ManagedWebhook webhook = managed.forDatabase(database)
                .orElseThrow(() -> new IOException("Cutover manages no webhook for " + database));
        DatabaseWebhook enabled = api.enableWebhook(database, webhook.webhookId());
        lastSeen.put(database, enabled);
        return enabled;
    }

    /** What the last check saw of the database's managed webhook. */
    public Optional<DatabaseWebhook> lastSeen(String database) {
        return Optional.ofNullable(lastSeen.get(database));
    }

    public Optional<ManagedWebhook> managed(String database) {
        return managed.forDatabase(database);
    }

    /** Every webhook Cutover manages. */
    public List<ManagedWebhook> managedAll() {
        return managed.all();
    }

    /**
     * Reads the database's webhooks (one call) when Cutover manages one there, and reports or heals trouble.
     *
     * @return the API calls made
     */
    int check(String database) throws PlanetScaleException, IOException {
        Optional<ManagedWebhook> ours = managed.forDatabase(database);
        if (ours.isEmpty()) {
            return 0;
        }
        Optional<DatabaseWebhook> found = api.listWebhooks(database).stream()
                .filter(webhook -> webhook.id().equals(ours.get().webhookId())).findFirst();
        if (found.isEmpty()) {
            report("webhook-missing|" + database + "|" + ours.get().webhookId(), Messages.webhookMissing(database),
                    List.of());
            return 1;
        }
        DatabaseWebhook webhook = found.get();
        lastSeen.put(database, webhook);
        String when = webhook.lastSentAt().map(Object::toString).orElse("never");
        if (!webhook.enabled()) {
            if (autoReenable) {
                lastSeen.put(database, api.enableWebhook(database, webhook.id()));
                report("webhook-reenabled|" + database + "|" + webhook.id() + "|" + when,
                        Messages.webhookReenabledAutomatically(database, webhook.lastSentResult()), List.of());
                return 2;
            }
            String text = Messages.webhookDisabled(database, webhook.lastSentResult());
            report("webhook-disabled|" + database + "|" + webhook.id() + "|" + when, text, List.of(
                    SectionBlock.builder().text(MarkdownTextObject.builder().text(text).build()).build(),
                    ActionsBlock.builder().elements(List.of(ButtonElement.builder().actionId(REENABLE_ACTION_ID)
                            .text(PlainTextObject.builder().text("Re-enable").build()).value(database)
                            .style("primary").build())).build()));
        } else if (webhook.lastSentSuccess().orElse(true).equals(Boolean.FALSE)) {
            report("webhook-failed|" + database + "|" + webhook.id() + "|" + when,
                    Messages.webhookDeliveryFailed(database, webhook.lastSentResult()), List.of());
        }
        return 1;
    }

    /** Posts to the admin channel once per key (the ledger makes it once across restarts too). */
    private void report(String key, String text, List<LayoutBlock> blocks) {
        if (adminChannel.isEmpty()) {
            log.warn("{} (set CUTOVER_ADMIN_CHANNEL to be told in Slack)", text);
            return;
        }
        try {
            poster.postOnce(key, adminChannel.get(), text, blocks, null);
        } catch (SlackPostException e) {
            log.warn("Could not report webhook trouble in {}: {}", adminChannel.get(), e.error());
        }
    }
}
