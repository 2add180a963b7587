package io.steerguard.runtime.remote;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.smallrye.mutiny.Uni;
import io.steerguard.runtime.ChatMessage;
import io.steerguard.runtime.GenerationRequest;
import io.steerguard.runtime.Introspection;
import io.steerguard.runtime.ModelRuntime;
import io.steerguard.runtime.Priority;
import io.steerguard.runtime.Prompt;
import io.steerguard.runtime.SamplingParams;
import io.steerguard.runtime.SteeringSpec;

/**
 * Asks a remote runtime whether it accepts what SteerGuard will send it: one tiny unsteered request
 * (one token, background priority) and one steered request per distinct vector configuration its
 * profiles use. An upstream that rejects steering, was started with a server-side default
 * ({@code --steering-config}), lacks an algorithm ({@code --steer-algorithms}) or multi-vector
 * support, or cannot read a vector file answers 400 with its reason, which the result carries
 * verbatim (shortened to {@link UpstreamFaults#MAX_MESSAGE_CHARS}).
 */
public final class ConformanceProbe {

    /** One request's outcome. */
    public record Check(String what, boolean ok, String reason) {
    }

    /** A runtime's outcome: every check, and when it ran. */
    public record Result(String runtime, boolean ok, List<Check> checks, Instant at) {
        public Result {
            checks = List.copyOf(checks);
        }
    }

    private static final Prompt PROMPT = Prompt.chat(List.of(ChatMessage.user("Hi")));

    private ConformanceProbe() {
    }

    /**
     * Runs the checks one after the other (never more than one request in flight per runtime).
     *
     * @param steered the distinct steering configurations, each labelled (e.g. with the profiles using it)
     * @param timeout the bound on each request
     */
    public static Uni<Result> run(String name, ModelRuntime runtime, Map<String, SteeringSpec> steered, Duration timeout) {
        List<Map.Entry<String, SteeringSpec>> plan = new ArrayList<>();
        plan.add(Map.entry("unsteered", SteeringSpec.none()));
        steered.entrySet().stream().filter(e -> !e.getValue().isNone()).forEach(plan::add);
        Uni<List<Check>> all = Uni.createFrom().item(new ArrayList<>());
        for (Map.Entry<String, SteeringSpec> step : plan) {
            all = all.chain(done -> one(runtime, step.getKey(), step.getValue(), timeout).map(check -> {
                done.add(check);
                return done;
            }));
        }
        return all.map(checks -> new Result(name, checks.stream().allMatch(Check::ok), checks, Instant.now()));
    }

    private static Uni<Check> one(ModelRuntime runtime, String what, SteeringSpec steering, Duration timeout) {
        GenerationRequest request = new GenerationRequest("conformance-" + what.hashCode(), PROMPT,
                SamplingParams.greedy(1), steering, Introspection.none(), Priority.BACKGROUND);
        return runtime.generate(request).collect().last().ifNoItem().after(timeout).fail()
                .map(last -> new Check(what, true, ""))
                .onFailure().recoverWithItem(f -> new Check(what, false, f instanceof io.smallrye.mutiny.TimeoutException
                        ? "no answer within " + timeout.toMillis() + " ms" : String.valueOf(f.getMessage())));
    }
}
