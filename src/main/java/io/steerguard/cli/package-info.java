/**
 * The {@code steerguard} command-line tools: derivation, audits, probes, policy checks,
 * classification, training and the demo model. Tools may depend on anything but the HTTP layer
 * and composition ({@code api}, {@code gateway}); nothing that serves depends on them.
 */
package io.steerguard.cli;
