/**
 * Cutover's durable state behind small interfaces: the webhook outbox, subscriptions, the card thread of each
 * deploy request, reminders and channel health. {@link dev.cutover.store.SqliteStore} keeps it in one SQLite file
 * with Flyway migrations; a PostgreSQL implementation for several replicas can implement the same interfaces.
 */
package dev.cutover.store;
