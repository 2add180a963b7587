package io.steerguard.steering.easysteer;

import com.fasterxml.jackson.core.JsonGenerator;
import io.steerguard.runtime.SteeringOperator;
import io.steerguard.runtime.SteeringPositions;
import io.steerguard.runtime.SteeringSpec;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Maps a {@link SteeringSpec} onto EasySteer's per-request {@code steering} object (vLLM fork,
 * steering API v2), and says up front which entries it cannot express.
 *
 * <p>Wire shape, one object per entry, in entry order:
 * <pre>{@code
 * "steering": {
 *   "vectors": [{"source": "<path on the server>", "algorithm": "direct", "scale": 4.0,
 *                "layers": [3], "normalize": false,
 *                "apply": {"prompt": "all", "generation": "all"}}],
 *   "conflict": "sequential"
 * }}</pre>
 * and no {@code steering} field at all for {@link SteeringSpec#none()}. EasySteer's request model
 * (EasySteer-vllm-v1 {@code 6267ca0c}, {@code chat_completion/protocol.py}) declares
 * {@code steering: SteeringSpec | None}, so {@code false} fails validation with a 400; an omitted
 * field is the unsteered request. A server started with {@code --steering-config} steers every
 * request with its default and answers 400 to any request that carries {@code steering}: such a
 * server cannot serve per-request steering nor an unsteered twin, and the start-up conformance check
 * reports it.
 *
 * <p>Mapping, and why:
 * <ul>
 *   <li>Layers pass through unchanged. EasySteer's {@code direct} algorithm edits the
 *       {@code hidden_states} component, which it defines as the decoder layer's output (hidden
 *       plus residual), and {@code layers} are "true decoder-layer IDs" that select
 *       {@code direction.<layer>} tensors of the GGUF file (0 allowed). That is exactly our 0-based
 *       "after block L" convention (Hugging Face {@code hidden_states[L+1]}, llama.cpp
 *       {@code direction.L}).</li>
 *   <li>{@link SteeringOperator#ADD} becomes {@code "algorithm": "direct"} ({@code h + scale * v}) with
 *       {@code scale} = the coefficient. {@link SteeringOperator#ABLATE} becomes {@code "erase"}
 *       ({@code h - <h,v>/|v|^2 * v}, our {@code h - <h,u>u}) with {@code scale} 1, because the
 *       projection ignores the vector's length and a zero scale would zero the direction.
 *       {@link SteeringOperator#PROJECT_TO} has no EasySteer algorithm and is rejected.</li>
 *   <li>Positions: {@code all} → {@code {"prompt": "all", "generation": "all"}}, {@code prompt} →
 *       {@code {"prompt": "all"}}, {@code generated} → {@code {"generation": "all"}},
 *       {@code first-k} → {@code {"generation_window": [0, k]}} (half-open over 0-based decode
 *       steps, the first {@code k} generated tokens, as our {@link SteeringPositions#applies}).</li>
 *   <li>{@code "conflict": "sequential"}: several entries on one position stack in order, as in
 *       the embedded runtime; EasySteer's default {@code "priority"} would keep only the first.
 *       More than one entry needs a server started with multi-vector support.</li>
 *   <li>{@code normalize} passes through; its meaning is the server's (current EasySteer:
 *       rescale the steered row back to its original norm).</li>
 *   <li>{@code source} is sent as-is and resolved on the server. EasySteer loads {@code direct} and
 *       {@code erase} payloads from GGUF files with {@code direction.<layer>} tensors (the llama.cpp
 *       / repeng control-vector layout), so other files and inline directions are rejected.</li>
 * </ul>
 */
public final class EasySteerRequests {

    private EasySteerRequests() {
    }

    /**
     * Checks that EasySteer can express an entry; the config loader calls this at load time.
     *
     * @return the problem, or empty when the entry can be sent
     */
    public static Optional<String> validate(SteeringSpec.Entry entry) {
        if (entry.operator() == SteeringOperator.PROJECT_TO) {
            return Optional.of("operator project-to cannot be sent to an easysteer runtime: EasySteer has no"
                    + " target-projection algorithm (add maps to direct, ablate to erase); use an embedded runtime");
        }
        String source = entry.source();
        if (source.isBlank() || source.equals("inline")) {
            return Optional.of("an easysteer runtime needs the vector as a file path on the server;"
                    + " inline directions cannot be sent");
        }
        if (!source.toLowerCase(Locale.ROOT).endsWith(".gguf")) {
            return Optional.of("easysteer loads direct/erase vectors only from GGUF files with direction.<layer>"
                    + " tensors; '" + source + "' is not a .gguf file (convert it to a GGUF control vector)");
        }
        return Optional.empty();
    }

    /**
     * Checks every entry of a spec.
     *
     * @return the first problem, prefixed with the entry's index, or empty
     */
    public static Optional<String> validate(SteeringSpec spec) {
        List<SteeringSpec.Entry> entries = spec.entries();
        for (int i = 0; i < entries.size(); i++) {
            Optional<String> problem = validate(entries.get(i));
            if (problem.isPresent()) {
                return Optional.of("steering entry " + i + " (" + entries.get(i).source() + "): " + problem.get());
            }
        }
        return Optional.empty();
    }

    /** The EasySteer algorithm for an operator, or empty when there is none. */
    public static Optional<String> algorithm(SteeringOperator operator) {
        return switch (operator) {
            case ADD -> Optional.of("direct");
            case ABLATE -> Optional.of("erase");
            case PROJECT_TO -> Optional.empty();
        };
    }

    /**
     * Writes the {@code "steering"} field, or nothing for no steering (EasySteer rejects
     * {@code false}). Call only with a spec {@link #validate(SteeringSpec)} accepted.
     */
    public static void writeSteeringField(JsonGenerator g, SteeringSpec spec) throws IOException {
        if (spec.isNone()) {
            return;
        }
        g.writeObjectFieldStart("steering");
        g.writeArrayFieldStart("vectors");
        for (SteeringSpec.Entry e : spec.entries()) {
            writeVector(g, e);
        }
        g.writeEndArray();
        g.writeStringField("conflict", "sequential");
        g.writeEndObject();
    }

    private static void writeVector(JsonGenerator g, SteeringSpec.Entry e) throws IOException {
        g.writeStartObject();
        g.writeStringField("source", e.source());
        g.writeStringField("algorithm", algorithm(e.operator()).orElseThrow());
        g.writeNumberField("scale", e.operator() == SteeringOperator.ABLATE ? 1.0 : e.coefficient());
        g.writeArrayFieldStart("layers");
        for (int layer : e.layers()) {
            g.writeNumber(layer);
        }
        g.writeEndArray();
        g.writeBooleanField("normalize", e.normalize());
        g.writeObjectFieldStart("apply");
        SteeringPositions positions = e.positions();
        switch (positions.mode()) {
            case ALL -> {
                g.writeStringField("prompt", "all");
                g.writeStringField("generation", "all");
            }
            case PROMPT -> g.writeStringField("prompt", "all");
            case GENERATED -> g.writeStringField("generation", "all");
            case FIRST_K -> {
                g.writeArrayFieldStart("generation_window");
                g.writeNumber(0);
                g.writeNumber(positions.k());
                g.writeEndArray();
            }
        }
        g.writeEndObject();
        g.writeEndObject();
    }
}
