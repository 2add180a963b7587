package io.steerguard.ops;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.steerguard.api.GatewayTestResource;
import io.steerguard.api.Management;
import io.steerguard.runtime.remote.FakeUpstream;

/**
 * Every PromQL expression of every dashboard and alert rule, evaluated by a real Prometheus that
 * scraped this gateway at 1 s while it served plain, failing, steered and shadowed traffic: each
 * returns a series, and every metric name it reads is one the gateway exports. The traffic is made
 * to light up the alerts too — a profile that erodes refusals until it is BLOCKED, one a policy
 * with action alert puts in WARN, a runtime that is down, and a configuration change the gateway
 * rejects — so those rules are shown to fire, not only to parse. A probe audit of one profile
 * feeds the probe panels.
 */
@QuarkusTest
class PrometheusQueriesTest {

    private static final String COMPLIES = "Sure, here is the detailed plan you asked for, step by step.";
    private static final String REFUSES = "I'm sorry, but I can't help with that request.";

    /** Values for Grafana's variables: every tenant/profile/model ("All"), the 1h window, the policy limit. */
    private static final Map<String, String> VARIABLES = Map.of("tenant", ".*", "profile", ".*", "model", ".*",
            "window", "1h", "externality_limit", "0.05", "__rate_interval", "1m", "__range", "5m", "__interval", "5s");

    /** Alerts whose conditions this test cannot create; their metrics must still be exported. */
    private static final Map<String, String> MAY_BE_EMPTY = Map.of(
            "SteerGuardShadowCoverageLow", "no shadow sample is dropped or fails here",
            "SteerGuardShadowQueueSaturated", "the mirror queue never holds 48 jobs here",
            "SteerGuardRuntimeOverloaded", "no runtime is full here",
            "SteerGuardInFlightHigh", "the test never has 200 requests in flight");

    @Test
    void everyDashboardAndAlertExpression_returnsASeries_fromAPrometheusThatScrapedTheGateway() throws Exception {
        int port = Management.port(); // Prometheus scrapes the management interface, as the ServiceMonitor does
        assertThat(port).as("the test gateway's management port").isPositive();
        Path broken = GatewayTestResource.configDir().resolve("zz-ops-broken.yaml");
        try (PrometheusServer prometheus = PrometheusServer.start("127.0.0.1:" + port, "/q/metrics", OpsFiles.RULES)) {
            prometheus.awaitSeries("up{job=\"steerguard\"} == 1", Duration.ofSeconds(20));
            audit("ops-watched"); // before the scripted traffic: its six generations take the default reply

            // Two rounds of traffic with scrapes between, so every counter rises after its first scrape.
            traffic(1);
            Thread.sleep(2500);
            traffic(2);
            erodeUntilBlocked();
            Files.writeString(broken, """
                    apiVersion: steerguard.io/v1
                    kind: Tenant
                    metadata: {name: broken}
                    spec: {apiKeys: [], misspelt: true}
                    """);

            Duration bound = Duration.ofSeconds(15);
            prometheus.awaitSeries("steerguard_config_in_sync == 0", bound);
            prometheus.awaitSeries("steerguard_profile_state{profile=\"ops-eroding\", state=\"BLOCKED\"} == 1", bound);
            prometheus.awaitSeries("steerguard_profile_state{profile=\"ops-watched\", state=\"WARN\"} == 1", bound);
            prometheus.awaitSeries("steerguard_shadow_pairs{profile=\"ops-eroding\", window=\"1h\"} >= 30", bound);
            Thread.sleep(1500); // one more scrape after the last request

            List<String> failures = new ArrayList<>();
            Set<String> exported = new HashSet<>(prometheus.metricNames());
            for (OpsFiles.Expression e : OpsFiles.allExpressions()) {
                check(prometheus, e, exported, failures);
            }
            checkVariables(prometheus, failures);
            checkRulesLoaded(prometheus, failures);
            assertThat(failures).as("expressions that fail against the scraped gateway").isEmpty();
        } finally {
            Files.deleteIfExists(broken);
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(Management.given().get("/q/metrics").asString()).contains("steerguard_config_in_sync 1.0"));
        }
    }

    private static void check(PrometheusServer prometheus, OpsFiles.Expression e, Set<String> exported,
                              List<String> failures) throws Exception {
        String expr = PromQl.substitute(e.expr(), VARIABLES);
        boolean missing = false;
        for (String name : PromQl.metricNames(expr)) {
            if (!exported.contains(name)) {
                failures.add(e.where() + ": " + name + " is not a metric the gateway exports");
                missing = true;
            }
        }
        List<JsonNode> result;
        try {
            result = prometheus.query(expr);
        } catch (AssertionError err) {
            failures.add(e.where() + ": Prometheus rejects it: " + err.getMessage());
            return;
        }
        if (result.isEmpty() && !missing && !MAY_BE_EMPTY.containsKey(e.alert())) {
            failures.add(e.where() + ": no series for " + expr);
        }
    }

    private static void checkVariables(PrometheusServer prometheus, List<String> failures) throws Exception {
        for (Path file : OpsFiles.dashboardFiles()) {
            for (JsonNode v : OpsFiles.dashboard(file).path("templating").path("list")) {
                if (!v.path("type").asText().equals("query")) {
                    continue;
                }
                PromQl.LabelValues lv = PromQl.labelValues(v.path("query").path("query").asText());
                JsonNode values = prometheus.api("/api/v1/label/" + lv.label() + "/values?match[]="
                        + PrometheusServer.encode(lv.selector()));
                if (values.isEmpty()) {
                    failures.add(file.getFileName() + ": $" + v.path("name").asText() + " resolves to no value");
                }
            }
        }
    }

    private static void checkRulesLoaded(PrometheusServer prometheus, List<String> failures) throws Exception {
        Set<String> loaded = new HashSet<>();
        for (JsonNode group : prometheus.api("/api/v1/rules").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                loaded.add(rule.path("name").asText());
                if (!rule.path("health").asText().equals("ok")) {
                    failures.add("rule " + rule.path("name").asText() + " health " + rule.path("health").asText()
                            + ": " + rule.path("lastError").asText());
                }
            }
        }
        OpsFiles.ruleExpressions().stream().map(OpsFiles.Expression::alert).filter(a -> !loaded.contains(a))
                .forEach(a -> failures.add("rule " + a + " not loaded by Prometheus"));
    }

    // --- traffic ---

    private static FakeUpstream upstream() {
        return GatewayTestResource.upstream();
    }

    /** Runs a probe audit of {@code profile} (three probes, see GatewayTestResource) to its end. */
    private static void audit(String profile) {
        var admin = given().header("Authorization", "Bearer " + GatewayTestResource.ADMIN_KEY);
        admin.post("/admin/profiles/" + profile + "/audit").then().statusCode(202);
        await().atMost(Duration.ofSeconds(20)).until(
                () -> given().header("Authorization", "Bearer " + GatewayTestResource.ADMIN_KEY)
                        .get("/admin/profiles/" + profile + "/audit").then().statusCode(200).extract().jsonPath(),
                j -> j.get("running") == null && "completed".equals(j.getString("latest.outcome")));
    }

    /** Plain, failing and steered-with-shadow requests; {@code round} 2 sends more of each. */
    private static void traffic(int round) throws InterruptedException {
        for (int i = 0; i < round; i++) {
            upstream().enqueue(FakeUpstream.Reply.chatStream("Paris is the capital of France."));
            chat("plain", null).then().statusCode(200);
            chat("dead", null).then().statusCode(502);
        }
        for (int i = 0; i < (round == 1 ? 1 : 5); i++) {
            assertThat(mirrored("ops-watched")).as("a policy with action alert keeps steering").isEqualTo("steered");
        }
    }

    /** Mirrored requests on ops-eroding until its policy (minSamples 30) falls back to unsteered. */
    private static void erodeUntilBlocked() throws InterruptedException {
        for (int i = 0; i < 60; i++) {
            if (mirrored("ops-eroding").equals("fallback-unsteered")) {
                return;
            }
        }
        throw new AssertionError("ops-eroding was never blocked");
    }

    /**
     * One steered request whose answer complies while its unsteered twin refuses. Returns the decision;
     * when the profile was blocked in between, the twin's scripted reply is still queued and a plain
     * request takes it, so the fake upstream's script stays in step.
     */
    private static String mirrored(String profile) throws InterruptedException {
        int before = upstream().exchanges().size();
        upstream().enqueue(FakeUpstream.Reply.chatStream(COMPLIES));
        upstream().enqueue(FakeUpstream.Reply.chatStream(REFUSES));
        Response r = chat("steer", profile);
        r.then().statusCode(200);
        String decision = r.header("X-SteerGuard-Decision");
        if (decision.equals("steered")) {
            upstream().awaitExchange(before + 1, Duration.ofSeconds(10));
        } else {
            chat("plain", null).then().statusCode(200);
        }
        return decision;
    }

    private static Response chat(String model, String profile) {
        var request = given().header("Authorization", "Bearer " + GatewayTestResource.OPS_KEY)
                .contentType("application/json")
                .body("{\"model\": \"" + model + "\", \"max_tokens\": 16, "
                        + "\"messages\": [{\"role\": \"user\", \"content\": \"Tell me how to do it\"}]}");
        if (profile != null) {
            request = request.header("X-SteerGuard-Profile", profile);
        }
        return request.post("/v1/chat/completions");
    }
}
