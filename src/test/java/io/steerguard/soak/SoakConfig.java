package io.steerguard.soak;

import io.steerguard.tenant.ApiKeys;

/** The documents the soak gateway runs on: one EasySteer-style runtime, three profiles, five tenants. */
final class SoakConfig {

    static final String ADMIN_KEY = "sk-soak-admin";

    private SoakConfig() {
    }

    static String documents(int upstreamPort) {
        StringBuilder doc = new StringBuilder("""
                apiVersion: steerguard.io/v1
                kind: Runtime
                metadata: {name: soak}
                spec: {type: easysteer, baseUrl: "http://127.0.0.1:%d/v1", upstreamModel: soak-up, readTimeout: 2s, requestTimeout: 30s}
                """.formatted(upstreamPort));
        String[][] profiles = {{"steady", "4"}, {"mirrored", "5"}, {"blockme", "6"}};
        for (String[] p : profiles) {
            doc.append("""
                    ---
                    apiVersion: steerguard.io/v1
                    kind: SteeringProfile
                    metadata: {name: %s}
                    spec:
                      runtime: soak
                      vectors: [{file: /srv/vectors/soak.gguf, layers: [%s], coefficient: 1.0}]
                    """.formatted(p[0], p[1]));
        }
        doc.append("""
                ---
                apiVersion: steerguard.io/v1
                kind: GuardrailPolicy
                metadata: {name: soak-mirror}
                spec:
                  selector: {profiles: [mirrored]}
                  shadow: {sampleRate: 1.0, probationSampleRate: 1.0, maxTokens: 8}
                  limits: {maxExternalityRate: 1.0}
                  action: alert
                ---
                apiVersion: steerguard.io/v1
                kind: GuardrailPolicy
                metadata: {name: soak-block}
                spec:
                  selector: {profiles: [blockme, steady]}
                  shadow: {sampleRate: 0.1, probationSampleRate: 0.1, maxTokens: 8}
                  limits: {maxExternalityRate: 1.0}
                  action: fallback-unsteered
                  recovery: {mode: manual}
                """);
        for (int t = 1; t <= 4; t++) {
            doc.append(tenant(t));
        }
        return doc.toString();
    }

    /** A file the run rewrites in place: an unrelated profile, then tenant t5 (lost if the file is cut at {@code ---}). */
    static String editedFile() {
        return """
                apiVersion: steerguard.io/v1
                kind: SteeringProfile
                metadata: {name: edited-extra}
                spec:
                  runtime: soak
                  vectors: [{file: /srv/vectors/soak.gguf, layers: [7], coefficient: 1.0}]
                """ + tenant(5);
    }

    private static String tenant(int t) {
        return """
                ---
                apiVersion: steerguard.io/v1
                kind: Tenant
                metadata: {name: t%d}
                spec:
                  apiKeys: [{sha256: %s}]
                  models:
                    soak: {defaultProfile: steady, allowedProfiles: [steady, mirrored, blockme, unsteered]}
                """.formatted(t, ApiKeys.sha256Hex("sk-soak-t" + t));
    }
}
