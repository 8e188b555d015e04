package dev.cutover.store;

class PostgresThreadIndexTest extends ThreadIndexContract {
    @Override
    EngineUnderTest engine() {
        return EngineUnderTest.postgres();
    }
}
