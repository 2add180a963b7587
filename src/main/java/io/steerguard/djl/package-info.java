/**
 * Process-wide settings Deep Java Library needs before first use (offline, no telemetry), shared by
 * the embedded runtime, the classifier's bundled encoder and the tools. Depends on nothing else.
 */
package io.steerguard.djl;
