package dev.cutover.planetscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutover.deploy.Actor;
import dev.cutover.deploy.DeployOperation;
import dev.cutover.deploy.DeployRef;
import dev.cutover.deploy.DeployRequest;
import dev.cutover.deploy.Deployment;
import dev.cutover.deploy.DeploymentState;
import dev.cutover.deploy.LintError;
import dev.cutover.deploy.RequestState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PlanetScaleJsonTest {

    @Test
    void fullDeployRequest_mapsTheRequestFields() {
        JsonNode resource = Fixtures.json("deploy-request.json");

        DeployRequest request = PlanetScaleJson.deployRequest("acme", "shop", resource);

        assertThat(request.ref()).isEqualTo(new DeployRef("acme", "shop", 42));
        assertThat(request.id()).isEqualTo("4xsz0ql82y4n");
        assertThat(request.author()).isEqualTo(new Actor("k3rt9a1bq2mz", "Ada Lovelace"));
        assertThat(request.branch()).isEqualTo("add-orders-index");
        assertThat(request.intoBranch()).isEqualTo("main");
        assertThat(request.approved()).isTrue();
        assertThat(request.state()).isEqualTo(RequestState.OPEN);
        assertThat(request.deploymentState()).isEqualTo(DeploymentState.COMPLETE_PENDING_REVERT);
        assertThat(request.notes()).isEqualTo("Speeds up the order history page.");
        assertThat(request.htmlUrl()).isEqualTo("https://app.planetscale.com/acme/shop/deploy-requests/42");
        assertThat(request.numComments()).isEqualTo(3);
        assertThat(request.createdAt()).isEqualTo(Instant.parse("2023-10-25T16:50:00Z"));
        assertThat(request.updatedAt()).isEqualTo(Instant.parse("2023-10-25T16:56:29.153Z"));
        assertThat(request.deployedAt()).isEqualTo(Instant.parse("2023-10-25T16:56:29.121Z"));
        assertThat(request.closedAt()).isNull();
        assertThat(request.closedBy()).isNull();
    }

    @Test
    void fullDeployRequest_mapsTheDeployment() {
        JsonNode resource = Fixtures.json("deploy-request.json");

        Deployment deployment = PlanetScaleJson.deployRequest("acme", "shop", resource).deployment();

        assertThat(deployment.id()).isEqualTo("d7q1n5s9v3hx");
        assertThat(deployment.state()).isEqualTo(DeploymentState.COMPLETE_PENDING_REVERT);
        assertThat(deployment.deployRequestNumber()).isEqualTo(42);
        assertThat(deployment.deployable()).isTrue();
        assertThat(deployment.deployCheckErrors()).isEmpty();
        assertThat(deployment.instantDdlEligible()).isFalse();
        assertThat(deployment.autoCutover()).isFalse();
        assertThat(deployment.deployer()).isEqualTo(new Actor("m2n3b4v5c6x7", "cutover-bot"));
        assertThat(deployment.cutoverActor()).isEqualTo(new Actor("k3rt9a1bq2mz", "Ada Lovelace"));
        assertThat(deployment.cancelledActor()).isNull();
        assertThat(deployment.queuePaused()).isFalse();
        assertThat(deployment.queuePauseReason()).isEmpty();
        assertThat(deployment.queuedAt()).isEqualTo(Instant.parse("2023-10-25T16:55:01.002Z"));
        assertThat(deployment.startedAt()).isEqualTo(Instant.parse("2023-10-25T16:55:04Z"));
        assertThat(deployment.finishedAt()).isEqualTo(Instant.parse("2023-10-25T16:56:29.121Z"));
    }

    @Test
    void fullDeployRequest_mapsOperationsWithFractionalProgress() {
        JsonNode resource = Fixtures.json("deploy-request.json");

        Deployment deployment = PlanetScaleJson.deployRequest("acme", "shop", resource).deployment();

        assertThat(deployment.operations()).containsExactly(
                new DeployOperation("shop", "orders", "ALTER",
                        "ALTER TABLE `orders` ADD INDEX `idx_customer` (`customer_id`)", "complete", 100.0, 0.0,
                        false, ""),
                new DeployOperation("shop", "legacy_carts", "DROP", "DROP TABLE `legacy_carts`", "complete", 62.5,
                        12.25, true, "", true)); // table_recently_used: shown in the typed-name confirmation
    }

    @Test
    void fullDeployRequest_mapsLintErrorsAndTheRevertWindow() {
        JsonNode resource = Fixtures.json("deploy-request.json");

        DeployRequest request = PlanetScaleJson.deployRequest("acme", "shop", resource);

        assertThat(request.deployment().lintErrors()).containsExactly(new LintError("NO_UNIQUE_KEY", "shop",
                "audit_log",
                "Table \"audit_log\" has no unique key: all tables must have at least one unique, not-null key.",
                "https://planetscale.com/docs/learn/change-single-unique-key"));
        assertThat(request.deployment().revertWindow().actor()).isEqualTo(new Actor("k3rt9a1bq2mz", "Ada Lovelace"));
        assertThat(request.deployment().revertWindow().finishedAt()).isNull();
        assertThat(request.revertWindowClosesAt()).contains(Instant.parse("2023-10-25T17:26:29.153Z"));
    }

    @Test
    void topLevelDeploymentState_winsOverDeploymentState() {
        JsonNode resource = Fixtures.json("deploy-request-pending-cutover.json");

        DeployRequest request = PlanetScaleJson.deployRequest("acme", "shop", resource);

        assertThat(request.deploymentState()).isEqualTo(DeploymentState.PENDING_CUTOVER);
        assertThat(request.deployment().state()).isEqualTo(DeploymentState.IN_PROGRESS);
        assertThat(request.deployment().revertWindow().closesAt()).isNull();
    }

    @Test
    void missingTopLevelDeploymentState_fallsBackToDeploymentState() {
        ObjectNode resource = Fixtures.json("deploy-request-pending-cutover.json");
        resource.remove("deployment_state");

        DeployRequest request = PlanetScaleJson.deployRequest("acme", "shop", resource);

        assertThat(request.deploymentState()).isEqualTo(DeploymentState.IN_PROGRESS);
    }

    @Test
    void unknownFieldsAndStates_parseAsUnknown() {
        JsonNode resource = Fixtures.json("deploy-request-unknown-state.json");

        DeployRequest request = PlanetScaleJson.deployRequest("acme", "shop", resource);

        assertThat(request.ref().number()).isEqualTo(9);
        assertThat(request.deploymentState()).isEqualTo(DeploymentState.UNKNOWN);
        assertThat(request.state()).isEqualTo(RequestState.UNKNOWN);
        assertThat(request.deployment()).isNull();
        assertThat(request.isDeployable()).isFalse();
    }

    @Test
    void unknownDeploymentStateInsideDeployment_parsesAsUnknown() {
        ObjectNode resource = Fixtures.json("deploy-request.json");
        ((ObjectNode) resource.get("deployment")).put("state", "complete_teleported");

        Deployment deployment = PlanetScaleJson.deployRequest("acme", "shop", resource).deployment();

        assertThat(deployment.state()).isEqualTo(DeploymentState.UNKNOWN);
    }

    @Test
    void webhookResource_takesDatabaseFromTheCaller() {
        JsonNode envelope = Fixtures.json("webhook-deploy-request-queued.json");

        DeployRequest request = PlanetScaleJson.deployRequest(envelope.get("organization").asText(),
                envelope.get("database").asText(), envelope.get("resource"));

        assertThat(request.ref()).isEqualTo(new DeployRef("acme", "shop", 12));
        assertThat(request.deploymentState()).isEqualTo(DeploymentState.QUEUED);
        assertThat(request.deployment().autoCutover()).isTrue();
        assertThat(request.deployment().queuedAt()).isEqualTo(Instant.parse("2023-10-25T16:56:29Z"));
        assertThat(request.updatedAt()).isEqualTo(Instant.parse("2023-10-25T16:56:29.797Z"));
    }

    @Test
    void sparseResource_fillsDefaults() {
        JsonNode resource = PlanetScaleJson.mapper().createObjectNode().put("number", 5);

        DeployRequest request = PlanetScaleJson.deployRequest("acme", "shop", resource);

        assertThat(request.ref()).isEqualTo(new DeployRef("acme", "shop", 5));
        assertThat(request.deploymentState()).isEqualTo(DeploymentState.UNKNOWN);
        assertThat(request.approved()).isFalse();
        assertThat(request.createdAt()).isNull();
        assertThat(request.htmlUrl()).isEqualTo("https://app.planetscale.com/acme/shop/deploy-requests/5");
    }

    @Test
    void unreadableTimestamp_becomesAbsent() {
        ObjectNode resource = Fixtures.json("deploy-request.json");
        resource.put("updated_at", "yesterday at noon");

        DeployRequest request = PlanetScaleJson.deployRequest("acme", "shop", resource);

        assertThat(request.updatedAt()).isNull();
        assertThat(request.createdAt()).isEqualTo(Instant.parse("2023-10-25T16:50:00Z"));
    }

    @Test
    void missingNumber_isRejectedWithIllegalArgument() {
        ObjectNode resource = Fixtures.json("deploy-request.json");
        resource.remove("number");

        assertThatThrownBy(() -> PlanetScaleJson.deployRequest("acme", "shop", resource))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("number");
    }

    @Test
    void numberOfTheWrongType_isRejectedWithIllegalArgument() {
        ObjectNode resource = Fixtures.json("deploy-request.json");
        resource.put("number", "forty-two");

        assertThatThrownBy(() -> PlanetScaleJson.deployRequest("acme", "shop", resource))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deploymentOfTheWrongShape_isRejectedWithIllegalArgument() {
        ObjectNode resource = Fixtures.json("deploy-request.json");
        resource.putArray("deployment").add(1);

        assertThatThrownBy(() -> PlanetScaleJson.deployRequest("acme", "shop", resource))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nonObjectResource_isRejectedWithIllegalArgument() {
        JsonNode array = PlanetScaleJson.mapper().createArrayNode();

        assertThatThrownBy(() -> PlanetScaleJson.deployRequest("acme", "shop", array))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PlanetScaleJson.deployRequest("acme", "shop", null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invalidDatabaseName_isRejectedWithIllegalArgument() {
        JsonNode resource = Fixtures.json("deploy-request.json");

        assertThatThrownBy(() -> PlanetScaleJson.deployRequest("acme", "../shop", resource))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PlanetScaleJson.deployRequest(null, "shop", resource))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
