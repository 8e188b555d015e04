package dev.cutover.sandbox;

import java.time.Instant;

/** A database of the simulated organization. Mutable; guarded by the organization's lock. */
final class SimulatedDatabase {
    final String id;
    final String name;
    final Instant createdAt;
    boolean requireApprovalForDeploy;
    Instant updatedAt;
    int lastNumber;
    /** Webhooks created through the API, oldest first (at most five, as PlanetScale allows). */
    final java.util.List<SimulatedWebhook> webhooks = new java.util.ArrayList<>();

    SimulatedDatabase(String id, String name, boolean requireApprovalForDeploy, Instant now) {
        this.id = id;
        this.name = name;
        this.requireApprovalForDeploy = requireApprovalForDeploy;
        this.createdAt = now;
        this.updatedAt = now;
    }
}
