package io.steerguard.api;

import static io.restassured.RestAssured.given;
import static io.steerguard.api.GatewayTestResource.ACME_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;

/** n, penalties and tools on the embedded runtime, through the gateway's HTTP path. */
@QuarkusTest
@QuarkusTestResource(value = GatewayTestResource.class, restrictToAnnotatedClass = false)
class EmbeddedChoicesGatewayTest {

    private static io.restassured.response.Response ask(String fields) {
        return given().header("Authorization", "Bearer " + ACME_KEY).header("X-SteerGuard-Profile", "unsteered")
                .contentType("application/json")
                .body("{\"model\":\"tiny\",\"max_tokens\":6," + fields
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}]}")
                .post("/v1/chat/completions");
    }

    @Test
    void threeGreedyChoices_areThreeIdenticalAnswers() {
        JsonPath body = ask("\"n\":3,\"temperature\":0").then().statusCode(200).extract().jsonPath();

        List<String> texts = body.getList("choices.message.content");
        assertThat(body.getList("choices.index", Integer.class)).containsExactly(0, 1, 2);
        assertThat(texts).hasSize(3).allSatisfy(t -> assertThat(t).isEqualTo(texts.get(0)));
        int completion = body.getInt("usage.completion_tokens");
        assertThat(completion).as("three identical answers, counted once each").isPositive().isLessThanOrEqualTo(18);
        assertThat(completion % 3).isZero();
    }

    @Test
    void threeSeededChoices_areReproducible() {
        String fields = "\"n\":3,\"temperature\":1,\"seed\":1234,\"presence_penalty\":0.5,\"frequency_penalty\":0.5";
        List<String> first = ask(fields).then().statusCode(200).extract().jsonPath().getList("choices.message.content");
        List<String> again = ask(fields).then().statusCode(200).extract().jsonPath().getList("choices.message.content");

        assertThat(again).hasSize(3).isEqualTo(first);
    }

    @Test
    void streamedChoices_eachCarryTheirIndex_andFinishOnce() {
        String sse = ask("\"n\":2,\"temperature\":0,\"stream\":true").then().statusCode(200).extract().asString();

        List<JsonObject> choices = sse.lines().filter(l -> l.startsWith("data: {"))
                .map(l -> new JsonObject(l.substring(6)).getJsonArray("choices").getJsonObject(0)).toList();
        assertThat(choices).extracting(c -> c.getInteger("index")).contains(0, 1);
        assertThat(choices).filteredOn(c -> c.getString("finish_reason") != null)
                .extracting(c -> c.getInteger("index")).containsExactlyInAnyOrder(0, 1);
        assertThat(sse).endsWith("data: [DONE]\n\n");
    }

    @Test
    void tools_getA400NamingTheRuntimeAndTheMissingCapability() {
        ask("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}]").then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.message", containsString("runtime 'tiny' (embedded) cannot serve 'tools'"))
                .body("error.message", containsString("tool-call parser"));
    }
}
