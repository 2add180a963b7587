/**
 * The model runtime port: {@link io.steerguard.runtime.ModelRuntime} and the values that cross it
 * (requests, prompts, sampling, steering specs, generation events, tools). Depends on Mutiny only;
 * knows none of its implementations ({@code runtime.embedded}, {@code runtime.remote}).
 */
package io.steerguard.runtime;
