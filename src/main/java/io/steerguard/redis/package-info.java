/**
 * Redis adapters of two domain ports: the shared transition log
 * ({@link io.steerguard.policy.TransitionLog}), the shared rollout decisions
 * ({@link io.steerguard.policy.RolloutStore}) and the shared statistics windows
 * ({@link io.steerguard.shadow.SharedWindowStore}), on the Vert.x Redis client. Only the gateway's
 * composition chooses them.
 */
package io.steerguard.redis;
