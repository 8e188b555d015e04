/**
 * Start-up and wiring: the only package that constructs the HTTP clients, executors, the clock and the Jetty
 * server, and the only one that may use all the others.
 */
package dev.cutover.app;
