package io.steerguard.api.responses;

import io.steerguard.tenant.ApiKeys;

/**
 * Tenant {@code resp} for the Responses API tests, written beside the other test documents by
 * {@link io.steerguard.api.GatewayTestResource}: its own profiles so blocks and shadow counts of
 * these tests touch no other test's. Runtimes: {@code plain} (unsteered), {@code steer} with
 * {@code resp-steered} (default), {@code resp-blocked} and {@code resp-midblock}, {@code es-standin}
 * with {@code resp-mirrored} (mirrored at rate 1, alert only), and the embedded {@code tiny}.
 */
public final class ResponsesTestConfig {

    public static final String RESP_KEY = "sk-resp-test-key";

    private ResponsesTestConfig() {
    }

    public static String yaml() {
        return """
                apiVersion: steerguard.io/v1
                kind: SteeringProfile
                metadata: {name: resp-steered}
                spec:
                  runtime: steer
                  vectors: [{file: /srv/vectors/json-format.gguf, layers: [2], coefficient: 2.0}]
                ---
                apiVersion: steerguard.io/v1
                kind: SteeringProfile
                metadata: {name: resp-blocked}
                spec:
                  runtime: steer
                  vectors: [{file: /srv/vectors/compliance.gguf, layers: [4], coefficient: 3.0}]
                ---
                apiVersion: steerguard.io/v1
                kind: SteeringProfile
                metadata: {name: resp-midblock}
                spec:
                  runtime: steer
                  vectors: [{file: /srv/vectors/compliance.gguf, layers: [4], coefficient: 5.0}]
                ---
                apiVersion: steerguard.io/v1
                kind: SteeringProfile
                metadata: {name: resp-mirrored}
                spec:
                  runtime: es-standin
                  vectors: [{file: /srv/vectors/compliance.gguf, layers: [2], coefficient: 4.0}]
                ---
                apiVersion: steerguard.io/v1
                kind: GuardrailPolicy
                metadata: {name: test-responses}
                spec:
                  selector: {profiles: [resp-mirrored]}
                  shadow: {sampleRate: 1.0, probationSampleRate: 1.0, maxTokens: 16}
                  limits: {maxExternalityRate: 0.9}
                  decision: {window: 1h, minSamples: 1000, confidence: 0.95}
                  action: alert
                ---
                apiVersion: steerguard.io/v1
                kind: Tenant
                metadata: {name: resp}
                spec:
                  apiKeys: [{sha256: %s}]
                  models:
                    plain: {}
                    steer: {defaultProfile: resp-steered, allowedProfiles: [resp-blocked, resp-midblock]}
                    es-standin: {defaultProfile: resp-mirrored}
                    tiny: {defaultProfile: tiny-random}
                """.formatted(ApiKeys.sha256Hex(RESP_KEY));
    }
}
