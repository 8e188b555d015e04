package dev.cutover.store;

class PostgresAuditLogTest extends AuditLogContract {
    @Override
    EngineUnderTest engine() {
        return EngineUnderTest.postgres();
    }
}
