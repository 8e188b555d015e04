package dev.cutover.notify;

import java.util.Optional;

/** Who waits for PlanetScale's test event of a database (a webhook set up from Slack), to be told it arrived. */
public interface TestEventWatch {
    TestEventWatch NONE = new TestEventWatch() {
        @Override
        public Optional<String> awaitingTest(String database) {
            return Optional.empty();
        }

        @Override
        public void arrived(String database) {
        }
    };

    /** The channel waiting for the database's test event, if any. */
    Optional<String> awaitingTest(String database);

    /** The test event was delivered and the channel told; stop waiting. */
    void arrived(String database);
}
