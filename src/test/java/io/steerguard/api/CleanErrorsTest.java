package io.steerguard.api;

import static io.restassured.RestAssured.given;
import static io.steerguard.api.GatewayTestResource.ACME_KEY;
import static io.steerguard.api.GatewayTestResource.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** Bounded inputs with precise errors, and no exception text in any answer. */
@QuarkusTest
class CleanErrorsTest {

    @Test
    void aStopSequenceLongerThan256Characters_gets400NamingStop() {
        String body = "{\"model\": \"plain\", \"stop\": [\"ok\", \"" + "s".repeat(257) + "\"], "
                + "\"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}";
        GatewayApiTest.chat(ACME_KEY, body).then().statusCode(400).body("error.param", equalTo("stop"))
                .body("error.message", containsString("at most 256 characters"));
    }

    @Test
    void anAdminReasonAboveOneKibibyte_gets400NamingReason_andChangesNothing() {
        String reason = "r".repeat(1025);
        given().header("Authorization", "Bearer " + ADMIN_KEY).contentType("application/json")
                .body("{\"reason\": \"" + reason + "\"}").post("/admin/profiles/json-format/block")
                .then().statusCode(400).body("error.param", equalTo("reason"));
        given().header("Authorization", "Bearer " + ADMIN_KEY).get("/admin/profiles/json-format/safety")
                .then().statusCode(200);
        assertThat(given().header("Authorization", "Bearer " + ADMIN_KEY).get("/admin/audit-log?profile=json-format")
                .asString()).doesNotContain(reason);
    }
}
