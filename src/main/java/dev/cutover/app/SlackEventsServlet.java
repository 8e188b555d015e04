package dev.cutover.app;

import com.slack.api.bolt.App;
import com.slack.api.bolt.jakarta_servlet.SlackAppServletAdapter;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.request.RequestHeaders;
import com.slack.api.bolt.response.Response;
import dev.cutover.webhooks.BoundedBody;
import dev.cutover.webhooks.RejectedSignatures;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /slack/events}: bounds the body, verifies Slack's signature over the exact bytes, then hands the
 * same bytes to Bolt. Forged, unsigned and stale requests get 401 before any listener runs; a signed body Bolt
 * cannot read gets 400.
 *
 * <p>This does what Bolt's {@code SlackAppServlet} does, except that it catches Bolt's parse errors: that servlet
 * lets them escape (a signed {@code payload=} that is not JSON became a container 500).
 */
final class SlackEventsServlet extends HttpServlet {
    /** Slack's payloads are a few KiB; this only stops abuse. */
    static final int MAX_BODY_BYTES = 1 << 20;
    private static final Logger log = LoggerFactory.getLogger(SlackEventsServlet.class);

    private final transient App app;
    private final transient SlackAppServletAdapter adapter;
    private final transient SlackRequestVerifier verifier;
    private final transient RejectedSignatures rejected;

    SlackEventsServlet(App app, SlackRequestVerifier verifier, RejectedSignatures rejected) {
        this.app = app;
        this.adapter = new SlackAppServletAdapter(app.config());
        this.verifier = verifier;
        this.rejected = rejected;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getContentLengthLong() > MAX_BODY_BYTES) {
            JsonAnswers.write(response, 413, "{\"error\":\"request too large\"}");
            return;
        }
        byte[] body = BoundedBody.read(request.getInputStream(), MAX_BODY_BYTES);
        if (body == null) {
            JsonAnswers.write(response, 413, "{\"error\":\"request too large\"}");
            return;
        }
        String rejection = verifier.check(request.getHeader(SlackRequestVerifier.TIMESTAMP_HEADER),
                request.getHeader(SlackRequestVerifier.SIGNATURE_HEADER), body);
        if (rejection != null) {
            rejected.reject(rejection);
            JsonAnswers.write(response, 401, "{\"error\":\"invalid request\"}");
            return;
        }
        Request<?> slackRequest;
        try {
            // Clicks first, with a shared Gson (see ClickRequests); everything else through Bolt's own parser.
            slackRequest = ClickRequests.fromForm(new String(body, StandardCharsets.UTF_8), headers(request),
                    app.config(), clientIp(request));
            if (slackRequest == null) {
                slackRequest = adapter.buildSlackRequest(new ExactBodyRequest(request, body));
            }
        } catch (RuntimeException e) {
            // Only the exception's type: its message can quote the body, and the body holds a response_url.
            log.warn("Unreadable Slack request ({} bytes): {}", body.length, e.getClass().getSimpleName());
            JsonAnswers.write(response, 400, "{\"error\":\"unreadable request\"}");
            return;
        }
        if (slackRequest == null) {
            JsonAnswers.write(response, 400, "{\"error\":\"unknown request type\"}");
            return;
        }
        Response slackResponse;
        try {
            slackResponse = app.run(slackRequest);
        } catch (Exception e) {
            log.error("Slack request {} failed", slackRequest.getRequestType(), e);
            JsonAnswers.write(response, 500, "{\"error\":\"internal error\"}");
            return;
        }
        adapter.writeResponse(response, slackResponse);
    }

    /** The request's headers as Bolt's adapter gives them to its requests. */
    private static RequestHeaders headers(HttpServletRequest request) {
        Map<String, List<String>> headers = new HashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name, Collections.list(request.getHeaders(name)));
        }
        return new RequestHeaders(headers);
    }

    /** As Bolt's parser: the first X-Forwarded-For, else the peer. */
    private static String clientIp(HttpServletRequest request) {
        String forwarded = request.getHeader("X-Forwarded-For");
        return forwarded != null ? forwarded : request.getRemoteAddr();
    }

    /** Replays the bytes already read, so Bolt parses exactly what was verified. */
    private static final class ExactBodyRequest extends HttpServletRequestWrapper {
        private final byte[] body;

        ExactBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("synchronous reads only");
                }
            };
        }
    }
}
