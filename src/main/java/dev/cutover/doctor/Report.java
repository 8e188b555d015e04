package dev.cutover.doctor;

import java.util.List;
import java.util.Objects;

/** What {@link Doctor} found: one line per check, in the order an operator would look. */
public record Report(List<Line> lines) {
    /** How a check came out. */
    public enum Status {
        OK("✅"), WARN("⚠️"), FAIL("❌");

        private final String emoji;

        Status(String emoji) {
            this.emoji = emoji;
        }

        public String emoji() {
            return emoji;
        }
    }

    /**
     * @param subject what was checked ("Slack token", "shop: webhook")
     * @param fix what to do about it; "" when nothing is needed
     */
    public record Line(Status status, String subject, String text, String fix) {
        public Line {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(subject, "subject");
            text = text == null ? "" : text;
            fix = fix == null ? "" : fix;
        }
    }

    public Report {
        lines = List.copyOf(lines);
    }

    /** The worst status of any line. */
    public Status overall() {
        return lines.stream().map(Line::status).max(Enum::compareTo).orElse(Status.OK);
    }
}
