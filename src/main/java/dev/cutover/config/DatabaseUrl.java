package dev.cutover.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code CUTOVER_DATABASE_URL} made into what the JDBC driver takes: a {@code jdbc:postgresql://host:port/db?…} URL
 * and, apart from it, the user and password (from {@code user:password@} in a {@code postgresql://} URL, else from
 * {@code CUTOVER_DATABASE_USER} / {@code CUTOVER_DATABASE_PASSWORD}; a {@code user=}/{@code password=} parameter in
 * the URL is left to the driver). {@link #toString()} never shows the password.
 */
public record DatabaseUrl(String jdbcUrl, Optional<String> user, Optional<String> password) {
    /**
     * @throws IllegalArgumentException with words for a person when {@code url} is not a PostgreSQL URL
     */
    public static DatabaseUrl parse(String url, Optional<String> user, Optional<String> password) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:postgresql://")) {
            return new DatabaseUrl(url, user, password);
        }
        if (!lower.startsWith("postgresql://") && !lower.startsWith("postgres://")) {
            throw new IllegalArgumentException("must be a postgresql://user:password@host:5432/database or"
                    + " jdbc:postgresql://host:5432/database URL");
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not a valid URL (percent-encode special characters in the"
                    + " password)");
        }
        if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() <= 1) {
            throw new IllegalArgumentException("must name a host and a database, as in"
                    + " postgresql://host:5432/cutover");
        }
        Optional<String> urlUser = user;
        Optional<String> urlPassword = password;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            urlUser = Optional.of(decode(parts[0]));
            if (parts.length == 2) {
                urlPassword = Optional.of(decode(parts[1]));
            }
        }
        String jdbc = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort())
                + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return new DatabaseUrl(jdbc, urlUser, urlPassword);
    }

    private static String decode(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }

    /** Host, port and database only: what logs and {@code /healthz} may show. */
    public String safeUrl() {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }

    @Override
    public String toString() {
        return "DatabaseUrl[" + safeUrl() + ", user=" + user.orElse("-") + ", password=<redacted>]";
    }
}
