package io.steerguard.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Adam with decoupled weight decay (Loshchilov &amp; Hutter), updating parameters in place:
 * <pre>
 *   m = b1 m + (1-b1) g          v = b2 v + (1-b2) g^2
 *   p = p - lr * ( m/(1-b1^t) / (sqrt(v/(1-b2^t)) + eps) + wd * p )
 * </pre>
 * Decay applies to matrices only; RMSNorm gains are left alone, as usual for norms.
 * Gradients are clipped to a global L2 norm first.
 */
final class AdamW {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.95;
    private static final double EPS = 1e-8;

    private final List<NDArray> params = new ArrayList<>();
    private final List<NDArray> firstMoments = new ArrayList<>();
    private final List<NDArray> secondMoments = new ArrayList<>();
    private final List<Boolean> decays = new ArrayList<>();
    private final double weightDecay;
    private final double clipNorm;
    private int step;

    AdamW(Map<String, NDArray> parameters, double weightDecay, double clipNorm) {
        this.weightDecay = weightDecay;
        this.clipNorm = clipNorm;
        for (NDArray p : parameters.values()) {
            params.add(p);
            firstMoments.add(p.zerosLike());
            secondMoments.add(p.zerosLike());
            decays.add(p.getShape().dimension() >= 2);
        }
    }

    /**
     * Applies one update from the gradients the last backward pass left on the parameters, then
     * zeroes them. Returns the global gradient norm before clipping.
     */
    double step(double lr, NDManager scratch) {
        step++;
        // parameters and moments join the scratch manager for this step, so every temporary the
        // update creates (ops allocate on their first operand's manager) is freed with it
        for (int i = 0; i < params.size(); i++) {
            params.get(i).tempAttach(scratch);
            firstMoments.get(i).tempAttach(scratch);
            secondMoments.get(i).tempAttach(scratch);
        }
        List<NDArray> grads = new ArrayList<>(params.size());
        double sq = 0;
        for (NDArray p : params) {
            NDArray g = p.getGradient();
            grads.add(g);
            sq += g.square().sum().getFloat();
        }
        double norm = Math.sqrt(sq);
        double clip = norm > clipNorm ? clipNorm / norm : 1.0;
        double c1 = 1 - Math.pow(BETA1, step);
        double c2 = 1 - Math.pow(BETA2, step);
        for (int i = 0; i < params.size(); i++) {
            NDArray p = params.get(i);
            NDArray g = grads.get(i).mul((float) clip);
            NDArray m = firstMoments.get(i);
            NDArray v = secondMoments.get(i);
            m.muli((float) BETA1).addi(g.mul((float) (1 - BETA1)));
            v.muli((float) BETA2).addi(g.square().muli((float) (1 - BETA2)));
            NDArray update = m.div((float) c1).div(v.div((float) c2).sqrt().add((float) EPS));
            if (decays.get(i)) {
                update = update.add(p.mul((float) weightDecay));
            }
            p.stopGradient().subi(update.muli((float) lr));
            grads.get(i).subi(grads.get(i));
        }
        return norm;
    }
}
