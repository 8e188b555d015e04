package dev.cutover.app;

import dev.cutover.config.Config;
import dev.cutover.config.IdentityConfig;
import dev.cutover.config.ConfigException;
import dev.cutover.policy.PolicyException;
import dev.cutover.sandbox.Steps;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** {@code java -jar cutover.jar [--sandbox]}: validates the environment, starts the service, stops it cleanly. */
public final class Main {
    static final int EXIT_CONFIG = 2;
    /** The sandbox banner's first suggestion: shop #2 of the demo data, gated and awaiting approval. */
    static final String FIRST_SUGGESTION = "/pscale show shop 2";
    static final String MIGRATE_STORE = "--migrate-store";

    private Main() {}

    public static void main(String[] args) {
        int code = run(args, System.getenv(), System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Starts Cutover; returns 0 once it is serving, or a non-zero exit code (never a stack trace). */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return run(args, env, out, err,
                cutover -> Runtime.getRuntime().addShutdownHook(new Thread(cutover::close, "shutdown")));
    }

    /**
     * As {@link #run(String[], Map, PrintStream, PrintStream)}, handing the started service to {@code stopLater},
     * which becomes responsible for closing it (the JVM's shutdown hook in production, the test itself in tests).
     */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err,
            Consumer<Cutover> stopLater) {
        List<String> arguments = Arrays.asList(args);
        if (arguments.equals(List.of(MIGRATE_STORE))) {
            return StoreMigration.run(env, out, err);
        }
        if (arguments.contains("--help") || arguments.contains("-h")) {
            out.println("Usage: java -jar cutover.jar [--sandbox]");
            out.println("       java -jar cutover.jar " + MIGRATE_STORE + "   copy CUTOVER_DATA_DIR's SQLite store into"
                    + " CUTOVER_DATABASE_URL's PostgreSQL");
            out.println("Configuration comes from environment variables; see README.md (\"Configuration\").");
            return 0;
        }
        for (String argument : arguments) {
            if (!argument.equals("--sandbox")) {
                err.println("Unknown argument '" + argument + "'. Usage: java -jar cutover.jar [--sandbox]");
                return EXIT_CONFIG;
            }
        }
        Config config;
        try {
            config = Config.fromEnvironment(env, arguments.contains("--sandbox"));
        } catch (ConfigException e) {
            err.println("Cutover cannot start; fix these settings:");
            e.problems().forEach(problem -> err.println("  - " + problem));
            return EXIT_CONFIG;
        }
        try {
            Cutover cutover = Cutover.start(config, Clock.systemUTC(), Cutover.Options.live());
            stopLater.accept(cutover);
            if (config.sandbox()) {
                out.println(sandboxBanner(cutover, config));
            }
            out.println("Cutover is listening on port " + cutover.port() + " (POST /slack/events, POST "
                    + "/webhooks/planetscale, GET /healthz, GET /metrics)");
            if (config.slackAppToken().isPresent()) {
                out.println("Slack: Socket Mode (SLACK_APP_TOKEN): Cutover dials out to Slack; no public URL needed.");
            }
            return 0;
        } catch (ConfigException e) {
            // Found only while starting: the port, the data directory.
            err.println("Cutover cannot start:");
            e.problems().forEach(problem -> err.println("  - " + problem));
            return EXIT_CONFIG;
        } catch (PolicyException e) {
            err.println("Cutover cannot start; the policy file is invalid:");
            err.println("  - " + e.getMessage());
            return EXIT_CONFIG;
        } catch (Exception e) {
            err.println("Cutover could not start: " + e.getMessage());
            return 1;
        }
    }

    private static String speed(double speed) {
        return speed == Math.rint(speed) ? Long.toString((long) speed) : Double.toString(speed);
    }

    private static String sandboxBanner(Cutover cutover, Config config) {
        return String.join("\n",
                "==================================================================",
                "  SANDBOX MODE: PlanetScale is simulated in this process.",
                "  Organization '" + cutover.organization() + "', databases: " + cutover.sandboxDatabases(),
                "  Nothing here touches a real database. Every Slack message is marked.",
                "  Time runs " + speed(config.sandboxSpeed()) + "x faster (CUTOVER_SANDBOX_SPEED): the revert window"
                        + " lasts " + Steps.REAL_TIME.faster(config.sandboxSpeed()).revertWindow().toSeconds() + " s.",
                // The first suggestion must show buttons: a change awaiting approval starts the whole lifecycle.
                "  Try first: " + FIRST_SUGGESTION + "   (awaiting approval: Approve, Deploy, Apply, Revert are buttons)",
                "  Then: /pscale list   /pscale help",
                "  Act as a demo user: /pscale login (pick one on the sandbox's authorize page)"
                        + (config.identity().oauth().map(IdentityConfig.OAuth::ephemeralKey).orElse(false)
                                ? "; links are sealed with a key made for this run (set CUTOVER_ENCRYPTION_KEY to keep them)"
                                : ""),
                "==================================================================");
    }
}
