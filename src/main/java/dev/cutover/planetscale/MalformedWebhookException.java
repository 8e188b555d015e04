package dev.cutover.planetscale;

/** A correctly signed body that is not a webhook Cutover can read; answered with 400. */
public final class MalformedWebhookException extends Exception {
    public MalformedWebhookException(String reason) {
        super(reason);
    }
}
