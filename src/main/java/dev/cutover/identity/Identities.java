package dev.cutover.identity;

/** Decides which credentials a person's write uses; {@link #SHARED} when OAuth is not configured. */
public interface Identities {
    /** Everyone acts through the service token (no OAuth application configured). */
    Identities SHARED = (teamId, slackUserId, linkRequired) -> linkRequired
            ? new Credential.Missing(Credential.Reason.NOT_LINKED, "") : new Credential.ServiceToken();

    /**
     * @param linkRequired the policy says {@code identity: linked}: without a link the answer is {@link
     *     Credential.Missing}, never the service token
     */
    Credential forWrite(String teamId, String slackUserId, boolean linkRequired);

    /**
     * PlanetScale refused the person's token itself (401, {@code invalid_token}: revoked or expired): the link is
     * marked unusable so nothing acts on it again until they link anew. Returns a fresh login link ("" when none).
     */
    default String rejected(String teamId, String slackUserId) {
        return "";
    }
}
