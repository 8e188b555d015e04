package dev.cutover.deploy;

/**
 * One table's DDL within a deployment, with its progress while it runs ({@code null} before start).
 * {@code canDropData} is PlanetScale's risk flag and drives stronger confirmation wording.
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
        String deployErrors) {
    public DeployOperation {
        keyspace = keyspace == null ? "" : keyspace;
        table = table == null ? "" : table;
        operationName = operationName == null ? "" : operationName;
        ddlStatement = ddlStatement == null ? "" : ddlStatement;
        state = state == null ? "" : state;
        deployErrors = deployErrors == null ? "" : deployErrors;
    }
}
