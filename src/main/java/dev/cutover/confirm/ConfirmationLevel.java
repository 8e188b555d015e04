package dev.cutover.confirm;

/** How a write is confirmed, from least to most friction. */
public enum ConfirmationLevel {
    /** Slack's confirm dialog on the button (or the click of a typed command's confirm step). */
    DIALOG,
    /** A modal that states in plain words what cannot be undone; submitting it confirms. */
    CONSEQUENCE,
    /** A modal where the person types the table's (or database's) name to go on. */
    TYPED_NAME
}
