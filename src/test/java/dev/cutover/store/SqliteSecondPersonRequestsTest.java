package dev.cutover.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteSecondPersonRequestsTest extends SecondPersonRequestsContract {
    @TempDir
    Path dataDir;

    @Override
    EngineUnderTest engine() {
        return EngineUnderTest.sqlite(dataDir);
    }
}
