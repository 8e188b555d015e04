package dev.cutover.planetscale;

import com.github.benmanes.caffeine.cache.Cache;
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
import java.util.List;
import java.util.concurrent.CompletionException;

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
    private final Cache<DeployRef, DeployRequest> deployRequests;
    private final Cache<ListKey, List<DeployRequest>> lists;
    private final Cache<String, Database> databases;
    private final Cache<Boolean, List<Database>> allDatabases;

    public CachingPlanetScaleApi(PlanetScaleApi api, Clock clock) {
        this.api = api;
        Ticker ticker = () -> {
            java.time.Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
        this.deployRequests = Caffeine.newBuilder().ticker(ticker).expireAfterWrite(DEPLOY_REQUEST_TTL)
                .maximumSize(5_000).build();
        this.lists = Caffeine.newBuilder().ticker(ticker).expireAfterWrite(DEPLOY_REQUEST_TTL)
                .maximumSize(500).build();
        this.databases = Caffeine.newBuilder().ticker(ticker).expireAfterWrite(DATABASE_TTL)
                .maximumSize(1_000).build();
        this.allDatabases = Caffeine.newBuilder().ticker(ticker).expireAfterWrite(DATABASE_TTL)
                .maximumSize(1).build();
    }

    /** Forgets everything cached about one deploy request (a webhook or a write said it changed). */
    public void invalidate(DeployRef ref) {
        deployRequests.invalidate(ref);
        lists.asMap().keySet().removeIf(key -> key.database().equals(ref.database()));
    }

    /** Reads the deploy request from PlanetScale, bypassing the cache, and caches the answer. */
    public DeployRequest fresh(DeployRef ref) throws PlanetScaleException, IOException {
        DeployRequest request = api.getDeployRequest(ref);
        deployRequests.put(ref, request);
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

    private static <K, V> V load(Cache<K, V> cache, K key, Call<V> loader) throws PlanetScaleException, IOException {
        try {
            return cache.get(key, k -> {
                try {
                    return loader.call();
                } catch (PlanetScaleException | IOException e) {
                    throw new CompletionException(e);
                }
            });
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
}
