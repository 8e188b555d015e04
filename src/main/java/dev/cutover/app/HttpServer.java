package dev.cutover.app;

import jakarta.servlet.http.HttpServlet;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** The one embedded Jetty 12 server: every endpoint on one port, no stack traces in error pages. */
final class HttpServer implements AutoCloseable {
    static final long SHUTDOWN_IDLE_TIMEOUT_MS = 200;
    /** The largest body any endpoint accepts (Slack and PlanetScale send a few KiB). */
    static final int MAX_BODY_BYTES = 1 << 20;
    /** Slack and PlanetScale send a whole body at once; a body still arriving after this is an attack or a fault. */
    static final Duration BODY_DEADLINE = Duration.ofSeconds(10);

    private final Server server;
    private final ServerConnector connector;

    HttpServer(String host, int port, Map<String, HttpServlet> servlets) {
        this(host, port, servlets, BODY_DEADLINE);
    }

    HttpServer(String host, int port, Map<String, HttpServlet> servlets, Duration bodyDeadline) {
        // Requests are answered in milliseconds (slow work runs elsewhere), so a few dozen threads serve thousands
        // a second; more would only cost memory. Platform threads on purpose: with request handling on virtual
        // threads, acks queued behind the commands' and clicks' own virtual threads on the same two carriers
        // (measured at 500 commands and clicks a second: ack p50 4.9 s, against 21 ms on this pool).
        QueuedThreadPool threads = new QueuedThreadPool(64, 8);
        threads.setName("http");
        server = new Server(threads);
        connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        // On stop, in-flight requests get the stop timeout below; idle keep-alive connections need no grace at all
        // (Jetty's default gives them a second, which every stop then waits out).
        connector.setShutdownIdleTimeout(SHUTDOWN_IDLE_TIMEOUT_MS);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler("/");
        new LinkedHashMap<>(servlets).forEach((path, servlet) -> context.addServlet(new ServletHolder(servlet), path));
        ErrorHandler errors = new ErrorHandler();
        errors.setShowStacks(false);
        context.setErrorHandler(errors);
        server.setErrorHandler(errors);
        server.setHandler(new WholeBodyHandler(context, MAX_BODY_BYTES, bodyDeadline));
        server.setStopTimeout(5_000);
    }

    void start() throws Exception {
        server.start();
    }

    int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("HTTP server did not stop cleanly", e);
        }
    }
}
