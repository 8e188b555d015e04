package dev.cutover.planetscale;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.cutover.deploy.LintError;

/**
 * One {@code deployment.lint_errors[]} entry (planetscale-api.md §4.4). Only what a person needs is kept:
 * codes are not published, so we show {@code error_description} and never map codes.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record WireLintError(String lintError, String keyspaceName, String tableName, String errorDescription, String docsUrl) {
    LintError toDomain() {
        return new LintError(lintError, keyspaceName, tableName, errorDescription, docsUrl);
    }
}
