/**
 * The public and admin HTTP surface on Vert.x routes: OpenAI-compatible chat, completions and
 * responses, models, runtime mode, and the {@code /admin} endpoints. Parses and validates requests
 * into OpenAI error JSON, asks the governor how to serve, streams answers, and hands sampled
 * requests to the shadow. Never blocks an event loop.
 *
 * <p>May depend on the domain ({@code runtime}, {@code steering}, {@code classifier}, {@code shadow},
 * {@code policy}, {@code review}, {@code stats}), {@code config}, {@code tenant}, {@code telemetry}
 * and {@code gateway}; it reaches runtimes only through the {@link io.steerguard.runtime.ModelRuntime}
 * port, never a runtime implementation or a state backend.
 */
package io.steerguard.api;
