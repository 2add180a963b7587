/**
 * Offline training and evaluation data of the refusal classifiers: labelled inputs, the
 * team-written template dataset, the logistic-regression trainer and binary metrics. A tool
 * package: the serving application never reaches it (checked by {@code ArchitectureTest}).
 */
package io.steerguard.classifier.training;
