package dev.cutover.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URLDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A fast stand-in for Slack's Web API and for {@code response_url}s, built for load rather than for checking
 * (that is {@code FakeSlackApi}'s job): every method answers {@code ok:true} at once, and it remembers only what
 * the benchmark measures, with the arrival time in epoch microseconds.
 *
 * <ul>
 *   <li>the first {@code chat.postMessage}/{@code chat.update} whose text names branch {@code nbench-<id>}
 *       (the notify scenario gives every event its own branch);</li>
 *   <li>every post to {@code /responses/<name>}.</li>
 * </ul>
 *
 * <p>For the burst scenario (channel {@code C0BURST}, branches {@code bburst-<n>}): when each card first showed its
 * final state ("Reverted"), and how many posts, distinct once-only keys and transition lines arrived.
 *
 * <p>Read back over HTTP: {@code GET /bench/first-calls} and {@code GET /bench/responses?prefix=…} answer one
 * {@code <key> <epochMicros>} line per record.
 */
final class SlackStandIn extends Handler.Abstract {
    private static final Pattern EVENT_BRANCH = Pattern.compile("nbench-(\\d+)");

    private final Map<String, Long> firstCalls = new ConcurrentHashMap<>();
    private final Map<String, Long> responses = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> methodCounts = new ConcurrentHashMap<>();
    private static final Pattern BURST_BRANCH = Pattern.compile("bburst-(\\d+)");
    private static final Pattern POST_KEY = Pattern.compile("\"key\":\"([^\"]+)\"");
    static final String BURST_CHANNEL = "C0BURST";
    private final Map<String, Long> burstFinal = new ConcurrentHashMap<>();
    private final Map<String, Boolean> burstKeys = new ConcurrentHashMap<>();
    private final AtomicLong burstPosts = new AtomicLong();
    private final AtomicLong burstReplyLines = new AtomicLong();
    private final AtomicLong burstUpdates = new AtomicLong();
    private final AtomicLong nextTs = new AtomicLong(1_700_000_000_000_000L);

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long now = Clocks.nowMicros();
        String path = request.getHttpURI().getPath();
        if (path.startsWith("/responses/")) {
            Content.Source.asString(request, UTF_8); // drain the JSON body
            responses.putIfAbsent(URLDecoder.decode(path.substring("/responses/".length()), UTF_8), now);
            return json(response, callback, "{\"ok\":true}");
        }
        if (path.startsWith("/api/")) {
            String method = path.substring("/api/".length());
            methodCounts.computeIfAbsent(method, m -> new AtomicLong()).incrementAndGet();
            String body = Content.Source.asString(request, UTF_8);
            return json(response, callback, answer(method, body, now));
        }
        if (path.equals("/bench/first-calls")) {
            return text(response, callback, lines(firstCalls, ""));
        }
        if (path.equals("/bench/responses")) {
            String query = request.getHttpURI().getQuery();
            String prefix = query != null && query.startsWith("prefix=")
                    ? URLDecoder.decode(query.substring("prefix=".length()), UTF_8) : "";
            return text(response, callback, lines(responses, prefix));
        }
        if (path.equals("/bench/burst")) {
            return text(response, callback, lines(burstFinal, "") + "posts " + burstPosts.get() + "\nkeys "
                    + burstKeys.size() + "\nreply_lines " + burstReplyLines.get() + "\nupdates " + burstUpdates.get()
                    + "\n");
        }
        if (path.equals("/bench/methods")) {
            StringBuilder out = new StringBuilder();
            methodCounts.forEach((method, count) -> out.append(method).append(' ').append(count).append('\n'));
            return text(response, callback, out.toString());
        }
        response.setStatus(404);
        callback.succeeded();
        return true;
    }

    private String answer(String method, String form, long now) {
        String channel = param(form, "channel");
        switch (method) {
            case "chat.postMessage", "chat.update" -> {
                String text = param(form, "text");
                Matcher matcher = EVENT_BRANCH.matcher(text == null ? "" : text);
                if (matcher.find()) {
                    firstCalls.putIfAbsent(matcher.group(1), now);
                }
                if (BURST_CHANNEL.equals(channel)) {
                    burst(method, form, text, now);
                }
                String ts = method.equals("chat.update") ? param(form, "ts") : nextTs();
                return "{\"ok\":true,\"channel\":\"" + channel + "\",\"ts\":\"" + ts + "\"}";
            }
            case "conversations.info", "conversations.join" -> {
                return "{\"ok\":true,\"channel\":{\"id\":\"" + channel + "\",\"name\":\"bench\",\"is_channel\":true,"
                        + "\"is_private\":false,\"is_archived\":false,\"is_member\":true}}";
            }
            case "chat.postEphemeral" -> {
                return "{\"ok\":true,\"message_ts\":\"" + nextTs() + "\"}";
            }
            case "auth.test" -> {
                return "{\"ok\":true,\"team_id\":\"T0BENCH\",\"user_id\":\"U0BOT\",\"bot_id\":\"B0BOT\"}";
            }
            default -> {
                return "{\"ok\":true}";
            }
        }
    }

    private void burst(String method, String form, String text, long now) {
        String threadTs = param(form, "thread_ts");
        if (method.equals("chat.postMessage")) {
            burstPosts.incrementAndGet();
            Matcher key = POST_KEY.matcher(String.valueOf(param(form, "metadata")));
            if (key.find()) {
                burstKeys.put(key.group(1), Boolean.TRUE);
            }
            if (threadTs != null && text != null) {
                burstReplyLines.addAndGet(text.lines().filter(line -> line.contains("#")).count());
            }
        } else {
            burstUpdates.incrementAndGet();
        }
        if (threadTs == null) { // the card itself: a parent post or its update
            String blocks = String.valueOf(param(form, "blocks"));
            Matcher branch = BURST_BRANCH.matcher(blocks);
            if (branch.find() && blocks.contains("Reverted")) {
                burstFinal.putIfAbsent("final-" + branch.group(1), now);
            }
        }
    }

    private String nextTs() {
        long micros = nextTs.getAndAdd(100);
        return (micros / 1_000_000) + "." + String.format("%06d", micros % 1_000_000);
    }

    private static String param(String form, String name) {
        for (String pair : form.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equals(name)) {
                return URLDecoder.decode(pair.substring(equals + 1), UTF_8);
            }
        }
        return null;
    }

    private static String lines(Map<String, Long> records, String prefix) {
        List<String> out = new ArrayList<>();
        records.forEach((key, at) -> {
            if (key.startsWith(prefix)) {
                out.add(key + " " + at);
            }
        });
        return String.join("\n", out) + "\n";
    }

    private static boolean json(Response response, Callback callback, String body) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        Content.Sink.write(response, true, body, callback);
        return true;
    }

    private static boolean text(Response response, Callback callback, String body) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        Content.Sink.write(response, true, body, callback);
        return true;
    }
}
