package dev.cutover.planetscale;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.cutover.deploy.Database;

/** The Database fields Cutover reads (planetscale-api.md §4.7). */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record WireDatabase(String name, String htmlUrl, Boolean requireApprovalForDeploy, String state) {
    Database toDomain() {
        return new Database(name, htmlUrl, Boolean.TRUE.equals(requireApprovalForDeploy), state);
    }
}
