package dev.cutover.policy;

import java.util.Objects;

/**
 * The policy's answer to one request, with the rule that decided it in words short enough to show the person
 * who asked ("rule 2 (deploy, apply… on shop) allows only U0BOB, S0DBAS", "default: deny").
 */
public record Decision(boolean allowed, String reason) {
    public Decision {
        Objects.requireNonNull(reason, "reason");
    }
}
