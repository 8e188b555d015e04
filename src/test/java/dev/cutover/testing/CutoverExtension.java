package dev.cutover.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A running Cutover with the fake Slack Web API, a {@link FakeClock} and a fresh data directory, declared in one line:
 *
 * <pre>{@code
 * @RegisterExtension
 * final CutoverExtension cutover = CutoverExtension.sandbox().env("CUTOVER_DEFAULT_CHANNEL", CHANNEL);
 * }</pre>
 *
 * As an instance field each test gets its own service, Slack, clock and data directory; as a {@code static} field
 * the class shares one (tests then keep apart by using their own databases or channels). The service is up before
 * any {@code @BeforeEach} method runs and stops after every {@code @AfterEach} method, then Slack stops, then what
 * was handed to {@link #closing}, and the temporary directory is deleted. A {@code static} one is shared by the
 * class's {@code @Nested} classes too, which may register an instance one of their own for a different set-up.
 */
public final class CutoverExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {
    private final Supplier<String> planetScaleApiUrl;
    private final Map<String, String> env = new HashMap<>();
    private final Map<String, ConfigFile> files = new HashMap<>();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private Consumer<RunningCutover> afterStart = started -> { };
    private final FakeClock clock = new FakeClock();
    private final FakeSlackApi slack = new FakeSlackApi();
    private boolean sharedByClass;
    /** The class context that started a shared service; {@code @Nested} classes inherit the extension. */
    private String sharedBy;
    private Path root;
    private Path dataDir;
    private int freshRuns;
    private RunningCutover service;

    private record ConfigFile(String name, String content) {}

    private CutoverExtension(Supplier<String> planetScaleApiUrl) {
        this.planetScaleApiUrl = planetScaleApiUrl;
    }

    /** The service in sandbox mode, against the PlanetScale simulator it starts itself. */
    public static CutoverExtension sandbox() {
        return new CutoverExtension(null);
    }

    /**
     * The service against the PlanetScale API at the URL {@code planetScaleApiUrl} gives (a MockWebServer, usually);
     * it is asked at every start, so a stand-in created in a field initializer is ready by then.
     */
    public static CutoverExtension against(Supplier<String> planetScaleApiUrl) {
        return new CutoverExtension(Objects.requireNonNull(planetScaleApiUrl, "planetScaleApiUrl"));
    }

    /** One more environment variable for the service, on top of what {@link RunningCutover} sets. */
    public CutoverExtension env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Writes {@code content} to a file in a temporary config directory and sets {@code envName} to its path. */
    public CutoverExtension file(String envName, String fileName, String content) {
        files.put(envName, new ConfigFile(fileName, content));
        return this;
    }

    /** Closed after the service and Slack stop (a PlanetScale stand-in, say), in the order given. */
    public CutoverExtension closing(AutoCloseable resource) {
        closing.add(Objects.requireNonNull(resource, "resource"));
        return this;
    }

    /** Runs after every start, restarts included (to point a PlanetScale stand-in's webhooks at the service). */
    public CutoverExtension afterStart(Consumer<RunningCutover> action) {
        afterStart = Objects.requireNonNull(action, "action");
        return this;
    }

    public FakeSlackApi slack() {
        return slack;
    }

    public FakeClock clock() {
        return clock;
    }

    /** The running service; a new object after every {@link #restart}. */
    public RunningCutover service() {
        if (service == null) {
            throw new IllegalStateException("Cutover is not running");
        }
        return service;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Stops the service, keeping Slack, the clock and the data directory for a later {@link #start()}. */
    public void stop() {
        if (service == null) {
            return;
        }
        RunningCutover stopping = service;
        service = null;
        if (planetScaleApiUrl == null) {
            // The sandbox's idle webhook connection would otherwise hold up Jetty's graceful stop by 2 s.
            stopping.simulator().close();
        }
        stopping.close();
    }

    /** Starts the service on the current data directory (after {@link #stop()}). */
    public RunningCutover start() throws Exception {
        if (service != null) {
            throw new IllegalStateException("Cutover is already running");
        }
        Map<String, String> all = new HashMap<>(env);
        for (Map.Entry<String, ConfigFile> file : files.entrySet()) {
            Path path = Files.createDirectories(root.resolve("config")).resolve(file.getValue().name());
            Files.writeString(path, file.getValue().content());
            all.put(file.getKey(), path.toString());
        }
        service = planetScaleApiUrl == null
                ? RunningCutover.sandbox(slack, clock, dataDir, all)
                : RunningCutover.against(planetScaleApiUrl.get(), slack, clock, dataDir, all);
        afterStart.accept(service);
        return service;
    }

    /** Stops the service and starts it again on the same data directory, as a redeploy would. */
    public RunningCutover restart() throws Exception {
        stop();
        return start();
    }

    /**
     * Stops the service and starts a new one on an empty data directory with {@code moreEnv} added; the
     * environment change stays for later restarts.
     */
    public RunningCutover restartFresh(Map<String, String> moreEnv) throws Exception {
        stop();
        env.putAll(moreEnv);
        dataDir = root.resolve("data-" + ++freshRuns);
        return start();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (sharedBy != null) {
            return; // a @Nested class of the one that started it: keep sharing the running service
        }
        sharedByClass = true;
        sharedBy = context.getUniqueId();
        setUp();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (context.getUniqueId().equals(sharedBy)) {
            sharedBy = null;
            tearDown();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (!sharedByClass) {
            setUp();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (!sharedByClass) {
            tearDown();
        }
    }

    private void setUp() throws Exception {
        root = Files.createTempDirectory("cutover-test");
        dataDir = root.resolve("data");
        slack.start();
        try {
            start();
        } catch (Exception | Error e) {
            tearDown();
            throw e;
        }
    }

    private void tearDown() throws Exception {
        try {
            stop();
        } finally {
            slack.close();
            for (AutoCloseable resource : closing) {
                resource.close();
            }
            deleteRecursively(root);
        }
    }

    private static void deleteRecursively(Path directory) {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
