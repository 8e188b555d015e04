/**
 * Slack users linked to their own PlanetScale accounts through PlanetScale's OAuth application: signed single-use
 * login states, the callback, tokens sealed at rest with AES-GCM, refresh, and which credentials a person's write uses.
 * A link that cannot be used is never replaced by the service token; the person is asked to link again.
 */
package dev.cutover.identity;
