package dev.cutover.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutover.deploy.EventType;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SubscriptionTest {
    private static Subscription filteredBy(String... filters) {
        return new Subscription("C1", "shop", Set.of(filters), "U1", Instant.parse("2026-11-21T12:00:00Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy_request.opened", "deploy_request.queued", "deploy_request.schema_applied",
            "deploy_request.reverted", "deploy_request.closed"})
    void deploysFilter_matchesEveryDeployRequestEvent(String event) {
        assertThat(filteredBy(Subscription.DEPLOYS).matches(EventType.fromWire(event))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"branch.ready", "branch.sleeping", "keyspace.storage", "cluster.storage",
            "deploy_requests.opened", "deploy_request"})
    void deploysFilter_ignoresOtherEvents(String event) {
        assertThat(filteredBy(Subscription.DEPLOYS).matches(EventType.fromWire(event))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"branch.ready", "branch.sleeping", "branch.anomaly"})
    void branchesFilter_matchesEveryBranchEvent(String event) {
        assertThat(filteredBy(Subscription.BRANCHES).matches(EventType.fromWire(event))).isTrue();
    }

    @Test
    void branchesFilter_ignoresDeployRequests() {
        assertThat(filteredBy(Subscription.BRANCHES).matches(EventType.fromWire("deploy_request.opened"))).isFalse();
    }

    @Test
    void storageFilter_matchesKeyspaceAndClusterStorageOnly() {
        Subscription storage = filteredBy(Subscription.STORAGE);

        assertThat(storage.matches(EventType.fromWire("keyspace.storage"))).isTrue();
        assertThat(storage.matches(EventType.fromWire("cluster.storage"))).isTrue();
        assertThat(storage.matches(EventType.fromWire("branch.ready"))).isFalse();
        assertThat(storage.matches(EventType.fromWire("deploy_request.opened"))).isFalse();
    }

    @Test
    void exactEventName_matchesOnlyThatEvent() {
        Subscription errored = filteredBy("deploy_request.errored");

        assertThat(errored.matches(EventType.fromWire("deploy_request.errored"))).isTrue();
        assertThat(errored.matches(EventType.fromWire("deploy_request.opened"))).isFalse();
    }

    @Test
    void severalFilters_matchWhenAnyDoes() {
        Subscription subscription = filteredBy(Subscription.STORAGE, "branch.ready");

        assertThat(subscription.matches(EventType.fromWire("branch.ready"))).isTrue();
        assertThat(subscription.matches(EventType.fromWire("cluster.storage"))).isTrue();
        assertThat(subscription.matches(EventType.fromWire("branch.sleeping"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {Subscription.DEPLOYS, Subscription.BRANCHES, Subscription.STORAGE, "branch.ready"})
    void webhookTest_matchesEverySubscription(String filter) {
        assertThat(filteredBy(filter).matches(EventType.WEBHOOK_TEST)).isTrue();
    }

    @Test
    void noFilters_isRejected() {
        assertThatThrownBy(() -> filteredBy()).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Deploys", "deploys,branches", "deploy request", "*"})
    void malformedFilter_isRejected(String filter) {
        assertThatThrownBy(() -> filteredBy(filter)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void filters_areCopied() {
        Set<String> filters = new HashSet<>(Set.of(Subscription.DEPLOYS));
        Subscription subscription = new Subscription("C1", "shop", filters, "U1", Instant.EPOCH);

        filters.add(Subscription.BRANCHES);

        assertThat(subscription.filters()).containsExactly(Subscription.DEPLOYS);
    }
}
