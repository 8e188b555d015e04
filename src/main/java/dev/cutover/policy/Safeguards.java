package dev.cutover.policy;

import dev.cutover.deploy.DeployAction;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The policy's friction settings besides who may act: which actions need a second person and for how long such a
 * request stays open, which databases must deploy gated, and when a waiting or stuck deployment needs a human.
 *
 * @param requireSecondPerson names from {@link #SECOND_PERSON_NAMES}
 * @param gatedProduction databases (or "*") whose deploy requests must not cut over by themselves
 */
public record Safeguards(Set<String> requireSecondPerson, Duration secondPersonExpiry, Set<String> gatedProduction,
        Duration queueBlockerAfter, Duration stuckCutoverAfter) {
    /** A deploy whose operations PlanetScale says can drop data ({@code can_drop_data}). */
    public static final String DESTRUCTIVE_DEPLOY = "destructive_deploy";
    /** What {@code require_second_person} may list: the deploy actions' policy names and destructive_deploy. */
    public static final Set<String> SECOND_PERSON_NAMES = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(
            Stream.concat(Stream.of(DESTRUCTIVE_DEPLOY), Arrays.stream(DeployAction.values())
                    .map(DeployAction::policyName)).toList()));
    public static final Duration DEFAULT_SECOND_PERSON_EXPIRY = Duration.ofMinutes(30);
    public static final Duration DEFAULT_QUEUE_BLOCKER_AFTER = Duration.ofMinutes(30);
    public static final Duration DEFAULT_STUCK_CUTOVER_AFTER = Duration.ofMinutes(10);
    public static final Safeguards DEFAULT = new Safeguards(Set.of(), DEFAULT_SECOND_PERSON_EXPIRY, Set.of(),
            DEFAULT_QUEUE_BLOCKER_AFTER, DEFAULT_STUCK_CUTOVER_AFTER);

    public Safeguards {
        requireSecondPerson = Set.copyOf(requireSecondPerson);
        gatedProduction = Set.copyOf(gatedProduction);
    }

    /** The same, with other thresholds for the moments (a sped-up sandbox shortens them with its lifecycle). */
    public Safeguards withThresholds(Duration queueBlocker, Duration stuckCutover) {
        return new Safeguards(requireSecondPerson, secondPersonExpiry, gatedProduction, queueBlocker, stuckCutover);
    }

    /** Whether production deploys of {@code database} must be gated. */
    public boolean isGated(String database) {
        return gatedProduction.contains("*") || gatedProduction.stream().anyMatch(d -> d.equalsIgnoreCase(database));
    }

    /**
     * Reads {@code 30s}, {@code 30m}, {@code 2h} or {@code 1d}; null for anything else (the caller names the problem).
     */
    static Duration duration(String text) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("(\\d{1,6})([smhd])").matcher(text.strip());
        if (!matcher.matches()) {
            return null;
        }
        long amount = Long.parseLong(matcher.group(1));
        Duration duration = switch (matcher.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
        return duration.isZero() ? null : duration;
    }
}
