package dev.cutover.planetscale;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Endpoint families: PlanetScale's paths with names and numbers taken out, so the label set stays small. */
class ApiCallMetricsTest {
    @Test
    void everyPathCutoverCalls_hasAFamilyWithoutNamesOrNumbers() {
        assertThat(family("/v1/organizations")).isEqualTo("organizations");
        assertThat(family("/v1/organizations/acme")).isEqualTo("organization");
        assertThat(family("/v1/organizations/acme/databases")).isEqualTo("databases");
        assertThat(family("/v1/organizations/acme/databases/shop")).isEqualTo("database");
        assertThat(family("/v1/organizations/acme/databases/shop/deploy-requests")).isEqualTo("deploy_requests");
        assertThat(family("/v1/organizations/acme/databases/shop/deploy-requests/7")).isEqualTo("deploy_request");
        assertThat(family("/v1/organizations/acme/databases/shop/deploy-requests/7/deploy"))
                .isEqualTo("deploy_request_deploy");
        assertThat(family("/v1/organizations/acme/databases/shop/deploy-requests/7/skip-revert"))
                .isEqualTo("deploy_request_skip_revert");
        assertThat(family("/v1/organizations/acme/databases/shop/deploy-queue")).isEqualTo("deploy_queue");
        assertThat(family("/v1/somewhere/else")).isEqualTo("other");
    }

    private static String family(String path) {
        return ApiCallMetrics.family(List.of(path.substring(1).split("/")));
    }
}
