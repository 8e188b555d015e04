package dev.cutover.sandbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The read-only web page behind a sandbox deploy request's {@code html_url}, so the card's links lead somewhere
 * real instead of a 404 on planetscale.com: the deploy request's state, notes, DDL and times, and for a database
 * its deploy requests. Paths are PlanetScale's ({@code /{org}/{database}/deploy-requests/{number}}), so every
 * parser of PlanetScale links reads them unchanged. Anything else falls through to the API handler.
 */
final class DeployRequestPage extends Handler.Abstract {
    private static final Pattern DEPLOY_REQUEST = Pattern.compile("^/([^/]+)/([^/]+)/deploy-requests/([0-9]{1,9})/?$");
    private static final Pattern DATABASE = Pattern.compile("^/([^/]+)/([^/]+)/?$");

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final SimulatedOrganization organization;

    DeployRequestPage(SimulatedOrganization organization) {
        this.organization = organization;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        if (!"GET".equals(request.getMethod()) || path == null || path.startsWith("/v1/")) {
            return false;
        }
        Matcher deployRequest = DEPLOY_REQUEST.matcher(path);
        Matcher database = DATABASE.matcher(path);
        String page;
        if (deployRequest.matches() && deployRequest.group(1).equals(organization.name)) {
            page = organization.locked(() -> deployRequestPage(deployRequest.group(2),
                    Integer.parseInt(deployRequest.group(3))));
        } else if (database.matches() && database.group(1).equals(organization.name)) {
            page = organization.locked(() -> databasePage(database.group(2)));
        } else {
            return false;
        }
        int status = page == null ? 404 : 200;
        String html = page == null ? document("Not found", "<p>No such deploy request in this sandbox.</p>") : page;
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
        response.write(true, StandardCharsets.UTF_8.encode(html), callback);
        return true;
    }

    /** Called under the organization's lock; null when there is no such deploy request. */
    private String deployRequestPage(String databaseName, int number) {
        SimulatedDeployRequest request;
        try {
            request = organization.deployRequest(databaseName, number);
        } catch (ApiError notFound) {
            return null;
        }
        StringBuilder body = new StringBuilder();
        body.append("<p><a href=\"/").append(esc(organization.name)).append('/').append(esc(databaseName))
                .append("\">").append(esc(databaseName)).append("</a> · by ").append(esc(request.author.displayName()))
                .append("</p>");
        body.append("<table>");
        row(body, "State", (request.open ? "open" : "closed") + " · " + request.deploymentState.wire());
        row(body, "Approved", request.approved ? "yes" : "no");
        row(body, "Created", time(request.createdAt));
        row(body, "Queued", time(request.queuedAt));
        row(body, "Started", time(request.startedAt));
        row(body, "Deployed", time(request.deployedAt));
        row(body, "Revert window closes", time(request.revertWindowEndsAt));
        row(body, "Closed", time(request.closedAt));
        body.append("</table>");
        if (!request.notes.isEmpty()) {
            body.append("<h2>Notes</h2><p>").append(esc(request.notes)).append("</p>");
        }
        body.append("<h2>Schema changes</h2>");
        for (SimulatedOperation operation : request.operations) {
            body.append("<pre>").append(esc(operation.ddl)).append(";</pre>");
        }
        if (!request.lintErrors.isEmpty()) {
            body.append("<h2>Lint errors</h2><ul>");
            request.lintErrors.forEach(error -> body.append("<li>").append(esc(error.description())).append("</li>"));
            body.append("</ul>");
        }
        return document(databaseName + " #" + number + ": " + request.branch + " → " + request.intoBranch,
                body.toString());
    }

    private String databasePage(String databaseName) {
        List<SimulatedDeployRequest> requests;
        try {
            requests = organization.deployRequests(databaseName);
        } catch (ApiError notFound) {
            return null;
        }
        StringBuilder body = new StringBuilder("<ul>");
        for (SimulatedDeployRequest request : requests) {
            body.append("<li><a href=\"/").append(esc(organization.name)).append('/').append(esc(databaseName))
                    .append("/deploy-requests/").append(request.number).append("\">#").append(request.number)
                    .append(' ').append(esc(request.branch)).append("</a> · ")
                    .append(request.open ? "open" : "closed").append(" · ").append(request.deploymentState.wire())
                    .append("</li>");
        }
        return document(databaseName, body.append("</ul>").toString());
    }

    private static void row(StringBuilder body, String name, String value) {
        if (value != null) {
            body.append("<tr><th>").append(esc(name)).append("</th><td>").append(esc(value)).append("</td></tr>");
        }
    }

    private static String time(Instant instant) {
        return instant == null ? null : TIME.format(instant);
    }

    private static String document(String title, String body) {
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + esc(title) + " · Cutover sandbox</title>"
                + "<style>body{font:15px/1.5 system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem}"
                + "pre{background:#f4f4f4;padding:.6rem;overflow:auto}th{text-align:left;padding-right:1rem}</style>"
                + "</head><body><p>🧪 Cutover sandbox: a simulated PlanetScale organization, read-only. Change it from"
                + " Slack with <code>/pscale</code>.</p><h1>" + esc(title) + "</h1>" + body + "</body></html>";
    }

    private static String esc(String text) {
        return WireJson.escapeHtml(text);
    }
}
