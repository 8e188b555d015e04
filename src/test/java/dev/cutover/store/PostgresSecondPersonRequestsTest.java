package dev.cutover.store;

class PostgresSecondPersonRequestsTest extends SecondPersonRequestsContract {
    @Override
    EngineUnderTest engine() {
        return EngineUnderTest.postgres();
    }
}
