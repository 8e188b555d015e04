package dev.cutover.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.testing.FakeClock;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every engine's ThreadIndex must do; one subclass per engine runs it. */
abstract class ThreadIndexContract {
    /** The engine the subclass runs these tests on, made fresh for each test. */
    abstract EngineUnderTest engine();

    EngineUnderTest engine;

    final FakeClock clock = new FakeClock();
    Store store;
    private ThreadIndex threads;

    @BeforeEach
    void open() {
        engine = engine();
        store = engine.open(clock);
        threads = store.threads();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void find_withNothingSaved_isEmpty() {
        assertThat(threads.find("acme", "shop", 7, "C1")).isEmpty();
    }

    @Test
    void save_isFoundByDeployRequestAndChannel() {
        CardThread thread = new CardThread("acme", "shop", 7, "C1", "1700000000.000100", clock.instant(),
                "deploy_request.opened");

        threads.save(thread);

        assertThat(threads.find("acme", "shop", 7, "C1")).contains(thread);
        assertThat(threads.find("acme", "shop", 7, "C2")).isEmpty();
        assertThat(threads.find("acme", "shop", 8, "C1")).isEmpty();
        assertThat(threads.find("other", "shop", 7, "C1")).isEmpty();
    }

    @Test
    void saveAgain_replacesTheCardForThatChannel() {
        threads.save(new CardThread("acme", "shop", 7, "C1", "1700000000.000100", clock.instant(),
                "deploy_request.opened"));
        CardThread updated = new CardThread("acme", "shop", 7, "C1", "1700000000.000100",
                clock.instant().plus(Duration.ofMinutes(3)), "deploy_request.queued");

        threads.save(updated);

        assertThat(threads.find("acme", "shop", 7, "C1")).contains(updated);
    }

    @Test
    void save_keepsUnknownUpdatedAtAndEventAsNull() {
        CardThread fromCommand = new CardThread("acme", "shop", 7, "C1", "1700000000.000100", null, null);

        threads.save(fromCommand);

        assertThat(threads.find("acme", "shop", 7, "C1")).contains(fromCommand);
    }

    @Test
    void delete_removesOnlyThatChannelsCard() {
        threads.save(new CardThread("acme", "shop", 7, "C1", "1.1", null, null));
        threads.save(new CardThread("acme", "shop", 7, "C2", "2.2", null, null));

        threads.delete("acme", "shop", 7, "C1");

        assertThat(threads.find("acme", "shop", 7, "C1")).isEmpty();
        assertThat(threads.find("acme", "shop", 7, "C2")).isPresent();
    }
}
