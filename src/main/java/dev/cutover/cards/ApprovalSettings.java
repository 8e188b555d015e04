package dev.cutover.cards;

/** Whether a database requires an approval before deploying, as far as it can be known without waiting long. */
@FunctionalInterface
public interface ApprovalSettings {
    /** Unknown (PlanetScale slow or down) answers false; a Deploy click is checked against the real setting anyway. */
    boolean approvalRequired(String database);
}
