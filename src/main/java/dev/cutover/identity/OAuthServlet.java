package dev.cutover.identity;

import dev.cutover.render.Messages;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /oauth/planetscale/login} (sets the browser's binding cookie and redirects to PlanetScale's authorize
 * page) and {@code GET /oauth/planetscale/callback} (PlanetScale sends the browser back here with the code). Both
 * answer a small HTML page; a forged, replayed, expired or foreign state gets a clear page and a 4xx, never a 5xx.
 */
public final class OAuthServlet extends HttpServlet {
    static final String COOKIE = "cutover_login";
    private static final Logger log = LoggerFactory.getLogger(OAuthServlet.class);

    private final transient AccountLinks links;
    private final boolean secureCookie;

    /** @param secureCookie mark the cookie {@code Secure} (Cutover's public URL is https) */
    public OAuthServlet(AccountLinks links, boolean secureCookie) {
        this.links = links;
        this.secureCookie = secureCookie;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            String path = request.getRequestURI();
            if (path.endsWith("/login")) {
                login(request, response);
            } else if (path.endsWith("/callback")) {
                callback(request, response);
            } else {
                page(response, 404, "Not found", "There is nothing here.");
            }
        } catch (RuntimeException e) {
            log.error("OAuth {} failed", request.getRequestURI(), e);
            page(response, 400, "Not linked", Messages.loginRefused("ERROR"));
        }
    }

    private void login(HttpServletRequest request, HttpServletResponse response) throws IOException {
        AccountLinks.Start start = links.start(request.getParameter("state"));
        if (start instanceof AccountLinks.Start.Redirect redirect) {
            Cookie cookie = new Cookie(COOKIE, redirect.cookie());
            cookie.setHttpOnly(true);
            cookie.setSecure(secureCookie);
            cookie.setPath("/oauth/planetscale");
            cookie.setMaxAge((int) LoginStates.LIFETIME.toSeconds());
            // Lax: the cookie must come back on PlanetScale's top-level redirect to the callback.
            cookie.setAttribute("SameSite", "Lax");
            response.addCookie(cookie);
            response.setHeader("Cache-Control", "no-store");
            response.setHeader("Location", redirect.location());
            response.setStatus(302);
        } else if (start instanceof AccountLinks.Start.Refused refused) {
            page(response, refused.status(), "Not linked", refused.reason());
        }
    }

    private void callback(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String error = request.getParameter("error");
        if (error != null) {
            page(response, 400, "Not linked", Messages.loginDeclined(error));
            return;
        }
        String binding = null;
        if (request.getCookies() != null) {
            for (Cookie cookie : request.getCookies()) {
                if (COOKIE.equals(cookie.getName())) {
                    binding = cookie.getValue();
                }
            }
        }
        AccountLinks.Completion completion = links.complete(request.getParameter("code"), request.getParameter("state"),
                binding);
        if (completion instanceof AccountLinks.Completion.Linked linked) {
            Cookie gone = new Cookie(COOKIE, "");
            gone.setPath("/oauth/planetscale");
            gone.setMaxAge(0);
            response.addCookie(gone);
            page(response, 200, "Linked", Messages.linkedPage(linked.actorName()));
        } else if (completion instanceof AccountLinks.Completion.Refused refused) {
            page(response, refused.status(), "Not linked", refused.reason());
        }
    }

    private static void page(HttpServletResponse response, int status, String title, String text) throws IOException {
        response.setStatus(status);
        response.setContentType("text/html; charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
        String html = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Cutover · " + escape(title)
                + "</title></head><body style=\"font-family:sans-serif;max-width:32em;margin:4em auto\"><h1>"
                + escape(title) + "</h1><p>" + escape(text) + "</p></body></html>";
        response.getOutputStream().write(html.getBytes(StandardCharsets.UTF_8));
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
