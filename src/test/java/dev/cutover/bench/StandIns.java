package dev.cutover.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * {@code java -cp … dev.cutover.bench.StandIns <ports-file> [planetscale-delay-ms]}: starts the Slack stand-in
 * and the slow PlanetScale on loopback, writes their ports as shell assignments to {@code ports-file}, and
 * serves until the process is stopped.
 */
public final class StandIns {
    private StandIns() {}

    public static void main(String[] args) throws Exception {
        Path portsFile = Path.of(args[0]);
        long delayMillis = args.length > 1 ? Long.parseLong(args[1]) : 1_500;
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "planetscale-answers");
            thread.setDaemon(true);
            return thread;
        });
        Server slack = start("slack", new SlackStandIn(), 64);
        Server planetScale = start("planetscale", new PlanetScaleStandIn(scheduler, delayMillis), 32);
        String ports = "SLACK_PORT=" + port(slack) + "\nPLANETSCALE_PORT=" + port(planetScale) + "\n";
        Path partial = portsFile.resolveSibling(portsFile.getFileName() + ".partial");
        Files.writeString(partial, ports, StandardCharsets.UTF_8);
        Files.move(partial, portsFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.out.println("stand-ins ready: " + ports.replace('\n', ' '));
        slack.join();
        planetScale.join();
    }

    private static Server start(String name, Handler handler, int threads) throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(threads, 4);
        pool.setName(name);
        Server server = new Server(pool);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);
        server.setHandler(handler);
        server.start();
        return server;
    }

    private static int port(Server server) {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }
}
