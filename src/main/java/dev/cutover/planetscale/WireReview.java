package dev.cutover.planetscale;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.cutover.deploy.Review;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A DeployRequestReview (planetscale-api.md §4.8): {@code state} is {@code approved} or {@code commented}. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record WireReview(String id, String state, String body, WireActor actor, String createdAt) {
    private static final Logger log = LoggerFactory.getLogger(WireReview.class);

    Review toDomain() {
        return new Review(id, kind(), body, WireActor.toDomain(actor), Timestamps.parse(createdAt));
    }

    /** Anything but an approval counts as a comment, so a new review state never counts as an approval. */
    private Review.Kind kind() {
        String wire = state == null ? "" : state.toLowerCase(Locale.ROOT);
        if (wire.equals("approved")) {
            return Review.Kind.APPROVED;
        }
        if (!wire.equals("commented")) {
            log.warn("Unseen review state '{}' from PlanetScale; treating it as a comment", state);
        }
        return Review.Kind.COMMENTED;
    }
}
