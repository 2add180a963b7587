package io.steerguard.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.steerguard.runtime.RuntimeFault;

class ErrorTextTest {

    @Test
    void anInternalFault_reachesTheClientWithoutItsExceptionText() {
        RuntimeFault fault = new RuntimeFault(RuntimeFault.Kind.INTERNAL,
                "inference failed: java.lang.IllegalStateException: /opt/models/x/model.safetensors: bad offset",
                new IllegalStateException("/opt/models/x/model.safetensors: bad offset"));
        OpenAiError error = OpenAiError.fromFault("demo-chat", fault);
        assertThat(error.status()).isEqualTo(500);
        assertThat(error.code()).isEqualTo("runtime_error");
        assertThat(error.message()).doesNotContain("Exception").doesNotContain("/opt").doesNotContain("inference");
    }

    @Test
    void logText_escapesLineBreaksAndControlCharacters_keepsTheRest() {
        assertThat(LogText.escape("incident 42\nINFO forged line\r\u001b[31m\u2028é 😀"))
                .isEqualTo("incident 42\\nINFO forged line\\r\\u001b[31m\\u2028é 😀")
                .doesNotContain("\n");
        assertThat(LogText.escape("plain")).isEqualTo("plain");
    }
}
