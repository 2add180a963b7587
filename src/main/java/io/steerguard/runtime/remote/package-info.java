/**
 * Remote model runtimes: {@link io.steerguard.runtime.ModelRuntime}s that forward generations to an
 * OpenAI-compatible server ({@code type: openai}) or an EasySteer vLLM ({@code type: easysteer})
 * over the Vert.x HTTP client.
 *
 * <p>This package may use Vert.x (unlike the rest of {@code runtime}) but never Quarkus: the gateway
 * passes in its managed {@link io.vertx.core.Vertx} and {@link io.steerguard.runtime.remote.RemoteRuntimeOptions}.
 * Entry points: {@link io.steerguard.runtime.remote.RemoteRuntime} and, for configuration checks at
 * load time, {@link io.steerguard.steering.easysteer.EasySteerRequests#validate}.
 */
package io.steerguard.runtime.remote;

import io.steerguard.steering.easysteer.EasySteerRequests;
