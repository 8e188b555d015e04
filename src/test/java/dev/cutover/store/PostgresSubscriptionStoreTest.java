package dev.cutover.store;

class PostgresSubscriptionStoreTest extends SubscriptionStoreContract {
    @Override
    EngineUnderTest engine() {
        return EngineUnderTest.postgres();
    }
}
