package dev.cutover.planetscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.cutover.deploy.Actor;
import dev.cutover.deploy.DeployRef;
import dev.cutover.deploy.DeployRequest;
import dev.cutover.deploy.DeploymentState;
import dev.cutover.deploy.RequestState;
import dev.cutover.testing.FakeClock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class CachingPlanetScaleApiTest {
    static final DeployRef SHOP_7 = new DeployRef("acme", "shop", 7);
    static final DeployRef SHOP_8 = new DeployRef("acme", "shop", 8);

    final PlanetScaleApi api = mock(PlanetScaleApi.class);
    final FakeClock clock = new FakeClock();
    final CachingPlanetScaleApi cached = new CachingPlanetScaleApi(api, clock);
    final ExecutorService threads = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    static DeployRequest request(DeployRef ref, DeploymentState state) {
        return new DeployRequest(ref, "id", new Actor("a", "Alice"), "branch", "main", false, RequestState.OPEN,
                state, null, "", null, 0, null, null, null, null, null);
    }

    @Test
    void secondRead_withinTheTtl_doesNotReachPlanetScale() throws Exception {
        when(api.getDeployRequest(SHOP_7)).thenReturn(request(SHOP_7, DeploymentState.READY));

        cached.getDeployRequest(SHOP_7);
        clock.advance(CachingPlanetScaleApi.DEPLOY_REQUEST_TTL.minusSeconds(1));
        cached.getDeployRequest(SHOP_7);

        verify(api, times(1)).getDeployRequest(SHOP_7);
    }

    @Test
    void readAfterTheTtl_goesToPlanetScaleAgain() throws Exception {
        when(api.getDeployRequest(SHOP_7)).thenReturn(request(SHOP_7, DeploymentState.READY));

        cached.getDeployRequest(SHOP_7);
        clock.advance(CachingPlanetScaleApi.DEPLOY_REQUEST_TTL.plusSeconds(1));
        cached.getDeployRequest(SHOP_7);

        verify(api, times(2)).getDeployRequest(SHOP_7);
    }

    @Test
    void writeThroughTheBot_invalidates_soTheNextReadShowsTheNewState() throws Exception {
        when(api.getDeployRequest(SHOP_7)).thenReturn(request(SHOP_7, DeploymentState.READY),
                request(SHOP_7, DeploymentState.QUEUED));
        when(api.deploy(any(), anyBoolean())).thenReturn(request(SHOP_7, DeploymentState.QUEUED));
        cached.getDeployRequest(SHOP_7);

        cached.deploy(SHOP_7, false);

        assertThat(cached.getDeployRequest(SHOP_7).deploymentState()).isEqualTo(DeploymentState.QUEUED);
    }

    @Test
    void failedRead_isNotCached() throws Exception {
        when(api.getDeployRequest(SHOP_7)).thenThrow(new PlanetScaleException(503, "", ""))
                .thenReturn(request(SHOP_7, DeploymentState.READY));

        assertThatThrownBy(() -> cached.getDeployRequest(SHOP_7)).isInstanceOf(PlanetScaleException.class);
        assertThat(cached.getDeployRequest(SHOP_7).deploymentState()).isEqualTo(DeploymentState.READY);
    }

    @Test
    void expectedFailure_isNotLoggedByCaffeine_andConcurrentWaitersGetTheSameException() throws Exception {
        java.util.List<java.util.logging.LogRecord> caffeineLogs = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger caffeine = java.util.logging.Logger.getLogger("com.github.benmanes.caffeine.cache");
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                caffeineLogs.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        caffeine.addHandler(handler);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger reads = new AtomicInteger();
        when(api.getDeployRequest(SHOP_7)).thenAnswer(invocation -> {
            reads.incrementAndGet();
            release.await(5, TimeUnit.SECONDS);
            throw new PlanetScaleException(404, "not_found", "Not Found");
        });
        try {
            Future<DeployRequest> first = threads.submit(() -> cached.getDeployRequest(SHOP_7));
            Future<DeployRequest> second = threads.submit(() -> cached.getDeployRequest(SHOP_7));
            org.awaitility.Awaitility.await().pollInterval(Duration.ofMillis(10)).until(() -> reads.get() == 1);
            release.countDown();

            for (Future<DeployRequest> read : java.util.List.of(first, second)) {
                assertThatThrownBy(read::get).hasCauseInstanceOf(PlanetScaleException.class);
            }
            assertThat(reads).hasValue(1);
            assertThat(caffeineLogs).isEmpty();
        } finally {
            caffeine.removeHandler(handler);
        }
    }

    @Test
    void concurrentMissesForOneKey_shareOneRead() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger reads = new AtomicInteger();
        when(api.getDeployRequest(SHOP_7)).thenAnswer(invocation -> {
            reads.incrementAndGet();
            release.await(5, TimeUnit.SECONDS);
            return request(SHOP_7, DeploymentState.READY);
        });

        Future<DeployRequest> first = threads.submit(() -> cached.getDeployRequest(SHOP_7));
        Future<DeployRequest> second = threads.submit(() -> cached.getDeployRequest(SHOP_7));
        org.awaitility.Awaitility.await().pollInterval(Duration.ofMillis(10)).until(() -> reads.get() == 1);
        release.countDown();

        assertThat(first.get().ref()).isEqualTo(SHOP_7);
        assertThat(second.get().ref()).isEqualTo(SHOP_7);
        assertThat(reads).hasValue(1);
    }

    @Test
    void slowReadOfOneDeployRequest_doesNotHoldUpAnother() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        when(api.getDeployRequest(SHOP_7)).thenAnswer(invocation -> {
            release.await(5, TimeUnit.SECONDS);
            return request(SHOP_7, DeploymentState.READY);
        });
        when(api.getDeployRequest(SHOP_8)).thenReturn(request(SHOP_8, DeploymentState.QUEUED));
        Future<DeployRequest> slow = threads.submit(() -> cached.getDeployRequest(SHOP_7));

        DeployRequest other = threads.submit(() -> cached.getDeployRequest(SHOP_8)).get(2, TimeUnit.SECONDS);

        assertThat(other.deploymentState()).isEqualTo(DeploymentState.QUEUED);
        assertThat(slow.isDone()).isFalse();
        release.countDown();
        assertThat(slow.get().ref()).isEqualTo(SHOP_7);
    }

    @Test
    void databaseWithin_answersFromTheCacheWithoutAskingAgain() throws Exception {
        when(api.getDatabase("shop")).thenReturn(new dev.cutover.deploy.Database("shop", "", true, "ready"));
        cached.getDatabase("shop");

        var database = cached.databaseWithin("shop", Duration.ofMillis(100), threads);

        assertThat(database).hasValueSatisfying(db -> assertThat(db.requireApprovalForDeploy()).isTrue());
        verify(api, times(1)).getDatabase("shop");
    }

    @Test
    void databaseWithin_givesUpOnASlowPlanetScale_andTheReadStillFillsTheCache() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        when(api.getDatabase("shop")).thenAnswer(invocation -> {
            release.await(5, TimeUnit.SECONDS);
            return new dev.cutover.deploy.Database("shop", "", true, "ready");
        });

        assertThat(cached.databaseWithin("shop", Duration.ofMillis(50), threads)).isEmpty();
        release.countDown();

        org.awaitility.Awaitility.await().pollInterval(Duration.ofMillis(10))
                .until(() -> cached.databaseWithin("shop", Duration.ofMillis(10), threads).isPresent());
        verify(api, times(1)).getDatabase("shop");
    }
}
