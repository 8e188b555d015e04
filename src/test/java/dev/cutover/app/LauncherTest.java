package dev.cutover.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/cutover}, the README's run command, and the Dockerfile share one list of JVM flags, and the launcher
 * hands every argument through. The launcher runs for real (bash) against a copy of the repo's bin/ and a stand-in
 * JDK 25 whose {@code java} records what it was given, so nothing is built or started.
 */
@Timeout(60)
class LauncherTest {
    static final Path REPO = Path.of("").toAbsolutePath();
    static final String FAKE_JAVA = """
            #!/usr/bin/env bash
            # A stand-in java: a training run writes its cache, any other run prints its arguments.
            for argument in "$@"; do
              case $argument in
                -XX:AOTCacheOutput=*)
                  echo training >> "$CALLS"
                  [ "${FAIL_TRAINING:-0}" = 1 ] && exit 1
                  echo cache > "${argument#*=}"
                  exit 0 ;;
              esac
            done
            echo run >> "$CALLS"
            printf 'ARG %s\\n' "$@"
            echo "MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX"
            """;

    @TempDir
    Path home;
    Path jdk;
    Path calls;

    @BeforeEach
    void copyLauncherAndFakeAJdk() throws IOException {
        Files.createDirectories(home.resolve("bin"));
        for (String file : List.of("cutover", "find-jdk.sh", "jvm.options")) {
            Files.copy(REPO.resolve("bin").resolve(file), home.resolve("bin").resolve(file));
        }
        Files.createDirectories(home.resolve("src/main/java"));
        Files.writeString(home.resolve("pom.xml"), "<project/>");
        Files.createDirectories(home.resolve("target"));
        Files.writeString(home.resolve("target/cutover.jar"), "not really a jar");
        // The jar is newer than the sources, so the launcher must not build.
        Instant past = Instant.now().minusSeconds(3600);
        Files.setLastModifiedTime(home.resolve("pom.xml"), FileTime.from(past));
        Files.setLastModifiedTime(home.resolve("src/main/java"), FileTime.from(past));
        Files.setLastModifiedTime(home.resolve("src/main"), FileTime.from(past));

        jdk = Files.createDirectories(home.resolve("jdk-25/bin")).getParent();
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"25.0.3\"\nJAVA_RUNTIME_VERSION=\"25.0.3+9-LTS\"\n");
        Path java = jdk.resolve("bin/java");
        Files.writeString(java, FAKE_JAVA);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        calls = home.resolve("calls.txt");
    }

    @Test
    void dockerfileAndLauncher_readTheSameFlagsFile_andSetTheSameMallocArenas() throws IOException {
        String dockerfile = Files.readString(REPO.resolve("Dockerfile"));
        String launcher = Files.readString(REPO.resolve("bin/cutover"));

        assertThat(dockerfile).contains("COPY bin/jvm.options /app/jvm.options")
                .contains("JDK_JAVA_OPTIONS=\"@/app/jvm.options")
                .doesNotContain("JAVA_TOOL_OPTIONS");
        assertThat(launcher).contains("OPTIONS=$CUTOVER_HOME/bin/jvm.options").contains("@\"$OPTIONS\"");
        assertThat(dockerfile).contains("MALLOC_ARENA_MAX=2");
        assertThat(launcher).contains("MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}");
    }

    @Test
    void theFlagsFile_isAcceptedByThisJdk() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");

        Result result = run(List.of(java.toString(), "@" + REPO.resolve("bin/jvm.options"), "-version"), Map.of());

        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void passesEveryArgumentThrough_afterTheFlagsFileAndTheJar() throws Exception {
        Result result = launch(Map.of("CUTOVER_AOT", "off"), "--sandbox", "two words");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(args(result)).containsExactly("@" + home.resolve("bin/jvm.options"), "-jar",
                home.resolve("target/cutover.jar").toString(), "--sandbox", "two words");
        assertThat(result.output()).contains("MALLOC_ARENA_MAX=2");
    }

    @Test
    void firstRun_trainsTheAotCache_thenUsesIt_andTrainsAgainOnlyWhenTheJarChanges() throws Exception {
        Result first = launch(Map.of(), "--sandbox");
        Result second = launch(Map.of(), "--sandbox");
        Files.setLastModifiedTime(home.resolve("target/cutover.jar"), FileTime.from(Instant.now().plusSeconds(5)));
        Result afterRebuild = launch(Map.of(), "--sandbox");

        String cacheFlag = "-XX:AOTCache=" + home.resolve("target/cutover.aot");
        assertThat(args(first)).contains(cacheFlag).endsWith("--sandbox");
        assertThat(args(second)).contains(cacheFlag);
        assertThat(args(afterRebuild)).contains(cacheFlag);
        assertThat(Files.readAllLines(calls)).containsExactly("training", "run", "run", "training", "run");
    }

    @Test
    void aFailedTrainingRun_startsWithoutTheCache() throws Exception {
        Result result = launch(Map.of("FAIL_TRAINING", "1"), "--sandbox");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("starting without it");
        assertThat(args(result)).noneMatch(argument -> argument.startsWith("-XX:AOTCache"));
        assertThat(home.resolve("target/cutover.aot")).doesNotExist();
    }

    private Result launch(Map<String, String> env, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", home.resolve("bin/cutover").toString()));
        command.addAll(List.of(arguments));
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("JAVA_HOME", jdk.toString());
        all.put("CALLS", calls.toString());
        return run(command, all);
    }

    private static List<String> args(Result result) {
        return result.output().lines().filter(line -> line.startsWith("ARG ")).map(line -> line.substring(4)).toList();
    }

    private record Result(int exitCode, String output) {}

    private static Result run(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("MALLOC_ARENA_MAX");
        builder.environment().remove("JAVA_OPTS");
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }
}
