package dev.cutover.slack;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which {@code response_url}s the bot will POST to: Slack's, i.e. {@code https://hooks.slack.com}, and the host
 * of {@code SLACK_API_URL} (with {@code hooks.} in front too, for GovSlack's {@code hooks.slack-gov.com}; the API
 * URL itself with its scheme and port, so a test's fake Slack on loopback works). Anything else, including
 * {@code file:} and {@code gopher:} URLs and text that is no URL at all, is refused.
 */
final class ResponseUrls {
    private final Set<String> httpsHosts = new TreeSet<>();
    private final String apiScheme;
    private final String apiHost;
    private final int apiPort;

    ResponseUrls(String slackApiUrl) {
        URI api = URI.create(Objects.requireNonNull(slackApiUrl, "slackApiUrl"));
        apiScheme = lower(api.getScheme());
        apiHost = lower(api.getHost());
        apiPort = port(api);
        httpsHosts.add("hooks.slack.com");
        httpsHosts.add("hooks." + apiHost);
        httpsHosts.add(apiHost);
    }

    boolean allows(String responseUrl) {
        URI uri = parse(responseUrl);
        if (uri == null || uri.getHost() == null || uri.getRawUserInfo() != null) {
            return false;
        }
        String scheme = lower(uri.getScheme());
        String host = lower(uri.getHost());
        if (scheme.equals("https") && port(uri) == 443 && httpsHosts.contains(host)) {
            return true;
        }
        return scheme.equals(apiScheme) && host.equals(apiHost) && port(uri) == apiPort;
    }

    /** The scheme and host only, for a log line: a response_url's path is a credential for five answers. */
    static String describe(String responseUrl) {
        URI uri = parse(responseUrl);
        if (uri == null || uri.getScheme() == null) {
            return "something that is not a URL";
        }
        return uri.getScheme() + "://" + (uri.getHost() == null ? "" : uri.getHost());
    }

    private static URI parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return new URI(text.trim());
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "http".equals(lower(uri.getScheme())) ? 80 : 443;
    }

    private static String lower(String text) {
        return text == null ? "" : text.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "https://" + String.join(", https://", httpsHosts) + " and " + apiScheme + "://" + apiHost + ":"
                + apiPort;
    }
}
