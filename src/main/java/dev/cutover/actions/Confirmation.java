package dev.cutover.actions;

/**
 * How a person confirmed a write, for the audit record: the confirmation level (e.g. {@code button}, {@code
 * typed_name}, {@code modal}) and the Slack user who confirmed as the second person. Both null when not recorded.
 */
public record Confirmation(String level, String secondPerson) {
    public static final Confirmation NONE = new Confirmation(null, null);
}
