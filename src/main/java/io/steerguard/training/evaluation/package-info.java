/**
 * Evaluation of the demo model: answers, on-topic and refusal checks, dose-response of steering,
 * and the report. A tool package.
 */
package io.steerguard.training.evaluation;
