package io.steerguard.runtime.remote;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

/**
 * The stand-in refuses what EasySteer-vllm-v1 {@code 6267ca0c} refuses for tools, n and penalties
 * (so a gateway test that passes against it would pass against the real server), and admits what
 * it admits.
 */
class EasySteerToolModelTest {

    private static final String USER = "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]";
    private static final String TOOL = "{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}}";

    private static String admit(String fields, boolean parser) {
        return EasySteerToolModel.admit(new JsonObject("{" + fields + (fields.isEmpty() ? "" : ",") + USER + "}"), parser);
    }

    @Test
    void admitsWhatTheServerAdmits() {
        assertThat(admit("\"tools\":[" + TOOL + "]", true)).isNull();
        assertThat(admit("\"tools\":[" + TOOL + "],\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"f\"}},"
                + "\"parallel_tool_calls\":false", true)).isNull();
        assertThat(admit("\"tools\":[" + TOOL + "],\"tool_choice\":\"none\"", false))
                .as("tool_choice none needs no parser").isNull();
        assertThat(admit("\"n\":3,\"presence_penalty\":-2,\"frequency_penalty\":2,\"logit_bias\":{\"7\":-100}", false)).isNull();
        assertThat(EasySteerToolModel.admit(new JsonObject("{\"messages\":[{\"role\":\"assistant\",\"content\":null,"
                + "\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"c\",\"content\":\"ok\"}]}"), true)).isNull();
    }

    @Test
    void refusesWhatTheServerRefuses() {
        assertThat(admit("\"tools\":[]", true)).startsWith("`tools` must not be an empty array");
        assertThat(admit("\"tools\":[" + TOOL + "]", false))
                .isEqualTo("\"auto\" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set");
        assertThat(admit("\"tools\":[" + TOOL + "],\"tool_choice\":\"required\"", false))
                .isEqualTo("tool_choice=\"required\" requires --tool-call-parser to be set");
        assertThat(admit("\"tool_choice\":\"auto\"", true)).isEqualTo("When using `tool_choice`, `tools` must be set.");
        assertThat(admit("\"tools\":[" + TOOL + "],\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"g\"}}", true))
                .startsWith("The tool specified in `tool_choice` does not match");
        assertThat(admit("\"n\":0", true)).isEqualTo("n must be at least 1, got 0.");
        assertThat(admit("\"presence_penalty\":2.5", true)).isEqualTo("presence_penalty must be in [-2, 2], got 2.5.");
        assertThat(admit("\"logit_bias\":{\"abc\":1}", true)).contains("cannot be converted to integer token IDs");
        assertThat(EasySteerToolModel.admit(new JsonObject("{\"messages\":[{\"role\":\"assistant\",\"tool_calls\":"
                + "[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}]}"), true))
                .endsWith(".id: Field required");
    }
}
