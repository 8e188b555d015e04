package dev.cutover.sandbox;

import dev.cutover.deploy.Actor;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The sandbox's stand-in for {@code https://app.planetscale.com/oauth/authorize}: a page listing the demo users;
 * picking one ({@code /oauth/authorize/as?user=…}) redirects to {@code redirect_uri?code=…&state=…} as PlanetScale
 * does after consent.
 */
final class OAuthAuthorizePage extends Handler.Abstract {
    static final String PATH = "/oauth/authorize";

    private final SimulatedOAuth oauth;

    OAuthAuthorizePage(SimulatedOAuth oauth) {
        this.oauth = oauth;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        if (!"GET".equals(request.getMethod()) || path == null || !path.startsWith(PATH)) {
            return false;
        }
        Fields query = Request.extractQueryParameters(request);
        String clientId = query.getValue("client_id");
        String redirectUri = query.getValue("redirect_uri");
        String state = query.getValue("state");
        if (!SimulatedOAuth.CLIENT_ID.equals(clientId) || !isHttpUrl(redirectUri)) {
            return page(response, callback, 400, "<p>Unknown OAuth application or missing redirect_uri.</p>");
        }
        if (path.equals(PATH + "/as")) {
            Actor actor = SimulatedOAuth.demoUsers().stream().filter(a -> a.id().equals(query.getValue("user")))
                    .findFirst().orElse(null);
            if (actor == null) {
                return page(response, callback, 400, "<p>No such demo user.</p>");
            }
            String code = oauth.issueCode(actor, redirectUri);
            String location = redirectUri + (redirectUri.contains("?") ? "&" : "?") + "code=" + encode(code)
                    + (state == null ? "" : "&state=" + encode(state));
            response.setStatus(302);
            response.getHeaders().put(HttpHeader.LOCATION, location);
            callback.succeeded();
            return true;
        }
        StringBuilder list = new StringBuilder("<p>Cutover asks to act on deploy requests as you. Sign in as:</p><ul>");
        for (Actor actor : SimulatedOAuth.demoUsers()) {
            String href = PATH + "/as?user=" + encode(actor.id()) + "&client_id=" + encode(clientId) + "&redirect_uri="
                    + encode(redirectUri) + (state == null ? "" : "&state=" + encode(state));
            list.append("<li><a href=\"").append(escape(href)).append("\">").append(escape(actor.name()))
                    .append("</a> <code>").append(escape(actor.id())).append("</code></li>");
        }
        list.append("</ul>");
        return page(response, callback, 200, list.toString());
    }

    private static boolean isHttpUrl(String text) {
        try {
            URI uri = URI.create(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }

    private static boolean page(Response response, Callback callback, int status, String body) {
        String html = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Sandbox PlanetScale · Authorize"
                + "</title></head><body style=\"font-family:sans-serif;max-width:36em;margin:4em auto\">"
                + "<h1>🧪 Authorize Cutover</h1>" + body + "</body></html>";
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
        response.write(true, StandardCharsets.UTF_8.encode(html), callback);
        return true;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
