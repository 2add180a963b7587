/**
 * The human review queue: which mirrored pairs need a person, their labels, tier agreement and
 * the recalibration the labels drive. Framework-free; may depend on {@code classifier} and
 * {@code journal}.
 */
package io.steerguard.review;
