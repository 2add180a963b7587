package io.steerguard.steering.easysteer;

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

    /** Read back, as the entries the vectors name (every test vector names its layers). */
    private static SteeringSpec read(JsonNode field) {
        EasySteerSpec spec = parsed(field, EasySteerLimits.lenient());
        return new SteeringSpec(spec.vectors().stream().map(v -> new SteeringSpec.Entry(v.source(),
                v.layers().orElseThrow(), Map.of(), v.scale(), v.operator(), 0, v.positions(), false)).toList());
    }

    private static EasySteerSpec parsed(JsonNode field, EasySteerLimits limits) {
        EasySteerSteering.Result result = EasySteerSteering.parse(field, limits);
        assertThat(result).isInstanceOf(EasySteerSteering.Result.Parsed.class);
        return ((EasySteerSteering.Result.Parsed) result).spec();
    }

    private static EasySteerSpec parsed(String json) throws Exception {
        return parsed(MAPPER.readTree(json), EasySteerLimits.lenient());
    }

    private static EasySteerSteering.Result.Invalid invalid(String json, EasySteerLimits limits) throws Exception {
        EasySteerSteering.Result result = EasySteerSteering.parse(MAPPER.readTree(json), limits);
        assertThat(result).isInstanceOf(EasySteerSteering.Result.Invalid.class);
        return (EasySteerSteering.Result.Invalid) result;
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
    void noSteering_isNotWrittenAtAll_andAbsentNullOrFalse_readAsNone() throws Exception {
        assertThat(written(SteeringSpec.none())).isNull();
        assertThat(parsed(null, EasySteerLimits.lenient()).isNone()).isTrue();
        assertThat(parsed(MAPPER.nullNode(), EasySteerLimits.lenient()).isNone()).isTrue();
        assertThat(parsed("false").isNone()).isTrue();
    }

    @Test
    void steeringTrue_isRejected_becauseThereIsNoServerDefault() throws Exception {
        assertThat(invalid("true").param()).isEqualTo("steering");
    }

    private static final String APPLY_ALL = "\"apply\":{\"prompt\":\"all\",\"generation\":\"all\"}";

    @Test
    void unknownAlgorithm_namesTheVectorsAlgorithmField() throws Exception {
        assertThat(invalid("{\"vectors\":[{\"source\":\"a.gguf\",\"algorithm\":\"lm_steer\",\"layers\":[1],"
                + APPLY_ALL + "}]}").param()).isEqualTo("steering.vectors[0].algorithm");
    }

    @Test
    void normalizeTrue_isRejected_ratherThanSilentlyIgnored() throws Exception {
        assertThat(invalid("{\"vectors\":[{\"source\":\"a.gguf\",\"layers\":[1],\"normalize\":true," + APPLY_ALL
                + "}]}").param()).isEqualTo("steering.vectors[0].normalize");
    }

    @Test
    void easySteerDefaults_algorithmDirect_scaleOne_layersFromTheFile_conflictPriority() throws Exception {
        EasySteerSpec spec = parsed("{\"vectors\":[{\"source\":\"a.gguf\"," + APPLY_ALL + "}]}");
        assertThat(spec.conflict()).isEqualTo(EasySteerSpec.Conflict.PRIORITY);
        EasySteerSpec.Vector v = spec.vectors().get(0);
        assertThat(v.operator()).isEqualTo(SteeringOperator.ADD);
        assertThat(v.scale()).isEqualTo(1.0);
        assertThat(v.layers()).isEmpty();
        assertThat(v.positions()).isEqualTo(SteeringPositions.ALL);
    }

    @Test
    void nameAndEmptyParams_areAccepted_nonEmptyParamsAndUnknownKeys_areNamed() throws Exception {
        assertThat(parsed("{\"vectors\":[{\"source\":\"a.gguf\",\"name\":\"happy\",\"params\":{}," + APPLY_ALL
                + "}]}").vectors().get(0).name()).isEqualTo("happy");
        assertThat(invalid("{\"vectors\":[{\"source\":\"a.gguf\",\"params\":{\"topk\":2}," + APPLY_ALL + "}]}")
                .param()).isEqualTo("steering.vectors[0].params");
        assertThat(invalid("{\"vectors\":[{\"source\":\"a.gguf\"," + APPLY_ALL + "}],\"debug\":true}").param())
                .isEqualTo("steering.debug");
    }

    @Test
    void applySelectors_mapToPositions_orAre400sNamingTheSelector() throws Exception {
        String v = "{\"vectors\":[{\"source\":\"a.gguf\",\"apply\":%s}]}";
        assertThat(parsed(v.formatted("{\"generation_window\":[0,null]}")).vectors().get(0).positions())
                .isEqualTo(new SteeringPositions(SteeringPositions.Mode.GENERATED, 0));
        assertThat(parsed(v.formatted("{\"generation_positions\":[2,0,1]}")).vectors().get(0).positions())
                .isEqualTo(SteeringPositions.firstK(3));
        assertThat(parsed(v.formatted("{\"prompt_window\":[0,null],\"generation\":\"all\"}")).vectors().get(0)
                .positions()).isEqualTo(SteeringPositions.ALL);
        assertThat(invalid(v.formatted("{\"prompt_positions\":[-1],\"generation\":\"all\"}")).param())
                .isEqualTo("steering.vectors[0].apply.prompt_positions");
        assertThat(invalid(v.formatted("{\"generation_window\":[2,5]}")).param())
                .isEqualTo("steering.vectors[0].apply.generation_window");
        assertThat(invalid(v.formatted("{\"generation\":\"all\",\"exclude_generation_tokens\":[7]}")).param())
                .isEqualTo("steering.vectors[0].apply.exclude_generation_tokens");
        assertThat(invalid(v.formatted("{}")).param()).isEqualTo("steering.vectors[0].apply");
        assertThat(invalid("{\"vectors\":[{\"source\":\"a.gguf\"}]}").param()).isEqualTo("steering.vectors[0].apply");
    }

    @Test
    void inlineData_decodesEasySteersDirectionPayload() throws Exception {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(new float[]{1.5f, -2f});
        String data = java.util.Base64.getEncoder().encodeToString(b.array());
        EasySteerSpec spec = parsed("{\"vectors\":[{\"data\":{\"version\":1,\"kind\":\"direction\",\"tensors\":"
                + "{\"layer.0\":{\"shape\":[2],\"data\":\"" + data + "\"}},\"extra\":{},\"sha256\":\"x\"},"
                + APPLY_ALL + "}]}");
        assertThat(spec.vectors().get(0).isInline()).isTrue();
        assertThat(spec.vectors().get(0).inline().get(0)).containsExactly(1.5f, -2f);
        assertThat(invalid("{\"vectors\":[{\"source\":\"a.gguf\",\"data\":{}," + APPLY_ALL + "}]}").param())
                .isEqualTo("steering.vectors[0].data");
    }

    /** #12.7: scale, vector count and layer count are bounded by configuration; each 400 names the field. */
    @Test
    void scaleVectorsAndLayers_beyondTheConfiguredBounds_are400sNamingTheField() throws Exception {
        EasySteerLimits limits = new EasySteerLimits(10, 2, 3);
        String one = "{\"source\":\"a.gguf\",\"scale\":%s,\"layers\":%s," + APPLY_ALL + "}";
        assertThat(invalid("{\"vectors\":[" + one.formatted("10.5", "[1]") + "]}", limits).param())
                .isEqualTo("steering.vectors[0].scale");
        assertThat(invalid("{\"vectors\":[" + one.formatted("-1e9", "[1]") + "]}", limits).param())
                .isEqualTo("steering.vectors[0].scale");
        assertThat(invalid("{\"vectors\":[" + String.join(",", java.util.Collections.nCopies(3, one.formatted("1", "[1]")))
                + "]}", limits).param()).isEqualTo("steering.vectors");
        assertThat(invalid("{\"vectors\":[" + one.formatted("1", "[1,2,3,4]") + "]}", limits).param())
                .isEqualTo("steering.vectors[0].layers");
        assertThat(invalid("{\"vectors\":[" + one.formatted("1", "[1,2]") + "," + one.formatted("1", "[3,4]") + "]}",
                limits).param()).isEqualTo("steering.vectors[1].layers");
        assertThat(parsed(MAPPER.readTree("{\"vectors\":[" + one.formatted("-10", "[1,2]") + "," + one.formatted("1", "[3]")
                + "]}"), limits).vectors()).hasSize(2);
    }
}
