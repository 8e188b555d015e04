package dev.cutover.store;

import java.nio.file.Path;

/** Another Cutover process already runs on this data directory; {@link #owner()} is its pid as it recorded it. */
public final class DataDirectoryInUseException extends RuntimeException {
    private final transient Path dataDir;
    private final String owner;

    DataDirectoryInUseException(Path dataDir, String owner) {
        super("the data directory " + dataDir.toAbsolutePath() + " is in use by another Cutover process (pid "
                + owner + ")");
        this.dataDir = dataDir;
        this.owner = owner;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String owner() {
        return owner;
    }
}
