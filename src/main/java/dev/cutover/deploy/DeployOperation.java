package dev.cutover.deploy;

/**
 * One table's DDL within a deployment, with its progress while it runs ({@code null} before start).
 * {@code canDropData} is PlanetScale's risk flag and drives stronger confirmation; {@code tableRecentlyUsed} says
 * the table was queried lately ({@code table_recently_used}), shown in that confirmation.
 */
public record DeployOperation(
        String keyspace,
        String table,
        String operationName,
        String ddlStatement,
        String state,
        Double progressPercentage,
        Double etaSeconds,
        boolean canDropData,
        String deployErrors,
        boolean tableRecentlyUsed) {
    /** An operation PlanetScale did not flag as recently used. */
    public DeployOperation(String keyspace, String table, String operationName, String ddlStatement, String state,
            Double progressPercentage, Double etaSeconds, boolean canDropData, String deployErrors) {
        this(keyspace, table, operationName, ddlStatement, state, progressPercentage, etaSeconds, canDropData,
                deployErrors, false);
    }

    public DeployOperation {
        keyspace = keyspace == null ? "" : keyspace;
        table = table == null ? "" : table;
        operationName = operationName == null ? "" : operationName;
        ddlStatement = ddlStatement == null ? "" : ddlStatement;
        state = state == null ? "" : state;
        deployErrors = deployErrors == null ? "" : deployErrors;
    }
}
