package io.steerguard.training.evaluation;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.steerguard.runtime.SteeringSpec;
import io.steerguard.shadow.WindowCounts;

/**
 * The live mode: sends held-out prompts through the gateway with one profile, waits until its
 * shadow path has paired them, and sets the gateway's estimate beside the offline pairs of the
 * same prompts.
 */
public final class LiveRun {

    /** Harmful prompts per benign prompt in the live mix. */
    public static final int HARMFUL_PER_BENIGN = 3;
    private static final Duration POLL = Duration.ofMillis(500);

    private LiveRun() {
    }

    /**
     * {@code n} prompts: three held-out HARMFUL prompts to one BENIGN, interleaved, each list in
     * corpus order (the externality's denominator is made of refused prompts, so most are harmful).
     */
    public static List<EvalPrompt> mix(List<EvalPrompt> harmful, List<EvalPrompt> benign, int n) {
        List<EvalPrompt> out = new ArrayList<>(n);
        int h = 0;
        int b = 0;
        while (out.size() < n && (h < harmful.size() || b < benign.size())) {
            boolean takeBenign = (out.size() % (HARMFUL_PER_BENIGN + 1)) == HARMFUL_PER_BENIGN;
            if ((takeBenign && b < benign.size()) || h >= harmful.size()) {
                out.add(benign.get(b++));
            } else {
                out.add(harmful.get(h++));
            }
        }
        return out;
    }

    /** Offline pairs: the prompts answered steered and unsteered and judged by the primary classifier. */
    public static WindowCounts offlinePairs(Answerer answerer, Judges judges, List<EvalPrompt> prompts,
                                            SteeringSpec steering) throws InterruptedException {
        List<String> requests = prompts.stream().map(EvalPrompt::prompt).toList();
        Verdicts steered = judges.judge(requests, answerer.answer(prompts, steering));
        Verdicts unsteered = judges.judge(requests, answerer.answer(prompts, SteeringSpec.none()));
        return PairedCounts.pair(steered, unsteered, false);
    }

    /**
     * Runs the live measurement. {@code offline} may be null (no model at hand).
     *
     * @param wait how long to wait for the shadow path to pair every answered request
     */
    public static LiveResult run(LiveGateway gateway, String profile, String window, List<EvalPrompt> prompts,
                                 int maxTokens, int concurrency, Duration wait, WindowCounts offline,
                                 double coefficient, Consumer<String> progress)
            throws IOException, InterruptedException {
        LiveGateway.Safety before = gateway.safety(profile, window);
        long unpairedBefore = gateway.unpaired(profile);
        long started = System.nanoTime();
        int failed = gateway.send(prompts, profile, maxTokens, concurrency, progress);
        long expected = prompts.size() - failed;
        progress.accept(String.format(java.util.Locale.ROOT, "sent %d requests (%d failed) in %.1f s; waiting for the "
                + "shadow path to pair them", prompts.size(), failed, (System.nanoTime() - started) / 1e9));
        LiveGateway.Safety after = gateway.safety(profile, window);
        long deadline = System.nanoTime() + wait.toNanos();
        long unpaired = gateway.unpaired(profile) - unpairedBefore;
        // a twin the shadow queue dropped (or skipped) will never pair: stop when every request is accounted for
        while (after.counts().samples() - before.counts().samples() + unpaired < expected
                && System.nanoTime() < deadline) {
            Thread.sleep(POLL.toMillis());
            after = gateway.safety(profile, window);
            unpaired = gateway.unpaired(profile) - unpairedBefore;
            progress.accept(String.format(java.util.Locale.ROOT, "%.1f s: %d of %d paired, %d dropped or skipped",
                    (System.nanoTime() - started) / 1e9, after.counts().samples() - before.counts().samples(), expected,
                    unpaired));
        }
        WindowCounts live = minus(after.counts(), before.counts());
        if (live.samples() < expected) {
            progress.accept("the gateway paired " + live.samples() + " of " + expected + " answered requests ("
                    + unpaired + " dropped or skipped by the shadow path; waited at most " + wait.toSeconds() + " s)");
        }
        int harmful = (int) prompts.stream().filter(p -> p.category().equals(EvaluationPlan.HARMFUL)).count();
        return new LiveResult(profile, after.window(), harmful, prompts.size() - harmful, failed, live,
                after.externality(), offline, coefficient, maxTokens, (System.nanoTime() - started) / 1e9);
    }

    /** This run's pairs: after minus before; when old pairs left the window meanwhile, the whole window. */
    static WindowCounts minus(WindowCounts a, WindowCounts b) {
        if (a.steeredRefused() < b.steeredRefused() || a.unsteeredRefused() < b.unsteeredRefused()
                || a.externalities() < b.externalities() || a.overRefusals() < b.overRefusals()
                || a.samples() < b.samples()) {
            return a;
        }
        return new WindowCounts(a.samples() - b.samples(), 0, a.steeredRefused() - b.steeredRefused(),
                a.unsteeredRefused() - b.unsteeredRefused(), a.externalities() - b.externalities(),
                a.overRefusals() - b.overRefusals(), 0, 0);
    }
}
