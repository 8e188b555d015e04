package dev.cutover.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.testing.FakeClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every engine's SubscriptionStore must do; one subclass per engine runs it. */
abstract class SubscriptionStoreContract {
    /** The engine the subclass runs these tests on, made fresh for each test. */
    abstract EngineUnderTest engine();

    EngineUnderTest engine;

    final FakeClock clock = new FakeClock();
    Store store;
    private SubscriptionStore subscriptions;

    @BeforeEach
    void open() {
        engine = engine();
        store = engine.open(clock);
        subscriptions = store.subscriptions();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Subscription subscription(String channelId, String database, String... filters) {
        return new Subscription(channelId, database, Set.of(filters), "U1", clock.instant());
    }

    @Test
    void subscribe_isReadBackWithEveryField() {
        Subscription subscription = subscription("C1", "shop", Subscription.DEPLOYS, "branch.ready");

        subscriptions.subscribe(subscription);

        assertThat(subscriptions.forChannel("C1")).containsExactly(subscription);
        assertThat(subscriptions.forDatabase("shop")).containsExactly(subscription);
    }

    @Test
    void subscribeAgain_replacesTheChannelsSubscriptionForThatDatabase() {
        subscriptions.subscribe(subscription("C1", "shop", Subscription.DEPLOYS));
        Subscription replacement = new Subscription("C1", "shop", Set.of(Subscription.STORAGE), "U2",
                Instant.parse("2026-11-22T08:00:00Z"));

        subscriptions.subscribe(replacement);

        assertThat(subscriptions.forChannel("C1")).containsExactly(replacement);
    }

    @Test
    void forChannel_listsTheChannelsDatabasesByName() {
        subscriptions.subscribe(subscription("C1", "shop", Subscription.DEPLOYS));
        subscriptions.subscribe(subscription("C1", "billing", Subscription.DEPLOYS));
        subscriptions.subscribe(subscription("C2", "shop", Subscription.DEPLOYS));

        assertThat(subscriptions.forChannel("C1")).extracting(Subscription::database)
                .containsExactly("billing", "shop");
    }

    @Test
    void forDatabase_listsEveryFollowingChannel() {
        subscriptions.subscribe(subscription("C2", "shop", Subscription.DEPLOYS));
        subscriptions.subscribe(subscription("C1", "shop", Subscription.BRANCHES));
        subscriptions.subscribe(subscription("C3", "billing", Subscription.DEPLOYS));

        assertThat(subscriptions.forDatabase("shop")).extracting(Subscription::channelId)
                .containsExactly("C1", "C2");
        assertThat(subscriptions.forDatabase("nothing")).isEmpty();
    }

    @Test
    void unsubscribe_removesOnlyThatDatabase_andSaysWhetherItWasThere() {
        subscriptions.subscribe(subscription("C1", "shop", Subscription.DEPLOYS));
        subscriptions.subscribe(subscription("C1", "billing", Subscription.DEPLOYS));

        assertThat(subscriptions.unsubscribe("C1", "shop")).isTrue();
        assertThat(subscriptions.unsubscribe("C1", "shop")).isFalse();
        assertThat(subscriptions.forChannel("C1")).extracting(Subscription::database).containsExactly("billing");
    }
}
