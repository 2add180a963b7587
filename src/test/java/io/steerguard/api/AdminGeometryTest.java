package io.steerguard.api;

import static io.restassured.RestAssured.given;
import static io.steerguard.api.GatewayTestResource.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.steerguard.steering.RefusalDirection;
import io.steerguard.steering.VectorFiles;
import io.steerguard.steering.VectorSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** {@code GET /admin/profiles/{name}/geometry} and the geometry gauges, on the embedded {@code geometry-tiny} runtime. */
@QuarkusTest
@QuarkusTestResource(value = GatewayTestResource.class, restrictToAnnotatedClass = false)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminGeometryTest {

    @Test
    @Order(1)
    void unknownProfile_is404_andRemoteProfile_is409() {
        given().header("Authorization", "Bearer " + ADMIN_KEY).get("/admin/profiles/ghost/geometry")
                .then().statusCode(404).body("error.code", equalTo("profile_not_found"));
        given().header("Authorization", "Bearer " + ADMIN_KEY).get("/admin/profiles/json-format/geometry")
                .then().statusCode(409).body("error.message", containsString("needs an embedded runtime"));
        given().get("/admin/profiles/tiny-geometry/geometry").then().statusCode(401);
    }

    @Test
    @Order(2)
    void withoutRefusalDirection_is409_sayingHowToComputeIt() {
        given().header("Authorization", "Bearer " + ADMIN_KEY).get("/admin/profiles/tiny-geometry/geometry")
                .then().statusCode(409).body("error.code", equalTo("geometry_unavailable"))
                .body("error.message", containsString("refusal-direction --model"));
    }

    @Test
    @Order(3)
    void withRefusalDirection_aReloadRefreshesTheGauges_andTheEndpointAuditsEachSteeredLayer() throws IOException {
        // layer 1 of the refusal direction is minus the profile's vector: cosine -1 there
        VectorSet vector = VectorFiles.read(Path.of("models/tiny-random/vectors/random-direction.gguf"));
        float[] minus = vector.direction(1);
        for (int i = 0; i < minus.length; i++) {
            minus[i] = -minus[i];
        }
        float[] other = vector.direction(1).clone();
        other[0] += 10;
        Path file = GatewayTestResource.tinyModel().resolve("vectors").resolve(RefusalDirection.FILE_NAME);
        Files.createDirectories(file.getParent());
        new RefusalDirection(VectorSet.of("llama", Map.of(1, minus, 2, other)), Set.of(73)).write(file);

        // applying a configuration audits every profile off the event loop and sets the gauges
        given().header("Authorization", "Bearer " + ADMIN_KEY).post("/admin/config/reload").then().statusCode(200);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(cosineGauge()).isCloseTo(-1.0, within(1e-5)));

        JsonPath body = given().header("Authorization", "Bearer " + ADMIN_KEY)
                .get("/admin/profiles/tiny-geometry/geometry").then().statusCode(200).extract().jsonPath();

        assertThat(body.getString("profile")).isEqualTo("tiny-geometry");
        assertThat(body.getString("runtime")).isEqualTo("geometry-tiny");
        assertThat(body.getString("verdict")).isEqualTo("raises-jailbreak-risk");
        assertThat(body.getList("layers")).hasSize(2);
        assertThat(body.getInt("layers[0].layer")).isEqualTo(1);
        assertThat(body.getDouble("layers[0].cosine")).isCloseTo(-1.0, within(1e-5));
        assertThat(body.getDouble("layers[0].relativeNorm")).isPositive();
        assertThat(body.getInt("layers[1].layer")).isEqualTo(2);

        assertThat(Management.given().get("/q/metrics").then().statusCode(200).extract().asString())
                .contains("steerguard_geometry_relative_norm{");
    }

    /** The cosine gauge of tiny-geometry at layer 1 as Prometheus shows it, NaN while absent. */
    private static double cosineGauge() {
        String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("steerguard_geometry_cosine{")
                        && l.contains("profile=\"tiny-geometry\"") && l.contains("layer=\"1\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(Double.NaN);
    }
}
