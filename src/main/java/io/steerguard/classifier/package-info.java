/**
 * Refusal classifiers that serve: lexical, embedding (bundled MiniLM plus a logistic head),
 * learned, activation, judge and ensemble tiers behind {@link io.steerguard.classifier.RefusalClassifier},
 * with their verdicts, calibration and configuration. Framework-free; may depend on {@code csv} and
 * {@code djl} only. Training lives in {@code classifier.training}.
 */
package io.steerguard.classifier;
