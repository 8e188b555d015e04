package dev.cutover.deploy;

/** One reason a deploy request is not deployable; {@code description} is PlanetScale's human text. */
public record LintError(String code, String keyspace, String table, String description, String docsUrl) {
    public LintError {
        code = code == null ? "" : code;
        keyspace = keyspace == null ? "" : keyspace;
        table = table == null ? "" : table;
        description = description == null ? "" : description;
    }
}
