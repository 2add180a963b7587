package io.steerguard.ops;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.quarkus.test.junit.QuarkusTest;
import io.steerguard.api.Management;

/** Every probe path the manifests configure is an endpoint the running application answers UP on. */
@QuarkusTest
class HealthProbesTest {

    @Test
    void everyProbePathInTheManifests_answersUp() {
        Set<String> paths = new TreeSet<>();
        for (String overlay : Manifests.OVERLAYS) {
            for (Deployment d : Manifests.deployments(Manifests.typed(overlay))) {
                Container c = Manifests.container(d);
                for (Probe p : new Probe[] {c.getStartupProbe(), c.getReadinessProbe(), c.getLivenessProbe()}) {
                    assertThat(p).as(overlay + "/" + d.getMetadata().getName() + " probes").isNotNull();
                    paths.add(p.getHttpGet().getPath());
                }
            }
        }
        assertThat(paths).containsExactly("/q/health/live", "/q/health/ready", "/q/health/started");
        for (String path : paths) {
            Management.given().get(path).then().statusCode(200).body("status", equalTo("UP"));
        }
        Management.given().get("/q/health/nothing-here").then().statusCode(404);
    }

    @Test
    void theClientPort_servesNoMetricsOrHealth_onlyAnOpenAi404() {
        for (String path : new String[] {"/q/metrics", "/q/health", "/q/health/ready", "/q/dev-ui", "/q/"}) {
            given().get(path).then().statusCode(404).contentType("application/json")
                    .body("error.code", equalTo("not_found"));
        }
        Management.given().get("/q/metrics").then().statusCode(200);
    }
}
