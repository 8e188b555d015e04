package dev.cutover.sandbox;

/**
 * One HTTP request the simulator received, kept so tests can assert what the client sent. The
 * {@code Authorization} header is deliberately not kept.
 *
 * @param path the path from {@code /v1} on, without the query
 * @param query the raw query string, empty when there was none
 * @param body the request body as text, empty when there was none
 */
public record ReceivedRequest(String method, String path, String query, String body) {
    public ReceivedRequest {
        query = query == null ? "" : query;
        body = body == null ? "" : body;
    }
}
