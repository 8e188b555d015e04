package dev.cutover.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteSubscriptionStoreTest extends SubscriptionStoreContract {
    @TempDir
    Path dataDir;

    @Override
    EngineUnderTest engine() {
        return EngineUnderTest.sqlite(dataDir);
    }
}
