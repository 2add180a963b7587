/**
 * Composition and lifecycle of the Quarkus application: builds runtimes and classifiers from
 * configuration, swaps the live configuration atomically on reload, runs the policy loop and probe
 * schedules, and enforces policies per request ({@link io.steerguard.gateway.SafetyGovernor}). The
 * one package that knows concrete runtimes and state backends; nothing below it depends on it.
 */
package io.steerguard.gateway;
