package io.steerguard.steering.easysteer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.steerguard.runtime.SteeringPositions;
import io.steerguard.runtime.SteeringSpec;

/**
 * EasySteer's {@code conflict} policies turned into the embedded runtime's stacking entries.
 *
 * <p>EasySteer resolves conflicts per layer and per token position
 * ({@code vllm/steer_vectors/controllers.py _resolve_conflicts} at EasySteer-vllm-v1 {@code 6267ca0c}):
 * {@code priority} lets the earlier vector claim its positions and applies a later one only where
 * nothing earlier claimed; {@code sequential} applies all in order; {@code error} refuses overlaps.
 * The embedded runtime always stacks, so {@code priority} is made explicit here: each later vector
 * keeps, per layer, only the positions no earlier vector on that layer covers. Positions are a
 * (whole prompt or none, generated steps {@code [0, stop)}) pair, so "all minus the first k steps"
 * has no form here and such a request is a 400 naming {@code steering.conflict}, never approximated.
 */
public final class EasySteerConflicts {

    /** The resolved spec, or why it cannot be served. */
    public sealed interface Result {
        /** Entries that stack to the policy's meaning. */
        record Resolved(SteeringSpec spec) implements Result {
        }

        /** A client error naming the field. */
        record Rejected(String message, String param) implements Result {
        }
    }

    /** A position set: the whole prompt or not, and generated steps {@code [0, stop)} (0: none). */
    private record Span(boolean prompt, long stop) {
        static final long ALL = Long.MAX_VALUE;

        static Span of(SteeringPositions p) {
            return switch (p.mode()) {
                case ALL -> new Span(true, ALL);
                case PROMPT -> new Span(true, 0);
                case GENERATED -> new Span(false, ALL);
                case FIRST_K -> new Span(false, p.k());
            };
        }

        boolean empty() {
            return !prompt && stop == 0;
        }

        boolean overlaps(Span o) {
            return (prompt && o.prompt) || Math.min(stop, o.stop) > 0;
        }

        Span union(Span o) {
            return new Span(prompt || o.prompt, Math.max(stop, o.stop));
        }

        /** {@code this} minus {@code claimed}, when that is still a span. */
        Optional<Span> minus(Span claimed) {
            boolean p = prompt && !claimed.prompt;
            if (claimed.stop >= stop) {
                return Optional.of(new Span(p, 0));
            }
            if (claimed.stop == 0) {
                return Optional.of(new Span(p, stop));
            }
            return Optional.empty(); // steps [claimed.stop, stop): no such positions mode
        }

        Optional<SteeringPositions> positions() {
            if (prompt && stop == ALL) {
                return Optional.of(SteeringPositions.ALL);
            }
            if (prompt && stop == 0) {
                return Optional.of(new SteeringPositions(SteeringPositions.Mode.PROMPT, 0));
            }
            if (prompt) {
                return Optional.empty();
            }
            return Optional.of(stop == ALL ? new SteeringPositions(SteeringPositions.Mode.GENERATED, 0)
                    : SteeringPositions.firstK((int) stop));
        }
    }

    private EasySteerConflicts() {
    }

    /** Applies {@code conflict} to loaded entries given in request order. */
    public static Result resolve(List<SteeringSpec.Entry> entries, EasySteerSpec.Conflict conflict) {
        if (conflict == EasySteerSpec.Conflict.SEQUENTIAL || entries.size() <= 1) {
            return new Result.Resolved(new SteeringSpec(entries));
        }
        Map<Integer, Span> claimed = new LinkedHashMap<>();
        Map<Integer, Integer> claimedBy = new LinkedHashMap<>();
        List<SteeringSpec.Entry> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            SteeringSpec.Entry e = entries.get(i);
            Span span = Span.of(e.positions());
            Map<SteeringPositions, List<Integer>> byPositions = new LinkedHashMap<>();
            for (int layer : e.layers()) {
                Span before = claimed.get(layer);
                Span left = span;
                if (before != null && before.overlaps(span)) {
                    if (conflict == EasySteerSpec.Conflict.ERROR) {
                        return new Result.Rejected("Vectors " + claimedBy.get(layer) + " and " + i + " both steer layer "
                                + layer + " at the same positions and 'steering.conflict' is \"error\".",
                                "steering.conflict");
                    }
                    Optional<Span> rest = span.minus(before).filter(r -> r.empty() || r.positions().isPresent());
                    if (rest.isEmpty()) {
                        return new Result.Rejected("'steering.conflict' \"priority\" cannot be honoured by this runtime:"
                                + " vector " + i + " would steer layer " + layer + " only at the positions vector "
                                + claimedBy.get(layer) + " leaves free, which this runtime cannot express; send"
                                + " \"sequential\" or non-overlapping apply clauses.", "steering.conflict");
                    }
                    left = rest.get();
                }
                claimed.merge(layer, span, Span::union);
                claimedBy.putIfAbsent(layer, i);
                if (!left.empty()) {
                    byPositions.computeIfAbsent(left.positions().orElseThrow(), k -> new ArrayList<>()).add(layer);
                }
            }
            for (Map.Entry<SteeringPositions, List<Integer>> part : byPositions.entrySet()) {
                Map<Integer, float[]> directions = new LinkedHashMap<>();
                part.getValue().forEach(l -> directions.put(l, e.directions().get(l)));
                out.add(new SteeringSpec.Entry(e.source(), part.getValue(), e.hasDirections() ? directions : Map.of(),
                        e.coefficient(), e.operator(), e.target(), part.getKey(), e.normalize()));
            }
        }
        return new Result.Resolved(new SteeringSpec(out));
    }
}
