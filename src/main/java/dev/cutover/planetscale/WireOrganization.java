package dev.cutover.planetscale;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** An entry of {@code GET /organizations}; only the name matters, to check the token can see ours. */
@JsonIgnoreProperties(ignoreUnknown = true)
record WireOrganization(String name) {}
