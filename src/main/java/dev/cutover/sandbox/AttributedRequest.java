package dev.cutover.sandbox;

/**
 * A request the simulator received and whose credentials it was made with: {@code user:<actor id>} for a person's
 * OAuth token, {@code service_token:<id>} for a service token, {@code none} when it carried none it accepted.
 */
public record AttributedRequest(ReceivedRequest request, String identity) {
    public boolean isByUser(String actorId) {
        return identity.equals("user:" + actorId);
    }
}
