package dev.cutover.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.deploy.DeployAction;
import dev.cutover.deploy.DeployRef;
import dev.cutover.store.AppendResult;
import dev.cutover.store.CardThread;
import dev.cutover.store.IncomingEvent;
import dev.cutover.store.ManagedWebhook;
import dev.cutover.store.PostgresStore;
import dev.cutover.store.SqliteStore;
import dev.cutover.store.StoredEvent;
import dev.cutover.store.Subscription;
import dev.cutover.store.ThreadReply;
import dev.cutover.testing.FakeClock;
import dev.cutover.testing.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --migrate-store}: a SQLite installation's state, copied into PostgreSQL, is what a replica then serves. */
class StoreMigrationTest {
    @TempDir
    Path dataDir;

    private final FakeClock clock = new FakeClock();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void everythingARunningInstallationNeeds_arrivesInPostgres_andASecondRunChangesNothing() {
        Instant now = clock.instant();
        DeployRef ref = new DeployRef("acme", "shop", 7);
        try (SqliteStore sqlite = SqliteStore.open(dataDir, clock)) {
            sqlite.subscriptions().subscribe(new Subscription("C1", "shop", Set.of(Subscription.DEPLOYS), "U1", now));
            sqlite.threads().save(new CardThread("acme", "shop", 7, "C1", "1700000000.000100", now, "queued"));
            sqlite.threads().saveReply("acme", "shop", 7, new ThreadReply("C1", "1700000000.000200", "queued", true));
            sqlite.threads().saveReply("acme", "shop", 7, new ThreadReply("C1", "1700000000.000300", "started", true));
            sqlite.actions().record(ref, DeployAction.DEPLOY, "U0ALICE", now);
            sqlite.reminders().schedule("acme", "shop", 7, "C1", "1700000000.000100", now.plusSeconds(60), "U0ALICE");
            sqlite.channelHealth().recordFailure("C2", "not_in_channel", now);
            sqlite.webhooks().save(new ManagedWebhook("shop", "wh1", "secret-1", "https://cutover/webhooks", now));
            sqlite.posts().intend("post-1", "C1", null, now);
            sqlite.events().append(new IncomingEvent("done-1", "deploy_request.opened", "acme", "shop", 7, now, now,
                    "{}"));
            sqlite.events().markDone(sqlite.events().due(now, 1).get(0).id());
            sqlite.events().append(new IncomingEvent("pending-1", "deploy_request.queued", "acme", "shop", 7, now,
                    now, "{\"event\":\"deploy_request.queued\"}"));
        }
        String url = TestPostgres.freshDatabase();
        Map<String, String> env = Map.of("CUTOVER_DATA_DIR", dataDir.toString(), "CUTOVER_DATABASE_URL", url);

        int code = Main.run(new String[] {"--migrate-store"}, env, print(out), print(err));

        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("subscription: 1 rows", "event: 2 rows");
        assertThat(Main.run(new String[] {"--migrate-store"}, env, print(out), print(err))).isZero();
        try (PostgresStore postgres = PostgresStore.open(new PostgresStore.Connection(url, null, null, "r1",
                Duration.ofSeconds(30)), clock)) {
            assertThat(postgres.subscriptions().forDatabase("shop")).extracting(Subscription::channelId)
                    .containsExactly("C1");
            assertThat(postgres.threads().find("acme", "shop", 7, "C1")).get().extracting(CardThread::ts)
                    .isEqualTo("1700000000.000100");
            assertThat(postgres.threads().liveReplies("acme", "shop", 7, "C1")).extracting(ThreadReply::ts)
                    .containsExactly("1700000000.000200", "1700000000.000300");
            assertThat(postgres.actions().recent(ref, 5)).singleElement()
                    .satisfies(entry -> assertThat(entry.slackUserId()).isEqualTo("U0ALICE"));
            assertThat(postgres.reminders().due(now.plusSeconds(60))).singleElement()
                    .satisfies(reminder -> assertThat(reminder.mention()).isEqualTo("U0ALICE"));
            assertThat(postgres.channelHealth().problem("C2")).isPresent();
            assertThat(postgres.webhooks().forDatabase("shop")).get().extracting(ManagedWebhook::secret)
                    .isEqualTo("secret-1");
            assertThat(postgres.posts().find("post-1")).isPresent();
            // The delivered event still dedupes its redelivery; the pending one is delivered by the new store.
            assertThat(postgres.events().append(new IncomingEvent("done-1", "deploy_request.opened", "acme", "shop",
                    7, now, now, "{}"))).isEqualTo(AppendResult.DUPLICATE);
            List<StoredEvent> due = postgres.events().due(now, 10);
            assertThat(due).extracting(event -> event.incoming().dedupeKey()).containsExactly("pending-1");
            // New rows take ids after the copied ones.
            postgres.events().append(new IncomingEvent("new-1", "deploy_request.opened", "acme", "shop", 8, now, now,
                    "{}"));
            postgres.events().markDone(due.get(0).id());
            assertThat(postgres.events().due(now, 10)).singleElement()
                    .satisfies(event -> assertThat(event.id()).isGreaterThan(due.get(0).id()));
        }
    }

    @Test
    void withoutADatabaseUrl_itSaysWhatToSet() {
        int code = Main.run(new String[] {"--migrate-store"}, Map.of("CUTOVER_DATA_DIR", dataDir.toString()),
                print(out), print(err));

        assertThat(code).isEqualTo(Main.EXIT_CONFIG);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("CUTOVER_DATABASE_URL");
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
