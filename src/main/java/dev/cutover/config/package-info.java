/**
 * Configuration read once from the environment and validated at start-up. Every problem is reported at
 * once, naming the variable and what it expects.
 */
package dev.cutover.config;
