/**
 * The benchmark behind {@code bench/run.sh}: stand-ins for Slack and a slow PlanetScale, an open-loop load
 * generator and a JFR summariser. Compiled with the tests but never run by surefire (no {@code *Test} names).
 */
package dev.cutover.bench;
