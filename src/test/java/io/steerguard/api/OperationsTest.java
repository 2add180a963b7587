package io.steerguard.api;

import static io.restassured.RestAssured.given;
import static io.steerguard.api.GatewayTestResource.ACME_KEY;
import static io.steerguard.api.GatewayTestResource.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.steerguard.runtime.remote.FakeUpstream;
import io.steerguard.tenant.ApiKeys;

/** Metrics, admin API and hot reload with last-good fallback. */
@QuarkusTest
class OperationsTest {

    @Test
    void servedRequest_appearsInPrometheusMetrics_withBoundedTags() {
        GatewayTestResource.upstream().enqueue(FakeUpstream.Reply.chatStream("m"));
        GatewayApiTest.chat(ACME_KEY, GatewayApiTest.userMessage("plain", "Hi")).then().statusCode(200);
        GatewayApiTest.chat("sk-nobody", GatewayApiTest.userMessage("plain", "Hi")).then().statusCode(401);

        String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();

        assertThat(metrics)
                .contains("gen_ai_server_request_duration_seconds_count{decision=\"unsteered\",model=\"plain\","
                        + "operation=\"chat\",profile=\"unsteered\",status=\"200\",tenant=\"acme\"}")
                .contains("gen_ai_server_request_duration_seconds_count{decision=\"rejected\",model=\"none\","
                        + "operation=\"chat\",profile=\"none\",status=\"401\",tenant=\"none\"}")
                .contains("gen_ai_server_time_to_first_token_seconds_bucket{")
                .contains("gen_ai_client_token_usage_tokens_sum{decision=\"unsteered\",model=\"plain\","
                        + "operation=\"chat\",profile=\"unsteered\",tenant=\"acme\",token_type=\"input\"}")
                .contains("steerguard_config_in_sync 1.0")
                .contains("steerguard_requests_inflight");
        assertThat(metrics).as("keys and prompts never become tag values").doesNotContain("sk-nobody");
    }

    @Test
    void upstreamFault_isCounted_byRuntimeAndKind() {
        GatewayApiTest.chat(ACME_KEY, GatewayApiTest.userMessage("dead", "Hi")).then().statusCode(502);

        assertThat(Management.given().get("/q/metrics").asString())
                .contains("steerguard_upstream_errors_total{kind=\"UNAVAILABLE\",model=\"dead\"}");
    }

    @Test
    void adminEndpoints_rejectTenantKeys_andMissingKeys() {
        given().get("/admin/config").then().statusCode(401).body("error.code", equalTo("invalid_api_key"));
        given().header("Authorization", "Bearer " + ACME_KEY).get("/admin/config").then().statusCode(401);
        given().header("Authorization", "Bearer " + ADMIN_KEY).get("/admin/config").then().statusCode(200)
                .body("documents.name", hasItem("acme"))
                .body("lastReload.applied", equalTo(true));
    }

    @Test
    void healthEndpoint_isUp() {
        Management.given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void validChange_isApplied_invalidChange_keepsTheLastGoodConfiguration() throws Exception {
        Path extra = GatewayTestResource.configDir().resolve("extra.yaml");
        String newKey = "sk-initech-test-key";
        try {
            Files.writeString(extra, """
                    apiVersion: steerguard.io/v1
                    kind: Tenant
                    metadata: {name: initech}
                    spec:
                      apiKeys: [{sha256: %s}]
                      models: {plain: {}}
                    """.formatted(ApiKeys.sha256Hex(newKey)));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    given().header("Authorization", "Bearer " + newKey).get("/v1/models").then().statusCode(200));

            Files.writeString(extra, """
                    apiVersion: steerguard.io/v1
                    kind: Tenant
                    metadata: {name: initech}
                    spec:
                      apiKeys: [{sha256: %s}]
                      models: {plain: {defaultProfile: missing-profile}}
                    """.formatted(ApiKeys.sha256Hex(newKey)));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    given().header("Authorization", "Bearer " + ADMIN_KEY).get("/admin/config")
                            .then().body("lastReload.applied", equalTo(false))
                            .body("lastReload.problems[0].message",
                                    equalTo("unknown steering profile 'missing-profile'"))
                            .body("lastReload.problems[0].line", equalTo(6)));
            given().header("Authorization", "Bearer " + newKey).get("/v1/models").then().statusCode(200)
                    .body("data[0].steerguard.defaultProfile", equalTo("unsteered"));
            assertThat(Management.given().get("/q/metrics").asString()).contains("steerguard_config_in_sync 0.0")
                    .contains("steerguard_config_reloads_total{result=\"rejected\"}");
        } finally {
            Files.deleteIfExists(extra);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                given().header("Authorization", "Bearer " + newKey).get("/v1/models").then().statusCode(401));
        assertThat(Management.given().get("/q/metrics").asString()).contains("steerguard_config_in_sync 1.0");
    }
}
