package dev.cutover.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.testing.FakeClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every engine's ReminderStore must do; one subclass per engine runs it. */
abstract class ReminderStoreContract {
    /** The engine the subclass runs these tests on, made fresh for each test. */
    abstract EngineUnderTest engine();

    EngineUnderTest engine;

    final FakeClock clock = new FakeClock();
    Store store;
    private ReminderStore reminders;

    @BeforeEach
    void open() {
        engine = engine();
        store = engine.open(clock);
        reminders = store.reminders();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Instant in(Duration duration) {
        return clock.instant().plus(duration);
    }

    @Test
    void scheduled_isDueAtItsTimeAndNotBefore() {
        Reminder scheduled = reminders.schedule("acme", "shop", 7, "C1", "1.1", in(Duration.ofMinutes(25)), "<@U1>");

        assertThat(reminders.due(in(Duration.ofMinutes(24)))).isEmpty();
        assertThat(reminders.due(in(Duration.ofMinutes(25)))).containsExactly(scheduled);
        assertThat(scheduled.mention()).isEqualTo("<@U1>");
    }

    @Test
    void schedulingAgain_replacesThePendingReminderForThatChannel() {
        reminders.schedule("acme", "shop", 7, "C1", "1.1", in(Duration.ofMinutes(5)), null);

        Reminder replacement = reminders.schedule("acme", "shop", 7, "C1", "1.1", in(Duration.ofMinutes(20)), null);

        assertThat(reminders.due(in(Duration.ofMinutes(10)))).isEmpty();
        assertThat(reminders.due(in(Duration.ofMinutes(20)))).containsExactly(replacement);
    }

    @Test
    void schedulingInAnotherChannel_keepsBoth() {
        reminders.schedule("acme", "shop", 7, "C1", "1.1", in(Duration.ofMinutes(5)), null);
        reminders.schedule("acme", "shop", 7, "C2", "2.2", in(Duration.ofMinutes(5)), null);

        assertThat(reminders.due(in(Duration.ofMinutes(5)))).extracting(Reminder::channelId)
                .containsExactly("C1", "C2");
    }

    @Test
    void cancel_dropsTheDeployRequestsRemindersInEveryChannelOnly() {
        reminders.schedule("acme", "shop", 7, "C1", "1.1", in(Duration.ofMinutes(5)), null);
        reminders.schedule("acme", "shop", 7, "C2", "2.2", in(Duration.ofMinutes(5)), null);
        reminders.schedule("acme", "shop", 8, "C1", "3.3", in(Duration.ofMinutes(5)), null);

        reminders.cancel("acme", "shop", 7);

        assertThat(reminders.due(in(Duration.ofMinutes(5)))).extracting(Reminder::number).containsExactly(8);
    }

    @Test
    void due_listsEarliestFirst() {
        reminders.schedule("acme", "shop", 1, "C1", "1.1", in(Duration.ofMinutes(9)), null);
        reminders.schedule("acme", "shop", 2, "C1", "2.2", in(Duration.ofMinutes(3)), null);
        reminders.schedule("acme", "shop", 3, "C1", "3.3", in(Duration.ofMinutes(6)), null);

        assertThat(reminders.due(in(Duration.ofMinutes(10)))).extracting(Reminder::number).containsExactly(2, 3, 1);
    }

    @Test
    void markSent_removesItFromDue_andANewOneCanBeScheduled() {
        Reminder first = reminders.schedule("acme", "shop", 7, "C1", "1.1", in(Duration.ofMinutes(5)), null);

        reminders.markSent(first.id());
        Reminder next = reminders.schedule("acme", "shop", 7, "C1", "1.1", in(Duration.ofMinutes(30)), null);

        assertThat(reminders.due(in(Duration.ofMinutes(10)))).isEmpty();
        assertThat(reminders.due(in(Duration.ofMinutes(30)))).containsExactly(next);
        assertThat(next.id()).isNotEqualTo(first.id());
    }

    @Test
    void cancel_leavesSentRemindersAlone() throws Exception {
        Reminder sent = reminders.schedule("acme", "shop", 7, "C1", "1.1", in(Duration.ofMinutes(5)), null);
        reminders.markSent(sent.id());

        reminders.cancel("acme", "shop", 7);

        assertThat(engine.queryLong("SELECT count(*) FROM reminder WHERE sent_at IS NOT NULL"))
                .isEqualTo(1);
    }
}
