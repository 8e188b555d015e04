/**
 * Cutover's durable state behind small interfaces: the webhook outbox, subscriptions, the card thread of each
 * deploy request, reminders and channel health. {@link dev.cutover.store.SqliteStore} keeps it in one SQLite file
 * for one process; {@link dev.cutover.store.PostgresStore} in a PostgreSQL database shared by several replicas.
 */
package dev.cutover.store;
