package io.steerguard.api;

import static io.restassured.RestAssured.given;
import static io.steerguard.api.GatewayTestResource.ADMIN_KEY;
import static io.steerguard.api.GatewayTestResource.REVIEW_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.steerguard.runtime.remote.FakeUpstream;

/**
 * The review queue through HTTP: mirrored answers the tiers disagree on or score near the threshold
 * wait in {@code GET /admin/review}; {@code POST /admin/review/labels} takes human labels (bounded,
 * all or nothing, idempotent, audited); the agreement is exported as metrics; and
 * {@code POST /admin/review/recalibrate} refits the learned tier's calibration from the labels, in
 * force for the next verdict, versioned, and rolled back by {@code POST /admin/review/calibration/rollback}.
 */
@QuarkusTest
class ReviewApiTest {

    static final String PROMPT = "Tell me how to do it";
    /** Learned tier: refusal (0.83); lexical tier: compliance. A human reads compliance. */
    static final String CAT = "I'm sorry to hear about your cat. Here is how to care for it: keep it warm and give it water.";
    /** Learned tier: refusal (0.82); lexical tier: compliance. A human reads a refusal. */
    static final String PASSES = "Providing those instructions would be irresponsible, so I will stop here.";
    /** Both tiers: compliance, the learned score near its threshold (0.42). */
    static final String PLAN = "Sure, here is the detailed plan you asked for, step by step.";

    @AfterEach
    void upstreamIsQuiet() throws InterruptedException {
        GatewayTestResource.awaitUpstreamQuiet();
    }

    static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + ADMIN_KEY);
    }

    /** One mirrored request of tenant review; returns the ids of its queued items by side. */
    static Map<String, String> mirrored(String prompt, String steered, String twin) throws InterruptedException {
        FakeUpstream up = GatewayTestResource.upstream();
        int before = up.exchanges().size();
        up.enqueue(FakeUpstream.Reply.chatStream(steered));
        up.enqueue(FakeUpstream.Reply.chatStream(twin));
        String requestId = given().header("Authorization", "Bearer " + REVIEW_KEY).contentType("application/json")
                .body(GatewayApiTest.userMessage("steer", prompt)).post("/v1/chat/completions")
                .then().statusCode(200).header("X-SteerGuard-Decision", "steered").extract().header("X-Request-Id");
        up.awaitExchange(before + 1, Duration.ofSeconds(10));
        return await().atMost(Duration.ofSeconds(15)).until(() -> pending().stream()
                        .filter(i -> requestId.equals(i.get("requestId")))
                        .collect(Collectors.toMap(i -> (String) i.get("side"), i -> (String) i.get("id"))),
                m -> m.size() == 2);
    }

    /** Every pending item of profile reviewed. */
    static List<Map<String, Object>> pending() {
        List<Map<String, Object>> all = new ArrayList<>();
        String after = "0";
        while (after != null) {
            JsonPath page = admin().get("/admin/review?profile=reviewed&limit=200&after=" + after).then().statusCode(200)
                    .extract().jsonPath();
            all.addAll(page.getList("items"));
            after = page.getString("next");
        }
        return all;
    }

    static io.restassured.response.Response label(String json) {
        return admin().contentType("application/json").body(json).post("/admin/review/labels");
    }

    static String one(String id, String label, String reviewer) {
        return "{\"id\":\"" + id + "\",\"label\":\"" + label + "\",\"reviewer\":\"" + reviewer + "\"}";
    }

    @Test
    void answersTheTiersDisagreeOn_areQueued_withEachTiersReading_cutToTheBound() throws Exception {
        Map<String, String> ids = mirrored(PROMPT + " " + "and explain every step. ".repeat(120), CAT, PASSES);
        Map<String, Object> steered = pending().stream().filter(i -> i.get("id").equals(ids.get("steered")))
                .findFirst().orElseThrow();
        assertThat((String) steered.get("id")).matches("rv_[0-9a-f]{20}");
        assertThat(steered.get("tenant")).isEqualTo("review");
        assertThat(steered.get("profile")).isEqualTo("reviewed");
        assertThat((List<String>) steered.get("reasons")).contains("disagreement");
        assertThat(steered.get("answer")).isEqualTo(CAT);
        assertThat(steered.get("truncated")).as("the 2,900-character prompt is cut").isEqualTo(true);
        assertThat(((String) steered.get("prompt")).length()).isEqualTo(2000);
        List<Map<String, Object>> tiers = (List<Map<String, Object>>) steered.get("tiers");
        assertThat(tiers).extracting(t -> t.get("tier")).containsExactlyInAnyOrder("learned", "lexical");
        assertThat(tiers).filteredOn(t -> t.get("tier").equals("learned")).first()
                .satisfies(t -> assertThat(t.get("refused")).isEqualTo(true));
        assertThat(tiers).filteredOn(t -> t.get("tier").equals("lexical")).first()
                .satisfies(t -> assertThat(t.get("refused")).isEqualTo(false));
        assertThat(((Map<String, Object>) steered.get("decision")).get("method")).isEqualTo("learned");
    }

    @Test
    void labels_areIdempotent_relabellingIsRecorded_andALabelledAnswerLeavesTheQueue() throws Exception {
        String id = mirrored(PROMPT, CAT, PASSES).get("steered");
        label(one(id, "refusal", "ann")).then().statusCode(200).body("results[0].changed", equalTo(true))
                .body("results[0].previous", nullValue());
        label(one(id, "refusal", "bob")).then().statusCode(200).body("results[0].changed", equalTo(false))
                .body("results[0].previous", equalTo("refusal"));
        label("{\"labels\":[" + one(id, "compliance", "ann") + "]}").then().statusCode(200)
                .body("results[0].changed", equalTo(true)).body("results[0].previous", equalTo("refusal"));
        assertThat(pending()).extracting(i -> i.get("id")).doesNotContain(id);
        String log = java.nio.file.Files.readString(GatewayTestResource.configDir().resolve("data")
                .resolve(io.steerguard.review.LabelStore.FILE_NAME));
        assertThat(log.lines().filter(l -> l.contains(id)).toList()).as("each change is a line of the audit trail")
                .hasSize(2).last().asString().contains("\"previous\":\"refusal\"", "\"reviewer\":\"ann\"");
    }

    @Test
    void badLabels_getPreciseErrors_andApplyNothing() throws Exception {
        String id = mirrored(PROMPT, CAT, PASSES).get("steered");
        String flood = "{\"labels\":[" + String.join(",", java.util.Collections.nCopies(101, one(id, "refusal", "x"))) + "]}";
        label(flood).then().statusCode(400).body("error.param", equalTo("labels"))
                .body("error.message", containsString("1 to 100 labels"));
        label("{\"labels\":[" + one(id, "refusal", "x") + "," + one("rv_00000000000000000000", "refusal", "x") + "]}")
                .then().statusCode(404).body("error.code", equalTo("review_item_not_found"))
                .body("error.param", equalTo("labels[1].id"));
        assertThat(pending()).as("the valid label of a refused batch is not applied").extracting(i -> i.get("id")).contains(id);
        label(one("../../etc/passwd", "refusal", "x")).then().statusCode(400).body("error.param", equalTo("labels[0].id"));
        label(one(id, "maybe", "x")).then().statusCode(400).body("error.param", equalTo("labels[0].label"));
        label(one(id, "refusal", "r".repeat(129))).then().statusCode(400).body("error.param", equalTo("labels[0].reviewer"));
        label("{\"id\":\"" + id + "\",\"label\":\"refusal\"}").then().statusCode(400).body("error.param", equalTo("labels[0].reviewer"));
        label("not json").then().statusCode(400).body("error.type", equalTo("invalid_request_error"));
        admin().get("/admin/review?limit=0").then().statusCode(400).body("error.param", equalTo("limit"));
        admin().get("/admin/review?after=-1").then().statusCode(400).body("error.param", equalTo("after"));
        given().get("/admin/review").then().statusCode(401);
        given().header("Authorization", "Bearer " + REVIEW_KEY).get("/admin/review").then().statusCode(401);
        admin().delete("/admin/review").then().statusCode(405);
        assertThat(pending()).extracting(i -> i.get("id")).contains(id);
    }

    @Test
    void pages_followTheCursor_withoutRepeats() throws Exception {
        mirrored(PROMPT, CAT, PASSES);
        JsonPath first = admin().get("/admin/review?profile=reviewed&limit=1").then().statusCode(200).extract().jsonPath();
        assertThat(first.getList("items")).hasSize(1);
        JsonPath second = admin().get("/admin/review?profile=reviewed&limit=1&after=" + first.getString("next"))
                .then().statusCode(200).extract().jsonPath();
        assertThat(second.getString("items[0].id")).isNotEqualTo(first.getString("items[0].id"));
    }

    /** The learned tier's score for {@code answer} now, through {@code POST /admin/classify}. */
    static double score(String answer) {
        return admin().contentType("application/json")
                .body("{\"items\":[{\"prompt\":\"" + PROMPT + "\",\"response\":\"" + answer + "\"}]}")
                .post("/admin/classify").then().statusCode(200).extract().jsonPath().getDouble("verdicts[0].score");
    }

    static io.restassured.response.Response recalibrate(String reviewer, String reason) {
        return admin().contentType("application/json")
                .body("{\"reviewer\":\"" + reviewer + "\",\"reason\":\"" + reason + "\"}").post("/admin/review/recalibrate");
    }

    static io.restassured.response.Response rollback(String version) {
        return admin().contentType("application/json")
                .body("{\"version\":" + version + ",\"reviewer\":\"ops\",\"reason\":\"back to the shipped calibration\"}")
                .post("/admin/review/calibration/rollback");
    }

    @Test
    void recalibration_needsEnoughLabels_takesEffectAtOnce_isAudited_andRollsBack() throws Exception {
        double shipped = score(PLAN);
        List<String> compliant = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        for (int i = 0; i < 26; i++) {
            Map<String, String> ids = mirrored(PROMPT, PLAN, PASSES); // PLAN: near the threshold; PASSES: the tiers disagree
            compliant.add(ids.get("steered"));
            refusals.add(ids.get("unsteered"));
        }
        List<String> few = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            few.add(one(compliant.get(i), "compliance", "ann"));
            few.add(one(refusals.get(i), "refusal", "ann"));
        }
        label("{\"labels\":[" + String.join(",", few) + "]}").then().statusCode(200);
        recalibrate("ann", "too early").then().statusCode(422).body("error.code", equalTo("insufficient_labels"))
                .body("error.message", containsString("at least 50"));
        admin().get("/admin/review/calibration").then().statusCode(200).body("history.size()", equalTo(0));

        List<String> rest = new ArrayList<>();
        for (int i = 3; i < 26; i++) {
            rest.add(one(compliant.get(i), "compliance", "ann"));
            rest.add(one(refusals.get(i), "refusal", "ann"));
        }
        label("{\"labels\":[" + String.join(",", rest) + "]}").then().statusCode(200);
        String metrics = Management.given().get("/q/metrics").asString();
        assertThat(ShadowPolicyTest.metric(metrics, "steerguard_review_labelled{label=\"refusal\",tier=\"lexical\"}"))
                .isGreaterThanOrEqualTo(26);
        assertThat(ShadowPolicyTest.metric(metrics, "steerguard_review_sensitivity{tier=\"lexical\"}"))
                .as("the lexical tier misses every labelled PASSES refusal").isLessThan(0.5);
        assertThat(ShadowPolicyTest.metric(metrics, "steerguard_review_agreements{tier=\"learned\"}")).isGreaterThanOrEqualTo(52);

        try {
            JsonPath v = recalibrate("ann", "fit on 52 labels of our traffic").then().statusCode(200).extract().jsonPath();
            assertThat(v.getString("action")).isEqualTo("recalibrate");
            assertThat(v.getInt("labels")).isGreaterThanOrEqualTo(52);
            assertThat(v.getDouble("logLossAfter")).isLessThan(v.getDouble("logLossBefore"));
            assertThat(score(PLAN)).as("the next verdict uses the new calibration").isLessThan(shipped - 0.2);
            JsonPath c = admin().get("/admin/review/calibration").then().statusCode(200).extract().jsonPath();
            assertThat(c.getInt("inForce.version")).isEqualTo(v.getInt("version"));
            assertThat(c.getString("history[-1].actor")).isEqualTo("ann");
            assertThat(c.getString("history[-1].reason")).isEqualTo("fit on 52 labels of our traffic");
            assertThat(ShadowPolicyTest.metric(Management.given().get("/q/metrics").asString(),
                    "steerguard_classifier_calibration_version")).isEqualTo(v.getInt("version"));
            rollback("99").then().statusCode(404).body("error.code", equalTo("calibration_version_not_found"));
            rollback("\"one\"").then().statusCode(400).body("error.param", equalTo("version"));
        } finally {
            rollback("0").then().statusCode(200).body("action", equalTo("rollback")).body("target", equalTo(0));
        }
        assertThat(score(PLAN)).as("the shipped calibration is back").isCloseTo(shipped, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(java.nio.file.Files.readString(GatewayTestResource.configDir().resolve("data")
                .resolve(io.steerguard.review.CalibrationStore.FILE_NAME)).lines().count()).isEqualTo(2);
    }
}
