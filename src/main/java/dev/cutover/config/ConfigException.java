package dev.cutover.config;

import java.util.List;

/** The environment cannot run Cutover; {@link #problems()} names each variable and what it expects. */
public final class ConfigException extends RuntimeException {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
