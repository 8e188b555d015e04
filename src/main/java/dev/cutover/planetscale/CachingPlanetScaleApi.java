package dev.cutover.planetscale;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.cutover.deploy.Database;
import dev.cutover.deploy.DeployOperation;
import dev.cutover.deploy.DeployRef;
import dev.cutover.deploy.DeployRequest;
import dev.cutover.deploy.Deployment;
import dev.cutover.deploy.Review;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Caches PlanetScale reads briefly (PlanetScale allows 600 requests a minute, and every card refresh is a
 * read) and keeps them honest: any write through the bot, and any webhook, invalidates what it touched, so a
 * card never shows a state older than the last action. Concurrent misses for one key share one request.
 */
public final class CachingPlanetScaleApi implements PlanetScaleApi {
    public static final Duration DEPLOY_REQUEST_TTL = Duration.ofSeconds(15);
    public static final Duration DATABASE_TTL = Duration.ofMinutes(2);

    private record ListKey(String database, DeployRequestFilter filter, int limit) {}

    private final PlanetScaleApi api;
    // Async caches so that a slow PlanetScale read runs outside the map's locks: a synchronous Caffeine load
    // runs inside an atomic compute and would hold up other keys sharing its bin for the whole 1.5 s call.
    private final AsyncCache<DeployRef, DeployRequest> deployRequests;
    private final AsyncCache<ListKey, List<DeployRequest>> lists;
    private final AsyncCache<String, Database> databases;
    private final AsyncCache<Boolean, List<Database>> allDatabases;

    public CachingPlanetScaleApi(PlanetScaleApi api, Clock clock) {
        this.api = api;
        Ticker ticker = () -> {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
        this.deployRequests = Caffeine.newBuilder().ticker(ticker).expireAfterWrite(DEPLOY_REQUEST_TTL)
                .maximumSize(5_000).buildAsync();
        this.lists = Caffeine.newBuilder().ticker(ticker).expireAfterWrite(DEPLOY_REQUEST_TTL)
                .maximumSize(500).buildAsync();
        this.databases = Caffeine.newBuilder().ticker(ticker).expireAfterWrite(DATABASE_TTL)
                .maximumSize(1_000).buildAsync();
        this.allDatabases = Caffeine.newBuilder().ticker(ticker).expireAfterWrite(DATABASE_TTL)
                .maximumSize(1).buildAsync();
    }

    /** Forgets everything cached about one deploy request (a webhook or a write said it changed). */
    public void invalidate(DeployRef ref) {
        deployRequests.synchronous().invalidate(ref);
        lists.asMap().keySet().removeIf(key -> key.database().equals(ref.database()));
    }

    /** Reads the deploy request from PlanetScale, bypassing the cache, and caches the answer. */
    public DeployRequest fresh(DeployRef ref) throws PlanetScaleException, IOException {
        DeployRequest request = api.getDeployRequest(ref);
        deployRequests.put(ref, CompletableFuture.completedFuture(request));
        return request;
    }

    @Override
    public String org() {
        return api.org();
    }

    @Override
    public List<Database> listDatabases() throws PlanetScaleException, IOException {
        return load(allDatabases, Boolean.TRUE, api::listDatabases);
    }

    @Override
    public Database getDatabase(String database) throws PlanetScaleException, IOException {
        return load(databases, database, () -> api.getDatabase(database));
    }

    /**
     * The database if it is cached or PlanetScale answers within {@code patience}; empty otherwise (the read goes on
     * in the background and fills the cache for next time). For callers that must not wait on PlanetScale.
     */
    public Optional<Database> databaseWithin(String database, Duration patience, Executor background) {
        CompletableFuture<Database> cached = databases.getIfPresent(database);
        CompletableFuture<Database> future;
        try {
            future = cached != null ? cached : CompletableFuture.supplyAsync(() -> {
                try {
                    return getDatabase(database);
                } catch (PlanetScaleException | IOException e) {
                    throw new CompletionException(e);
                }
            }, background);
        } catch (RejectedExecutionException e) {
            return Optional.empty(); // enough reads already waiting on a slow PlanetScale; unknown for now
        }
        try {
            return Optional.ofNullable(future.get(patience.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | TimeoutException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<DeployRequest> listDeployRequests(String database, DeployRequestFilter filter, int limit)
            throws PlanetScaleException, IOException {
        return load(lists, new ListKey(database, filter, limit), () -> api.listDeployRequests(database, filter, limit));
    }

    @Override
    public DeployRequest getDeployRequest(DeployRef ref) throws PlanetScaleException, IOException {
        return load(deployRequests, ref, () -> api.getDeployRequest(ref));
    }

    @Override
    public Review approve(DeployRef ref, String body) throws PlanetScaleException, IOException {
        try {
            return api.approve(ref, body);
        } finally {
            invalidate(ref);
        }
    }

    @Override
    public Review comment(DeployRef ref, String body) throws PlanetScaleException, IOException {
        try {
            return api.comment(ref, body);
        } finally {
            invalidate(ref);
        }
    }

    @Override
    public List<Review> listReviews(DeployRef ref) throws PlanetScaleException, IOException {
        return api.listReviews(ref);
    }

    @Override
    public DeployRequest deploy(DeployRef ref, boolean instant) throws PlanetScaleException, IOException {
        return written(ref, () -> api.deploy(ref, instant));
    }

    @Override
    public DeployRequest applyDeploy(DeployRef ref) throws PlanetScaleException, IOException {
        return written(ref, () -> api.applyDeploy(ref));
    }

    @Override
    public DeployRequest cancel(DeployRef ref) throws PlanetScaleException, IOException {
        return written(ref, () -> api.cancel(ref));
    }

    @Override
    public DeployRequest close(DeployRef ref) throws PlanetScaleException, IOException {
        return written(ref, () -> api.close(ref));
    }

    @Override
    public DeployRequest revert(DeployRef ref) throws PlanetScaleException, IOException {
        return written(ref, () -> api.revert(ref));
    }

    @Override
    public DeployRequest skipRevert(DeployRef ref) throws PlanetScaleException, IOException {
        return written(ref, () -> api.skipRevert(ref));
    }

    @Override
    public DeployRequest forceCutover(DeployRef ref) throws PlanetScaleException, IOException {
        return written(ref, () -> api.forceCutover(ref));
    }

    @Override
    public DeployRequest autoApply(DeployRef ref, boolean enable) throws PlanetScaleException, IOException {
        return written(ref, () -> api.autoApply(ref, enable));
    }

    @Override
    public DeployRequest completeErroredDeploy(DeployRef ref) throws PlanetScaleException, IOException {
        return written(ref, () -> api.completeErroredDeploy(ref));
    }

    @Override
    public List<Deployment> deployQueue(String database) throws PlanetScaleException, IOException {
        return api.deployQueue(database);
    }

    @Override
    public List<DeployOperation> listOperations(DeployRef ref) throws PlanetScaleException, IOException {
        return api.listOperations(ref);
    }

    @Override
    public boolean canSeeOrganization() throws PlanetScaleException, IOException {
        return api.canSeeOrganization();
    }

    @FunctionalInterface
    private interface Call<T> {
        T call() throws PlanetScaleException, IOException;
    }

    /** A write invalidates before and after: whatever happened, the next read goes to PlanetScale. */
    private DeployRequest written(DeployRef ref, Call<DeployRequest> write) throws PlanetScaleException, IOException {
        invalidate(ref);
        try {
            return write.call();
        } finally {
            invalidate(ref);
        }
    }

    /**
     * Returns the cached value or loads it on the calling thread, outside any lock; concurrent misses for one key
     * wait for that one load. A failed load is not cached, and its waiters get the same exception.
     */
    private static <K, V> V load(AsyncCache<K, V> cache, K key, Call<V> loader) throws PlanetScaleException, IOException {
        Load<V> mine = new Load<>();
        CompletableFuture<V> existing = cache.asMap().putIfAbsent(key, mine);
        if (existing == null) {
            try {
                mine.complete(loader.call());
            } catch (PlanetScaleException | IOException | RuntimeException e) {
                cache.asMap().remove(key, mine);
                mine.fail(e);
                throw e;
            }
            return mine.join();
        }
        try {
            V value = existing.join();
            if (value == null && existing instanceof Load<V> load && load.failure != null) {
                throw rethrow(load.failure);
            }
            return value;
        } catch (CompletionException e) {
            if (e.getCause() instanceof PlanetScaleException p) {
                throw p;
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        }
    }

    private static RuntimeException rethrow(Exception failure) throws PlanetScaleException, IOException {
        if (failure instanceof PlanetScaleException p) {
            throw p;
        }
        if (failure instanceof IOException io) {
            throw io;
        }
        return (RuntimeException) failure;
    }

    /**
     * A load in flight. A failure completes it with no value instead of exceptionally: Caffeine logs every
     * exceptional async load as a WARNING with a stack trace (on stderr, outside our log format), and an expected
     * 404 or timeout is not a warning. The failure is kept here for the waiters.
     */
    private static final class Load<V> extends CompletableFuture<V> {
        private volatile Exception failure;

        void fail(Exception e) {
            failure = e;
            complete(null);
        }
    }
}
