package dev.cutover.store;

class PostgresReminderStoreTest extends ReminderStoreContract {
    @Override
    EngineUnderTest engine() {
        return EngineUnderTest.postgres();
    }
}
