/**
 * EasySteer's {@code steering} request object: its schema, limits and conflict policies, shared by
 * the remote runtime that sends it and runtime mode that accepts it (read at EasySteer-vllm-v1
 * {@code 6267ca0c}). Depends on the {@code runtime} port only.
 */
package io.steerguard.steering.easysteer;
