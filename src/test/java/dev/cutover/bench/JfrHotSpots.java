package dev.cutover.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * {@code java -cp … dev.cutover.bench.JfrHotSpots <recording.jfr> [top]}: summarises the CPU samples
 * ({@code jdk.ExecutionSample}) of a recording as Markdown: the hottest methods (top of stack), the hottest
 * packages, and the Cutover methods most often on the stack (inclusive).
 */
public final class JfrHotSpots {
    private JfrHotSpots() {}

    public static void main(String[] args) throws Exception {
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        Map<String, Integer> selfMethods = new HashMap<>();
        Map<String, Integer> selfPackages = new HashMap<>();
        Map<String, Integer> cutoverInclusive = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            samples++;
            RecordedFrame leaf = frames.get(0);
            selfMethods.merge(name(leaf), 1, Integer::sum);
            selfPackages.merge(packageOf(leaf), 1, Integer::sum);
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (RecordedFrame frame : frames) {
                String name = name(frame);
                if (name.startsWith("dev.cutover.") && seen.add(name)) {
                    cutoverInclusive.merge(name, 1, Integer::sum);
                }
            }
        }
        System.out.println("CPU samples (jdk.ExecutionSample): " + samples);
        print("Hottest methods (self time, top of stack)", selfMethods, samples, top);
        print("Hottest packages (self time)", selfPackages, samples, 10);
        print("Cutover methods on the stack (inclusive)", cutoverInclusive, samples, top);
    }

    private static void print(String title, Map<String, Integer> counts, int samples, int top) {
        System.out.println();
        System.out.println("| " + title + " | samples | share |");
        System.out.println("|---|---:|---:|");
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(entry -> System.out.printf(java.util.Locale.ROOT, "| `%s` | %d | %.1f %% |%n", entry.getKey(),
                        entry.getValue(), 100.0 * entry.getValue() / Math.max(1, samples)));
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static String packageOf(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        int dot = type.lastIndexOf('.');
        return dot < 0 ? "(default)" : type.substring(0, dot);
    }
}
