package dev.cutover.sandbox;

import dev.cutover.deploy.Actor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a newcomer finds in {@code --sandbox}: two databases and deploy requests in the states worth trying
 * (awaiting approval, approved and instant-eligible, checks running, failed lint, already deployed).
 */
final class DemoData {
    static final Actor ALICE = new Actor("alice-ng", "Alice Ng");
    static final Actor BRUNO = new Actor("bruno-costa", "Bruno Costa");
    static final Actor CHEN = new Actor("chen-wei", "Chen Wei");
    static final Actor DANA = new Actor("dana-okafor", "Dana Okafor");

    private DemoData() {}

    static void seed(SimulatedOrganization organization, Instant now) {
        organization.putDatabase("shop", true);
        organization.putDatabase("analytics", false);

        SimulatedDeployRequest giftCards = organization.open(DeployRequestSeed.of("shop", "gift-cards", BRUNO, List.of(
                "CREATE TABLE `gift_cards` (\n  `id` bigint unsigned NOT NULL AUTO_INCREMENT,\n"
                        + "  `code` varchar(32) NOT NULL,\n  `balance_cents` int NOT NULL DEFAULT 0,\n"
                        + "  PRIMARY KEY (`id`),\n  UNIQUE KEY `idx_code` (`code`)\n)"))
                .withNotes("Gift cards for the holiday campaign.")
                .withApproval()
                .withChecksDone(), false);
        organization.markDeployed(giftCards, now.minus(Duration.ofDays(1)));

        organization.open(DeployRequestSeed.of("shop", "orders-by-customer", ALICE, List.of(
                "ALTER TABLE `orders` ADD INDEX `idx_customer_created` (`customer_id`, `created_at`)",
                "ALTER TABLE `orders` ADD COLUMN `fulfilled_at` datetime NULL"))
                .withNotes("Speeds up the order history page; adds fulfilment time.")
                .gated()
                .withChecksDone(), false);

        organization.open(DeployRequestSeed.of("shop", "product-badges", BRUNO, List.of(
                "ALTER TABLE `products` ADD COLUMN `badge` varchar(32) NULL"))
                .withNotes("Badge text shown on product tiles (\"New\", \"Sale\").")
                .withInstantEligible()
                .withApproval()
                .withChecksDone(), false);

        // Drops a column: deploying it asks for the table's name to be typed (can_drop_data).
        organization.open(DeployRequestSeed.of("shop", "drop-legacy-sku", DANA, List.of(
                "ALTER TABLE `products` DROP COLUMN `legacy_sku`"))
                .withNotes("The old SKU column has been unused since the catalogue migration.")
                .withApproval()
                .withChecksDone(), false);

        organization.open(DeployRequestSeed.of("analytics", "page-views", CHEN, List.of(
                "CREATE TABLE `page_views` (\n  `id` bigint unsigned NOT NULL AUTO_INCREMENT,\n"
                        + "  `path` varchar(512) NOT NULL,\n  `viewed_at` datetime(3) NOT NULL,\n"
                        + "  PRIMARY KEY (`id`),\n  KEY `idx_viewed_at` (`viewed_at`)\n)"))
                .withNotes("Raw page views for the traffic dashboard."), false);

        organization.open(DeployRequestSeed.of("analytics", "event-log", DANA, List.of(
                "CREATE TABLE `event_log` (\n  `event_name` varchar(64) NOT NULL,\n  `payload` json,\n"
                        + "  `created_at` datetime NOT NULL\n)"))
                .withNotes("Append-only log of product events.")
                .withLintError("NO_UNIQUE_KEY", "event_log",
                        "table \"event_log\" has no unique key: all tables must have at least one unique, not-null key.")
                .withChecksDone(), false);

        // Its cutover hangs, as on metadata locks, until someone forces it: deploy it to try Force cutover.
        organization.open(DeployRequestSeed.of("analytics", "sessions-index", ALICE, List.of(
                "ALTER TABLE `sessions` ADD INDEX `idx_started_at` (`started_at`)"))
                .withNotes("Its cutover waits on locks held by the nightly export (sandbox: stuck until forced).")
                .stuckAtCutover()
                .withChecksDone(), false);
    }
}
