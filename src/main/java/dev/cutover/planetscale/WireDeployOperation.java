package dev.cutover.planetscale;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.cutover.deploy.DeployOperation;

/**
 * A DeployOperation (planetscale-api.md §4.3). {@code progress_percentage} and {@code eta_seconds} are
 * {@code null} before the operation starts and typed {@code number}, hence {@link Double}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record WireDeployOperation(
        String keyspaceName,
        String tableName,
        String operationName,
        String ddlStatement,
        String state,
        Double progressPercentage,
        Double etaSeconds,
        Boolean canDropData,
        String deployErrors,
        Boolean tableRecentlyUsed) {
    DeployOperation toDomain() {
        return new DeployOperation(keyspaceName, tableName, operationName, ddlStatement, state, progressPercentage,
                etaSeconds, Boolean.TRUE.equals(canDropData), deployErrors,
                Boolean.TRUE.equals(tableRecentlyUsed));
    }
}
