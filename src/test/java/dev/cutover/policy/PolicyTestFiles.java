package dev.cutover.policy;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** The YAML files under {@code src/test/resources/policy/}. */
final class PolicyTestFiles {
    private PolicyTestFiles() {}

    static Path file(String name) {
        URL url = PolicyTestFiles.class.getResource("/policy/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no test policy file " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Policy load(String name) {
        return Policy.load(file(name));
    }
}
