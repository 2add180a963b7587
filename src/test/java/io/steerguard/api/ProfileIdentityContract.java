package io.steerguard.api;

import static io.restassured.RestAssured.given;
import static io.steerguard.api.GatewayTestResource.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.steerguard.steering.ControlVectorGguf;
import io.steerguard.steering.VectorSet;
import io.steerguard.tenant.ApiKeys;

/**
 * Issue 12, points 3 and 4 end to end, on the embedded tiny model ({@code geometry-tiny}): a block
 * belongs to what is served. Each test writes its own document (a profile and the tenant that uses
 * it) and its own vector file into the gateway's configuration folder, and reloads through the admin
 * API. Run on the file backend ({@link ProfileIdentityGatewayTest}) and on Redis
 * ({@link RedisProfileIdentityGatewayTest}).
 */
abstract class ProfileIdentityContract {

    private static final Path ORIGINAL_VECTOR = Path.of("models/tiny-random/vectors/random-direction.gguf");

    private static Path document(String profile) {
        return GatewayTestResource.configDir().resolve("identity-" + profile + ".yaml");
    }

    private static Path vector(String profile) {
        return GatewayTestResource.configDir().resolve("identity-vectors").resolve(profile + ".gguf");
    }

    private static String key(String profile) {
        return "sk-" + profile + "-key";
    }

    /**
     * The coefficient of a test's profile. Blocks follow identities under any name, and every test
     * copies the same vector file: a coefficient of its own keeps each test's identity apart.
     */
    private static String coefficient(String profile) {
        return String.format(java.util.Locale.ROOT, "%.3f", 2.0 + Math.floorMod(profile.hashCode(), 997) / 1000.0);
    }

    private static void writeDocument(String profile, boolean measured) throws IOException {
        writeDocument(profile, measured, coefficient(profile));
    }

    /** The profile and its tenant, and optionally a policy that mirrors all of its traffic and never decides. */
    private static void writeDocument(String profile, boolean measured, String coefficient) throws IOException {
        String policy = measured ? """
                ---
                apiVersion: steerguard.io/v1
                kind: GuardrailPolicy
                metadata: {name: %1$s-watch}
                spec:
                  selector: {profiles: [%1$s]}
                  shadow: {sampleRate: 1.0, probationSampleRate: 1.0, maxTokens: 2}
                  limits: {maxExternalityRate: 0.99}
                  decision: {window: 1h, minSamples: 100000, confidence: 0.95}
                  action: alert
                  recovery: {mode: manual}
                """.formatted(profile) : "";
        Files.writeString(document(profile), """
                apiVersion: steerguard.io/v1
                kind: SteeringProfile
                metadata: {name: %1$s}
                spec:
                  runtime: geometry-tiny
                  vectors: [{file: "%2$s", layers: [1, 2], coefficient: %4$s}]
                ---
                apiVersion: steerguard.io/v1
                kind: Tenant
                metadata: {name: %1$s-lab}
                spec:
                  apiKeys: [{sha256: %3$s}]
                  models:
                    geometry-tiny: {defaultProfile: %1$s, allowedProfiles: [%1$s, unsteered]}
                """.formatted(profile, vector(profile).toAbsolutePath(), ApiKeys.sha256Hex(key(profile)), coefficient)
                + policy);
    }

    private static void setUp(String profile, boolean measured) throws IOException {
        Files.createDirectories(vector(profile).getParent());
        Files.copy(ORIGINAL_VECTOR, vector(profile), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        writeDocument(profile, measured);
        reload();
    }

    private static void tearDown(String profile) throws IOException {
        Files.deleteIfExists(document(profile));
        reload();
    }

    private static void reload() {
        given().header("Authorization", "Bearer " + ADMIN_KEY).post("/admin/config/reload").then().statusCode(200)
                .body("applied", equalTo(true));
    }

    private static Response chat(String profile) {
        return given().header("Authorization", "Bearer " + key(profile)).contentType("application/json")
                .body("{\"model\":\"geometry-tiny\",\"max_tokens\":2,\"temperature\":0,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}]}")
                .post("/v1/chat/completions");
    }

    private static void block(String profile) {
        given().header("Authorization", "Bearer " + ADMIN_KEY).contentType("application/json")
                .body("{\"reason\": \"e2e: erodes refusals\"}").post("/admin/profiles/" + profile + "/block")
                .then().statusCode(200).body("state", equalTo("BLOCKED"));
    }

    private static List<Map<String, Object>> audit(String profile) {
        return given().header("Authorization", "Bearer " + ADMIN_KEY)
                .get("/admin/audit-log?limit=50&profile=" + profile).then().statusCode(200).extract().jsonPath()
                .getList("entries");
    }

    private static void assertServedSteered(String profile) {
        chat(profile).then().statusCode(200).header("X-SteerGuard-Decision", "steered");
    }

    private static void assertBlocked(String profile) {
        chat(profile).then().statusCode(403).body("error.code", equalTo("steering_profile_blocked"));
    }

    private static int pairs(String profile) {
        JsonPath safety = given().header("Authorization", "Bearer " + ADMIN_KEY)
                .get("/admin/profiles/" + profile + "/safety").then().statusCode(200).extract().jsonPath();
        return safety.getList("windows.pairs", Integer.class).stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    @Test
    void blockedProfile_removedWithItsTenant_andRestored_isStillBlocked() throws IOException {
        String profile = "tomb-returning";
        try {
            setUp(profile, false);
            assertServedSteered(profile);
            block(profile);
            assertBlocked(profile);

            Files.delete(document(profile));
            reload();
            chat(profile).then().statusCode(401);

            writeDocument(profile, false);
            reload();

            assertBlocked(profile);
            Map<String, Object> last = audit(profile).get(audit(profile).size() - 1);
            assertThat(last.get("to")).isEqualTo("BLOCKED");
            assertThat((String) last.get("reason")).contains("back in the configuration").contains("BLOCKED since");
        } finally {
            tearDown(profile);
        }
    }

    @Test
    void blockedVectors_reAddedUnderAnotherProfileName_areStillBlocked_andTheAuditLogNamesTheOriginal() throws IOException {
        String profile = "tomb-renamed";
        String renamed = "tomb-renamed-as-new";
        try {
            setUp(profile, false);
            block(profile);
            assertBlocked(profile);

            // the operator deletes the blocked profile and adds the same vectors under a fresh name
            Files.delete(document(profile));
            Files.copy(vector(profile), vector(renamed), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            writeDocument(renamed, false, coefficient(profile));
            reload();

            assertBlocked(renamed);
            Map<String, Object> last = audit(renamed).get(audit(renamed).size() - 1);
            assertThat(last.get("to")).isEqualTo("BLOCKED");
            assertThat((String) last.get("reason")).contains("as profile '" + profile + "'");
        } finally {
            Files.deleteIfExists(document(renamed));
            tearDown(profile);
        }
    }

    @Test
    void garbageAppendedToTheServedVectorFile_keepsTheProfilesStateAndStatistics() throws IOException {
        String profile = "tomb-garbage";
        try {
            setUp(profile, true);
            for (int i = 0; i < 3; i++) {
                assertServedSteered(profile);
            }
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> pairs(profile) >= 2);
            int pairsBefore = pairs(profile);
            List<Map<String, Object>> auditBefore = audit(profile);

            Files.write(vector(profile), "\u0000garbage after the last tensor".getBytes(), StandardOpenOption.APPEND);
            reload();
            assertServedSteered(profile);

            assertThat(audit(profile)).as("no transition: what is served did not change").isEqualTo(auditBefore);
            assertThat(pairs(profile)).as("statistics kept").isGreaterThanOrEqualTo(pairsBefore);
        } finally {
            tearDown(profile);
        }
    }

    @Test
    void changedVector_startsInProbation_namingTheBlockedIdentity_andTheOldVectorComesBackBlocked()
            throws IOException {
        String profile = "tomb-changed";
        try {
            setUp(profile, false);
            block(profile);
            assertBlocked(profile);
            String blockedIdentity = (String) audit(profile).get(audit(profile).size() - 1).get("fingerprint");
            byte[] original = Files.readAllBytes(vector(profile));

            VectorSet loaded = ControlVectorGguf.read(original, "v.gguf");
            Map<Integer, float[]> negated = new java.util.LinkedHashMap<>();
            loaded.directions().forEach((layer, v) -> {
                float[] n = v.clone();
                for (int i = 0; i < n.length; i++) {
                    n[i] = -n[i];
                }
                negated.put(layer, n);
            });
            Files.write(vector(profile), ControlVectorGguf.write(VectorSet.of("llama", negated)));
            reload();

            assertServedSteered(profile);
            // the evaluator may already have moved it on to ACTIVE (no policy selects it): find the change
            List<Map<String, Object>> afterBlock = audit(profile);
            Map<String, Object> replaced = afterBlock.stream().filter(e -> "BLOCKED".equals(e.get("from"))
                    && "lifecycle".equals(e.get("actor"))).findFirst().orElseThrow();
            assertThat(replaced.get("to")).isEqualTo("PROBATION");
            assertThat((String) replaced.get("reason"))
                    .contains("replaces blocked identity " + blockedIdentity.substring(0, 12));

            Files.write(vector(profile), original);
            reload();

            assertBlocked(profile);
            assertThat((String) audit(profile).get(audit(profile).size() - 1).get("reason"))
                    .contains("identity " + blockedIdentity.substring(0, 12) + " is back and was BLOCKED");
        } finally {
            tearDown(profile);
        }
    }
}
