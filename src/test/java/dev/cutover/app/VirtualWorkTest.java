package dev.cutover.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class VirtualWorkTest {
    @Test
    void runsEachTaskOnAVirtualThread() throws Exception {
        VirtualWork work = new VirtualWork("test", 2);
        AtomicBoolean virtual = new AtomicBoolean();
        CountDownLatch ran = new CountDownLatch(1);

        work.execute(() -> {
            virtual.set(Thread.currentThread().isVirtual());
            ran.countDown();
        });

        ran.await();
        assertThat(virtual).isTrue();
    }

    @Test
    void pastMaxTasks_rejectsAtOnce_andAdmitsAgainOnceATaskEnds() throws Exception {
        VirtualWork work = new VirtualWork("test", 2);
        CountDownLatch release = new CountDownLatch(1);
        work.execute(() -> awaitQuietly(release));
        work.execute(() -> awaitQuietly(release));

        assertThatThrownBy(() -> work.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
        assertThat(work.unfinished()).isEqualTo(2);

        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> work.unfinished() == 0);
        CountDownLatch ran = new CountDownLatch(1);
        work.execute(ran::countDown);
        ran.await();
    }

    @Test
    void aFailingTask_givesItsPlaceBack() {
        VirtualWork work = new VirtualWork("test", 1);

        work.execute(() -> {
            throw new IllegalStateException("boom (expected in this test)");
        });

        await().atMost(Duration.ofSeconds(5)).until(() -> work.unfinished() == 0);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
