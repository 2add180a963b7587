package io.steerguard.runtime.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.steerguard.runtime.SteeringOperator;
import io.steerguard.runtime.SteeringPositions;
import io.steerguard.runtime.SteeringSpec;

class EasySteerSteeringTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What the gateway's easysteer runtime sends for {@code spec}: the {@code steering} field's value. */
    private static JsonNode written(SteeringSpec spec) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            EasySteerRequests.writeSteeringField(g, spec);
            g.writeEndObject();
        }
        return MAPPER.readTree(out.toByteArray()).get("steering");
    }

    private static SteeringSpec read(JsonNode field) {
        EasySteerSteering.Result result = EasySteerSteering.parse(field);
        assertThat(result).isInstanceOf(EasySteerSteering.Result.Parsed.class);
        return ((EasySteerSteering.Result.Parsed) result).spec();
    }

    private static EasySteerSteering.Result.Invalid invalid(String json) throws Exception {
        EasySteerSteering.Result result = EasySteerSteering.parse(MAPPER.readTree(json));
        assertThat(result).isInstanceOf(EasySteerSteering.Result.Invalid.class);
        return (EasySteerSteering.Result.Invalid) result;
    }

    private static SteeringSpec.Entry entry(String source, List<Integer> layers, double c, SteeringOperator op,
                                            SteeringPositions positions) {
        return new SteeringSpec.Entry(source, layers, Map.of(), c, op, 0, positions, false);
    }

    @Test
    void everyPositionMode_andBothAlgorithms_surviveTheRoundTrip_throughTheWireFormat() throws Exception {
        SteeringSpec spec = new SteeringSpec(List.of(
                entry("tone/formal.gguf", List.of(3, 5), 4.5, SteeringOperator.ADD, SteeringPositions.ALL),
                entry("/abs/refusal.gguf", List.of(0), 1.0, SteeringOperator.ABLATE,
                        new SteeringPositions(SteeringPositions.Mode.PROMPT, 0)),
                entry("a.gguf", List.of(2), -2.0, SteeringOperator.ADD,
                        new SteeringPositions(SteeringPositions.Mode.GENERATED, 0)),
                entry("b.gguf", List.of(7, 1), 0.25, SteeringOperator.ADD, SteeringPositions.firstK(3))));

        assertThat(read(written(spec))).isEqualTo(spec);
    }

    @Test
    void noSteering_isWrittenAsFalse_andReadBackAsNone() throws Exception {
        assertThat(written(SteeringSpec.none()).isBoolean()).isTrue();
        assertThat(read(written(SteeringSpec.none())).isNone()).isTrue();
        assertThat(read(null).isNone()).isTrue();
        assertThat(read(MAPPER.nullNode()).isNone()).isTrue();
    }

    @Test
    void steeringTrue_isRejected_becauseThereIsNoServerDefault() throws Exception {
        assertThat(invalid("true").param()).isEqualTo("steering");
    }

    @Test
    void unknownAlgorithm_namesTheVectorsAlgorithmField() throws Exception {
        assertThat(invalid("{\"vectors\":[{\"source\":\"a.gguf\",\"algorithm\":\"lm_steer\",\"layers\":[1]}]}")
                .param()).isEqualTo("steering.vectors[0].algorithm");
    }

    @Test
    void normalizeTrue_isRejected_ratherThanSilentlyIgnored() throws Exception {
        assertThat(invalid("{\"vectors\":[{\"source\":\"a.gguf\",\"algorithm\":\"direct\",\"layers\":[1],"
                + "\"normalize\":true}]}").param()).isEqualTo("steering.vectors[0].normalize");
    }

    @Test
    void windowNotStartingAtZero_isRejected() throws Exception {
        assertThat(invalid("{\"vectors\":[{\"source\":\"a.gguf\",\"algorithm\":\"direct\",\"layers\":[1],"
                + "\"apply\":{\"generation_window\":[2,5]}}]}").param()).isEqualTo("steering.vectors[0].apply");
    }

    @Test
    void missingLayers_duplicateLayers_andPriorityWithTwoVectors_areRejected() throws Exception {
        assertThat(invalid("{\"vectors\":[{\"source\":\"a.gguf\",\"algorithm\":\"direct\"}]}").param())
                .isEqualTo("steering.vectors[0].layers");
        assertThat(invalid("{\"vectors\":[{\"source\":\"a.gguf\",\"algorithm\":\"direct\",\"layers\":[1,1]}]}")
                .param()).isEqualTo("steering.vectors[0].layers");
        String v = "{\"source\":\"a.gguf\",\"algorithm\":\"direct\",\"layers\":[1]}";
        assertThat(invalid("{\"vectors\":[" + v + "," + v + "],\"conflict\":\"priority\"}").param())
                .isEqualTo("steering.conflict");
    }

    @Test
    void absentApplyAndScale_meanAllPositionsAndScaleOne() throws Exception {
        SteeringSpec spec = read(MAPPER.readTree("{\"vectors\":[{\"source\":\"a.gguf\",\"algorithm\":\"direct\","
                + "\"layers\":[4]}]}"));
        assertThat(spec.entries().get(0)).isEqualTo(entry("a.gguf", List.of(4), 1.0, SteeringOperator.ADD,
                SteeringPositions.ALL));
    }
}
