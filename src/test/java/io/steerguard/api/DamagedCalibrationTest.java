package io.steerguard.api;

import static io.steerguard.api.ReviewApiTest.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.steerguard.classifier.LearnedHead;
import io.steerguard.classifier.Platt;
import io.steerguard.review.CalibrationStore;
import io.steerguard.review.CalibrationVersion;

/**
 * A gateway that starts on a calibration log damaged on disk (one byte of a recalibrated version
 * flipped after it was written) fails closed: it starts, the learned tier scores with the shipped
 * calibration, the damaged file is set aside, and the calibration history says why.
 */
@QuarkusTest
@TestProfile(DamagedCalibrationTest.Profile.class)
class DamagedCalibrationTest {

    /** The calibration a previous run wrote, far from the shipped one, so using it would show. */
    static final Platt WRITTEN = new Platt(0.05, -3.0);
    static volatile Path data;

    public static final class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                data = Files.createTempDirectory("steerguard-damaged-calibration");
                Platt shipped = Platt.shipped(LearnedHead.loadResource());
                try (CalibrationStore store = CalibrationStore.open(data, shipped)) {
                    store.append(CalibrationVersion.Action.RECALIBRATE, "ann", "a previous run", WRITTEN, -1, 60, 30, 30,
                            0.5, 0.3);
                }
                Path file = data.resolve(CalibrationStore.FILE_NAME);
                String text = Files.readString(file, StandardCharsets.UTF_8);
                Files.writeString(file, text.replace("\"b\":-3.0", "\"b\":+3.0"), StandardCharsets.UTF_8);
                return Map.of("steerguard.policy.data-dir", data.toString(), "steerguard.probes.enabled", "false");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void aDamagedCalibrationLog_failsClosedToTheShippedCalibration_andSaysSo() throws IOException {
        LearnedHead head = LearnedHead.loadResource();
        JsonPath c = admin().get("/admin/review/calibration").then().statusCode(200)
                .body("damage", containsString("checksum mismatch"))
                .body("inForce.action", equalTo("reset"))
                .body("inForce.actor", equalTo("calibration-recovery"))
                .extract().jsonPath();
        assertThat(c.getDouble("inForce.a")).isCloseTo(head.plattA(), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(c.getDouble("inForce.b")).isCloseTo(head.plattB(), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(c.getString("inForce.reason")).contains("set aside as " + CalibrationStore.FILE_NAME + ".damaged-");
        try (var files = Files.list(data)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith(CalibrationStore.FILE_NAME + ".damaged-"));
        }
        double score = ReviewApiTest.score(ReviewApiTest.PLAN);
        assertThat(score).as("scored with the shipped calibration, not the damaged record's")
                .isBetween(0.3, 0.55);
    }
}
