package dev.cutover.sandbox;

/** An error answer in PlanetScale's envelope ({@code {"code": …, "message": …}}, planetscale-api.md §6.1). */
final class ApiError extends RuntimeException {
    private final int status;
    private final String code;

    private ApiError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    /** Unknown organization, database, deploy request or route, and also a missing or malformed token. */
    static ApiError notFound() {
        return new ApiError(404, "not_found", "Not Found");
    }

    /** The request was understood but the deploy request's current state refuses it. */
    static ApiError unprocessable(String message) {
        return new ApiError(422, "unprocessable", message);
    }

    /** An OAuth access token PlanetScale no longer accepts; answered in the OAuth shape (planetscale-api.md §6.1). */
    static ApiError invalidToken(String message) {
        return new ApiError(401, "invalid_token", message);
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, "bad_request", message);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }
}
