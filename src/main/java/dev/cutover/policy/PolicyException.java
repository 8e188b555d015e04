package dev.cutover.policy;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The policy file cannot be used: it is unreadable, not YAML, or says something Cutover does not understand.
 * The message names the file and, for each problem, the line and column, so start-up can stop with it as is.
 */
public final class PolicyException extends RuntimeException {
    private final Path file;
    private final List<Problem> problems;

    /**
     * One thing wrong with the file.
     *
     * @param line 1-based, or 0 when the problem has no position (the file cannot be read)
     * @param column 1-based, or 0 when the problem has no position
     */
    public record Problem(int line, int column, String message) {
        @Override
        public String toString() {
            return line == 0 ? message : "line " + line + ", column " + column + ": " + message;
        }
    }

    PolicyException(Path file, List<Problem> problems) {
        super(describe(file, problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a policy exception needs at least one problem");
        }
        this.file = file;
        this.problems = List.copyOf(problems);
    }

    public Path file() {
        return file;
    }

    /** Every problem found, in file order; never empty. */
    public List<Problem> problems() {
        return problems;
    }

    private static String describe(Path file, List<Problem> problems) {
        if (problems.size() == 1) {
            return "Policy file " + file + ", " + problems.get(0);
        }
        return "Policy file " + file + " has " + problems.size() + " problems:"
                + problems.stream().map(p -> "\n  " + p).collect(Collectors.joining());
    }
}
