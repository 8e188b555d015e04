package dev.cutover.store;

class PostgresChannelHealthTest extends ChannelHealthContract {
    @Override
    EngineUnderTest engine() {
        return EngineUnderTest.postgres();
    }
}
