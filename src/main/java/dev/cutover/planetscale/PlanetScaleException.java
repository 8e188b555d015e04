package dev.cutover.planetscale;

/**
 * PlanetScale answered with an HTTP error. Carries the status, PlanetScale's {@code code} (kept raw: new
 * codes appear) and its human {@code message}, so a person can be shown the real reason.
 */
public final class PlanetScaleException extends Exception {
    private final int status;
    private final String code;
    private final String apiMessage;

    public PlanetScaleException(int status, String code, String apiMessage) {
        super("PlanetScale answered " + status + (code.isEmpty() ? "" : " " + code)
                + (apiMessage.isEmpty() ? "" : ": " + apiMessage));
        this.status = status;
        this.code = code;
        this.apiMessage = apiMessage;
    }

    public int status() {
        return status;
    }

    /** PlanetScale's error {@code code}, e.g. {@code not_found}; empty when the body had none. */
    public String code() {
        return code;
    }

    /** PlanetScale's own {@code message}, safe to show; empty when the body had none. */
    public String apiMessage() {
        return apiMessage;
    }

    public boolean isNotFound() {
        return status == 404;
    }

    public boolean isServerError() {
        return status >= 500;
    }

    public boolean isRateLimited() {
        return status == 429;
    }
}
