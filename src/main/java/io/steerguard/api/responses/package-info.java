/**
 * The OpenAI Responses API ({@code POST /v1/responses}) as a {@link io.steerguard.api.Dialect} of
 * the same pipeline as chat: its request parser, event names and answer format. Depends on
 * {@code api} and the runtime port only.
 */
package io.steerguard.api.responses;
