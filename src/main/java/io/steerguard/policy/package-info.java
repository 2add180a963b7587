/**
 * Guardrail policies and what they decide: limits, decision rules, the profile state machine
 * ({@code PROBATION → ACTIVE ⇄ WARN → BLOCKED}), serving decisions, and the transition log with its
 * file store. Framework-free; may depend on {@code shadow}, {@code stats} and {@code journal}.
 */
package io.steerguard.policy;
